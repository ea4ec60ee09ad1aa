// stipple/studio/diary.h: the diary's times on the wire (diary.cpp has the handlers).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <chrono>
#include <expected>

#include "stipple/plan/time_zone.h"
#include "stipple/store/database.h"
#include "stipple/studio/http.h"

namespace stipple::studio {

// Patch tests (brief section 11 "Patch test": most often 24-48 h before the
// first session; repeat after 12 months or any change in health or pigment):
// read from 24 to 48 hours after placing, and a passed one lets sessions be
// booked after its reading for 365 days from its placing.
inline constexpr store::TimeMs kPatchTestReadFromMs = 24 * 3'600'000LL, kPatchTestReadUntilMs = 48 * 3'600'000LL;
inline constexpr store::TimeMs kPatchTestValidMs = 365 * 86'400'000LL;

// The booking rules (studio/diary.cpp), each a 422 naming itself (`gate`)
// that an owner or practitioner may override with a reason
// (override_gates, override_reason), in the order they are checked.
inline constexpr std::string_view kGates[] = {"opening_hours", "credentials", "assessment", "consent", "patch_test", "spacing"};
// "opening_hours, credentials, assessment, consent, patch_test or spacing".
// The two the law and the client hold are never booked against: a
// practitioner's licence, training and the clinic's permit (credentials), and
// the client's signed consent (consent).
inline constexpr bool hard_gate(std::string_view gate) { return gate == "credentials" || gate == "consent"; }
std::string gate_list();

// A booking or move may start at most this long before now.
inline constexpr store::TimeMs kPastGraceMs = 15 * 60'000LL;

// A credential's kind in words: "body-art licence", "bloodborne-pathogens
// training", "health permit".
std::string credential_words(std::string_view kind);

// The clinic's time zone, from its settings in force; a 500 problem when they
// cannot be read.
std::expected<plan::TimeZone, Reply> clinic_time_zone(store::Database& db);

// The day on the clinic's wall clock at instant `at` (ms since the epoch).
inline std::chrono::sys_days clinic_day(const plan::TimeZone& zone, store::TimeMs at) {
  return zone.local_day(std::chrono::sys_seconds{std::chrono::seconds{at / 1000}});
}

// The diary's times on the wire are plan/time_zone.h's: parse_rfc3339 reads
// one with any offset, local_rfc3339 writes one on the clinic's clock.
using plan::local_rfc3339;
using plan::parse_rfc3339;

}  // namespace stipple::studio
