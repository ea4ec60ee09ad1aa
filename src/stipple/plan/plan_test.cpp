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
  // Brief section 7: sessions 1-5 hours, 7-14 days apart typically, 60-120 dots a minute.
  EXPECT_LE(c.max_session_min, 300);
  EXPECT_GE(c.spacing_min_days, 7);
  EXPECT_LE(c.spacing_max_days, 14);
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
  EXPECT_EQ(care.aftercare.size(), 4u);
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
  EXPECT_EQ(clinic_error(without(clinic, "\"max_minutes\": 300", "\"max_minutes\": 40")), "session.max_minutes");
  EXPECT_EQ(clinic_error(without(clinic, "\"three_point\": 100", "\"three_point\": 1000")), "session.dots_per_minute.three_point");
  EXPECT_EQ(clinic_error(without(clinic, "\"phone\"", "\"telephone\"")), "telephone");
  EXPECT_EQ(price_error(without(prices, "\"tax_rate\": \"0\"", "\"tax_rate\": \"20%\"")), "tax_rate");
  EXPECT_EQ(price_error(without(prices, "\"touch_up\": \"400.00\"", "\"touch_up\": 400.5")), "touch_up");
  EXPECT_EQ(price_error(without(prices, "\"up_to_cm2\": 250", "\"up_to_cm2\": 50")), "treatment.tiers[1].up_to_cm2");
  EXPECT_EQ(price_error(without(prices, "\"price\": \"2200.00\"", "\"price\": \"2,200\"")), "treatment.tiers[1].price");
  EXPECT_EQ(price_error(without(prices, "\"currency\": \"USD\"", "\"currency\": \"dollars\"")), "currency");
  EXPECT_EQ(price_error(without(prices, "\"by\": \"area\"", "\"by\": \"hour\"")), "treatment.by");
  EXPECT_EQ(price_error(without(prices, "\"rounding\": \"half_up\"", "\"rounding\": \"up\"")), "rounding");
  EXPECT_EQ(parse_care(without(care, "\"sessions\": \"all\"", "\"sessions\": \"some\""), "k.json").error().field, "precare[0].sessions");
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
    // Duration: preparation + numbing + the dots at the clinic's rates, rounded up to 5 minutes.
    const int work = work_minutes(clinic, a);
    EXPECT_GE(a.duration_min, clinic.preparation_min + clinic.numbing_min + work);
    EXPECT_LT(a.duration_min, clinic.preparation_min + clinic.numbing_min + work + 5);
    EXPECT_EQ(a.duration_min % 5, 0);
    EXPECT_LE(a.start_min + a.duration_min, (*clinic.hours[wd - 1])[1]);
  }
  EXPECT_EQ(dots, norwood_v().p.dots.size());
  EXPECT_EQ(format_date(p.appointments[0].date), "2026-12-21");  // Monday: the first open day
  for (std::size_t i = 1; i < p.appointments.size(); ++i) {
    const auto gap = (p.appointments[i].date - p.appointments[i - 1].date).count();
    EXPECT_GE(gap, clinic.spacing_min_days);
    EXPECT_LE(gap, clinic.spacing_max_days);
  }
  EXPECT_TRUE(p.notes.empty());
}

TEST(Plan, LongSessionsAreSplitOverOpenDays) {
  Clinic clinic = default_clinic();
  clinic.max_session_min = 75;
  const Plan p = plan_with(clinic, default_prices(), start_on("2027-03-01"));
  EXPECT_GT(p.appointments.size(), 3u);
  std::size_t dots = 0;
  for (const Appointment& a : p.appointments) {
    dots += a.dots;
    EXPECT_LE(a.duration_min, 75);
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

TEST(Plan, PatchTestComesAWeekBeforeTheFirstSession) {
  PlanInputs in = start_on("2027-03-01");
  in.patch_test = true;
  const Plan p = plan_with(default_clinic(), default_prices(), in);
  EXPECT_GE((p.appointments[0].date - in.start).count(), 7);
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
  EXPECT_EQ(q.appointments[0].date, *parse_date("2027-03-01"));
}

TEST(Plan, PrecareIsDatedFromEachVisit) {
  const Plan p = plan_with(default_clinic(), default_prices(), start_on("2027-03-01"));
  int avoid = 0, shave = 0;
  for (const DatedCare& c : p.precare) {
    const Appointment& a = p.appointments[static_cast<std::size_t>(c.appointment - 1)];
    if (c.id == "avoid-72h") {  // brief: 72 hours before
      ++avoid;
      EXPECT_EQ((a.date - c.date).count(), 3);
    }
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
  ASSERT_EQ(c->aftercare.size(), 4u);
  EXPECT_EQ(c->aftercare[0].from, 0);
  EXPECT_EQ(c->aftercare[0].to, 0);
  EXPECT_EQ(c->aftercare[1].from, 1);
  EXPECT_EQ(c->aftercare[1].to, 4);
  EXPECT_TRUE(c->aftercare[2].until_next);
  EXPECT_FALSE(c->aftercare[2].to);
  EXPECT_TRUE(c->aftercare[3].after_final);
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
}

}  // namespace
}  // namespace stipple::plan
