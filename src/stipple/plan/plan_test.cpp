#include "stipple/plan/plan.h"

#include "stipple/plan/ics.h"
#include "stipple/plan/report.h"
#include "stipple/plan/time_zone.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include <fmt/format.h>

#include "stipple/design/design.h"
#include "stipple/pattern/pattern.h"
#include "test_clients.h"

namespace stipple::plan {
namespace {

using std::chrono::days;

TEST(Money, AmountsAreExactDecimals) {
  EXPECT_EQ(parse_amount("1500", 2), 150000);
  EXPECT_EQ(parse_amount("1500.5", 2), 150050);
  EXPECT_EQ(parse_amount("0.07", 2), 7);
  EXPECT_EQ(parse_amount("-12.30", 2), -1230);
  EXPECT_EQ(parse_amount("1000000000000", 2), 100000000000000);
  for (const char* bad : {"", "1e3", "1,000", "12.345", ".5", "5.", "+5", "1000000000001", "1 000", "NaN"})
    EXPECT_FALSE(parse_amount(bad, 2)) << bad;
  EXPECT_EQ(parse_amount("1500", 0), 1500);
  EXPECT_FALSE(parse_amount("1500.5", 0));
  EXPECT_EQ(format_amount(150050, 2), "1500.50");
  EXPECT_EQ(format_amount(-7, 2), "-0.07");
  EXPECT_EQ(format_amount(1500, 0), "1500");
  EXPECT_EQ(format_amount_grouped(123456789, 2), "1,234,567.89");
  EXPECT_EQ(format_amount_grouped(99900, 2), "999.00");
  EXPECT_EQ(format_amount_grouped(-100000, 2), "-1,000.00");
}

TEST(Money, RatesRoundOnceByTheListsRule) {
  EXPECT_EQ(parse_rate("0.2"), 200000);
  EXPECT_EQ(parse_rate("0.075"), 75000);
  EXPECT_EQ(parse_rate("1"), 1000000);
  for (const char* bad : {"20%", "1.5", "-0.1", "0.0000001", "0,2"}) EXPECT_FALSE(parse_rate(bad)) << bad;
  EXPECT_EQ(format_rate(75000), "0.075");
  EXPECT_EQ(format_rate(0), "0");
  // 1234.50 x 7.5% = 92.5875 -> 92.59.
  EXPECT_EQ(apply_rate(123450, 75000, Rounding::half_up), 9259);
  // 0.05 x 50% = 0.025: half-up 0.03, half-even 0.02; 0.15 x 50% = 0.075 -> 0.08 both.
  EXPECT_EQ(apply_rate(5, 500000, Rounding::half_up), 3);
  EXPECT_EQ(apply_rate(5, 500000, Rounding::half_even), 2);
  EXPECT_EQ(apply_rate(15, 500000, Rounding::half_even), 8);
  EXPECT_EQ(apply_rate(-5, 500000, Rounding::half_up), -3);
  // The largest amounts stay exact: a trillion with cents at 19.9999%.
  EXPECT_EQ(apply_rate(100000000000000, 199999, Rounding::half_up), 19999900000000);
  EXPECT_EQ(apply_rate(99999999999999, 999999, Rounding::half_up), 99999899999999);
}

TEST(Dates, CalendarDaysAndClocks) {
  EXPECT_EQ(format_date(*parse_date("2028-02-29")), "2028-02-29");
  for (const char* bad : {"2027-02-29", "2026-13-01", "2026-1-01", "26-01-01", "1999-12-31", "2026-01-01x"})
    EXPECT_FALSE(parse_date(bad)) << bad;
  EXPECT_EQ(parse_clock("09:30"), 570);
  EXPECT_EQ(parse_clock("24:00"), 1440);
  EXPECT_FALSE(parse_clock("24:30"));
  EXPECT_FALSE(parse_clock("9:30"));
  EXPECT_EQ(format_clock(570), "09:30");
}

Clinic default_clinic() { return *parse_clinic(default_clinic_json(), "clinic.json"); }
PriceList default_prices() { return *parse_pricing(default_pricing_json(), "pricing.json"); }
CareTexts default_care() { return *parse_care(default_care_json(), "care.json"); }

TEST(DataFiles, BundledDefaultsReadAndFollowTheBrief) {
  const Clinic c = default_clinic();
  // Brief section 11: a whole head 6-8 hours a session; 10-30 days apart (session
  // 2 at 10-14 days, session 3 four weeks later); section 7: 60-120 dots a minute.
  EXPECT_EQ(c.max_session_min, 8 * 60);
  EXPECT_EQ(c.spacing.min_days, 10);
  EXPECT_EQ(c.spacing.max_days, 14);
  EXPECT_LE(c.later_spacing.min_days, 28);
  EXPECT_GE(c.later_spacing.max_days, 28);
  EXPECT_LE(c.later_spacing.max_days, 30);
  EXPECT_GE(c.later_shorter_min, 30);  // later sessions 30-60 minutes shorter
  EXPECT_LE(c.later_shorter_min, 60);
  EXPECT_GE(c.scar_first_session_min, 180);  // a scar-only session 3-4 hours
  EXPECT_LE(c.scar_first_session_min, 240);
  EXPECT_GE(c.single_point_per_min, 60);
  EXPECT_LE(c.three_point_per_min, 120);
  const PriceList p = default_prices();
  EXPECT_EQ(p.currency, "USD");
  // Brief section 8: partial loss $1,500-3,500; touch-ups from $99.
  for (const AreaTier& t : p.tiers) {
    EXPECT_GE(t.price, 150000);
    EXPECT_LE(t.price, 350000);
  }
  EXPECT_GE(p.touch_up, 9900);
  const CareTexts care = default_care();
  EXPECT_GE(care.precare.size(), 5u);
  EXPECT_GE(care.aftercare.size(), 5u);
}

std::string without(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(DataFiles, BadFilesNameTheField) {
  const std::string clinic(default_clinic_json()), prices(default_pricing_json()), care(default_care_json());
  const auto clinic_error = [](const std::string& t) { return parse_clinic(t, "c.json").error().field; };
  const auto price_error = [](const std::string& t) { return parse_pricing(t, "p.json").error().field; };
  EXPECT_EQ(clinic_error(without(clinic, "\"sun\": null", "\"sun\": \"9-5\"")), "hours.sun");
  EXPECT_EQ(clinic_error(without(clinic, "\"min\": 10", "\"min\": 5")), "session.spacing_days.min");
  EXPECT_EQ(clinic_error(without(clinic, "\"min\": 10, \"max\": 14", "\"min\": 14, \"max\": 10")), "session.spacing_days.max");
  EXPECT_EQ(clinic_error(without(clinic, "\"2026-12-24\"", "\"2026-12-32\"")), "holidays[0]");
  EXPECT_EQ(clinic_error(without(clinic, "\"max_minutes\": 480", "\"max_minutes\": 40")), "session.max_minutes");
  EXPECT_EQ(clinic_error(without(clinic, "\"three_point\": 100", "\"three_point\": 1000")), "session.dots_per_minute.three_point");
  EXPECT_EQ(clinic_error(without(clinic, "\"phone\"", "\"telephone\"")), "telephone");
  EXPECT_EQ(price_error(without(prices, "\"tax_rate\": \"0\"", "\"tax_rate\": \"20%\"")), "tax_rate");
  EXPECT_EQ(price_error(without(prices, "\"touch_up\": \"400.00\"", "\"touch_up\": 400.5")), "touch_up");
  EXPECT_EQ(price_error(without(prices, "\"up_to_cm2\": 250", "\"up_to_cm2\": 50")), "treatment.tiers[1].up_to_cm2");
  EXPECT_EQ(price_error(without(prices, "\"price\": \"2200.00\"", "\"price\": \"2,200\"")), "treatment.tiers[1].price");
  EXPECT_EQ(price_error(without(prices, "\"currency\": \"USD\"", "\"currency\": \"dollars\"")), "currency");
  EXPECT_EQ(price_error(without(prices, "\"by\": \"area\"", "\"by\": \"hour\"")), "treatment.by");
  EXPECT_EQ(price_error(without(prices, "\"rounding\": \"half_up\"", "\"rounding\": \"up\"")), "rounding");
  EXPECT_EQ(parse_care(without(care, "\"sessions\": \"all\"", "\"sessions\": \"some\""), "k.json").error().field, "precare[3].sessions");
  EXPECT_EQ(parse_care(without(care, "\"when\": \"minoxidil\"", "\"when\": \"minoxydil\""), "k.json").error().field, "precare[3].when");
  const InputError e = parse_pricing(without(prices, "\"touch_up\": \"400.00\"", "\"touch_up\": 400.5"), "p.json").error();
  EXPECT_EQ(e.file, "p.json");
  EXPECT_NE(e.expected.find("decimal string"), std::string::npos);
}

using Case = testing::TestClient;

const Case& norwood_v() { return testing::test_client(assess::Norwood::V, 42); }

Plan plan_with(const Clinic& clinic, const PriceList& prices, PlanInputs in) {
  const Case& c = norwood_v();
  auto p = make_plan(c.d, c.a, c.p.dots, clinic, prices, default_care(), in, "clinic.json");
  EXPECT_TRUE(p) << (p ? "" : p.error().message());
  return *p;
}

PlanInputs start_on(const char* date) {
  PlanInputs in;
  in.start = *parse_date(date);
  return in;
}

int work_minutes(const Clinic& c, const Appointment& a) {
  const double w = static_cast<double>(a.single_point_dots) / c.single_point_per_min +
                   static_cast<double>(a.dots - a.single_point_dots) / c.three_point_per_min;
  return static_cast<int>(std::ceil(w));
}

TEST(Plan, SessionsCarryEveryDotWithinTheClinicsWeek) {
  const Clinic clinic = default_clinic();
  // Starts on Sunday 2026-12-20: closed, then Christmas holidays.
  const Plan p = plan_with(clinic, default_prices(), start_on("2026-12-20"));
  ASSERT_EQ(p.appointments.size(), 3u);  // brief section 7: 3 typical
  std::size_t dots = 0;
  for (const Appointment& a : p.appointments) {
    dots += a.dots;
    EXPECT_TRUE(clinic.open_on(a.date)) << format_date(a.date);
    const unsigned wd = std::chrono::weekday(a.date).iso_encoding();
    EXPECT_NE(wd, 7u);  // never on a Sunday
    // The placement rates are a floor under the published chair time.
    EXPECT_GE(a.duration_min, clinic.preparation_min + clinic.numbing_min + work_minutes(clinic, a));
    EXPECT_EQ(a.duration_min % 5, 0);
    EXPECT_GE(a.start_min, (*clinic.hours[wd - 1])[0]);
    EXPECT_LE(a.start_min + a.duration_min, (*clinic.hours[wd - 1])[1]);
  }
  EXPECT_EQ(dots, norwood_v().p.dots.size());
  EXPECT_EQ(format_date(p.appointments[0].date), "2026-12-21");  // Monday: the first open day
  // Brief section 11: session 2 at 10-14 days, session 3 four weeks later (10-30 days in all).
  // (12 days falls on a short Saturday and New Year's Day; 14 is the Monday.)
  EXPECT_EQ((p.appointments[1].date - p.appointments[0].date).count(), 14);
  EXPECT_EQ((p.appointments[2].date - p.appointments[1].date).count(), 28);
  const Plan q = plan_with(clinic, default_prices(), start_on("2027-03-01"));
  EXPECT_EQ((q.appointments[1].date - q.appointments[0].date).count(), 11);  // day 12 is a short Saturday
  EXPECT_EQ((q.appointments[2].date - q.appointments[1].date).count(), 28);
  ASSERT_EQ(p.notes.size(), 1u);  // about 20% need a 4th session
  EXPECT_NE(p.notes[0].find("one client in five"), std::string::npos);
}

// Brief section 11 "Session length": typical sessions 2-5 h, the first the
// longest (4-6 h), later ones 30-60 min shorter; a whole head 6-8 h a session
// and 20-30 h in all.
TEST(Plan, ChairTimeFollowsThePublishedFigures) {
  const Clinic clinic = default_clinic();
  for (const assess::Norwood n : {assess::Norwood::III, assess::Norwood::IV, assess::Norwood::V, assess::Norwood::VI, assess::Norwood::VII}) {
    const Case& c = testing::test_client(n, 42);
    auto p = make_plan(c.d, c.a, c.p.dots, clinic, default_prices(), default_care(), start_on("2027-03-01"), "clinic.json");
    ASSERT_TRUE(p) << p.error().message();
    const auto& ap = p->appointments;
    ASSERT_EQ(ap.size(), 3u) << to_string(n);
    int total = 0;
    for (std::size_t i = 0; i < ap.size(); ++i) {
      total += ap[i].duration_min;
      EXPECT_GE(ap[i].duration_min, 2 * 60) << to_string(n);
      EXPECT_LE(ap[i].duration_min, 8 * 60) << to_string(n);
      if (i > 0) {
        EXPECT_GE(ap[0].duration_min - ap[i].duration_min, 30) << to_string(n);
        EXPECT_LE(ap[0].duration_min - ap[i].duration_min, 60) << to_string(n);
      }
    }
    const bool whole_head = n == assess::Norwood::VI || n == assess::Norwood::VII;
    if (whole_head) {
      EXPECT_GE(ap[0].duration_min, 6 * 60) << to_string(n);
      EXPECT_GE(total, 20 * 60) << to_string(n);
      EXPECT_LE(total, 30 * 60) << to_string(n);
    } else {
      EXPECT_GE(ap[0].duration_min, 4 * 60) << to_string(n);
      EXPECT_LE(ap[0].duration_min, 7 * 60) << to_string(n);
    }
  }
  // The nw6-poor-donor case was booked 1 h 40, 1 h 40 and 50 min.
  const Case& vi = testing::test_client(assess::Norwood::VI, 42);
  const Plan p = *make_plan(vi.d, vi.a, vi.p.dots, clinic, default_prices(), default_care(), start_on("2027-03-01"), "clinic.json");
  EXPECT_GT(p.appointments[2].duration_min, 5 * 60);
}

// The fut-scar case: a man of 52 with a 230 x 7 mm FUT strip scar, for scar camouflage.
const Case& fut_scar() {
  static const Case c = [] {
    design::DesignOptions o;
    o.age = 52;
    o.look = design::Look::scar_camouflage;
    o.scars = {{assess::ScarKind::FUT, 230.0, 7.0}};
    o.seed = 42;
    design::Design d = *design::make_design(o);
    scalp::Anatomy a = *design::build_anatomy(d);
    pattern::Pattern p = *pattern::make_pattern(d, a);
    return Case{std::move(d), std::move(a), std::move(p)};
  }();
  return c;
}

TEST(Plan, ScarCamouflageSessionsAndSpacing) {
  const Clinic clinic = default_clinic();
  const Case& c = fut_scar();
  PlanInputs in = start_on("2027-03-01");
  auto p = make_plan(c.d, c.a, c.p.dots, clinic, default_prices(), default_care(), in, "clinic.json");
  ASSERT_TRUE(p) << p.error().message();
  ASSERT_EQ(p->appointments.size(), 3u);  // brief section 11: 3 sessions by default
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_GE(p->appointments[i].duration_min, 3 * 60);  // a scar-only session is 3-4 h
    EXPECT_LE(p->appointments[i].duration_min, 4 * 60);
    if (i > 0) {  // four weeks, within the brief's 10-30 days (the fut-scar case had 12)
      const auto gap = (p->appointments[i].date - p->appointments[i - 1].date).count();
      EXPECT_GE(gap, 26);
      EXPECT_LE(gap, 30);
    }
  }
  ASSERT_FALSE(p->notes.empty());
  EXPECT_NE(p->notes.back().find("fourth session is common"), std::string::npos);
}

TEST(Plan, VisitsStartWithinOpeningHoursAtAUsefulTime) {
  Clinic clinic = default_clinic();
  // The usual start (10:00); a session that would end after closing starts earlier.
  const Plan p = plan_with(clinic, default_prices(), start_on("2027-03-01"));
  for (const Appointment& a : p.appointments) {
    const auto& h = *clinic.hours[std::chrono::weekday(a.date).iso_encoding() - 1];
    EXPECT_EQ(a.start_min, std::max(h[0], std::min(10 * 60, (h[1] - a.duration_min) / 15 * 15))) << format_date(a.date);
  }
  // The client's preferred time, when the visit fits after it.
  PlanInputs in = start_on("2027-03-01");
  in.start_min = 13 * 60;
  in.patch_test = true;
  const Plan q = plan_with(clinic, default_prices(), in);
  ASSERT_TRUE(q.patch_test_visit);
  EXPECT_EQ(q.patch_test_visit->start_min, 13 * 60);
  for (const Appointment& a : q.appointments) {
    const auto& h = *clinic.hours[std::chrono::weekday(a.date).iso_encoding() - 1];
    EXPECT_LE(a.start_min, 13 * 60);
    EXPECT_LE(a.start_min + a.duration_min, h[1]);
    EXPECT_GE(a.start_min, h[0]);
  }
}

TEST(Plan, EveryDateIsOnAnOpenDay) {
  const Clinic clinic = default_clinic();
  // Every start day of two months, and the high-sun fading that put the nw6 case's touch-up on a Sunday.
  for (int k = 0; k < 60; ++k) {
    PlanInputs in = start_on("2026-12-01");
    in.start += days{k};
    in.sun = k % 2 ? simulate::Sun::high : simulate::Sun::low;
    in.fitzpatrick = 1 + k % 6;
    in.patch_test = k % 3 == 0;
    const Plan p = plan_with(clinic, default_prices(), in);
    for (const Appointment& a : p.appointments) EXPECT_TRUE(clinic.open_on(a.date)) << format_date(a.date);
    EXPECT_TRUE(clinic.open_on(p.touch_up.date)) << format_date(p.touch_up.date);
    EXPECT_NE(std::chrono::weekday(p.touch_up.date), std::chrono::Sunday);
    if (p.patch_test_visit) {
      EXPECT_TRUE(clinic.open_on(p.patch_test_visit->date));
    }
  }
}

TEST(Plan, LongSessionsAreSplitOverOpenDays) {
  Clinic clinic = default_clinic();
  clinic.max_session_min = 180;
  const Plan p = plan_with(clinic, default_prices(), start_on("2027-03-01"));
  EXPECT_GT(p.appointments.size(), 3u);
  std::size_t dots = 0;
  for (const Appointment& a : p.appointments) {
    dots += a.dots;
    EXPECT_LE(a.duration_min, 180);
    if (a.part > 1) {
      const Appointment& before = p.appointments[static_cast<std::size_t>(a.number - 2)];
      EXPECT_EQ(before.session, a.session);
      EXPECT_LE((a.date - before.date).count(), 2);  // the next open day
    }
  }
  EXPECT_EQ(dots, norwood_v().p.dots.size());
}

TEST(Plan, ClosedWeeksStretchTheGapAndSaySo) {
  Clinic clinic = default_clinic();
  for (int k = 0; k < 30; ++k) clinic.holidays.push_back(*parse_date("2027-03-08") + days{k});
  std::sort(clinic.holidays.begin(), clinic.holidays.end());
  const Plan p = plan_with(clinic, default_prices(), start_on("2027-03-01"));
  EXPECT_EQ(format_date(p.appointments[1].date), "2027-04-07");
  ASSERT_FALSE(p.notes.empty());
  EXPECT_NE(p.notes[0].find("37 days"), std::string::npos) << p.notes[0];
}

TEST(Plan, PatchTestIsATimedVisitBeforeTheFirstSession) {
  PlanInputs in = start_on("2027-03-01");
  in.patch_test = true;
  const Plan p = plan_with(default_clinic(), default_prices(), in);
  // Brief section 11: most often 24-48 h before the first session (12 h-4 weeks).
  ASSERT_TRUE(p.patch_test_visit);
  EXPECT_EQ(format_date(p.patch_test_visit->date), "2027-03-01");
  EXPECT_EQ(p.patch_test_visit->start_min, 10 * 60);
  EXPECT_EQ(p.patch_test_visit->duration_min, 15);
  EXPECT_GE((p.appointments[0].date - p.patch_test_visit->date).count(), 2);
  EXPECT_LE((p.appointments[0].date - p.patch_test_visit->date).count(), 28);
  const io::Json j = plan_to_json(p, default_clinic());
  EXPECT_EQ(j["patch_test"]["date"], "2027-03-01");
  EXPECT_EQ(j["patch_test"]["start"], "10:00");
  EXPECT_EQ(j["patch_test"]["duration_min"], 15);
  EXPECT_EQ(j["appointments"][0]["kind"], "patch_test");
  EXPECT_EQ(j["appointments"][1]["kind"], "session");
  bool found = false;
  for (const DatedCare& c : p.precare)
    if (c.id == "patch-test") {
      found = true;
      EXPECT_EQ(format_date(c.date), "2027-03-01");
    }
  EXPECT_TRUE(found);
  // Without it, no patch test and session 1 on the start day.
  const Plan q = plan_with(default_clinic(), default_prices(), start_on("2027-03-01"));
  for (const DatedCare& c : q.precare) EXPECT_NE(c.id, "patch-test");
  EXPECT_FALSE(q.patch_test_visit);
  EXPECT_FALSE(plan_to_json(q, default_clinic()).contains("patch_test"));
  EXPECT_EQ(q.appointments[0].date, *parse_date("2027-03-01"));
}

TEST(Plan, PrecareIsDatedFromEachVisit) {
  const Plan p = plan_with(default_clinic(), default_prices(), start_on("2027-03-01"));
  int avoid = 0, shave = 0;
  for (const DatedCare& c : p.precare) {
    const Appointment& a = p.appointments[static_cast<std::size_t>(c.appointment - 1)];
    if (c.id == "avoid-72h") {  // brief: 72 hours before; session 1 is on the start day, so from that day
      ++avoid;
      EXPECT_EQ((a.date - c.date).count(), c.appointment == 1 ? 0 : 3);
    }
    EXPECT_GE(c.date, p.start) << c.id << " is dated before the plan's first day";
    if (c.id == "shave") {  // shaved look, before session 1
      ++shave;
      EXPECT_EQ(c.appointment, 1);
    }
    EXPECT_NE(c.id, "keep-hair");
  }
  EXPECT_EQ(avoid, 3);
  EXPECT_EQ(shave, 1);
}

TEST(Plan, TouchUpInTheBriefsRangeAndEarlierInTheSun) {
  double before = 100;
  for (simulate::Sun sun : {simulate::Sun::low, simulate::Sun::moderate, simulate::Sun::high}) {
    PlanInputs in = start_on("2027-03-01");
    in.sun = sun;
    const Plan p = plan_with(default_clinic(), default_prices(), in);
    EXPECT_GE(p.touch_up.years_min, 3.0);
    EXPECT_LE(p.touch_up.years_max, 8.0);
    EXPECT_LE(p.touch_up.years_min, p.touch_up.years);
    EXPECT_GE(p.touch_up.years_max, p.touch_up.years);
    EXPECT_LT(p.touch_up.years, before);
    before = p.touch_up.years;
    const double years = static_cast<double>((p.touch_up.date - p.appointments.back().date).count()) / 365.2425;
    EXPECT_NEAR(years, p.touch_up.years, 0.01);
  }
}

TEST(Plan, QuoteArithmeticIsExact) {
  PriceList prices = default_prices();
  prices.tiers.clear();
  prices.per_session = 83333;  // 833.33 a session
  prices.consultation = 9999;
  prices.tax_ppm = 75000;      // 7.5%
  const Plan p = plan_with(default_clinic(), prices, start_on("2027-03-01"));
  ASSERT_EQ(p.quote.lines.size(), 2u);
  EXPECT_EQ(p.quote.lines[1].qty, 3);
  EXPECT_EQ(p.quote.lines[1].amount, 249999);
  EXPECT_EQ(p.quote.subtotal, 259998);  // 99.99 + 2,499.99
  EXPECT_EQ(p.quote.tax, 19500);        // 194.9985 -> 195.00
  EXPECT_EQ(p.quote.total, 279498);
  // By area: the Norwood V treatment area picks its tier.
  const Plan q = plan_with(default_clinic(), default_prices(), start_on("2027-03-01"));
  ASSERT_EQ(q.quote.lines.size(), 1u);
  EXPECT_GT(q.treatment_area_cm2, 250);
  EXPECT_LE(q.treatment_area_cm2, 400);
  EXPECT_EQ(q.quote.total, 290000);
  const io::Json j = plan_to_json(q, default_clinic());
  EXPECT_EQ(j["quote"]["total"], "2900.00");
  EXPECT_EQ(j["sessions"].size(), 3u);
}

// Brief section 11 "Anticoagulants": bleeding pushes pigment out and retention
// is poorer, "an extra session may be needed"; never stop or change the dose
// without the prescriber, said wherever blood thinning is mentioned.
TEST(Plan, AnticoagulantsAddAnExtraSessionAndNeverSuggestStopping) {
  PlanInputs in = start_on("2027-03-01");
  in.conditions = {CareCondition::anticoagulant};
  const Plan p = plan_with(default_clinic(), default_prices(), in);
  const Plan q = plan_with(default_clinic(), default_prices(), start_on("2027-03-01"));
  ASSERT_EQ(q.appointments.size(), 3u);
  ASSERT_EQ(p.appointments.size(), 4u);
  EXPECT_TRUE(p.appointments[3].extra);
  EXPECT_EQ(p.appointments[3].dots, 0u);
  const auto gap = (p.appointments[3].date - p.appointments[2].date).count();
  EXPECT_GE(gap, 10);
  EXPECT_LE(gap, 30);
  EXPECT_GT(p.quote.total, q.quote.total);  // the extra session is priced
  bool noted = false;
  for (const std::string& n : p.notes) noted = noted || n.find("extra session") != std::string::npos;
  EXPECT_TRUE(noted);
  // Every text about blood thinning says, in the same sentence or the next, never to stop or change it.
  std::vector<std::string> texts = p.notes;
  for (const DatedCare& c : p.precare) texts.push_back(c.text);
  for (const AftercareText& c : p.aftercare) texts.push_back(c.text);
  int mentions = 0;
  for (const std::string& t : texts) {
    for (std::size_t at = t.find("blood"); at != std::string::npos; at = t.find("blood", at + 1)) {
      ++mentions;
      const std::size_t end1 = t.find(". ", at), end2 = end1 == std::string::npos ? end1 : t.find(". ", end1 + 2);
      const std::string window = t.substr(at, end2 == std::string::npos ? std::string::npos : end2 - at);
      EXPECT_NE(window.find("never stop or change"), std::string::npos) << t;
    }
  }
  EXPECT_GE(mentions, 4);
  bool precare = false, aftercare = false;
  for (const DatedCare& c : p.precare) precare = precare || c.id == "anticoagulant";
  for (const AftercareText& c : p.aftercare) aftercare = aftercare || c.when == CareCondition::anticoagulant;
  EXPECT_TRUE(precare && aftercare);
  for (const AftercareText& c : q.aftercare) EXPECT_FALSE(c.when);
}

TEST(Care, ConditionsComeFromTheIntakeAndSelectTexts) {
  assess::Intake k;
  k.history.medications = {assess::Medication::blood_pressure, assess::Medication::anticoagulant, assess::Medication::retinoid};
  k.client.hair_color = assess::HairColor::grey;
  const Case& c = norwood_v();
  EXPECT_EQ(care_conditions(k, c.d),
            (std::vector<CareCondition>{CareCondition::anticoagulant, CareCondition::topical_retinoid, CareCondition::grey_hair}));
  EXPECT_TRUE(care_conditions(assess::Intake{}, c.d).empty());
  // Topical retinoid (brief section 11): stop 2-4 weeks before, none on the treated scalp 2 weeks after.
  PlanInputs in = start_on("2027-03-01");
  in.conditions = {CareCondition::topical_retinoid};
  const Plan p = plan_with(default_clinic(), default_prices(), in);
  EXPECT_GE((p.appointments[0].date - in.start).count(), 14);  // session 1 waits the pause
  bool before = false, after = false;
  for (const DatedCare& d : p.precare)
    if (d.id == "retinoid-pause") before = (p.appointments[0].date - d.date).count() >= 14;
  for (const AftercareText& a : p.aftercare)
    if (a.when == CareCondition::topical_retinoid) after = a.from == 0 && a.to == 13;
  EXPECT_TRUE(before);
  EXPECT_TRUE(after);
  // A minoxidil or hair-dye text only for those clients (the intake values come with the assessment's vocabulary).
  for (const DatedCare& d : p.precare) EXPECT_TRUE(d.id != "minoxidil-pause" && d.id != "hair-dye") << d.id;
  in.conditions = {CareCondition::minoxidil, CareCondition::hair_dye};
  const Plan m = plan_with(default_clinic(), default_prices(), in);
  int minoxidil = 0, dye = 0;
  for (const DatedCare& d : m.precare) {
    const Appointment& a = m.appointments[static_cast<std::size_t>(d.appointment - 1)];
    if (d.id == "minoxidil-pause") {  // 7 days before each session
      ++minoxidil;
      EXPECT_EQ((a.date - d.date).count(), 7);
    }
    if (d.id == "hair-dye") {  // at least 2 weeks before
      ++dye;
      EXPECT_EQ((a.date - d.date).count(), 14);
    }
  }
  EXPECT_EQ(minoxidil, 3);
  EXPECT_EQ(dye, 1);
}

// Aftercare spans last as long as their text says (brief section 11: dry 3-5
// days, no sweating 4-10 days, shave from day 4, no swimming, chlorine or sauna
// about 4 weeks after the final session, sun cover 2-4 weeks then SPF 30+).
TEST(Care, AftercareSpansMatchTheirTexts) {
  const CareTexts care = default_care();
  for (const AftercareText& a : care.aftercare) {
    const int last = a.to.value_or(a.from);
    const auto says = [&](const char* w) { return a.text.find(w) != std::string::npos; };
    if (says("4 weeks")) {
      EXPECT_EQ(last, 27) << a.text;
    } else if (says("2 weeks")) {
      EXPECT_EQ(last, 13) << a.text;
    } else if (says("a week") || says("7 days")) {
      EXPECT_EQ(last, 7) << a.text;
    }
    if (says("Keep your scalp dry")) {
      EXPECT_GE(last, 2);  // dry 3-5 days (days 0..last)
      EXPECT_LE(last, 4);
    }
    if (a.text.find("No sweating") != std::string::npos) {
      EXPECT_GE(last, 4);
      EXPECT_LE(last, 10);
    }
    if (says("shave again")) {
      EXPECT_EQ(a.from, 4);
    }
    if (says("swimming") && a.after_final) {
      EXPECT_TRUE(says("SPF 30"));
    }
  }
}

TEST(Money, TaxIsPrintedAsThePercentageCharged) {
  EXPECT_EQ(format_percent(200000), "20");
  EXPECT_EQ(format_percent(100000), "10");
  EXPECT_EQ(format_percent(50000), "5");
  EXPECT_EQ(format_percent(75000), "7.5");
  EXPECT_EQ(format_percent(0), "0");
  EXPECT_EQ(format_percent(1000000), "100");
  EXPECT_EQ(format_percent(123456), "12.3456");
  // Prices that include 20% VAT: 2,200.00 holds 366.67 of VAT (2,200 / 1.2 = 1,833.33).
  EXPECT_EQ(included_tax(220000, 200000, Rounding::half_up), 36667);
  EXPECT_EQ(included_tax(250000, 100000, Rounding::half_up), 22727);  // JPY 250,000 at 10%
  EXPECT_EQ(included_tax(0, 200000, Rounding::half_up), 0);
  EXPECT_EQ(included_tax(12, 0, Rounding::half_up), 0);
  EXPECT_EQ(included_tax(3, 500000, Rounding::half_up), 1);  // 3 x 0.5 / 1.5 = 1 exactly
  EXPECT_EQ(included_tax(100000000000000, 999999, Rounding::half_up), 49999974999987);
}

// field/tax-rates: pricing-{GBP,JPY,KWD}.json (tax 0.20, 0.10, 0.05).
TEST(Money, TheFieldsPriceListsInTheirCurrencies) {
  struct Row {
    const char* currency;
    int decimals;
    const char* price;
    const char* rate;
    const char* tax;
    const char* total;
  };
  for (const Row& r : {Row{"GBP", 2, "2200.00", "0.20", "440.00", "2640.00"}, Row{"JPY", 0, "250000", "0.10", "25000", "275000"},
                       Row{"KWD", 3, "650.125", "0.05", "32.506", "682.631"}}) {
    const std::string list = fmt::format(
        R"({{"schema": "stipple.pricing/1", "currency": "{}", "decimals": {}, "consultation": "0",
            "treatment": {{"by": "area", "tiers": [{{"up_to_cm2": null, "price": "{}", "label": "all areas"}}]}},
            "scar_surcharge": "0", "touch_up": "0", "tax_rate": "{}", "rounding": "half_up"}})",
        r.currency, r.decimals, r.price, r.rate);
    auto prices = parse_pricing(list, "p.json");
    ASSERT_TRUE(prices) << prices.error().message();
    const Plan p = plan_with(default_clinic(), *prices, start_on("2027-03-01"));
    const io::Json j = plan_to_json(p, default_clinic());
    EXPECT_EQ(j["quote"]["currency"], r.currency);
    EXPECT_EQ(j["quote"]["tax"], r.tax) << r.currency;
    EXPECT_EQ(j["quote"]["total"], r.total) << r.currency;
    EXPECT_EQ(j["quote"]["tax_included"], false);
    // The same list with its prices including the tax (VAT).
    auto vat = parse_pricing(without(list, R"("rounding")", R"("tax_included": true, "tax_name": "VAT", "rounding")"), "p.json");
    ASSERT_TRUE(vat) << vat.error().message();
    const Plan v = plan_with(default_clinic(), *vat, start_on("2027-03-01"));
    EXPECT_EQ(v.quote.total, v.quote.subtotal);
    EXPECT_EQ(v.quote.total, *parse_amount(r.price, r.decimals));
    EXPECT_EQ(v.quote.tax_name, "VAT");
  }
  EXPECT_EQ(parse_pricing(without(std::string(default_pricing_json()), R"("rounding")", R"("tax_included": "yes", "rounding")"), "p.json")
                .error()
                .field,
            "tax_included");
}

