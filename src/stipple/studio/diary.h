// stipple/studio/diary.h: the diary's times on the wire (diary.cpp has the handlers).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "stipple/plan/time_zone.h"
#include "stipple/store/database.h"

namespace stipple::studio {

// Patch tests (brief section 11 "Patch test": most often 24-48 h before the
// first session; repeat after 12 months or any change in health or pigment):
// read from 24 to 48 hours after placing, and a passed one lets sessions be
// booked after its reading for 365 days from its placing.
inline constexpr store::TimeMs kPatchTestReadFromMs = 24 * 3'600'000LL, kPatchTestReadUntilMs = 48 * 3'600'000LL;
inline constexpr store::TimeMs kPatchTestValidMs = 365 * 86'400'000LL;

// The diary's times on the wire are plan/time_zone.h's: parse_rfc3339 reads
// one with any offset, local_rfc3339 writes one on the clinic's clock.
using plan::local_rfc3339;
using plan::parse_rfc3339;

}  // namespace stipple::studio
