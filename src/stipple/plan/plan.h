// stipple/plan/plan.h: the treatment plan (`stipple plan`): appointments from
// the pattern's sessions, their durations and dates in the clinic's week,
// dated pre-care, aftercare, the touch-up forecast and the quote.
//
// Inputs beside the design and its dots are three of the clinic's own files,
// each with a bundled default: the clinic (opening hours, holidays, session
// limits, placement rates), the price list and the care texts. docs/plan.md
// gives every rule and where its figures come from.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stipple/assess/intake.h"
#include "stipple/io/known_fields.h"
#include "stipple/core/error.h"
#include "stipple/design/design.h"
#include "stipple/io/json_document.h"
#include "stipple/pattern/pattern.h"
#include "stipple/plan/money.h"
#include "stipple/simulate/stage.h"

namespace stipple::plan {

using Day = std::chrono::sys_days;

// "2026-11-21" (a real calendar day, years 2000-2199).
std::optional<Day> parse_date(std::string_view text);
std::string format_date(Day d);
// "09:30" as minutes from midnight.
std::optional<int> parse_clock(std::string_view text);
std::string format_clock(int minutes);

// A range of days between two sessions, inclusive; the plan aims at its middle.
struct Spacing {
  int min_days = 10, max_days = 14;
};

struct Clinic {
  std::string name, address, phone, email, bring;
  // The IANA time zone of the clinic's wall clock ("Europe/London"): opening
  // hours and appointment times are in it; the calendar names it.
  std::string time_zone = "UTC";
  // Opening hours Monday..Sunday as [open, close) minutes from midnight.
  std::array<std::optional<std::array<int, 2>>, 7> hours;
  std::vector<Day> holidays;  // sorted
  // The clinic's usual start of a visit ("session.usual_start"); none: opening
  // time. A visit starts then, or earlier when it would end after closing.
  std::optional<int> usual_start_min;
  int max_session_min = 480;
  int preparation_min = 15, numbing_min = 20;
  // Spacing (brief section 11: 10-30 days; one clinic: session 2 at 10-14 days,
  // session 3 four weeks later): before session 2, before each later session,
  // and between scar-camouflage sessions.
  Spacing spacing{10, 14}, later_spacing{26, 30}, scar_spacing{26, 30};
  double single_point_per_min = 60, three_point_per_min = 100;
  // Chair time (brief section 11 "Session length"): the first session's length
  // in minutes by the treatment area in cm², interpolated linearly between
  // points sorted by area (flat beyond the ends); each later session that much
  // shorter; a scar-camouflage session's length; the patch test's length.
  // The placement rates above are a floor under every session.
  std::vector<std::array<double, 2>> first_session_by_area{{0, 120}, {100, 240}, {200, 330}, {280, 420}, {360, 480}};
  int later_shorter_min = 30;
  int scar_first_session_min = 240;
  int patch_test_min = 15;

