// stipple/assess/intake.h: the consultation intake (`stipple.intake/1`).
//
// An Intake is what the client reported, validated: every enumerated answer is
// one of the contract's words, numbers are within their ranges, and answers do
// not contradict each other. Absent means "not reported" (std::nullopt or an
// empty list); docs/intake.md gives the default each rule assumes for it.
// Only client.sex and client.age are required.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stipple/assess/vocabulary.h"
#include "stipple/core/error.h"
#include "stipple/io/json_document.h"
#include "stipple/io/known_fields.h"

namespace stipple::assess {

struct Scar {
  ScarKind kind = ScarKind::surgical;
  std::optional<double> length_mm;
  std::optional<double> width_mm;
  std::optional<int> age_months = std::nullopt;  // how old the scar is (CI-SCAR-IMMATURE)
};

struct Intake {
  // The day of the consultation: the reference day of "the last 72 hours" and
  // of every earliest date the assessment gives.
  std::optional<std::chrono::sys_days> date;
  struct Client {
    std::optional<std::string> name;
    Sex sex = Sex::other;
    int age = 0;
    std::optional<int> fitzpatrick;
    std::optional<HairColor> hair_color;
  } client;
  struct HairLoss {
    std::optional<LossPattern> pattern;
    std::optional<Norwood> norwood;
    std::optional<Ludwig> ludwig;
    std::vector<LossArea> areas;
    std::optional<int> duration_months;
    std::optional<Shedding> shedding;
    std::optional<bool> body_hair_loss;
    std::optional<bool> family_history;
    std::optional<bool> progressing;
  } hair_loss;
  struct History {
    std::optional<Thyroid> thyroid;
    std::optional<bool> pcos;
    std::optional<int> postpartum_months;
    std::optional<Chemotherapy> chemotherapy;
    std::vector<Medication> medications;
    // Months since the last isotretinoin dose; absent while isotretinoin is
    // listed means the client still takes it.
    std::optional<int> isotretinoin_last_dose_months;
    std::optional<int> stress_event_months;
    std::optional<bool> lupus;
    std::optional<AlopeciaAreata> alopecia_areata;
    std::optional<EatingDisorder> eating_disorder;
    struct Transplant {
      std::optional<TransplantMethod> method;
      std::optional<bool> satisfied_with_density;
    } transplant;
  } history;
  struct Scalp {
    std::vector<Symptom> symptoms;
    std::optional<SkinFlare> psoriasis;
    std::optional<SkinFlare> acne;
    std::optional<bool> keloid_prone;
    std::optional<Ringworm> ringworm;
    std::optional<PigmentAllergy> pigment_allergy;
    std::optional<PatchTest> patch_test;
    std::optional<DonorDensity> donor_density;
    std::vector<Scar> scars;
  } scalp;
  struct Lifestyle {
    std::optional<SunExposure> sun_exposure;
    std::vector<Recent> last_72h;
    std::optional<bool> hair_dye;  // dyes or chemically treats the hair
  } lifestyle;
  struct Goals {
    std::optional<Look> look;
    std::optional<bool> keep_long_hair;
    std::optional<bool> wants_styleable_hair;
    std::optional<double> budget;
    std::optional<std::string> currency;
  } goals;
};

// The schema name this reader accepts (any minor version of major 1).
inline constexpr std::string_view kIntakeSchema = "stipple.intake/1";

struct ParsedIntake {
  Intake intake;
  std::vector<std::string> warnings;  // e.g. unknown fields, which are ignored
};

// Validates a parsed JSON document as an intake. Errors name `file` and the
// field path. An unknown field is an error naming the nearest known field
// (io/known_fields.h), unless `options.lenient`: then it is ignored and
// reported both in ParsedIntake::warnings and in options.warnings.
Result<ParsedIntake> parse_intake(const io::Json& doc, std::string_view file, const io::ReadOptions& options = {});

// parse_json_document + parse_intake.
Result<ParsedIntake> read_intake(std::string_view text, std::string_view file, const io::ReadOptions& options = {});

// Cross-field checks (answers that contradict each other). parse_intake runs
// them; exposed for tests.
Result<void> check_consistency(const Intake& intake, std::string_view file);

// ---- The field table: one entry per leaf field of the contract. ----

enum class FieldType { enumeration, enum_list, integer, number, boolean, text, currency, scars, date };

struct FieldSpec {
  std::string_view path;                   // "hair_loss.norwood"
  FieldType type;
  bool required = false;
  std::vector<std::string_view> choices;   // enumeration, enum_list
  double min = 0;                          // integer, number: inclusive lower bound
  std::optional<double> max;               // inclusive upper bound, if any
  std::string_view description;            // one line, for the JSON Schema
  // Stores `value` (already known not to be null) into `intake`, or says why not.
  std::function<Result<void>(const io::Json& value, Intake& intake, const std::string& file)> read;
  // scalp.scars: the known keys of each item of the list, checked (and, when
  // lenient, stripped) before `read` sees the list.
  std::vector<std::string_view> item_fields = {};
};

// Every leaf field, in the contract's order.
const std::vector<FieldSpec>& intake_fields();
// The object-valued paths ("client", "history.transplant", ...), parents first.
const std::vector<std::string_view>& intake_groups();

// Physical plausibility bounds of a scar's size: no scar on a scalp is longer
// than an adult head's circumference (62 cm at the top of the range in the brief,
// section 3), nor wider than 10 cm.
inline constexpr double kMaxScarLengthMm = 620.0;
inline constexpr double kMaxScarWidthMm = 100.0;
// No scar is older than the oldest client (120 years, the contract's age range).
inline constexpr int kMaxScarAgeMonths = 120 * 12;

// "2026-11-21": a real calendar day of the years 2000-2199, or nothing.
std::optional<std::chrono::sys_days> parse_intake_date(std::string_view text);
// The day as "YYYY-MM-DD".
std::string format_intake_date(std::chrono::sys_days day);

// The JSON Schema (draft 2020-12) of stipple.intake/1, generated from the field table.
io::Json intake_json_schema();

}  // namespace stipple::assess
