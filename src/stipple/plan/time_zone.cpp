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

namespace {

// Digits at s[at, at + n) as a number, or -1.
int digits(std::string_view s, std::size_t at, std::size_t n) {
  if (at + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}


// The years a time may name: a clinic's records, not the calendar's extremes.
constexpr int kFirstYear = 1900, kLastYear = 2199;

std::string format_day(std::chrono::sys_days d) {
  const std::chrono::year_month_day ymd{d};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

}  // namespace

// RFC 3339 date-time (section 5.6): YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM),
// as milliseconds since the epoch; nothing for anything else (no offset, a
// day that does not exist, a leap second).
std::optional<long long> parse_rfc3339(std::string_view s) {
  const int y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2), h = digits(s, 11, 2), mi = digits(s, 14, 2),
            sec = digits(s, 17, 2);
  if (y < kFirstYear || y > kLastYear || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
      s[13] != ':' || s[16] != ':' || h > 23 || mi > 59 || sec > 59)
    return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  std::size_t at = 19;
  long long ms = 0;
  if (at < s.size() && s[at] == '.') {
    std::size_t n = 0;
    long long scale = 100;
    for (++at; at < s.size() && s[at] >= '0' && s[at] <= '9'; ++at, ++n) {
      ms += (s[at] - '0') * scale;
      scale /= 10;
    }
    if (n == 0) return std::nullopt;
  }
  if (at >= s.size()) return std::nullopt;  // no offset: a local time of nowhere
  int offset_min = 0;
  if (s[at] == 'Z' || s[at] == 'z') {
    ++at;
  } else if (s[at] == '+' || s[at] == '-') {
    const int oh = digits(s, at + 1, 2), om = digits(s, at + 4, 2);
    if (oh < 0 || om < 0 || at + 3 >= s.size() || s[at + 3] != ':' || oh > 23 || om > 59) return std::nullopt;
    offset_min = (s[at] == '-' ? -1 : 1) * (oh * 60 + om);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != s.size()) return std::nullopt;
  const long long days = std::chrono::sys_days{ymd}.time_since_epoch().count();
  return ((days * 24 + h) * 60 + mi - offset_min) * 60'000LL + sec * 1000LL + ms;
}

// An instant as RFC 3339 on the wall clock of `zone`, to the second:
// "2027-03-29T10:00:00+01:00" ("Z" never: the offset always shows).
std::string local_rfc3339(long long ms, const TimeZone& zone) {
  const std::chrono::sys_seconds t{std::chrono::seconds{ms / 1000 - (ms % 1000 < 0 ? 1 : 0)}};
  // RFC 3339 offsets are whole minutes; a zone's old local mean time may have
  // seconds (Amsterdam +00:19:32 until 1937): the time is written with the
  // offset rounded to the minute, so the text names the instant exactly.
  const auto offset = std::chrono::round<std::chrono::minutes>(zone.offset(t));
  const auto local = t + offset;
  const std::chrono::sys_days day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::hh_mm_ss hms{local - day};
  const long long off_min = offset.count();
  return fmt::format("{}T{:02}:{:02}:{:02}{}{:02}:{:02}", format_day(day), hms.hours().count(), hms.minutes().count(),
                     hms.seconds().count(), off_min < 0 ? '-' : '+', std::abs(off_min) / 60, std::abs(off_min) % 60);
}

}  // namespace stipple::plan