  bool open_on(Day d) const;
  int open_minutes(Day d) const;  // 0 when closed
};

struct AreaTier {
  std::optional<double> up_to_cm2;  // none: open-ended
  std::int64_t price = 0;
  std::string label;
};

struct PriceList {
  std::string currency;
  int decimals = 2;
  std::int64_t consultation = 0;
  std::vector<AreaTier> tiers;               // treatment priced by area, or
  std::optional<std::int64_t> per_session;   // by session
  std::int64_t scar_surcharge = 0;           // per scar, inside a wider treatment
  // Scar camouflage on its own (the look `scar_camouflage`): its own line, per
  // scar; none: priced by area like any other treatment.
  std::optional<std::int64_t> scar_camouflage;
  // One extra session (for clients on anticoagulants, brief section 11); none:
  // the per-session price, else the touch-up price.
  std::optional<std::int64_t> extra_session;
  std::int64_t touch_up = 0;
  std::int64_t tax_ppm = 0;
  // The prices include the tax (VAT): the quote shows the tax they hold.
  bool tax_included = false;
  std::string tax_name = "Tax";  // "VAT", "GST", ...
  Rounding rounding = Rounding::half_up;
};

// Conditions of the client that select care texts ("when" in the care file),
// computed from the intake by care_conditions(). patch_test: the assessment
// asks for a patch test before session 1.
// regular_painkillers: aspirin or ibuprofen taken regularly (history.medications).
enum class CareCondition { patch_test, anticoagulant, minoxidil, hair_dye, topical_retinoid, isotretinoin, grey_hair, scar, regular_painkillers };

struct CareText {
  std::string id, text;
  int days_before = 0;
  bool first_only = false;
  std::optional<design::Look> look;  // only for this look
  std::optional<CareCondition> when;  // only for clients with this condition
  bool needs_patch_test = false;     // when == patch_test: the patch test itself
};
// Aftercare for days `from`..`to` after each session (day 0: the session's
// own day), or once after the final session.
struct AftercareText {
  std::string day, text;
  bool after_final = false;  // "from": "final"
  int from = 0;
  std::optional<int> to;     // last day; none: only the first day (or until_next)
  bool until_next = false;   // "to": "next": until the day before the next session
  std::optional<CareCondition> when;  // only for clients with this condition
  std::vector<design::Look> looks;    // only for these looks ("look": a word or a list); empty: every look
};
struct CareTexts {
  std::vector<CareText> precare;
  std::vector<AftercareText> aftercare;
};

// The clinic (stipple.clinic/1), price list (stipple.pricing/1) and care texts
// (stipple.care/1); docs/plan.md. Unknown fields are refused naming the
// nearest known one, or ignored with a warning when `options.lenient`.
Result<Clinic> parse_clinic(std::string_view text, const std::string& file, const io::ReadOptions& options = {});
Result<PriceList> parse_pricing(std::string_view text, const std::string& file, const io::ReadOptions& options = {});
Result<CareTexts> parse_care(std::string_view text, const std::string& file, const io::ReadOptions& options = {});
// The bundled defaults (data/clinic/default.json, data/pricing/default.json,
// data/plan/care.json), built into the program.
std::string_view default_clinic_json();
std::string_view default_pricing_json();
std::string_view default_care_json();
// Their JSON Schemas (docs/schemas/clinic.schema.json, pricing.schema.json,
// care.schema.json; `stipple schema clinic|pricing|care`), built into the program.
std::string_view clinic_schema_json();
std::string_view pricing_schema_json();
std::string_view care_schema_json();

// The care conditions of an intake (and of the design: scars), sorted, once each:
// anticoagulant (history.medications anticoagulant), topical_retinoid
// (retinoid), grey_hair (client.hair_color grey or white), scar (scalp.scars or
// the scar-camouflage look). patch_test is the plan's own (PlanInputs).
std::vector<CareCondition> care_conditions(const assess::Intake& intake, const design::Design& d);

struct PlanInputs {
  Day start;
  simulate::Sun sun = simulate::Sun::moderate;
  int fitzpatrick = 3;
  bool patch_test = false;  // the assessment asks for a patch test before session 1
  std::vector<CareCondition> conditions;  // care_conditions(); selects care texts and the extra session
  std::optional<int> start_min;           // the client's preferred start time (minutes from midnight)
};

struct Appointment {
  int number = 0;       // 1.. in date order
  int session = 0;      // the pattern's session it carries
  int part = 1, parts = 1;  // a session longer than the clinic allows is split over days
  Day date{};
  int start_min = 0, duration_min = 0;
  std::size_t dots = 0, single_point_dots = 0;
  // An extra session beyond the pattern's (anticoagulants, brief section 11):
  // it fills in where the pigment did not hold and carries no dots of its own.
  bool extra = false;
};

// The patch test: a short timed visit of its own.
struct PatchTestVisit {
  Day date{};
  int start_min = 0, duration_min = 0;
};

struct DatedCare {
  Day date{};
  int appointment = 0;
  std::string id, text;
  bool patch_test = false;  // the patch test itself (dated on its own day)
};

struct QuoteLine {
  std::string item;
  std::int64_t qty = 1;
  std::int64_t unit_price = 0, amount = 0;
};

struct Quote {
  std::string currency;
  int decimals = 2;
  std::vector<QuoteLine> lines;
  std::int64_t subtotal = 0, tax = 0, total = 0, tax_ppm = 0;
  // The prices include the tax: subtotal == total and `tax` is the part of it
  // that is tax.
  bool tax_included = false;
  std::string tax_name = "Tax";
};

struct TouchUp {
  double years = 0, years_min = 0, years_max = 0;
  Day date{};
  std::int64_t price = 0;
};

struct Plan {
  std::vector<Appointment> appointments;
  std::vector<DatedCare> precare;
  std::vector<AftercareText> aftercare;
  TouchUp touch_up;
  Quote quote;
  double treatment_area_cm2 = 0;
  int scars = 0;
  std::vector<std::string> notes;  // e.g. a gap stretched by closed days
  Day start{};                     // the earliest day asked for (--start)
  std::optional<Day> patch_test;   // the patch test's day, when one comes first
  // The practitioner's reason for planning although the assessment blocks
  // booking (`plan --override`, assess/gate.h); the calendar and the report print it.
  std::optional<std::string> override_reason;
  std::optional<PatchTestVisit> patch_test_visit;  // its time and length
  std::vector<CareCondition> conditions;           // those the care texts were chosen by
};

// Errors name `clinic_file` when the clinic cannot hold the sessions (no open
// day long enough within a year).
Result<Plan> make_plan(const design::Design& d, const scalp::Anatomy& a, const std::vector<pattern::Dot>& dots,
                       const Clinic& clinic, const PriceList& prices, const CareTexts& care, const PlanInputs& in,
                       const std::string& clinic_file);

// `stipple.plan/1`.
io::Json plan_to_json(const Plan& p, const Clinic& clinic);

// An area as every document prints it in whole cm²: first to 0.1 cm², as the
// JSON outputs write it (measure, plan), then halves up, so that 195.49 is
// 195.5 in plan.json and 196 cm² in the report, the quote and the demo alike.
int whole_cm2(double area_cm2);

// A length of time in the client's words: "45 min", "5 h", "5 h 30 min".
std::string duration_words(int minutes);
// The touch-up forecast in the client's words, the same in every document:
// "about 3.4 years (3.1-3.9)" (years to one decimal).
std::string touch_up_words(const TouchUp& t);

}  // namespace stipple::plan

namespace stipple {
template <>
inline constexpr auto enum_names<plan::CareCondition> = std::array<std::string_view, 9>{
    "patch_test", "anticoagulant", "minoxidil", "hair_dye", "topical_retinoid", "isotretinoin", "grey_hair", "scar",
    "regular_painkillers"};
}
