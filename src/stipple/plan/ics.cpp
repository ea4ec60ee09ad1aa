#include "stipple/plan/ics.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <vector>

#include "stipple/core/rng.h"

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

std::string ics_local_time(Day d, int minutes) { return fmt::format("{}T{:02}{:02}00", ics_date(d), minutes / 60, minutes % 60); }

// A duration (section 3.3.6) of `minutes`, negative for "before"; in exact
// hours and minutes (nominal days would stretch over a daylight-saving change).
std::string ics_duration(int minutes) {
  std::string s = minutes < 0 ? "-PT" : "PT";
  const int m = std::abs(minutes);
  if (m >= 60) s += fmt::format("{}H", m / 60);
  if (m % 60 != 0 || m < 60) s += fmt::format("{}M", m % 60);
  return s;
}

std::string hours_and_minutes(int minutes) {
  if (minutes < 60) return fmt::format("{} min", minutes);
  return minutes % 60 == 0 ? fmt::format("{} h", minutes / 60) : fmt::format("{} h {:02} min", minutes / 60, minutes % 60);
}

// FNV-1a of a text, so that a client's name takes part in the UIDs.
std::uint64_t text_hash(std::string_view s) {
  std::uint64_t h = 0xCBF29CE484222325ull;
  for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ull;
  return h;
}

struct Alarm {
  std::string trigger, text;
};

struct Event {
  Day date{};
  int start_min = -1;  // -1: all day
  int end_min = 0;     // timed events
  Day last{};          // all-day events: the last day they cover
  std::string key, summary, location, description;
  std::vector<Alarm> alarms;
};

// The session's appointment label: "session 2 of 3", "session 2 (part 1 of 2)".
std::string appointment_label(const Appointment& a, int sessions) {
  if (a.extra) return a.parts > 1 ? fmt::format("extra session (part {} of {})", a.part, a.parts) : "extra session";
  if (a.parts > 1) return fmt::format("session {} of {} (part {} of {})", a.session, sessions, a.part, a.parts);
  return fmt::format("session {} of {}", a.session, sessions);
}

constexpr int kMorningMin = 7 * 60;  // alarms for the day itself go off at 07:00 when the session is later

}  // namespace

