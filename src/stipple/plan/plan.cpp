#include "stipple/plan/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "stipple/design/measure.h"
#include "stipple/io/fields.h"
#include "stipple/plan/time_zone.h"

namespace stipple {
// Generated from the data files (CMakeLists.txt).
std::string_view embedded_clinic_json();
std::string_view embedded_pricing_json();
std::string_view embedded_care_json();
std::string_view embedded_clinic_schema_json();
std::string_view embedded_pricing_schema_json();
std::string_view embedded_care_schema_json();
}  // namespace stipple

namespace stipple::plan {

using namespace std::chrono;

std::string_view default_clinic_json() { return embedded_clinic_json(); }
std::string_view default_pricing_json() { return embedded_pricing_json(); }
std::string_view default_care_json() { return embedded_care_json(); }
std::string_view clinic_schema_json() { return embedded_clinic_schema_json(); }
std::string_view pricing_schema_json() { return embedded_pricing_schema_json(); }
std::string_view care_schema_json() { return embedded_care_schema_json(); }
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
  if (auto ok = r.only_keys(doc, "", {"schema", "name", "address", "phone", "email", "time_zone", "hours", "holidays", "session", "bring"}); !ok)
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
  TRY(zone, r.member(doc, "", "time_zone"));
  const std::string zone_name = zone->is_string() ? zone->get<std::string>() : "";
  if (!TimeZone::locate(zone_name))
    return input_error(file, "time_zone", "an IANA time zone of the tz database (package tzdata), such as \"Europe/London\" or \"America/New_York\"",
                       io::describe_json(*zone));
  c.time_zone = zone_name;
  TRY(hours, r.member(doc, "", "hours"));
  if (auto ok = r.only_keys(*hours, "hours", {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}); !ok) return std::unexpected(ok.error());
  for (std::size_t i = 0; i < 7; ++i) {
    const std::string path = join_path("hours", kWeekdays[i]);
    TRY(v, r.member(*hours, "hours", kWeekdays[i]));
    if (v->is_null()) continue;
    const auto clock = [&](const Json& x) { return x.is_string() ? parse_clock(x.get_ref<const std::string&>()) : std::nullopt; };
    std::optional<int> open, close;
    if (v->is_array() && v->size() == 2) open = clock((*v)[0]), close = clock((*v)[1]);
    if (open && close && *close - *open < 60)  // two clock times, the wrong way round or too close
      return input_error(file, path, "an opening time at least an hour before the closing time",
                         fmt::format("open {} to {}", format_clock(*open), format_clock(*close)));
    if (!open || !close)
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
  if (auto ok = r.only_keys(*s, "session", {"max_minutes", "preparation_minutes", "numbing_minutes", "spacing_days", "later_spacing_days",
                                            "scar_spacing_days", "dots_per_minute", "usual_start", "length"});
      !ok)
    return std::unexpected(ok.error());
  // Brief section 11: sessions of 2-5 hours typically, a whole head 6-8 hours;
  // 10-30 days apart (section 7: 7-28); about 60-120 dots a minute.
  TRY(mx, r.member(*s, "session", "max_minutes"));
  TRY(max_min, r.integer(*mx, "session.max_minutes", 60, 600));
  c.max_session_min = max_min;
  TRY(prep, r.member(*s, "session", "preparation_minutes"));
  TRY(prep_min, r.integer(*prep, "session.preparation_minutes", 0, 60));
  c.preparation_min = prep_min;
  TRY(numb, r.member(*s, "session", "numbing_minutes"));
  TRY(numb_min, r.integer(*numb, "session.numbing_minutes", 0, 60));
  c.numbing_min = numb_min;
  if (c.max_session_min - c.preparation_min - c.numbing_min < 30)
    return input_error(file, "session.max_minutes", "at least 30 minutes more than preparation and numbing", io::describe_json(*mx));
  const auto spacing = [&](const char* key, bool required, Spacing& out) -> Result<void> {
    const std::string path = join_path("session", key);
    TRY(sp, r.member(*s, "session", key, required));
    if (!sp) return {};
    if (auto ok = r.only_keys(*sp, path, {"min", "max"}); !ok) return std::unexpected(ok.error());
    TRY(spmin, r.member(*sp, path, "min"));
    TRY(spmax, r.member(*sp, path, "max"));
    TRY(lo, r.integer(*spmin, join_path(path, "min"), 7, 30));
    TRY(hi, r.integer(*spmax, join_path(path, "max"), 7, 30));
    if (hi < lo) return input_error(file, join_path(path, "max"), fmt::format("at least min ({})", lo), io::describe_json(*spmax));
    out = {lo, hi};
    return {};
  };
  if (auto ok = spacing("spacing_days", true, c.spacing); !ok) return std::unexpected(ok.error());
  c.later_spacing = c.spacing;  // a clinic that gives one range uses it for every gap
  if (auto ok = spacing("later_spacing_days", false, c.later_spacing); !ok) return std::unexpected(ok.error());
  c.scar_spacing = c.later_spacing;
  if (auto ok = spacing("scar_spacing_days", false, c.scar_spacing); !ok) return std::unexpected(ok.error());
  TRY(rates, r.member(*s, "session", "dots_per_minute"));
  if (auto ok = r.only_keys(*rates, "session.dots_per_minute", {"single_point", "three_point"}); !ok) return std::unexpected(ok.error());
  for (auto [key, out] : {std::pair{"single_point", &c.single_point_per_min}, {"three_point", &c.three_point_per_min}}) {
    const std::string path = join_path("session.dots_per_minute", key);
    TRY(v, r.member(*rates, "session.dots_per_minute", key));
    if (!v->is_number() || v->get<double>() < 10 || v->get<double>() > 300)
      return input_error(file, path, "dots a minute, 10 to 300", io::describe_json(*v));
    *out = v->get<double>();
  }
  TRY(usual, r.member(*s, "session", "usual_start", false));
  if (usual && !usual->is_null()) {
    const auto m = usual->is_string() ? parse_clock(usual->get_ref<const std::string&>()) : std::nullopt;
    if (!m) return input_error(file, "session.usual_start", "a time \"HH:MM\" or null (opening time)", io::describe_json(*usual));
    c.usual_start_min = *m;
  }
  TRY(len, r.member(*s, "session", "length", false));
  if (len) {
    if (auto ok = r.only_keys(*len, "session.length", {"first_by_area", "later_shorter_minutes", "scar_session_minutes", "patch_test_minutes"}); !ok)
      return std::unexpected(ok.error());
    TRY(table, r.member(*len, "session.length", "first_by_area"));
    if (!table->is_array() || table->empty() || table->size() > 50)
      return input_error(file, "session.length.first_by_area", "a list of 1 to 50 points {area_cm2, minutes}", io::describe_json(*table));
    c.first_session_by_area.clear();
    for (std::size_t i = 0; i < table->size(); ++i) {
      const std::string path = index_path("session.length.first_by_area", i);
      const Json& pt = (*table)[i];
      if (auto ok = r.only_keys(pt, path, {"area_cm2", "minutes"}); !ok) return std::unexpected(ok.error());
      TRY(area, r.member(pt, path, "area_cm2"));
      const double prev = c.first_session_by_area.empty() ? -1 : c.first_session_by_area.back()[0];
      if (!area->is_number() || area->get<double>() < 0 || area->get<double>() > 2000 || area->get<double>() <= prev)
        return input_error(file, join_path(path, "area_cm2"), "an area in cm² (0-2000) above the previous point's", io::describe_json(*area));
      TRY(mv, r.member(pt, path, "minutes"));
      TRY(minutes, r.integer(*mv, join_path(path, "minutes"), 30, 600));
      c.first_session_by_area.push_back({area->get<double>(), static_cast<double>(minutes)});
    }
    for (auto [key, out, lo, hi] : {std::tuple{"later_shorter_minutes", &c.later_shorter_min, 0, 120},
                                    {"scar_session_minutes", &c.scar_first_session_min, 30, 600},
                                    {"patch_test_minutes", &c.patch_test_min, 5, 60}}) {
      TRY(v, r.member(*len, "session.length", key, false));
      if (!v) continue;
      TRY(n, r.integer(*v, join_path("session.length", key), lo, hi));
      *out = n;
    }
  }
  return c;
}

Result<PriceList> parse_pricing(std::string_view text, const std::string& file, const io::ReadOptions& options) {
  TRY(doc, io::parse_json_document(text, file));
  const io::FieldReader r(file, options);
  if (auto ok = r.only_keys(doc, "", {"schema", "currency", "decimals", "consultation", "treatment", "scar_surcharge", "scar_camouflage",
                                      "extra_session", "touch_up", "tax_rate", "tax_included", "tax_name", "rounding", "notes"});
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
  for (auto [key, out] : {std::pair{"scar_camouflage", &p.scar_camouflage}, {"extra_session", &p.extra_session}}) {
    std::int64_t v = -1;
    if (auto ok = money(doc, "", key, false, v); !ok) return std::unexpected(ok.error());
    if (v >= 0) *out = v;
  }
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
  TRY(incl, r.member(doc, "", "tax_included", false));
  if (incl) {
    if (!incl->is_boolean()) return input_error(file, "tax_included", "true (the prices include the tax) or false", io::describe_json(*incl));
    p.tax_included = incl->get<bool>();
  }
  TRY(tname, r.member(doc, "", "tax_name", false));
  if (tname) {
    TRY(tn, r.plain_text(*tname, "tax_name"));
    if (tn.empty() || tn.size() > 30) return input_error(file, "tax_name", "a short name such as \"VAT\" or \"GST\"", io::describe_json(*tname));
    p.tax_name = tn;
  }
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
      TRY(cond, r.word<CareCondition>(*when, join_path(path, "when")));
      t.when = cond;
      t.needs_patch_test = cond == CareCondition::patch_test;
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
    if (auto ok = r.only_keys(e, path, {"day", "from", "to", "when", "look", "text"}); !ok) return std::unexpected(ok.error());
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
    TRY(when, r.member(e, path, "when", false));
    if (when) {
      TRY(cond, r.word<CareCondition>(*when, join_path(path, "when")));
      if (cond == CareCondition::patch_test)
        return input_error(file, join_path(path, "when"), "a condition of the client (patch_test is for pre-care)", io::describe_json(*when));
      a.when = cond;
    }
    // "look": one look, or a list of them (a shaving text is not for a client who keeps long hair).
    TRY(look, r.member(e, path, "look", false));
    if (look && look->is_array()) {
      if (look->empty()) return input_error(file, join_path(path, "look"), "a look or a non-empty list of looks", "an empty list");
      for (std::size_t k = 0; k < look->size(); ++k) {
        TRY(l, r.word<design::Look>((*look)[k], index_path(join_path(path, "look"), k)));
        a.looks.push_back(l);
      }
    } else if (look) {
      TRY(l, r.word<design::Look>(*look, join_path(path, "look")));
      a.looks.push_back(l);
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

// Minutes rounded up to the next 5, as a diary books.
int diary_minutes(double minutes) { return 5 * static_cast<int>(std::ceil(minutes / 5 - 1e-9)); }

// The clinic's first-session length for a treatment area: linear between the
// table's points, flat beyond its ends.
double first_session_minutes(const Clinic& c, double area_cm2) {
  const auto& t = c.first_session_by_area;
  if (area_cm2 <= t.front()[0]) return t.front()[1];
  for (std::size_t i = 1; i < t.size(); ++i)
    if (area_cm2 <= t[i][0]) return t[i - 1][1] + (t[i][1] - t[i - 1][1]) * (area_cm2 - t[i - 1][0]) / (t[i][0] - t[i - 1][0]);
  return t.back()[1];
}

// A visit's start on `d`: the client's preferred time, else the clinic's usual
// start, else opening time; earlier when the visit would end after closing
// (the latest quarter hour that fits, so a long session starts at opening),
// never before opening.
int start_on(const Clinic& c, Day d, int minutes, std::optional<int> preferred) {
  const auto& h = *c.hours[weekday_index(d)];
  const int wanted = preferred ? *preferred : c.usual_start_min.value_or(h[0]);
  const int latest = (h[1] - minutes) / 15 * 15;  // on the quarter hour
  return std::max(h[0], std::min(wanted, latest));
}

bool has(const std::vector<CareCondition>& v, CareCondition c) { return std::ranges::find(v, c) != v.end(); }

std::string scar_item(const design::Design& d) {
  if (d.hair_loss.scars.empty()) return "the scar";
  std::vector<std::string> kinds;
  for (const scalp::Scar& s : d.hair_loss.scars) {
    std::string k;
    switch (s.kind) {
      case assess::ScarKind::FUT: k = "a transplant strip (FUT) scar"; break;
      case assess::ScarKind::FUE: k = "transplant punch (FUE) scars"; break;
      case assess::ScarKind::surgical: k = "a surgical scar"; break;
      case assess::ScarKind::burn: k = "a burn scar"; break;
      case assess::ScarKind::injury: k = "a scar from an injury"; break;
    }
    kinds.push_back(k);
  }
  std::string out;
  for (std::size_t i = 0; i < kinds.size(); ++i) out += (i == 0 ? "" : i + 1 == kinds.size() ? " and " : ", ") + kinds[i];
  return out;
}

}  // namespace

std::vector<CareCondition> care_conditions(const assess::Intake& k, const design::Design& d) {
  std::vector<CareCondition> out;
  const auto add = [&](CareCondition c) {
    if (!has(out, c)) out.push_back(c);
  };
  // history.medications[] -> condition, one line each (a medication the
  // intake names more precisely, such as minoxidil or isotretinoin, is one
  // more line; lifestyle answers such as hair dye likewise).
  for (const assess::Medication m : k.history.medications) {
    if (m == assess::Medication::anticoagulant) add(CareCondition::anticoagulant);
    if (m == assess::Medication::retinoid) add(CareCondition::topical_retinoid);  // kind not stated: the cream's advice; tablets defer (CI rules)
    if (m == assess::Medication::topical_retinoid) add(CareCondition::topical_retinoid);
    if (m == assess::Medication::isotretinoin) add(CareCondition::isotretinoin);
    if (m == assess::Medication::minoxidil) add(CareCondition::minoxidil);
    if (m == assess::Medication::aspirin || m == assess::Medication::ibuprofen) add(CareCondition::regular_painkillers);
  }
  if (k.lifestyle.hair_dye.value_or(false)) add(CareCondition::hair_dye);
  if (k.client.hair_color == assess::HairColor::grey || k.client.hair_color == assess::HairColor::white) add(CareCondition::grey_hair);
  if (!k.scalp.scars.empty() || !d.hair_loss.scars.empty() || d.look == design::Look::scar_camouflage) add(CareCondition::scar);
  std::ranges::sort(out);
  return out;
}

Result<Plan> make_plan(const design::Design& d, const scalp::Anatomy& a, const std::vector<pattern::Dot>& dots,
                       const Clinic& clinic, const PriceList& prices, const CareTexts& care, const PlanInputs& in,
                       const std::string& clinic_file) {
  Plan plan;
  plan.conditions = in.conditions;
  if (in.patch_test && !has(plan.conditions, CareCondition::patch_test)) plan.conditions.push_back(CareCondition::patch_test);
  std::ranges::sort(plan.conditions);
  const bool scar_look = d.look == design::Look::scar_camouflage;
  const bool anticoagulant = has(plan.conditions, CareCondition::anticoagulant);
  // The same figure as `stipple design measure` (its default grid), in the quote and the report alike.
  const design::Measurement m = design::measure(d, a);
  plan.treatment_area_cm2 = m.treatment_area_cm2;

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
  const int capacity = std::min(clinic.max_session_min, longest);
  if (capacity - overhead < 30)
    return input_error(clinic_file, "hours", fmt::format("a day open at least {} minutes (preparation, numbing and 30 minutes of work)", overhead + 30),
                       fmt::format("{} minutes at most", longest));

  // Chair time (docs/plan.md "How long"): the first session's length from the
  // treatment area (a scar-only session its own), later sessions shorter, the
  // dots at the clinic's placement rates a floor under each; the first stays
  // the longest.
  std::vector<int> length(count.size(), 0);
  const auto floor_of = [&](int s) {
    const std::size_t n = count[static_cast<std::size_t>(s)], n1 = single[static_cast<std::size_t>(s)];
    return overhead + static_cast<double>(n1) / clinic.single_point_per_min + static_cast<double>(n - n1) / clinic.three_point_per_min;
  };
  const double role_first = scar_look ? clinic.scar_first_session_min : first_session_minutes(clinic, m.treatment_area_cm2);
  double first = std::max(role_first, floor_of(1));
  for (int s = 2; s <= sessions; ++s) first = std::max(first, floor_of(s) + clinic.later_shorter_min);
  const int later_min = std::max(overhead + 30, diary_minutes(first) - clinic.later_shorter_min);
  for (int s = 1; s <= sessions; ++s)
    length[static_cast<std::size_t>(s)] = s == 1 ? diary_minutes(first) : std::max(later_min, diary_minutes(floor_of(s)));

  const Day horizon = in.start + days{366};
  // Session 1 waits for care that must begin days before it (a minoxidil or
  // retinoid pause) and for the patch test's answer.
  Day earliest = in.start;
  for (const CareText& t : care.precare)
    if (t.when && !t.needs_patch_test && has(plan.conditions, *t.when) && (!t.look || *t.look == d.look))
      earliest = std::max(earliest, in.start + days{t.days_before});
  // The patch test (CI-PATCH): a short timed visit on the first open day;
  // session 1 waits the care text's days after it for the skin to answer.
  if (in.patch_test)
    for (const CareText& t : care.precare)
      if (t.needs_patch_test && !plan.patch_test) {
        const auto day = first_fitting(clinic, in.start, horizon, clinic.patch_test_min);
        if (!day) return input_error(clinic_file, "hours", "an open day within a year for the patch test", "none");
        plan.patch_test = *day;
        plan.patch_test_visit = PatchTestVisit{*day, start_on(clinic, *day, clinic.patch_test_min, in.start_min), clinic.patch_test_min};
        earliest = std::max(earliest, *day + days{t.days_before});
      }

  // The sessions to book: the pattern's, and for a client on anticoagulants
  // one more (brief section 11: bleeding pushes pigment out, retention is
  // poorer, "an extra session may be needed").
  struct Booking {
    int session, minutes;
    std::size_t dots, single;
    bool extra;
  };
  std::vector<Booking> bookings;
  for (int s = 1; s <= sessions; ++s)
    if (count[static_cast<std::size_t>(s)] > 0)
      bookings.push_back({s, length[static_cast<std::size_t>(s)], count[static_cast<std::size_t>(s)], single[static_cast<std::size_t>(s)], false});
  if (bookings.empty()) return input_error(clinic_file, "", "a design with dots to place", "no dots");
  if (anticoagulant) bookings.push_back({sessions + 1, later_min, 0, 0, true});

  std::optional<Day> last;  // the previous appointment's date
  int number = 0;
  for (std::size_t b = 0; b < bookings.size(); ++b) {
    const Booking& bk = bookings[b];
    // A session longer than the clinic's day (or its longest session) is
    // split into equal parts on consecutive open days.
    int parts = std::max(1, static_cast<int>(std::ceil(static_cast<double>(bk.minutes - overhead) / (capacity - overhead) - 1e-9)));
    while (overhead + diary_minutes(static_cast<double>(bk.minutes - overhead) / parts) > capacity) ++parts;
    const int part_minutes = parts == 1 ? bk.minutes : overhead + diary_minutes(static_cast<double>(bk.minutes - overhead) / parts);
    const Spacing gap_range = scar_look ? clinic.scar_spacing : b == 1 ? clinic.spacing : clinic.later_spacing;
    std::size_t given = 0, given1 = 0;
    for (int part = 1; part <= parts; ++part) {
      Appointment ap;
      ap.number = ++number;
      ap.session = bk.session;
      ap.part = part, ap.parts = parts;
      ap.extra = bk.extra;
      // Dots shared out evenly over the parts (the last takes the remainder).
      const auto share = [&](std::size_t total, std::size_t done) {
        return part == parts ? total - done : total * static_cast<std::size_t>(part) / static_cast<std::size_t>(parts) - done;
      };
      ap.dots = share(bk.dots, given);
      ap.single_point_dots = share(bk.single, given1);
      given += ap.dots, given1 += ap.single_point_dots;
      ap.duration_min = part_minutes;
      std::optional<Day> date;
      if (!last) {
        date = first_fitting(clinic, earliest, horizon, ap.duration_min);
      } else if (part > 1) {
        date = first_fitting(clinic, *last + days{1}, horizon, ap.duration_min);
      } else {
        // The pigment settles first: the middle of the spacing, else the
        // nearest open day within it, else the first open day after it.
        const int mid = (gap_range.min_days + gap_range.max_days + 1) / 2;
        for (int k = 0; k <= gap_range.max_days - gap_range.min_days && !date; ++k)
          for (const int gap : {mid + k, mid - k})
            if (!date && gap >= gap_range.min_days && gap <= gap_range.max_days && clinic.open_minutes(*last + days{gap}) >= ap.duration_min)
              date = *last + days{gap};
        if (!date) {
          date = first_fitting(clinic, *last + days{gap_range.max_days + 1}, horizon, ap.duration_min);
          if (date)
            plan.notes.push_back(fmt::format("Session {} is {} days after the one before: the clinic is closed or open too short on every day "
                                             "{}-{} days after it.",
                                             bk.session, (*date - *last).count(), gap_range.min_days, gap_range.max_days));
        }
      }
      if (!date)
        return input_error(clinic_file, "hours", fmt::format("an open day of at least {} minutes within a year", ap.duration_min),
                           "none (closed days and holidays)");
      ap.date = *date;
      ap.start_min = start_on(clinic, *date, ap.duration_min, in.start_min);
      last = *date;
      plan.appointments.push_back(ap);
    }
  }
  // What the client should know about the number of sessions (brief section 11).
  if (anticoagulant)
    plan.notes.push_back(fmt::format(
        "Session {} is an extra session, planned because you take a blood thinner: the skin bleeds a little more, which pushes some "
        "pigment out, so one more session fills in where it did not hold. Keep taking your blood thinner exactly as prescribed; never "
        "stop or change it without your prescriber.",
        sessions + 1));
  else if (sessions < 4 && scar_look)
    plan.notes.push_back("Scar tissue can take up more or less pigment than the skin around it: a fourth session is common for scars, "
                         "and we book it after the third when your scar needs it.");
  else if (sessions < 4)
    plan.notes.push_back("About one client in five needs a fourth session to even out the colour; if you do, we book it after the third.");

  // Pre-care, dated from each appointment; a part of a split session is its own visit.
  for (const Appointment& ap : plan.appointments)
    for (const CareText& t : care.precare) {
      if (t.first_only && ap.number != 1) continue;
      if (t.look && *t.look != d.look) continue;
      if (t.when && !has(plan.conditions, *t.when)) continue;
      // Never dated before the plan's first day: care that should have begun
      // earlier begins today (a hold such as CI-72H already moved the visit
      // when the client's last days did not comply).
      const Day due = t.needs_patch_test && plan.patch_test ? *plan.patch_test : std::max(in.start, ap.date - days{t.days_before});
      plan.precare.push_back({due, ap.number, t.id, t.text, t.needs_patch_test});
    }
  plan.start = in.start;
  std::stable_sort(plan.precare.begin(), plan.precare.end(), [](const DatedCare& x, const DatedCare& y) { return x.date < y.date; });
  for (const AftercareText& t : care.aftercare)
    if ((!t.when || has(plan.conditions, *t.when)) && (t.looks.empty() || std::ranges::find(t.looks, d.look) != t.looks.end())) plan.aftercare.push_back(t);

  // Touch-up: the fading model of the simulation (docs/simulate.md). A
  // touch-up is due when the dots' contrast falls to 65%; the range spans
  // practitioners who touch up at 70% to those who wait for 60%. Its date is
  // the first day on or after that the clinic is open.
  const double tau = simulate::fading_time_constant_years(in.sun, in.fitzpatrick);
  plan.touch_up.years = simulate::touch_up_years(in.sun, in.fitzpatrick);
  plan.touch_up.years_min = std::clamp(tau * std::log(1 / 0.70), 3.0, 8.0);
  plan.touch_up.years_max = std::clamp(tau * std::log(1 / 0.60), 3.0, 8.0);
  const Day final_day = plan.appointments.back().date;
  const Day due = final_day + days{static_cast<int>(std::lround(plan.touch_up.years * 365.2425))};
  plan.touch_up.date = first_fitting(clinic, due, due + days{366}, 30).value_or(due);
  plan.touch_up.price = prices.touch_up;

  // The quote.
  plan.scars = static_cast<int>(d.hair_loss.scars.size());
  Quote& q = plan.quote;
  q.currency = prices.currency;
  q.decimals = prices.decimals;
  q.tax_ppm = prices.tax_ppm;
  q.tax_included = prices.tax_included;
  q.tax_name = prices.tax_name;
  const int area = whole_cm2(m.treatment_area_cm2);
  if (prices.consultation > 0) q.lines.push_back({"Consultation and design", 1, prices.consultation, prices.consultation});
  const bool scar_line = scar_look && prices.scar_camouflage.has_value();
  if (scar_line) {
    const std::int64_t n = std::max(1, plan.scars);
    q.lines.push_back({fmt::format("Scar camouflage, {} sessions: {} ({} cm² treated)", sessions, scar_item(d), area), n,
                       *prices.scar_camouflage, *prices.scar_camouflage * n});
  } else if (prices.per_session) {
    q.lines.push_back({fmt::format("Scalp micropigmentation session ({} cm² treated)", area), sessions, *prices.per_session,
                       *prices.per_session * sessions});
  } else {
    const AreaTier* tier = &prices.tiers.back();
    for (const AreaTier& t : prices.tiers)
      if (t.up_to_cm2 && m.treatment_area_cm2 <= *t.up_to_cm2) {
        tier = &t;
        break;
      }
    // Scar camouflage priced by area (a list without a scar price) still says what it is.
    const std::string what =
        scar_look ? fmt::format("Scar camouflage, {} sessions: {}, priced by area: {}", sessions, scar_item(d), tier->label)
        : d.look == design::Look::patch_camouflage
            ? fmt::format("Patch camouflage, {} sessions: alopecia areata patches, priced by area: {}", sessions, tier->label)
            : fmt::format("Scalp micropigmentation, {} sessions: {}", sessions, tier->label);
    q.lines.push_back({fmt::format("{} ({} cm² treated)", what, area), 1, tier->price, tier->price});
  }
  // What one session of this treatment costs: the list's per-session price, or the treatment's price shared over its sessions.
  const std::int64_t treatment_total = [&] {
    std::int64_t t = 0;
    for (const QuoteLine& l : q.lines)
      if (l.item != "Consultation and design") t += l.amount;
    return t;
  }();
  if (!scar_line && plan.scars > 0 && prices.scar_surcharge > 0)
    q.lines.push_back({"Scar camouflage within the treatment, per scar", plan.scars, prices.scar_surcharge, prices.scar_surcharge * plan.scars});
  if (anticoagulant) {
    // The list's extra-session price; else its per-session price; else the
    // treatment's price shared over its sessions (never nothing for a booked visit).
    const std::int64_t extra = prices.extra_session.value_or(prices.per_session.value_or(treatment_total / std::max(1, sessions)));
    q.lines.push_back({"Extra session: fills in where the pigment does not hold", 1, extra, extra});
  }
  for (const QuoteLine& l : q.lines) q.subtotal += l.amount;
  if (q.tax_included) {
    q.tax = included_tax(q.subtotal, q.tax_ppm, prices.rounding);
    q.total = q.subtotal;
  } else {
    q.tax = apply_rate(q.subtotal, q.tax_ppm, prices.rounding);
    q.total = q.subtotal + q.tax;
  }
  return plan;
}

int whole_cm2(double area_cm2) { return static_cast<int>(std::lround(std::round(area_cm2 * 10) / 10)); }

std::string duration_words(int minutes) {
  if (minutes < 60) return fmt::format("{} min", minutes);
  return minutes % 60 == 0 ? fmt::format("{} h", minutes / 60) : fmt::format("{} h {:02} min", minutes / 60, minutes % 60);
}

std::string touch_up_words(const TouchUp& t) {
  return fmt::format("about {:.1f} years ({:.1f}-{:.1f})", t.years, t.years_min, t.years_max);
}

io::Json plan_to_json(const Plan& p, const Clinic& clinic) {
  const auto money = [&](std::int64_t v) { return format_amount(v, p.quote.decimals); };
  Json j;
  j["schema"] = "stipple.plan/1";
  j["clinic"] = {{"name", clinic.name}, {"address", clinic.address}, {"phone", clinic.phone}, {"time_zone", clinic.time_zone}};
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
                        {"single_point_dots", a.single_point_dots},
                        {"extra", a.extra}});
  j["sessions"] = sessions;
  // Every visit in date order, each of its kind: the patch test and the sessions.
  Json visits = Json::array();
  if (p.patch_test_visit)
    visits.push_back({{"kind", "patch_test"},
                      {"date", format_date(p.patch_test_visit->date)},
                      {"start", format_clock(p.patch_test_visit->start_min)},
                      {"duration_min", p.patch_test_visit->duration_min}});
  for (const Appointment& a : p.appointments)
    visits.push_back({{"kind", a.extra ? "extra_session" : "session"},
                      {"date", format_date(a.date)},
                      {"start", format_clock(a.start_min)},
                      {"duration_min", a.duration_min},
                      {"session", a.number}});
  j["appointments"] = visits;
  if (p.patch_test_visit)
    j["patch_test"] = {{"date", format_date(p.patch_test_visit->date)},
                       {"start", format_clock(p.patch_test_visit->start_min)},
                       {"duration_min", p.patch_test_visit->duration_min}};
  Json conditions = Json::array();
  for (const CareCondition c : p.conditions) conditions.push_back(to_string(c));
  j["care_conditions"] = conditions;
  Json pre = Json::array();
  for (const DatedCare& c : p.precare) pre.push_back({{"date", format_date(c.date)}, {"session", c.appointment}, {"id", c.id}, {"text", c.text}});
  j["precare"] = pre;
  Json after = Json::array();
  for (const AftercareText& c : p.aftercare) {
    Json from = c.after_final ? Json("final") : Json(c.from);
    Json to = c.until_next ? Json("next") : c.to ? Json(*c.to) : Json(nullptr);
    Json item = {{"day", c.day}, {"from", from}, {"to", to}, {"text", c.text}};
    if (c.when) item["when"] = to_string(*c.when);
    after.push_back(item);
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
  j["quote"] = {{"currency", p.quote.currency},   {"lines", lines},
                {"subtotal", money(p.quote.subtotal)}, {"tax_rate", format_rate(p.quote.tax_ppm)},
                {"tax_name", p.quote.tax_name},        {"tax_included", p.quote.tax_included},
                {"tax", money(p.quote.tax)},           {"total", money(p.quote.total)}};
  j["treatment_area_cm2"] = std::round(p.treatment_area_cm2 * 10) / 10;
  j["notes"] = p.notes;
  return j;
}

}  // namespace stipple::plan