TEST(Plan, ScarCamouflageHasAPriceLineOfItsOwn) {
  const Case& c = fut_scar();
  auto p = make_plan(c.d, c.a, c.p.dots, default_clinic(), default_prices(), default_care(), start_on("2027-03-01"), "clinic.json");
  ASSERT_TRUE(p) << p.error().message();
  ASSERT_FALSE(p->quote.lines.empty());
  for (const QuoteLine& l : p->quote.lines) {
    EXPECT_EQ(l.item.find("hairline, temples or a crown"), std::string::npos) << l.item;
    EXPECT_EQ(l.item.find("surcharge"), std::string::npos) << l.item;
  }
  EXPECT_EQ(p->quote.lines.back().item.rfind("Scar camouflage, 3 sessions", 0), 0u) << p->quote.lines.back().item;
  EXPECT_EQ(p->quote.lines.back().unit_price, *default_prices().scar_camouflage);
}

TEST(Plan, AClinicThatCannotHoldASessionIsRefused) {
  Clinic clinic = default_clinic();
  for (auto& h : clinic.hours) h.reset();
  clinic.hours[5] = std::array<int, 2>{9 * 60, 9 * 60 + 50};  // Saturdays, 50 minutes
  const Case& c = norwood_v();
  auto p = make_plan(c.d, c.a, c.p.dots, clinic, default_prices(), default_care(), start_on("2027-03-01"), "clinic.json");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().file, "clinic.json");
  EXPECT_EQ(p.error().field, "hours");
}