std::string plan_to_ics(const Plan& p, const Clinic& clinic, const CalendarOwner& owner) {
  int sessions = 0;
  for (const Appointment& a : p.appointments)
    if (!a.extra) sessions = std::max(sessions, a.session);
  const std::string where = clinic.address.empty() ? clinic.name : fmt::format("{}, {}", clinic.name, clinic.address);
  std::string contact = clinic.phone;
  if (!clinic.email.empty()) contact += (contact.empty() ? "" : ", ") + clinic.email;
  std::vector<Event> events;

  // Appointments, with their pre-care as the description and as alarms.
  for (const Appointment& a : p.appointments) {
    Event e;
    e.date = a.date;
    e.start_min = a.start_min;
    e.end_min = a.start_min + a.duration_min;
    e.key = fmt::format("appointment-{}", a.number);
    e.summary = fmt::format("Scalp micropigmentation, {}", appointment_label(a, sessions));
    e.location = where;
    e.description = fmt::format("{} at {}, about {} including preparation and numbing.", clinic.name, format_clock(a.start_min),
                                hours_and_minutes(a.duration_min));
    if (!clinic.bring.empty()) e.description += "\n\nWhat to bring: " + clinic.bring;
    // Pre-care of this appointment by the day it is due (the patch test is its own event).
    std::map<int, std::vector<std::string>> due;  // days before -> texts
    for (const DatedCare& c : p.precare) {
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
      int trigger = -before * 24 * 60;  // 72 hours before for the three-day items
      if (before == 0) trigger = a.start_min - kMorningMin >= 60 ? kMorningMin - a.start_min : -60;
      e.alarms.push_back({ics_duration(trigger), texts});
    }
    if (!contact.empty()) e.description += "\n\nTo move the session: " + contact;
    events.push_back(std::move(e));
  }

  // The patch test: a short visit on the day the plan keeps for it.
  if (p.patch_test) {
    Event e;
    e.date = e.last = *p.patch_test;
    if (p.patch_test_visit) {  // a timed visit
      e.start_min = p.patch_test_visit->start_min;
      e.end_min = e.start_min + p.patch_test_visit->duration_min;
    }
    e.key = "patch-test";
    e.summary = fmt::format("Patch test at {}", clinic.name);
    e.location = where;
    for (const DatedCare& c : p.precare)
      if (c.patch_test) e.description += (e.description.empty() ? "" : "\n") + c.text;
    if (!contact.empty()) e.description += fmt::format("{}To move it: {}.", e.description.empty() ? "" : "\n\n", contact);
    e.alarms.push_back({ics_duration(e.start_min >= 0 ? -60 : 8 * 60), e.summary});
    events.push_back(std::move(e));
  }

  // Aftercare milestones after each appointment, and after the final one.
  for (std::size_t i = 0; i < p.appointments.size(); ++i) {
    const Appointment& a = p.appointments[i];
    const bool final = i + 1 == p.appointments.size();
    const int session_end = a.start_min + a.duration_min;
    for (std::size_t k = 0; k < p.aftercare.size(); ++k) {
      const AftercareText& c = p.aftercare[k];
      if (c.after_final && !final) continue;
      Event e;
      e.date = a.date + days{c.from};
      e.last = c.to ? a.date + days{*c.to} : e.date;
      if (c.until_next) {
        if (final) continue;
        e.last = p.appointments[i + 1].date - days{1};
      }
      if (e.last < e.date) continue;  // the next visit comes first
      e.key = fmt::format("aftercare-{}-{}", a.number, k + 1);
      const std::string after = fmt::format("session {}{}", a.session, a.parts > 1 ? fmt::format(" part {}", a.part) : "");
      if (c.after_final) e.summary = "Aftercare after your final session";
      else if (c.until_next) e.summary = fmt::format("Aftercare from day {} after {} until the next", c.from, after);
      else if (e.last == e.date) e.summary = fmt::format("Aftercare, day {} after {}", c.from, after);
      else e.summary = fmt::format("Aftercare, days {}-{} after {}", c.from, *c.to, after);
      e.description = c.text;
      // A reminder as the session ends for its own day, else at 08:00 on the first day.
      const int at = c.from == 0 ? session_end : 8 * 60;
      e.alarms.push_back({ics_duration(at), c.text});
      events.push_back(std::move(e));
    }
  }

  // The touch-up reminder, with an alarm two weeks ahead to book it.
  if (!p.appointments.empty()) {
    Event e;
    e.date = e.last = p.touch_up.date;
    e.key = "touch-up";
    e.summary = fmt::format("Scalp micropigmentation touch-up due ({})", clinic.name);
    e.location = where;
    e.description = fmt::format(
        "Around now your dots will have faded to about two thirds of their first contrast: {:.1f} years after your final session "
        "(expected between {:.1f} and {:.1f} years, with your skin and sun exposure). A touch-up session brings them back.",
        p.touch_up.years, p.touch_up.years_min, p.touch_up.years_max);
    if (p.touch_up.price > 0)
      e.description += fmt::format(" Today's price: {} {}.", format_amount_grouped(p.touch_up.price, p.quote.decimals), p.quote.currency);
    if (!contact.empty()) e.description += " To book: " + contact + ".";
    e.alarms.push_back({ics_duration(-14 * 24 * 60), "Book your touch-up: " + e.summary});
    events.push_back(std::move(e));
  }

  std::stable_sort(events.begin(), events.end(), [](const Event& x, const Event& y) {
    return x.date != y.date ? x.date < y.date : x.start_min > y.start_min;  // timed visits before the day's notes
  });

  const std::string stamp = ics_date(p.start) + "T000000Z";
  const std::uint64_t id = hash64({owner.seed, text_hash(owner.client), static_cast<std::uint64_t>(p.start.time_since_epoch().count())});
  std::string out;
  const auto line = [&](std::string_view name, std::string_view value) { out += ics_fold(fmt::format("{}:{}", name, value)); };
  line("BEGIN", "VCALENDAR");
  line("VERSION", "2.0");
  line("PRODID", "-//Stipple//Stipple SMP treatment plan//EN");
  line("CALSCALE", "GREGORIAN");
  line("METHOD", "PUBLISH");
  line("X-WR-CALNAME", ics_escape(fmt::format("Scalp micropigmentation at {}", clinic.name)));
  for (const Event& e : events) {
    line("BEGIN", "VEVENT");
    line("UID", fmt::format("{}-{:016x}@stipple", e.key, id));
    line("DTSTAMP", stamp);
    if (e.start_min >= 0) {
      line("DTSTART", ics_local_time(e.date, e.start_min));
      line("DTEND", ics_local_time(e.date, e.end_min));
    } else {
      line("DTSTART;VALUE=DATE", ics_date(e.date));
      line("DTEND;VALUE=DATE", ics_date(e.last + days{1}));  // exclusive
      line("TRANSP", "TRANSPARENT");
    }
    line("SUMMARY", ics_escape(e.summary));
    if (!e.location.empty()) line("LOCATION", ics_escape(e.location));
    if (!e.description.empty()) line("DESCRIPTION", ics_escape(e.description));
    for (const Alarm& a : e.alarms) {
      line("BEGIN", "VALARM");
      line("ACTION", "DISPLAY");
      line("TRIGGER", a.trigger);
      line("DESCRIPTION", ics_escape(a.text));
      line("END", "VALARM");
    }
    line("END", "VEVENT");
  }
  line("END", "VCALENDAR");
  return out;
}

}  // namespace stipple::plan
