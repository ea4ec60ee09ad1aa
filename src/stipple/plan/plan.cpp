#include "stipple/plan/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "stipple/design/measure.h"
#include "stipple/io/fields.h"

namespace stipple {
// Generated from the data files (CMakeLists.txt).
std::string_view embedded_clinic_json();
std::string_view embedded_pricing_json();
std::string_view embedded_care_json();
}  // namespace stipple

namespace stipple::plan {

using namespace std::chrono;

std::string_view default_clinic_json() { return embedded_clinic_json(); }
std::string_view default_pricing_json() { return embedded_pricing_json(); }
std::string_view default_care_json() { return embedded_care_json(); }
using io::Json;

namespace {

constexpr std::array<std::string_view, 7> kWeekdays{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// Monday 0 .. Sunday 6.
unsigned weekday_index(Day d) { return weekday(d).iso_encoding() - 1; }

// An amount: a decimal string or a whole number (never a binary fraction).
Result<std::int64_t> amount(const io::FieldReader& r, const Json& v, const std::string& path, int decimals) {
  std::optional<std::int64_t> a;
  if (v.is_string()) a = parse_amount(v.get_ref<const std::string&>(), decimals);
  else if (const auto n = io::json_integer(v); n && *n >= 0 && *n <= kMaxMajor)  // 1500 or 1500.0
    a = parse_amount(std::to_string(*n), decimals);
  if (!a || *a < 0)
    return input_error(r.file(), path,
                       fmt::format("an amount as a decimal string with at most {} decimals, such as \"1500.00\", or a whole number", decimals),
                       io::describe_json(v));
  return *a;
}

}  // namespace

std::optional<Day> parse_date(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  for (std::size_t i = 0; i < 10; ++i) {
    if (i == 4 || i == 7) continue;
    if (t[i] < '0' || t[i] > '9') return std::nullopt;
    const int digit = t[i] - '0';
    if (i < 4) y = y * 10 + digit;
    else if (i < 7) m = m * 10 + digit;
    else d = d * 10 + digit;
  }
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (y < 2000 || y > 2199 || !ymd.ok()) return std::nullopt;
  return sys_days{ymd};
}

std::string format_date(Day d) {
  const year_month_day ymd{d};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

std::optional<int> parse_clock(std::string_view t) {
  if (t.size() != 5 || t[2] != ':') return std::nullopt;
  for (std::size_t i : {0u, 1u, 3u, 4u})
    if (t[i] < '0' || t[i] > '9') return std::nullopt;
  const int h = (t[0] - '0') * 10 + (t[1] - '0'), m = (t[3] - '0') * 10 + (t[4] - '0');
  if (h > 24 || m > 59 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

std::string format_clock(int minutes) { return fmt::format("{:02}:{:02}", minutes / 60, minutes % 60); }

bool Clinic::open_on(Day d) const {
  return hours[weekday_index(d)].has_value() && !std::binary_search(holidays.begin(), holidays.end(), d);
}

int Clinic::open_minutes(Day d) const {
  if (!open_on(d)) return 0;
  const auto& h = *hours[weekday_index(d)];
  return h[1] - h[0];
}

Result<Clinic> parse_clinic(std::string_view text, const std::string& file, const io::ReadOptions& options) {
  TRY(doc, io::parse_json_document(text, file));
  const io::FieldReader r(file, options);
  if (auto ok = r.only_keys(doc, "", {"schema", "name", "address", "phone", "email", "hours", "holidays", "session", "bring"}); !ok)
    return std::unexpected(ok.error());
  TRY(schema, r.member(doc, "", "schema"));
  if (*schema != "stipple.clinic/1") return input_error(file, "schema", "\"stipple.clinic/1\"", io::describe_json(*schema));
  Clinic c;
  for (auto [key, out] : {std::pair{"name", &c.name}, {"address", &c.address}, {"phone", &c.phone}, {"email", &c.email}, {"bring", &c.bring}}) {
    TRY(v, r.member(doc, "", key, std::string_view(key) != "email"));
    if (!v) continue;
    TRY(t, r.plain_text(*v, key));
    if (t.size() > 300) return input_error(file, key, "a text of at most 300 characters", io::describe_json(*v));
    *out = t;
  }
  TRY(hours, r.member(doc, "", "hours"));
  if (auto ok = r.only_keys(*hours, "hours", {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}); !ok) return std::unexpected(ok.error());
  for (std::size_t i = 0; i < 7; ++i) {
    const std::string path = join_path("hours", kWeekdays[i]);
    TRY(v, r.member(*hours, "hours", kWeekdays[i]));
    if (v->is_null()) continue;
    const auto clock = [&](const Json& x) { return x.is_string() ? parse_clock(x.get_ref<const std::string&>()) : std::nullopt; };
    std::optional<int> open, close;
    if (v->is_array() && v->size() == 2) open = clock((*v)[0]), close = clock((*v)[1]);
    if (!open || !close || *close - *open < 60)
      return input_error(file, path, "null (closed) or [\"HH:MM\", \"HH:MM\"], open at least an hour", io::describe_json(*v));
    c.hours[i] = std::array<int, 2>{*open, *close};
  }
  if (std::none_of(c.hours.begin(), c.hours.end(), [](const auto& h) { return h.has_value(); }))
    return input_error(file, "hours", "at least one open day a week", "every day closed");
  TRY(hol, r.member(doc, "", "holidays", false));
  if (hol) {
    if (!hol->is_array() || hol->size() > 2000) return input_error(file, "holidays", "a list of dates \"YYYY-MM-DD\"", io::describe_json(*hol));
    for (std::size_t i = 0; i < hol->size(); ++i) {
      const Json& v = (*hol)[i];
      const auto d = v.is_string() ? parse_date(v.get_ref<const std::string&>()) : std::nullopt;
      if (!d) return input_error(file, index_path("holidays", i), "a date \"YYYY-MM-DD\"", io::describe_json(v));
      c.holidays.push_back(*d);
    }
    std::sort(c.holidays.begin(), c.holidays.end());
  }
  TRY(s, r.member(doc, "", "session"));
  if (auto ok = r.only_keys(*s, "session", {"max_minutes", "preparation_minutes", "numbing_minutes", "spacing_days", "dots_per_minute"}); !ok)
    return std::unexpected(ok.error());
  // Brief section 7: sessions of 1-5 hours, 7-28 days apart, about 60-120 dots a minute.
  TRY(mx, r.member(*s, "session", "max_minutes"));
  TRY(max_min, r.integer(*mx, "session.max_minutes", 60, 480));
  c.max_session_min = max_min;
  TRY(prep, r.member(*s, "session", "preparation_minutes"));
  TRY(prep_min, r.integer(*prep, "session.preparation_minutes", 0, 60));
  c.preparation_min = prep_min;
  TRY(numb, r.member(*s, "session", "numbing_minutes"));
  TRY(numb_min, r.integer(*numb, "session.numbing_minutes", 0, 60));
  c.numbing_min = numb_min;
  if (c.max_session_min - c.preparation_min - c.numbing_min < 30)
    return input_error(file, "session.max_minutes", "at least 30 minutes more than preparation and numbing", io::describe_json(*mx));
  TRY(sp, r.member(*s, "session", "spacing_days"));
  if (auto ok = r.only_keys(*sp, "session.spacing_days", {"min", "max"}); !ok) return std::unexpected(ok.error());
  TRY(spmin, r.member(*sp, "session.spacing_days", "min"));
  TRY(spmax, r.member(*sp, "session.spacing_days", "max"));
  TRY(lo, r.integer(*spmin, "session.spacing_days.min", 7, 28));
  TRY(hi, r.integer(*spmax, "session.spacing_days.max", 7, 28));
  if (hi < lo) return input_error(file, "session.spacing_days.max", fmt::format("at least min ({})", lo), io::describe_json(*spmax));
  c.spacing_min_days = lo, c.spacing_max_days = hi;
  TRY(rates, r.member(*s, "session", "dots_per_minute"));
  if (auto ok = r.only_keys(*rates, "session.dots_per_minute", {"single_point", "three_point"}); !ok) return std::unexpected(ok.error());
  for (auto [key, out] : {std::pair{"single_point", &c.single_point_per_min}, {"three_point", &c.three_point_per_min}}) {
    const std::string path = join_path("session.dots_per_minute", key);
    TRY(v, r.member(*rates, "session.dots_per_minute", key));
    if (!v->is_number() || v->get<double>() < 10 || v->get<double>() > 300)
      return input_error(file, path, "dots a minute, 10 to 300", io::describe_json(*v));
    *out = v->get<double>();
  }
  return c;
}

Result<PriceList> parse_pricing(std::string_view text, const std::string& file, const io::ReadOptions& options) {
  TRY(doc, io::parse_json_document(text, file));
  const io::FieldReader r(file, options);
  if (auto ok = r.only_keys(doc, "", {"schema", "currency", "decimals", "consultation", "treatment", "scar_surcharge", "touch_up",
                                      "tax_rate", "rounding", "notes"});
      !ok)
    return std::unexpected(ok.error());
  TRY(schema, r.member(doc, "", "schema"));
  if (*schema != "stipple.pricing/1") return input_error(file, "schema", "\"stipple.pricing/1\"", io::describe_json(*schema));
  PriceList p;
  TRY(cur, r.member(doc, "", "currency"));
  const std::string code = cur->is_string() ? cur->get<std::string>() : "";
  if (code.size() != 3 || !std::all_of(code.begin(), code.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
    return input_error(file, "currency", "an ISO 4217 code such as \"USD\"", io::describe_json(*cur));
  p.currency = code;
  TRY(dec, r.member(doc, "", "decimals", false));
  if (dec) {
    TRY(n, r.integer(*dec, "decimals", 0, 3));
    p.decimals = n;
  }
  const auto money = [&](const Json& obj, const std::string& path, const char* key, bool required, std::int64_t& out) -> Result<void> {
    TRY(v, r.member(obj, path, key, required));
    if (!v) return {};
    TRY(a, amount(r, *v, join_path(path, key), p.decimals));
    out = a;
    return {};
  };
  for (auto [key, out] : {std::pair{"consultation", &p.consultation}, {"scar_surcharge", &p.scar_surcharge}, {"touch_up", &p.touch_up}})
    if (auto ok = money(doc, "", key, true, *out); !ok) return std::unexpected(ok.error());
  TRY(tr, r.member(doc, "", "treatment"));
  if (auto ok = r.only_keys(*tr, "treatment", {"by", "tiers", "price"}); !ok) return std::unexpected(ok.error());
  TRY(by, r.member(*tr, "treatment", "by"));
  if (*by == "area") {
    TRY(tiers, r.member(*tr, "treatment", "tiers"));
    if (!tiers->is_array() || tiers->empty() || tiers->size() > 50)
      return input_error(file, "treatment.tiers", "a list of 1 to 50 tiers {up_to_cm2, price, label}", io::describe_json(*tiers));
    for (std::size_t i = 0; i < tiers->size(); ++i) {
      const std::string path = index_path("treatment.tiers", i);
      const Json& t = (*tiers)[i];
      if (auto ok = r.only_keys(t, path, {"up_to_cm2", "price", "label"}); !ok) return std::unexpected(ok.error());
      AreaTier tier;
      TRY(up, r.member(t, path, "up_to_cm2"));
      const bool last = i + 1 == tiers->size();
      if (up->is_null() && last) {
      } else if (up->is_number() && up->get<double>() > 0 && up->get<double>() <= 2000 &&
                 (p.tiers.empty() || up->get<double>() > *p.tiers.back().up_to_cm2)) {
        tier.up_to_cm2 = up->get<double>();
      } else {
        return input_error(file, join_path(path, "up_to_cm2"),
                           last ? "an area in cm² above the previous tier's, or null for no upper bound"
                                : "an area in cm² (0-2000) above the previous tier's",
                           io::describe_json(*up));
      }
      if (auto ok = money(t, path, "price", true, tier.price); !ok) return std::unexpected(ok.error());
      TRY(label, r.member(t, path, "label"));
      TRY(lt, r.plain_text(*label, join_path(path, "label")));
      tier.label = lt;
      p.tiers.push_back(tier);
    }
  } else if (*by == "session") {
    std::int64_t price = 0;
    if (auto ok = money(*tr, "treatment", "price", true, price); !ok) return std::unexpected(ok.error());
    p.per_session = price;
  } else {
    return input_error(file, "treatment.by", "\"area\" (tiers) or \"session\" (price)", io::describe_json(*by));
  }
  TRY(tax, r.member(doc, "", "tax_rate"));
  const auto rate = tax->is_string() ? parse_rate(tax->get_ref<const std::string&>())
                    : io::json_integer(*tax) == 0 || io::json_integer(*tax) == 1
                        ? std::optional<std::int64_t>(*io::json_integer(*tax) * 1'000'000)
                        : std::nullopt;
  if (!rate) return input_error(file, "tax_rate", "a rate from \"0\" to \"1\" as a decimal string, at most 6 decimals (\"0.2\" for 20%)", io::describe_json(*tax));
  p.tax_ppm = *rate;
  TRY(rnd, r.member(doc, "", "rounding", false));
  if (rnd) {
    TRY(mode, r.word<Rounding>(*rnd, "rounding"));
    p.rounding = mode;
  }
  TRY(notes, r.member(doc, "", "notes", false));
  if (notes && !notes->is_string()) return input_error(file, "notes", "a text", io::describe_json(*notes));
  return p;
}

Result<CareTexts> parse_care(std::string_view text, const std::string& file, const io::ReadOptions& options) {
  TRY(doc, io::parse_json_document(text, file));
  const io::FieldReader r(file, options);
  if (auto ok = r.only_keys(doc, "", {"schema", "sources", "precare", "aftercare"}); !ok) return std::unexpected(ok.error());
  TRY(schema, r.member(doc, "", "schema"));
  if (*schema != "stipple.care/1") return input_error(file, "schema", "\"stipple.care/1\"", io::describe_json(*schema));
  CareTexts c;
  TRY(pre, r.member(doc, "", "precare"));
  if (!pre->is_array() || pre->empty()) return input_error(file, "precare", "a non-empty list", io::describe_json(*pre));
  for (std::size_t i = 0; i < pre->size(); ++i) {
    const std::string path = index_path("precare", i);
    const Json& e = (*pre)[i];
    if (auto ok = r.only_keys(e, path, {"id", "days_before", "sessions", "look", "when", "text"}); !ok) return std::unexpected(ok.error());
    CareText t;
    TRY(id, r.member(e, path, "id"));
    TRY(idt, r.plain_text(*id, join_path(path, "id")));
    t.id = idt;
    TRY(db, r.member(e, path, "days_before"));
    TRY(days, r.integer(*db, join_path(path, "days_before"), 0, 28));
    t.days_before = days;
    TRY(ss, r.member(e, path, "sessions"));
    if (*ss != "all" && *ss != "first") return input_error(file, join_path(path, "sessions"), "\"all\" or \"first\"", io::describe_json(*ss));
    t.first_only = *ss == "first";
    TRY(look, r.member(e, path, "look", false));
    if (look) {
      TRY(l, r.word<design::Look>(*look, join_path(path, "look")));
      t.look = l;
    }
    TRY(when, r.member(e, path, "when", false));
    if (when) {
      if (*when != "patch_test") return input_error(file, join_path(path, "when"), "\"patch_test\"", io::describe_json(*when));
      t.needs_patch_test = true;
    }
    TRY(tx, r.member(e, path, "text"));
    TRY(txt, r.plain_text(*tx, join_path(path, "text")));
    t.text = txt;
    c.precare.push_back(t);
  }
  TRY(after, r.member(doc, "", "aftercare"));
  if (!after->is_array() || after->empty()) return input_error(file, "aftercare", "a non-empty list", io::describe_json(*after));
  for (std::size_t i = 0; i < after->size(); ++i) {
    const std::string path = index_path("aftercare", i);
    const Json& e = (*after)[i];
    if (auto ok = r.only_keys(e, path, {"day", "from", "to", "text"}); !ok) return std::unexpected(ok.error());
    TRY(day, r.member(e, path, "day"));
    TRY(dt, r.plain_text(*day, join_path(path, "day")));
    TRY(tx, r.member(e, path, "text"));
    TRY(txt, r.plain_text(*tx, join_path(path, "text")));
    AftercareText a;
    a.day = dt;
    a.text = txt;
    constexpr int kLastDay = 60;
    TRY(from, r.member(e, path, "from"));
    if (*from == "final") {
      a.after_final = true;
    } else {
      TRY(f, r.integer(*from, join_path(path, "from"), 0, kLastDay));
      a.from = f;
    }
    TRY(to, r.member(e, path, "to", false));
    if (to && to->is_string()) {
      if (*to != "next" || a.after_final)
        return input_error(file, join_path(path, "to"), "a day number, \"next\" (not after the final session) or null", io::describe_json(*to));
      a.until_next = true;
    } else if (to && !to->is_null()) {
      TRY(t, r.integer(*to, join_path(path, "to"), a.from, kLastDay));
      a.to = t;
    }
    c.aftercare.push_back(a);
  }
  return c;
}

namespace {

// The first day on or after `from` (and before `until`) on which the clinic
// is open for at least `minutes`.
std::optional<Day> first_fitting(const Clinic& c, Day from, Day until, int minutes) {
  for (Day d = from; d < until; d += days{1})
    if (c.open_minutes(d) >= minutes) return d;
  return std::nullopt;
}

}  // namespace

Result<Plan> make_plan(const design::Design& d, const scalp::Anatomy& a, const std::vector<pattern::Dot>& dots,
                       const Clinic& clinic, const PriceList& prices, const CareTexts& care, const PlanInputs& in,
                       const std::string& clinic_file) {
  Plan plan;
  // Dots of each of the pattern's sessions, and how many need the single point.
  int sessions = 0;
  for (const pattern::Dot& dot : dots) sessions = std::max<int>(sessions, dot.session);
  std::vector<std::size_t> count(static_cast<std::size_t>(sessions) + 1, 0), single(count.size(), 0);
  for (const pattern::Dot& dot : dots) {
    ++count[dot.session];
    single[dot.session] += dot.needle == pattern::Needle::single_point;
  }
  // The longest day the clinic can use for one appointment.
  int longest = 0;
  for (const auto& h : clinic.hours)
    if (h) longest = std::max(longest, (*h)[1] - (*h)[0]);
  const int overhead = clinic.preparation_min + clinic.numbing_min;
  const int capacity = std::min(clinic.max_session_min, longest) - overhead;
  if (capacity < 30)
    return input_error(clinic_file, "hours", fmt::format("a day open at least {} minutes (preparation, numbing and 30 minutes of work)", overhead + 30),
                       fmt::format("{} minutes at most", longest));
  const Day horizon = in.start + days{366};
  // A patch test (CI-PATCH) is a short visit on the first open day; session 1
  // waits the care text's days after it for the skin to answer.
  Day earliest = in.start;
  std::optional<Day> patch_day;
  if (in.patch_test)
    for (const CareText& t : care.precare)
      if (t.needs_patch_test && !patch_day) {
        patch_day = first_fitting(clinic, in.start, horizon, 30);
        if (!patch_day) return input_error(clinic_file, "hours", "an open day within a year for the patch test", "none");
        earliest = *patch_day + days{t.days_before};
      }
  std::optional<Day> last;  // the previous appointment's date
  int number = 0;
  for (int s = 1; s <= sessions; ++s) {
    const std::size_t n = count[static_cast<std::size_t>(s)], n1 = single[static_cast<std::size_t>(s)];
    if (n == 0) continue;
    const double work = static_cast<double>(n1) / clinic.single_point_per_min +
                        static_cast<double>(n - n1) / clinic.three_point_per_min;
    const int parts = std::max(1, static_cast<int>(std::ceil(work / capacity - 1e-9)));
    std::size_t given = 0, given1 = 0;
    for (int part = 1; part <= parts; ++part) {
      Appointment ap;
      ap.number = ++number;
      ap.session = s;
      ap.part = part, ap.parts = parts;
      // Dots shared out evenly over the parts (the last takes the remainder).
      ap.dots = part == parts ? n - given : n * static_cast<std::size_t>(part) / static_cast<std::size_t>(parts) - given;
      ap.single_point_dots = part == parts ? n1 - given1 : n1 * static_cast<std::size_t>(part) / static_cast<std::size_t>(parts) - given1;
      given += ap.dots, given1 += ap.single_point_dots;
      const double w = static_cast<double>(ap.single_point_dots) / clinic.single_point_per_min +
                       static_cast<double>(ap.dots - ap.single_point_dots) / clinic.three_point_per_min;
      // Rounded up to the next 5 minutes, as a diary books.
      ap.duration_min = overhead + 5 * static_cast<int>(std::ceil(w / 5 - 1e-9));
      std::optional<Day> date;
      if (!last) {
        date = first_fitting(clinic, earliest, horizon, ap.duration_min);
      } else if (part > 1) {
        date = first_fitting(clinic, *last + days{1}, horizon, ap.duration_min);
      } else {
        // The pigment settles first: the middle of the clinic's spacing, else
        // the nearest open day within it, else the first open day after it.
        const int mid = (clinic.spacing_min_days + clinic.spacing_max_days + 1) / 2;
        for (int k = 0; k <= clinic.spacing_max_days - clinic.spacing_min_days && !date; ++k)
          for (const int gap : {mid + k, mid - k})
            if (!date && gap >= clinic.spacing_min_days && gap <= clinic.spacing_max_days &&
                clinic.open_minutes(*last + days{gap}) >= ap.duration_min)
              date = *last + days{gap};
        if (!date) {
          date = first_fitting(clinic, *last + days{clinic.spacing_max_days + 1}, horizon, ap.duration_min);
          if (date)
            plan.notes.push_back(fmt::format("Session {} is {} days after the one before: the clinic is closed or booked short on every day "
                                             "{}-{} days after it.",
                                             s, (*date - *last).count(), clinic.spacing_min_days, clinic.spacing_max_days));
        }
      }
      if (!date)
        return input_error(clinic_file, "hours", fmt::format("an open day of at least {} minutes within a year", ap.duration_min),
                           "none (closed days and holidays)");
      ap.date = *date;
      ap.start_min = (*clinic.hours[weekday_index(*date)])[0];
      last = *date;
      plan.appointments.push_back(ap);
    }
  }
  if (plan.appointments.empty()) return input_error(clinic_file, "", "a design with dots to place", "no dots");

  // Pre-care, dated from each appointment; a part of a split session is its own visit.
  for (const Appointment& ap : plan.appointments)
    for (const CareText& t : care.precare) {
      if (t.first_only && ap.number != 1) continue;
      if (t.look && *t.look != d.look) continue;
      if (t.needs_patch_test && !in.patch_test) continue;
      plan.precare.push_back({t.needs_patch_test && patch_day ? *patch_day : ap.date - days{t.days_before}, ap.number, t.id, t.text,
                              t.needs_patch_test});
    }
  plan.start = in.start;
  plan.patch_test = patch_day;
  std::stable_sort(plan.precare.begin(), plan.precare.end(), [](const DatedCare& x, const DatedCare& y) { return x.date < y.date; });
  plan.aftercare = care.aftercare;

  // Touch-up: the fading model of the simulation (docs/simulate.md). A
  // touch-up is due when the dots' contrast falls to 65%; the range spans
  // practitioners who touch up at 70% to those who wait for 60%.
  const double tau = simulate::fading_time_constant_years(in.sun, in.fitzpatrick);
  plan.touch_up.years = simulate::touch_up_years(in.sun, in.fitzpatrick);
  plan.touch_up.years_min = std::clamp(tau * std::log(1 / 0.70), 3.0, 8.0);
  plan.touch_up.years_max = std::clamp(tau * std::log(1 / 0.60), 3.0, 8.0);
  const Day final_day = plan.appointments.back().date;
  plan.touch_up.date = final_day + days{static_cast<int>(std::lround(plan.touch_up.years * 365.2425))};
  plan.touch_up.price = prices.touch_up;

  // The quote.
  const design::Measurement m = design::measure(d, a, {240, 480});
  plan.treatment_area_cm2 = m.treatment_area_cm2;
  plan.scars = static_cast<int>(d.hair_loss.scars.size());
  Quote& q = plan.quote;
  q.currency = prices.currency;
  q.decimals = prices.decimals;
  q.tax_ppm = prices.tax_ppm;
  if (prices.consultation > 0) q.lines.push_back({"Consultation and design", 1, prices.consultation, prices.consultation});
  if (prices.per_session) {
    q.lines.push_back({fmt::format("Scalp micropigmentation session ({} cm² treated)", static_cast<int>(std::lround(m.treatment_area_cm2))),
                       sessions, *prices.per_session, *prices.per_session * sessions});
  } else {
    const AreaTier* tier = &prices.tiers.back();
    for (const AreaTier& t : prices.tiers)
      if (t.up_to_cm2 && m.treatment_area_cm2 <= *t.up_to_cm2) {
        tier = &t;
        break;
      }
    q.lines.push_back({fmt::format("Scalp micropigmentation, {} sessions: {} ({} cm² treated)", sessions, tier->label,
                                   static_cast<int>(std::lround(m.treatment_area_cm2))),
                       1, tier->price, tier->price});
  }
  if (plan.scars > 0 && prices.scar_surcharge > 0)
    q.lines.push_back({"Scar camouflage surcharge, per scar", plan.scars, prices.scar_surcharge, prices.scar_surcharge * plan.scars});
  for (const QuoteLine& l : q.lines) q.subtotal += l.amount;
  q.tax = apply_rate(q.subtotal, q.tax_ppm, prices.rounding);
  q.total = q.subtotal + q.tax;
  return plan;
}

io::Json plan_to_json(const Plan& p, const Clinic& clinic) {
  const auto money = [&](std::int64_t v) { return format_amount(v, p.quote.decimals); };
  Json j;
  j["schema"] = "stipple.plan/1";
  j["clinic"] = {{"name", clinic.name}, {"address", clinic.address}, {"phone", clinic.phone}};
  Json sessions = Json::array();
  for (const Appointment& a : p.appointments)
    sessions.push_back({{"session", a.number},
                        {"date", format_date(a.date)},
                        {"start", format_clock(a.start_min)},
                        {"duration_min", a.duration_min},
                        {"dots", a.dots},
                        {"pattern_session", a.session},
                        {"part", a.part},
                        {"parts", a.parts},
                        {"single_point_dots", a.single_point_dots}});
  j["sessions"] = sessions;
  Json pre = Json::array();
  for (const DatedCare& c : p.precare) pre.push_back({{"date", format_date(c.date)}, {"session", c.appointment}, {"id", c.id}, {"text", c.text}});
  j["precare"] = pre;
  Json after = Json::array();
  for (const AftercareText& c : p.aftercare) {
    Json from = c.after_final ? Json("final") : Json(c.from);
    Json to = c.until_next ? Json("next") : c.to ? Json(*c.to) : Json(nullptr);
    after.push_back({{"day", c.day}, {"from", from}, {"to", to}, {"text", c.text}});
  }
  j["aftercare"] = after;
  const auto r1 = [](double v) { return std::round(v * 10) / 10; };
  j["touch_up"] = {{"years_min", r1(p.touch_up.years_min)},
                   {"years_max", r1(p.touch_up.years_max)},
                   {"years", r1(p.touch_up.years)},
                   {"date", format_date(p.touch_up.date)},
                   {"price", money(p.touch_up.price)}};
  Json lines = Json::array();
  for (const QuoteLine& l : p.quote.lines)
    lines.push_back({{"item", l.item}, {"qty", l.qty}, {"unit_price", money(l.unit_price)}, {"amount", money(l.amount)}});
  j["quote"] = {{"currency", p.quote.currency}, {"lines", lines}, {"subtotal", money(p.quote.subtotal)},
                {"tax_rate", format_rate(p.quote.tax_ppm)}, {"tax", money(p.quote.tax)}, {"total", money(p.quote.total)}};
  j["treatment_area_cm2"] = std::round(p.treatment_area_cm2 * 10) / 10;
  j["notes"] = p.notes;
  return j;
}

}  // namespace stipple::plan