// The report's bytes: tests/check_pdf.py reads whole reports back with
// Poppler; here, what only the library can be given.
TEST(Report, RefusesAPictureThatIsNotAPngAndIsTheSameEachTime) {
  const Case& c = norwood_v();
  const Plan p = plan_with(default_clinic(), default_prices(), start_on("2027-03-01"));
  const Clinic clinic = default_clinic();
  ReportInputs in;
  in.design = &c.d;
  in.plan = &p;
  in.clinic = &clinic;
  in.issued = p.start;
  const auto a = report_pdf(in, Paper::a4, "r.pdf"), b = report_pdf(in, Paper::a4, "r.pdf");
  ASSERT_TRUE(a) << a.error().message();
  EXPECT_EQ(a->substr(0, 5), "%PDF-");
  EXPECT_EQ(*a, *b);
  const auto letter = report_pdf(in, Paper::letter, "r.pdf");
  ASSERT_TRUE(letter);
  EXPECT_NE(letter->find("/MediaBox [ 0 0 612 792 ]"), std::string::npos);
  EXPECT_NE(a->find("/MediaBox [ 0 0 595.28 841.89 ]"), std::string::npos);
  in.pictures.push_back({"\x89PNG but not really", "Healed", ""});
  const auto bad = report_pdf(in, Paper::a4, "r.pdf");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().file, "r.pdf");
  EXPECT_EQ(bad.error().field, "pictures");
}

