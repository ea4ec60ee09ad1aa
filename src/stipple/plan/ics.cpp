#include "stipple/plan/ics.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <tuple>
#include <vector>

#include "stipple/core/rng.h"
#include "stipple/plan/time_zone.h"

namespace stipple::plan {

using namespace std::chrono;

std::string ics_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\n': out += "\\n"; break;
      case '\r': break;
      default: out += c;
    }
  }
  return out;
}

std::string ics_fold(std::string_view line) {
  constexpr std::size_t kOctets = 75;
  std::string out;
  std::size_t room = kOctets;  // octets left on the current line
  std::size_t i = 0;
  while (i < line.size()) {
    // The whole UTF-8 sequence starting at i.
    std::size_t n = 1;
    while (i + n < line.size() && (static_cast<unsigned char>(line[i + n]) & 0xC0) == 0x80) ++n;
    if (n > room) {
      out += "\r\n ";
      room = kOctets - 1;  // the leading space counts
    }
    out.append(line.substr(i, n));
    room -= n;
    i += n;
  }
  out += "\r\n";
  return out;
}

namespace {

std::string ics_date(Day d) {
  const year_month_day ymd{d};
  return fmt::format("{:04}{:02}{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

std::string ics_local_time(Day d, int minutes) {
  const Day day = d + days{minutes / (24 * 60)};
  minutes %= 24 * 60;
  return fmt::format("{}T{:02}{:02}00", ics_date(day), minutes / 60, minutes % 60);
}

std::string ics_utc_time(sys_seconds t) {
  const Day d = floor<days>(t);
  const hh_mm_ss<seconds> hms{t - d};
  return fmt::format("{}T{:02}{:02}{:02}Z", ics_date(d), hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

// A duration (section 3.3.6) of `minutes`, negative for "before"; in exact
// hours and minutes (nominal days would stretch over a daylight-saving change).
std::string ics_duration(int minutes) {
  std::string s = minutes < 0 ? "-PT" : "PT";
  const int m = std::abs(minutes);
  if (m >= 60) s += fmt::format("{}H", m / 60);
  if (m % 60 != 0 || m < 60) s += fmt::format("{}M", m % 60);
  return s;
}

// FNV-1a of a text, so that a client's name takes part in the UIDs.
std::uint64_t text_hash(std::string_view s) {
  std::uint64_t h = 0xCBF29CE484222325ull;
  for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ull;
  return h;
}

// A reminder at a wall-clock time of the clinic's zone.
struct Alarm {
  Day day{};
  int minutes = 0;  // after that day's local midnight
  std::string text;
};

// One event. Timed events run from (date, start_min) to (end_date, end_min)
// in the clinic's zone; all-day events (start_min < 0) cover date..last.
struct Event {
  Day date{};
  int start_min = -1;
  Day end_date{};
  int end_min = 0;
  Day last{};
  bool busy = false;  // a visit that takes the client's time (TRANSP:OPAQUE); notes and spans are TRANSPARENT
  std::string key;    // the appointment identity, unique in the calendar, no date in it
  std::string summary, location, description;
  std::vector<Alarm> alarms;
};

Event timed_event(std::string key, Day date, int start_min, Day end_date, int end_min) {
  Event e;
  e.key = std::move(key);
  e.date = date, e.start_min = start_min, e.end_date = end_date, e.end_min = end_min;
  return e;
}

Event all_day_event(std::string key, Day first, Day last) {
  Event e;
  e.key = std::move(key);
  e.date = first, e.last = last;
  return e;
}

// The session's appointment label: "session 2 of 3", "session 2 of 3 (part 1 of 2)".
std::string appointment_label(const Appointment& a, int sessions) {
  if (a.extra) return a.parts > 1 ? fmt::format("extra session (part {} of {})", a.part, a.parts) : "extra session";
  if (a.parts > 1) return fmt::format("session {} of {} (part {} of {})", a.session, sessions, a.part, a.parts);
  return fmt::format("session {} of {}", a.session, sessions);
}

// The identity of an appointment: its session and part, which a re-plan with
// other dates keeps.
std::string appointment_key(const Appointment& a) { return fmt::format("session-{}-part-{}", a.session, a.part); }

// Reminder times (the clinic's wall clock): pre-care days before a visit in
// the morning (never later than the visit's own start time, so a three-day
// item rings at least 72 hours ahead); the visit's own day at 07:00, or an
// hour before an earlier start; an all-day event the evening before.
constexpr int kPrecareMorningMin = 8 * 60;
constexpr int kDayOfMorningMin = 7 * 60;
constexpr int kEveningBeforeMin = 18 * 60;
constexpr int kTouchUpBookingDays = 14;

struct Context {
  const Plan& p;
  const Clinic& clinic;
  int sessions = 0;
  std::string where, contact;
};

// An appointment at the clinic, with its pre-care as the description and as alarms.
Event session_event(const Context& ctx, const Appointment& a) {
  const Clinic& clinic = ctx.clinic;
  Event e = timed_event(appointment_key(a), a.date, a.start_min, a.date, a.start_min + a.duration_min);
  e.busy = true;
  e.summary = fmt::format("Scalp micropigmentation, {}", appointment_label(a, ctx.sessions));
  e.location = ctx.where;
  e.description = fmt::format("{} at {}, about {} including preparation and numbing.", clinic.name, format_clock(a.start_min),
                              duration_words(a.duration_min));
  if (!clinic.bring.empty()) e.description += "\n\nWhat to bring: " + clinic.bring;
  if (ctx.p.override_reason && a.number == 1)  // the booking gate was overridden (assess/gate.h)
    e.description += "\n\nPlanned against the consultation assessment's advice. The practitioner's reason: " + *ctx.p.override_reason;
  // Pre-care of this appointment by the day it is due (the patch test is its own event).
  std::map<int, std::vector<std::string>> due;  // days before -> texts
  for (const DatedCare& c : ctx.p.precare) {
    if (c.appointment != a.number || c.patch_test) continue;
    due[static_cast<int>((a.date - c.date).count())].push_back(c.text);
  }
  if (!due.empty()) e.description += "\n\nBefore this session:";
  for (auto it = due.rbegin(); it != due.rend(); ++it) {
    const int before = it->first;
    std::string texts;
    for (const std::string& t : it->second) texts += (texts.empty() ? "" : "\n") + t;
    e.description += fmt::format("\n- {}: {}", before == 0 ? std::string("On the day")
                                                             : fmt::format("From {} ({} days before)", format_date(a.date - days{before}), before),
                                 texts);
    if (before > 0) e.alarms.push_back({a.date - days{before}, std::min(kPrecareMorningMin, a.start_min), texts});
    else e.alarms.push_back({a.date, a.start_min - kDayOfMorningMin >= 60 ? kDayOfMorningMin : std::max(0, a.start_min - 60), texts});
  }
  if (!ctx.contact.empty()) e.description += "\n\nTo move the session: " + ctx.contact;
  return e;
}

// The patch test: a short timed visit (the plan's patch_test_visit), else the day the plan keeps for it.
Event patch_test_event(const Context& ctx, Day day) {
  const std::optional<PatchTestVisit>& visit = ctx.p.patch_test_visit;
  Event e = visit ? timed_event("patch-test", day, visit->start_min, day, visit->start_min + visit->duration_min)
                  : all_day_event("patch-test", day, day);
  e.busy = visit.has_value();
  e.summary = fmt::format("Patch test at {}", ctx.clinic.name);
  e.location = ctx.where;
  for (const DatedCare& c : ctx.p.precare)
    if (c.patch_test) e.description += (e.description.empty() ? "" : "\n") + c.text;
  if (!ctx.contact.empty())
    e.description += visit ? fmt::format("{}To move it: {}.", e.description.empty() ? "" : "\n\n", ctx.contact)
                           : fmt::format("{}A short visit: call {} to choose the time.", e.description.empty() ? "" : "\n\n", ctx.contact);
  // The evening before; when that is before the plan was made (a patch test on
  // the first day), an hour before it instead.
  if (day - days{1} >= ctx.p.start || !visit)
    e.alarms.push_back({day - days{1}, kEveningBeforeMin, fmt::format("Tomorrow: {}.\n\n{}", e.summary, e.description)});
  else
    e.alarms.push_back({day, std::max(0, visit->start_min - 60), fmt::format("In an hour: {}.\n\n{}", e.summary, e.description)});
  return e;
}

// The aftercare texts' spans after one appointment (`final`: the last one).
// A span that starts on the session's own day runs from the session's end;
// the others are all-day events over their days (DTEND the day after the last).
void aftercare_events(const Context& ctx, std::size_t i, std::vector<Event>& events) {
  const Plan& p = ctx.p;
  const Appointment& a = p.appointments[i];
  const bool final = i + 1 == p.appointments.size();
  const int session_end = a.start_min + a.duration_min;
  for (std::size_t k = 0; k < p.aftercare.size(); ++k) {
    const AftercareText& c = p.aftercare[k];
    if (c.after_final && !final) continue;
    const Day first = a.date + days{c.from};
    Day last = c.to ? a.date + days{*c.to} : first;
    // "Until the next session": after the final session there is none, and
    // the text holds from its first day on (one event on that day).
    if (c.until_next && !final) last = p.appointments[i + 1].date - days{1};
    if (last < first) continue;  // the next visit comes first
    const std::string key = c.after_final ? fmt::format("aftercare-final-{}", k + 1) : fmt::format("aftercare-{}-{}", appointment_key(a), k + 1);
    Event e = c.from == 0 ? timed_event(key, a.date, session_end, last + days{1}, 0) : all_day_event(key, first, last);
    const std::string after = fmt::format("session {}{}", a.session, a.parts > 1 ? fmt::format(" part {}", a.part) : "");
    if (c.after_final) e.summary = "Aftercare after your final session";
    else if (c.until_next && final) e.summary = fmt::format("Aftercare from day {} after your final session, from then on", c.from);
    else if (c.until_next) e.summary = fmt::format("Aftercare from day {} after {} until the next", c.from, after);
    else if (last == first) e.summary = c.from == 0 ? fmt::format("Aftercare on the day of {}", after) : fmt::format("Aftercare, day {} after {}", c.from, after);
    else e.summary = fmt::format("Aftercare, days {}-{} after {}", c.from, *c.to, after);
    e.description = c.text;
    if (c.from == 0) {
      e.alarms.push_back({a.date, session_end, c.text});  // as the session ends
    } else {
      // The evening before the first day, once the session of that day is over.
      const Day eve = first - days{1};
      e.alarms.push_back({eve, eve == a.date ? std::max(kEveningBeforeMin, session_end) : kEveningBeforeMin,
                          fmt::format("From tomorrow: {}.\n\n{}", e.summary, c.text)});
    }
    events.push_back(std::move(e));
  }
}

// The touch-up reminder, with an alarm two weeks ahead to book it.
Event touch_up_event(const Context& ctx) {
  const Plan& p = ctx.p;
  Event e = all_day_event("touch-up", p.touch_up.date, p.touch_up.date);
  e.summary = fmt::format("Scalp micropigmentation touch-up due ({})", ctx.clinic.name);
  e.location = ctx.where;
  e.description = fmt::format(
      "Around now your dots will have faded to about two thirds of their first contrast: {} after your final session "
      "(with your skin and sun exposure). A touch-up session brings them back.",
      touch_up_words(p.touch_up));
  if (p.touch_up.price > 0)
    e.description += fmt::format(" Today's price: {} {}.", format_amount_grouped(p.touch_up.price, p.quote.decimals), p.quote.currency);
  if (!ctx.contact.empty()) e.description += " To book: " + ctx.contact + ".";
  e.alarms.push_back({p.touch_up.date - days{kTouchUpBookingDays}, kEveningBeforeMin,
                      fmt::format("Book your touch-up, due in two weeks: {}.\n\n{}", e.summary, e.description)});
  return e;
}

// A CN parameter value (section 3.2.2): quoted, without the characters a
// quoted-string cannot hold.
std::string param_text(std::string_view text) {
  std::string out = "\"";
  for (const char c : text)
    if (c != '"' && (static_cast<unsigned char>(c) >= 0x20 || c == '\t')) out += c;
  return out + "\"";
}

}  // namespace

std::optional<sys_seconds> parse_issued(std::string_view t) {
  const auto d = parse_date(t.substr(0, 10));
  if (!d) return std::nullopt;
  if (t.size() == 10) return sys_seconds{*d};
  if (t.size() != 20 || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[19] != 'Z') return std::nullopt;
  int v[3] = {0, 0, 0};
  for (int k = 0; k < 3; ++k) {
    const char a = t[11 + 3 * k], b = t[12 + 3 * k];
    if (a < '0' || a > '9' || b < '0' || b > '9') return std::nullopt;
    v[k] = (a - '0') * 10 + (b - '0');
  }
  if (v[0] > 23 || v[1] > 59 || v[2] > 59) return std::nullopt;
  return sys_seconds{*d} + hours{v[0]} + minutes{v[1]} + seconds{v[2]};
}

std::int64_t calendar_sequence(sys_seconds issued) {
  const sys_seconds epoch{sys_days{year{2000} / 1 / 1}};
  return std::max<std::int64_t>(0, duration_cast<minutes>(issued - epoch).count());
}

std::string plan_to_ics(const Plan& p, const Clinic& clinic, const CalendarOwner& owner) {
  Context ctx{p, clinic, 0, {}, {}};
  for (const Appointment& a : p.appointments)
    if (!a.extra) ctx.sessions = std::max(ctx.sessions, a.session);
  ctx.where = clinic.address.empty() ? clinic.name : fmt::format("{}, {}", clinic.name, clinic.address);
  ctx.contact = clinic.phone;
  if (!clinic.email.empty()) ctx.contact += (ctx.contact.empty() ? "" : ", ") + clinic.email;

  std::vector<Event> events;
  for (const Appointment& a : p.appointments) events.push_back(session_event(ctx, a));
  if (p.patch_test) events.push_back(patch_test_event(ctx, *p.patch_test));
  for (std::size_t i = 0; i < p.appointments.size(); ++i) aftercare_events(ctx, i, events);
  if (!p.appointments.empty()) events.push_back(touch_up_event(ctx));
  std::stable_sort(events.begin(), events.end(), [](const Event& x, const Event& y) {
    // By day; a day's timed events, in time order, before its all-day notes.
    return std::tuple{x.date, x.start_min < 0, x.start_min} < std::tuple{y.date, y.start_min < 0, y.start_min};
  });

  // The clinic's zone; UTC when the tz database does not know it.
  const std::optional<TimeZone> zone = TimeZone::locate(clinic.time_zone);
  const auto instant = [&](Day d, int min) { return zone ? zone->instant(d, min) : sys_seconds{d} + minutes{min}; };
  const auto date_time = [&](Day d, int min) {
    return zone ? fmt::format(";TZID={}:{}", zone->name(), ics_local_time(d, min)) : ":" + ics_utc_time(instant(d, min));
  };

  const std::string stamp = ics_utc_time(owner.issued);
  const std::int64_t sequence = calendar_sequence(owner.issued);
  const std::uint64_t id = hash64({owner.seed, text_hash(owner.client), text_hash(clinic.name)});
  std::string out;
  const auto line = [&](std::string_view name, std::string_view value) { out += ics_fold(fmt::format("{}:{}", name, value)); };
  line("BEGIN", "VCALENDAR");
  line("VERSION", "2.0");
  line("PRODID", "-//Stipple//Stipple SMP treatment plan//EN");
  line("CALSCALE", "GREGORIAN");
  line("METHOD", "PUBLISH");
  line("X-WR-CALNAME", ics_escape(fmt::format("Scalp micropigmentation at {}", clinic.name)));
  if (zone && !events.empty()) {
    // Every local time of the calendar, and a year before the first for the
    // observance in force then.
    Day first = events.front().date, last = first;
    for (const Event& e : events) last = std::max({last, e.date, e.start_min >= 0 ? e.end_date : e.last});
    for (const std::string& l : zone->vtimezone(first - days{366}, last)) out += ics_fold(l);
  }
  for (const Event& e : events) {
    line("BEGIN", "VEVENT");
    line("UID", fmt::format("{}-{:016x}@stipple", e.key, id));
    line("DTSTAMP", stamp);
    line("SEQUENCE", std::to_string(sequence));
    if (!clinic.email.empty()) out += ics_fold(fmt::format("ORGANIZER;CN={}:mailto:{}", param_text(clinic.name), clinic.email));
    sys_seconds start{};
    if (e.start_min >= 0) {
      out += ics_fold("DTSTART" + date_time(e.date, e.start_min));
      out += ics_fold("DTEND" + date_time(e.end_date, e.end_min));
      start = instant(e.date, e.start_min);
    } else {
      line("DTSTART;VALUE=DATE", ics_date(e.date));
      line("DTEND;VALUE=DATE", ics_date(e.last + days{1}));  // exclusive
      start = instant(e.date, 0);
    }
    if (!e.busy) line("TRANSP", "TRANSPARENT");  // section 3.8.2.7: not busy time
    line("SUMMARY", ics_escape(e.summary));
    if (!e.location.empty()) line("LOCATION", ics_escape(e.location));
    if (!e.description.empty()) line("DESCRIPTION", ics_escape(e.description));
    for (const Alarm& a : e.alarms) {
      // Exact time before the start, measured in the clinic's zone; never after it.
      const auto before = duration_cast<minutes>(instant(a.day, a.minutes) - start).count();
      line("BEGIN", "VALARM");
      line("ACTION", "DISPLAY");
      line("TRIGGER", ics_duration(static_cast<int>(std::min<std::int64_t>(before, 0))));
      line("DESCRIPTION", ics_escape(a.text));
      line("END", "VALARM");
    }
    line("END", "VEVENT");
  }
  line("END", "VCALENDAR");
  return out;
}

}  // namespace stipple::plan
