// stipple/plan/time_zone.h: the clinic's IANA time zone (the clinic file's
// `time_zone`, e.g. "Europe/London"), read from the system's tz database
// (/usr/share/zoneinfo, Debian's tzdata) through Howard Hinnant's date/tz.
//
// It turns the clinic's wall-clock times into instants and writes the zone as
// an iCalendar VTIMEZONE (RFC 5545 section 3.6.5) covering the years a
// calendar needs, so that every calendar program places the appointments at
// the clinic's local time, daylight-saving changes included.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace date {
class time_zone;
}

namespace stipple::plan {

class TimeZone {
 public:
  // The zone of that IANA name ("Europe/London", "America/New_York", "UTC"),
  // or nothing when the tz database has no such zone (or is not installed).
  static std::optional<TimeZone> locate(std::string_view name);

  const std::string& name() const { return name_; }

  // The instant of a wall-clock time on `day`, `minutes` after local midnight
  // (may be 1440 or more: the next day). RFC 5545 section 3.3.5: a time that
  // occurs twice (the hour repeated when clocks go back) is its first
  // occurrence; a time that does not exist (the hour skipped when clocks go
  // forward) is read with the offset in force before the gap.
  std::chrono::sys_seconds instant(std::chrono::sys_days day, int minutes) const;

  // The day on the clinic's wall clock at instant `t` ("today" for the clinic).
  std::chrono::sys_days local_day(std::chrono::sys_seconds t) const;

  // The zone's offset from UTC at instant `t` (local = UTC + offset), daylight
  // saving included: +01:00 in London in July, -05:00 in New York in January.
  std::chrono::seconds offset(std::chrono::sys_seconds t) const;

  // The VTIMEZONE component's content lines, unfolded and without line ends
  // (BEGIN:VTIMEZONE .. END:VTIMEZONE), valid for every local time from
  // January 1 of `from`'s year to December 31 of `to`'s year: one STANDARD or
  // DAYLIGHT observance per kind of change, with a yearly RRULE where the
  // changes follow one (the last run left open, as the zone's current rule),
  // else RDATEs; a zone without changes in those years gets one STANDARD
  // observance with its offset.
  std::vector<std::string> vtimezone(std::chrono::sys_days from, std::chrono::sys_days to) const;

 private:
  TimeZone(const date::time_zone* zone, std::string name) : zone_(zone), name_(std::move(name)) {}
  const date::time_zone* zone_;
  std::string name_;
};

// An RFC 3339 date-time (section 5.6) with its offset or Z,
// "2027-03-29T10:00:00+01:00" or "2027-03-29T09:00:00.5Z", as milliseconds since
// the epoch; nothing for anything else (no offset, a day or time that does not
// exist, a leap second, trailing text, a year outside 1900-2199).
std::optional<long long> parse_rfc3339(std::string_view text);

// An instant (milliseconds since the epoch) on the wall clock of `zone`, to the
// second, with the zone's offset then: "2027-03-29T10:00:00+01:00".
std::string local_rfc3339(long long ms, const TimeZone& zone);

}  // namespace stipple::plan