TEST(Calendar, TextIsEscapedAsRfc5545Says) {
  // Section 3.3.11: backslash, semicolon and comma escaped; a newline as \n.
  EXPECT_EQ(ics_escape("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
  EXPECT_EQ(ics_escape("plain text: 09:00"), "plain text: 09:00");
  EXPECT_EQ(ics_escape("line\r\nnext"), "line\\nnext");
}

TEST(Calendar, LinesFoldAt75OctetsBetweenCharacters) {
  EXPECT_EQ(ics_fold("SUMMARY:short"), "SUMMARY:short\r\n");
  const std::string ascii(200, 'x');
  const std::string folded = ics_fold(ascii);
  // 75 octets, then lines of a space and 74 more.
  EXPECT_EQ(folded.substr(0, 77), std::string(75, 'x') + "\r\n");
  EXPECT_EQ(folded, std::string(75, 'x') + "\r\n " + std::string(74, 'x') + "\r\n " + std::string(51, 'x') + "\r\n");
  // Two-octet letters (é) starting at an odd offset never straddle a fold.
  std::string accents = "D";
  for (int i = 0; i < 100; ++i) accents += "é";
  std::istringstream lines(ics_fold(accents));
  std::string unfolded, line;
  while (std::getline(lines, line)) {
    ASSERT_FALSE(line.empty());
    ASSERT_EQ(line.back(), '\r');
    line.pop_back();
    EXPECT_LE(line.size(), 75u);
    if (!unfolded.empty()) {
      ASSERT_EQ(line[0], ' ');
      line.erase(0, 1);
    }
    // No line starts with a UTF-8 continuation octet.
    EXPECT_NE(static_cast<unsigned char>(line[0]) & 0xC0, 0x80);
    unfolded += line;
  }
  EXPECT_EQ(unfolded, accents);
}

TEST(TimeZone, ClinicFileNamesAnIanaZone) {
  EXPECT_EQ(default_clinic().time_zone, "America/New_York");  // the bundled clinic (US holidays, USD)
  const std::string clinic(default_clinic_json());
  const auto zone_error = [&](const std::string& to) {
    auto r = parse_clinic(without(clinic, "\"time_zone\": \"America/New_York\"", to), "c.json");
    return r ? std::string("accepted") : r.error().file + " " + r.error().field;
  };
  EXPECT_EQ(zone_error("\"time_zone\": \"Europe/London\""), "accepted");
  EXPECT_EQ(zone_error("\"time_zone\": \"Europe/Londn\""), "c.json time_zone");
  EXPECT_EQ(zone_error("\"time_zone\": \"\""), "c.json time_zone");
  EXPECT_EQ(zone_error("\"time_zone\": 1"), "c.json time_zone");
  EXPECT_EQ(zone_error("\"time_zone_x\": \"UTC\""), "c.json time_zone_x");
}

TEST(TimeZone, WallClockTimesBecomeInstantsAsRfc5545Says) {
  using namespace std::chrono;
  const auto london = TimeZone::locate("Europe/London");
  const auto new_york = TimeZone::locate("America/New_York");
  ASSERT_TRUE(london && new_york);
  EXPECT_FALSE(TimeZone::locate("Mars/Olympus_Mons"));
  EXPECT_FALSE(TimeZone::locate("localtime"));  // the machine's zone, not a name
  EXPECT_TRUE(TimeZone::locate("US/Eastern"));  // an IANA link (tzdata's "backward")
  const auto at = [](const char* day, int h, int m = 0) { return sys_seconds{*parse_date(day)} + hours{h} + minutes{m}; };
  // BST from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October.
  EXPECT_EQ(london->instant(*parse_date("2027-03-27"), 9 * 60), at("2027-03-27", 9));
  EXPECT_EQ(london->instant(*parse_date("2027-03-28"), 9 * 60), at("2027-03-28", 8));
  EXPECT_EQ(london->instant(*parse_date("2027-10-31"), 9 * 60), at("2027-10-31", 9));
  // 01:30 on 2027-03-28 does not exist: read with the offset before the gap (GMT).
  EXPECT_EQ(london->instant(*parse_date("2027-03-28"), 90), at("2027-03-28", 1, 30));
  // 01:30 on 2027-10-31 happens twice: the first (BST).
  EXPECT_EQ(london->instant(*parse_date("2027-10-31"), 90), at("2027-10-31", 0, 30));
  // EDT from the second Sunday of March to the first Sunday of November (02:00 local).
  EXPECT_EQ(new_york->instant(*parse_date("2027-03-13"), 9 * 60), at("2027-03-13", 14));
  EXPECT_EQ(new_york->instant(*parse_date("2027-03-14"), 9 * 60), at("2027-03-14", 13));
  EXPECT_EQ(new_york->instant(*parse_date("2027-11-07"), 9 * 60), at("2027-11-07", 14));
}

TEST(TimeZone, VtimezoneHasTheZonesYearlyRules) {
  const auto lines = [](const char* zone) {
    std::string all;
    for (const std::string& l : TimeZone::locate(zone)->vtimezone(*parse_date("2026-03-01"), *parse_date("2032-04-07"))) all += l + "\n";
    return all;
  };
  EXPECT_EQ(lines("Europe/London"),
            "BEGIN:VTIMEZONE\nTZID:Europe/London\n"
            "BEGIN:DAYLIGHT\nDTSTART:20260329T010000\nTZOFFSETFROM:+0000\nTZOFFSETTO:+0100\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nTZNAME:BST\nEND:DAYLIGHT\n"
            "BEGIN:STANDARD\nDTSTART:20261025T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0000\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nTZNAME:GMT\nEND:STANDARD\n"
            "END:VTIMEZONE\n");
  EXPECT_NE(lines("America/New_York").find("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\nTZNAME:EDT"), std::string::npos);
  // No daylight saving: one observance with the zone's offset.
  EXPECT_EQ(lines("Asia/Kolkata"),
            "BEGIN:VTIMEZONE\nTZID:Asia/Kolkata\n"
            "BEGIN:STANDARD\nDTSTART:20260101T000000\nTZOFFSETFROM:+0530\nTZOFFSETTO:+0530\nTZNAME:IST\nEND:STANDARD\n"
            "END:VTIMEZONE\n");
}

TEST(Calendar, TimeOfIssueAndSequence) {
  using namespace std::chrono;
  EXPECT_EQ(parse_issued("2027-03-01"), sys_seconds{*parse_date("2027-03-01")});
  EXPECT_EQ(parse_issued("2027-03-01T10:05:09Z"), sys_seconds{*parse_date("2027-03-01")} + hours{10} + minutes{5} + seconds{9});
  for (const char* bad : {"2027-03-01T10:05:09", "2027-03-01 10:05:09Z", "2027-03-01T24:00:00Z", "1999-12-31", "2027-3-1", ""})
    EXPECT_FALSE(parse_issued(bad)) << bad;
  EXPECT_EQ(calendar_sequence(*parse_issued("2000-01-01")), 0);
  EXPECT_EQ(calendar_sequence(*parse_issued("2000-01-02T00:01:59Z")), 24 * 60 + 1);
  EXPECT_LT(calendar_sequence(*parse_issued("2027-03-01T10:05:00Z")), calendar_sequence(*parse_issued("2027-03-01T10:06:00Z")));
  EXPECT_LT(calendar_sequence(*parse_issued("2199-12-31T23:59:59Z")), std::int64_t{1} << 31);  // an INTEGER (section 3.3.8)
}

TEST(Care, AftercareDaysAreRead) {
  auto c = parse_care(default_care_json(), "care.json");
  ASSERT_TRUE(c) << c.error().message();
  ASSERT_GE(c->aftercare.size(), 5u);
  EXPECT_EQ(c->aftercare[0].from, 0);
  EXPECT_EQ(c->aftercare[0].to, 0);
  EXPECT_EQ(c->aftercare[1].from, 1);
  EXPECT_EQ(c->aftercare[1].to, 4);
  EXPECT_TRUE(c->aftercare[3].until_next);
  EXPECT_FALSE(c->aftercare[3].to);
  EXPECT_EQ(c->aftercare[3].looks, std::vector<design::Look>{design::Look::shaved});  // shaving: the shaved look only
  EXPECT_EQ(c->aftercare[5].looks, (std::vector<design::Look>{design::Look::scar_camouflage, design::Look::patch_camouflage}));
  EXPECT_TRUE(c->aftercare[11].after_final);
  EXPECT_EQ(c->aftercare[11].to, 27);
  EXPECT_EQ(c->aftercare[7].when, CareCondition::minoxidil);
  const auto with = [](std::string_view entry) {
    return fmt::format(R"({{"schema": "stipple.care/1", "precare": [{{"id": "a", "days_before": 3, "sessions": "all", "text": "t"}}],
                          "aftercare": [{}]}})", entry);
  };
  EXPECT_TRUE(parse_care(with(R"({"day": "x", "from": 2, "text": "t"})"), "c.json"));
  const auto error_of = [&](std::string_view entry) {
    auto r = parse_care(with(entry), "c.json");
    return r ? std::string("accepted") : r.error().message();
  };
  EXPECT_NE(error_of(R"({"day": "x", "from": 5, "to": 4, "text": "t"})").find("aftercare[0].to"), std::string::npos);
  EXPECT_NE(error_of(R"({"day": "x", "from": "first", "text": "t"})").find("aftercare[0].from"), std::string::npos);
  EXPECT_NE(error_of(R"({"day": "x", "text": "t"})").find("aftercare[0].from"), std::string::npos);
  EXPECT_NE(error_of(R"({"day": "x", "from": "final", "to": "next", "text": "t"})").find("aftercare[0].to"), std::string::npos);
  EXPECT_NE(error_of(R"({"day": "x", "from": 0, "when": "minoxydil", "text": "t"})").find("aftercare[0].when"), std::string::npos);
}

