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

// An RFC 3339 date-time (section 5.6) with its offset or Z,
// "2027-03-29T10:00:00+01:00" or "2027-03-29T09:00:00.5Z", as milliseconds since
// the epoch; nothing for anything else (no offset, a day or time that does not
// exist, a leap second, trailing text).
std::optional<store::TimeMs> parse_rfc3339(std::string_view text);

// An instant on the wall clock of `zone`, to the second, with the zone's
// offset then: "2027-03-29T10:00:00+01:00".
std::string local_rfc3339(store::TimeMs ms, const plan::TimeZone& zone);

}  // namespace stipple::studio
