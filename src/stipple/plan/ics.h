// stipple/plan/ics.h: the plan as an iCalendar file a client takes home
// (`stipple plan --ics`), RFC 5545.
//
// Every appointment is a timed event at the clinic (location, what to bring,
// the pre-care for it) with an alarm for each pre-care day: the morning three
// days before for the three-day items, the morning of the session for shaving
// and the shower. Aftercare is an event per span of days (from the session's
// end when it starts on the session's day), the patch test and the touch-up
// all-day events; each has a reminder, and no reminder fires after its event
// has started. Times carry the clinic's IANA time zone (TZID) with a VTIMEZONE
// from the tz database (RFC 5545 sections 3.2.19, 3.6.5); reminders are exact
// durations computed in that zone, so one set for 08:00 rings at 08:00 across
// a daylight-saving change. A plan sent again updates the same events: the
// UIDs name the client and the appointment, never a date; DTSTAMP is the time
// of issue and SEQUENCE grows with it (RFC 5546 section 2.1.4). docs/plan.md
// gives every rule.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "stipple/plan/plan.h"

namespace stipple::plan {

// Who the calendar is for, and when it is issued.
struct CalendarOwner {
  std::string client;      // the client's name, may be empty; part of every UID
  std::uint64_t seed = 1;  // the design's seed; part of every UID
  // The time of issue (UTC): DTSTAMP, and SEQUENCE as whole minutes since
  // 2000-01-01T00:00Z, so a plan issued later updates the events of an
  // earlier one. Years 2000-2199.
  std::chrono::sys_seconds issued = std::chrono::sys_days{std::chrono::year{2000} / 1 / 1};
};

// The whole calendar, CRLF line endings, lines folded at 75 octets. Times
// are in `clinic.time_zone`; when the tz database has no such zone (a clinic
// built in code; parse_clinic refuses one) they are written as UTC.
std::string plan_to_ics(const Plan& p, const Clinic& clinic, const CalendarOwner& owner);

// A time of issue: "YYYY-MM-DDTHH:MM:SSZ" (RFC 3339, UTC) or "YYYY-MM-DD"
// (midnight UTC), years 2000-2199.
std::optional<std::chrono::sys_seconds> parse_issued(std::string_view text);
// SEQUENCE of a calendar issued at `issued` (RFC 5545 section 3.8.7.4).
std::int64_t calendar_sequence(std::chrono::sys_seconds issued);

// RFC 5545 pieces, exposed for tests.
// TEXT value escaping (section 3.3.11): backslash, semicolon, comma, newline.
std::string ics_escape(std::string_view text);
// One content line folded at 75 octets (section 3.1) with CRLF, never inside a
// UTF-8 sequence.
std::string ics_fold(std::string_view line);

}  // namespace stipple::plan