// A woman keeping long hair (the density look, Ludwig II).
const testing::TestClient& density_client() {
  static const testing::TestClient c = [] {
    design::DesignOptions o;
    o.sex = assess::Sex::female;
    o.age = 47;
    o.ludwig = assess::Ludwig::II;
    o.look = design::Look::density;
    o.seed = 42;
    design::Design d = *design::make_design(o);
    scalp::Anatomy a = *design::build_anatomy(d);
    pattern::Pattern p = *pattern::make_pattern(d, a);
    return testing::TestClient{std::move(d), std::move(a), std::move(p)};
  }();
  return c;
}

std::string lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// Brief section 7 ("women enhancing long hair do not shave") and section 11
// (density work only matches while the hair is worn long): nothing a client
// keeping her hair reads tells her to shave, grey hair included.
TEST(Care, AClientKeepingLongHairIsNeverToldToShave) {
  const testing::TestClient& c = density_client();
  PlanInputs in = start_on("2027-03-01");
  in.conditions = {CareCondition::grey_hair};
  auto p = make_plan(c.d, c.a, c.p.dots, default_clinic(), default_prices(), default_care(), in, "clinic.json");
  ASSERT_TRUE(p) << p.error().message();
  bool keep_hair = false, after_day4 = false;
  // "shave" only as "do not shave".
  const auto tells_to_shave = [](const std::string& t) {
    const std::string l = lower(t);
    return l.find("shave") != std::string::npos && l.find("not shave") == std::string::npos;
  };
  for (const DatedCare& t : p->precare) {
    EXPECT_FALSE(tells_to_shave(t.text)) << t.id << ": " << t.text;
    keep_hair = keep_hair || t.id == "keep-hair";
  }
  for (const AftercareText& t : p->aftercare) {
    EXPECT_FALSE(tells_to_shave(t.text)) << t.day << ": " << t.text;
    after_day4 = after_day4 || (t.until_next && t.text.find("keep your hair long") != std::string::npos);
  }
  EXPECT_TRUE(keep_hair);
  EXPECT_TRUE(after_day4);  // the days from 4 have their own text, not none
  // The shaved look still gets its shaving advice.
  const Plan shaved = plan_with(default_clinic(), default_prices(), in);
  bool shave = false;
  for (const AftercareText& t : shaved.aftercare) shave = shave || t.text.find("From day 4 you may shave again") != std::string::npos;
  EXPECT_TRUE(shave);
}

