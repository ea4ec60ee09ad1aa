// stipple/plan/ics.h: the plan as an iCalendar file a client takes home
// (`stipple plan --ics`), RFC 5545.
//
// Every appointment is a timed event at the clinic (location, what to bring,
// the pre-care for it) with an alarm for each pre-care day: 72 hours before for
// the three-day items, the morning of the session for shaving and the shower.
// The patch test, the aftercare milestones and the touch-up are all-day events
// with a reminder. Times are floating local times (the clinic's wall clock,
// RFC 5545 section 3.3.5 form 1): a client's calendar shows them as booked
// wherever it is set. The output is deterministic: DTSTAMP is the plan's start
// day and each UID is derived from the design's seed, the client and the event.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "stipple/plan/plan.h"

namespace stipple::plan {

// Who the calendar is for, to keep UIDs apart between clients of one clinic.
struct CalendarOwner {
  std::string client;  // may be empty
  std::uint64_t seed = 1;
};

// The whole calendar, CRLF line endings, lines folded at 75 octets.
std::string plan_to_ics(const Plan& p, const Clinic& clinic, const CalendarOwner& owner);

// RFC 5545 pieces, exposed for tests.
// TEXT value escaping (section 3.3.11): backslash, semicolon, comma, newline.
std::string ics_escape(std::string_view text);
// One content line folded at 75 octets (section 3.1) with CRLF, never inside a
// UTF-8 sequence.
std::string ics_fold(std::string_view line);

}  // namespace stipple::plan
