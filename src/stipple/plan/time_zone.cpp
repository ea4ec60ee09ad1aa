#include "stipple/plan/time_zone.h"

#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>
#include <exception>

namespace stipple::plan {

namespace {

using std::chrono::seconds;

std::string local_text(date::local_seconds t) {
  const auto day = date::floor<date::days>(t);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<seconds> hms{t - day};
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()), hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

std::string utc_text(date::sys_seconds t) { return local_text(date::local_seconds{t.time_since_epoch()}) + "Z"; }

// RFC 5545 section 3.3.14: "+0100", "-0500", seconds only when there are some.
std::string offset_text(seconds off) {
  const long long s = std::abs(off.count());
  std::string out = fmt::format("{}{:02}{:02}", off.count() < 0 ? '-' : '+', s / 3600, s / 60 % 60);
  if (s % 60 != 0) out += fmt::format("{:02}", s % 60);
  return out;
}

// One change of the zone's offset or name: when (UTC), its local time before
// the change (an observance's DTSTART is in the offset it ends, section 3.6.5),
// and what it changes to.
struct Change {
  date::sys_seconds at;
  date::local_seconds onset;
  seconds from, to;
  bool daylight = false;
  std::string name;
};

// The yearly rules a change's day fits: the n-th weekday of its month, and
// the last one when it is within the month's final seven days.
struct DayRule {
  unsigned month = 0, weekday = 0, nth = 0;
  bool last = false;
  seconds time_of_day{};
  int year = 0;
};

DayRule day_rule(date::local_seconds onset) {
  const auto day = date::floor<date::days>(onset);
  const date::year_month_day ymd{day};
  DayRule r;
  r.year = static_cast<int>(ymd.year());
  r.month = static_cast<unsigned>(ymd.month());
  r.weekday = date::weekday{day}.c_encoding();
  r.nth = (static_cast<unsigned>(ymd.day()) - 1) / 7 + 1;
  r.last = static_cast<unsigned>(ymd.day()) + 7 > static_cast<unsigned>(date::year_month_day_last{ymd.year(), date::month_day_last{ymd.month()}}.day());
  r.time_of_day = onset - day;
  return r;
}

constexpr const char* kByDay[7] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};

}  // namespace

std::optional<TimeZone> TimeZone::locate(std::string_view name) {
  if (name.empty() || name.size() > 64) return std::nullopt;
  // Files beside the zones in /usr/share/zoneinfo that are no IANA name: the
  // machine's own zone and the POSIX default rules.
  if (name == "localtime" || name == "posixrules") return std::nullopt;
  try {
    const date::time_zone* z = date::locate_zone(name);
    return TimeZone(z, std::string(name));
  } catch (const std::exception&) {
    return std::nullopt;  // no such zone, or no tz database
  }
}

std::chrono::sys_seconds TimeZone::instant(std::chrono::sys_days day, int minutes) const {
  const date::local_seconds local{day.time_since_epoch() + std::chrono::minutes{minutes}};
  // unique, ambiguous (first = the earlier occurrence) and nonexistent (first =
  // the offset before the gap) all read with `first`.
  const date::local_info info = zone_->get_info(local);
  return std::chrono::sys_seconds{local.time_since_epoch() - info.first.offset};
}

std::chrono::sys_days TimeZone::local_day(std::chrono::sys_seconds t) const {
  const date::sys_info info = zone_->get_info(t);
  return std::chrono::floor<std::chrono::days>(t + info.offset);
}

std::chrono::seconds TimeZone::offset(std::chrono::sys_seconds t) const { return zone_->get_info(t).offset; }