// Aspirin or ibuprofen taken regularly: the assessment asks the client to ask
// the doctor whether a 72-hour pause is safe (CI-72H), so the plan says so
// and leaves the 3 days that pause would need before session 1.
TEST(Care, RegularPainkillersLeaveTimeToAskTheDoctor) {
  assess::Intake k;
  k.history.medications = {assess::Medication::aspirin};
  PlanInputs in = start_on("2027-03-01");
  in.conditions = care_conditions(k, norwood_v().d);
  ASSERT_EQ(in.conditions, std::vector<CareCondition>{CareCondition::regular_painkillers});
  const Plan p = plan_with(default_clinic(), default_prices(), in);
  EXPECT_GE((p.appointments[0].date - in.start).count(), 3);
  bool asked = false;
  for (const DatedCare& t : p.precare)
    asked = asked || (t.id == "regular-painkillers" && t.text.find("ask the doctor") != std::string::npos && t.date >= in.start);
  EXPECT_TRUE(asked);
}

// A price list with neither an extra-session nor a per-session price, and no
// touch-up price: the extra session is the treatment's price shared over its
// sessions, never nothing.
TEST(Quote, AnExtraSessionIsNeverQuotedAtNothing) {
  PriceList prices = default_prices();
  prices.extra_session.reset();
  prices.per_session.reset();
  prices.touch_up = 0;
  PlanInputs in = start_on("2027-03-01");
  in.conditions = {CareCondition::anticoagulant};
  const Plan p = plan_with(default_clinic(), prices, in);
  const QuoteLine& extra = p.quote.lines.back();
  ASSERT_NE(extra.item.find("Extra session"), std::string::npos) << extra.item;
  const QuoteLine& treatment = p.quote.lines[p.quote.lines.size() - 2];
  EXPECT_EQ(extra.amount, treatment.amount / 3);  // 3 sessions
  EXPECT_GT(extra.amount, 0);
}

}  // namespace
}  // namespace stipple::plan