std::vector<std::string> TimeZone::vtimezone(std::chrono::sys_days from, std::chrono::sys_days to) const {
  const int first_year = static_cast<int>(std::chrono::year_month_day{from}.year());
  const int last_year = static_cast<int>(std::chrono::year_month_day{to}.year());
  // A day of margin either side covers every offset (UTC-12..+14).
  const date::sys_seconds begin{date::sys_days{date::year{first_year} / 1 / 1}.time_since_epoch() - date::days{1}};
  const date::sys_seconds end{date::sys_days{date::year{last_year + 1} / 1 / 1}.time_since_epoch() + date::days{1}};

  date::sys_info info = zone_->get_info(begin);
  const date::sys_info initial = info;
  std::vector<Change> changes;
  while (info.end < end) {
    const date::sys_info next = zone_->get_info(info.end);
    if (next.offset != info.offset || next.abbrev != info.abbrev || (next.save != next.save.zero()) != (info.save != info.save.zero()))
      changes.push_back({info.end, date::local_seconds{info.end.time_since_epoch() + info.offset}, info.offset, next.offset,
                         next.save != next.save.zero(), next.abbrev});
    info = next;
  }

  std::vector<std::string> out{"BEGIN:VTIMEZONE", "TZID:" + name_};
  const auto observance = [&](bool daylight, date::local_seconds onset, seconds off_from, seconds off_to, const std::string& tzname,
                              const std::string& rule) {
    const char* kind = daylight ? "DAYLIGHT" : "STANDARD";
    out.push_back(fmt::format("BEGIN:{}", kind));
    out.push_back("DTSTART:" + local_text(onset));
    out.push_back("TZOFFSETFROM:" + offset_text(off_from));
    out.push_back("TZOFFSETTO:" + offset_text(off_to));
    if (!rule.empty()) out.push_back("RRULE:" + rule);
    if (!tzname.empty()) out.push_back("TZNAME:" + tzname);
    out.push_back(fmt::format("END:{}", kind));
  };
  if (changes.empty()) {
    // A zone that keeps one offset all along: one observance from the start.
    const date::local_seconds onset{date::sys_days{date::year{first_year} / 1 / 1}.time_since_epoch()};
    observance(initial.save != initial.save.zero(), onset, initial.offset, initial.offset, initial.abbrev, "");
  }
  // Changes of one kind (same offsets, name and daylight flag) in runs of
  // consecutive years that share month, weekday, week and time of day.
  std::vector<bool> done(changes.size(), false);
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (done[i]) continue;
    const Change& c = changes[i];
    std::vector<std::size_t> run{i};
    DayRule rule = day_rule(c.onset);
    bool nth_ok = true, last_ok = rule.last;
    for (std::size_t k = i + 1; k < changes.size(); ++k) {
      const Change& n = changes[k];
      if (done[k] || n.daylight != c.daylight || n.from != c.from || n.to != c.to || n.name != c.name) continue;
      const DayRule r = day_rule(n.onset);
      const DayRule& prev = rule;
      if (r.year != day_rule(changes[run.back()].onset).year + 1 || r.month != prev.month || r.weekday != prev.weekday ||
          r.time_of_day != prev.time_of_day)
        break;
      const bool nth = nth_ok && r.nth == prev.nth, last = last_ok && r.last;
      if (!nth && !last) break;
      nth_ok = nth, last_ok = last;
      run.push_back(k);
    }
    for (const std::size_t k : run) done[k] = true;
    std::string rrule;
    if (run.size() > 1) {
      rrule = fmt::format("FREQ=YEARLY;BYMONTH={};BYDAY={}{}", rule.month, last_ok ? -1 : static_cast<int>(rule.nth), kByDay[rule.weekday]);
      // The zone's current rule stays open; a rule the zone later left ends.
      const bool current = day_rule(changes[run.back()].onset).year >= last_year &&
                           std::none_of(changes.begin() + static_cast<std::ptrdiff_t>(run.back()) + 1, changes.end(),
                                        [&](const Change& n) { return n.daylight == c.daylight; });
      if (!current) rrule += ";UNTIL=" + utc_text(changes[run.back()].at);
    }
    observance(c.daylight, c.onset, c.from, c.to, c.name, rrule);
  }
  out.push_back("END:VTIMEZONE");
  return out;
}

}  // namespace stipple::plan
