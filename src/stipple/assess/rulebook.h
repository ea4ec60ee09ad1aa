// stipple/assess/rulebook.h: the data half of the assessment rules.
//
// The rule book (data/assess/rules.json, `stipple.rules/1`) holds what a clinic
// may word differently or tune: every client-facing text, the thresholds of the
// domain brief (ages, months), the Norwood/Ludwig stage tables, market price
// ranges, and for each rule the options it raises or lowers with their points.
// When a rule fires, and how findings combine, is code (assess.h). A rule book
// is validated completely on load: every rule id of the brief present, every
// case the code asks for present, every option and placeholder known.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stipple/assess/vocabulary.h"
#include "stipple/core/error.h"
#include "stipple/io/known_fields.h"

namespace stipple::assess {

// What an effect applies to: one option, the SMP look preferred for this client
// (shaved or density, see assess.cpp), or every SMP option.
enum class EffectTarget { option, smp_preferred, smp_any };

struct Effect {
  EffectTarget target = EffectTarget::option;
  Option option = Option::monitor;  // when target == option
  int points = 0;                   // added to the option's score
  bool exclude = false;             // the option may not be ranked at all
  std::string text;                 // the rationale shown with the option
};

struct RuleEntry {
  std::string text;       // referral reason or contraindication text; REC-GREY's advice; empty for other REC rules
  // Contraindications whose wording depends on the case (RuleBook::text_cases):
  // the text of each case, instead of `text`.
  std::map<std::string, std::string, std::less<>> texts;
  std::string condition;  // referrals only: the condition added to every ranked option
  std::map<std::string, std::vector<Effect>, std::less<>> cases;  // "default" when single-case
};

struct Thresholds {
  int adult_age_years = 0;              // CI-MINOR: under this age SMP is declined
  int young_age_years = 0;              // CI-PROGRESSING: under this age, design conservatively
  int postpartum_temporary_months = 0;  // REC-TEMPORARY: loss after childbirth, this recent
  int stress_temporary_months = 0;      // REC-TEMPORARY: loss after a major shock, this recent
  int goal_look_points = 0;             // added to the SMP option matching goals.look (docs/assess.md)
  int isotretinoin_wait_months = 0;     // CI-ISOTRETINOIN: months after the last dose (brief section 11: 6)
  int scar_mature_months = 0;           // CI-SCAR-IMMATURE: a scar younger than this waits (section 11: 6-12)
  int minoxidil_pause_days = 0;         // CI-HAIR-MEDICATION: pause before and after each session (section 11: 7)
};

struct StageTables {
  std::array<std::vector<LossArea>, enum_count<Norwood>()> norwood_areas;
  std::array<std::vector<LossArea>, enum_count<Ludwig>()> ludwig_areas;
  std::vector<Norwood> early_norwood, extensive_norwood, medical_norwood;
  std::vector<Ludwig> early_ludwig, medical_ludwig;
};

enum class PriceScope { partial, full_shaved, any };

struct PriceRange {
  std::string currency;  // ISO 4217
  PriceScope scope = PriceScope::any;
  double low = 0, high = 0;
};

// The precare situations the assessment knows (see assess.cpp); a rule book
// must word each of them.
inline constexpr std::array<std::string_view, 11> kPrecareIds = {
    "patch_test", "avoid_72h", "recent_72h", "regular_painkillers", "anticoagulant",
    "skin_condition", "chemotherapy", "topical_retinoid", "minoxidil", "finasteride", "hair_dye"};

struct PrecareItem {
  std::string id;  // which situation it is for; see assess.cpp
  RuleId rule = RuleId::CI_72H;
  std::string text;
};

// The named values a text may use, e.g. "You are {age}.". Every text is checked
// against this list on load.
inline constexpr std::array kTextArguments = {
    "age",        "adult_age",  "young_age",   "stage",      "postpartum_months",
    "stress_months", "temporary_postpartum_months", "temporary_stress_months",
    "budget",     "currency",   "price_low",   "price_high", "recent",
    "painkillers", "scars", "symptoms", "untreated", "flare",
    "allergy", "recent_effect", "progressing_why", "isotretinoin_wait_months", "last_dose_months",
    "scar_mature_months", "young_scar", "scar_age_months", "minoxidil_pause_days", "hair_colour",
    "medicines", "skin_conditions", "ringworm", "behind_areas"};

// JSON Schema (2020-12) of stipple.rules/1, for `stipple schema rules`.
io::Json rulebook_json_schema();

class RuleBook {
 public:
  // Parses and validates a rule book; errors name `file` and the field path.
  // Unknown fields are refused naming the nearest known one, or ignored with a
  // warning when `options.lenient` (io/known_fields.h).
  static Result<RuleBook> parse(std::string_view json_text, std::string_view file,
                                const io::ReadOptions& options = {});
  // The rule book built into the executable (data/assess/rules.json at build time).
  // Aborts with a message if it is invalid; a test guards against that.
  static const RuleBook& builtin();

  const RuleEntry& rule(RuleId id) const { return rules_[static_cast<std::size_t>(id)]; }
  // Effects of `id` in case `case_name`; the cases a rule needs are checked on load.
  const std::vector<Effect>& effects(RuleId id, std::string_view case_name) const;

  // The cases the assessment code selects between for each rule.
  static std::vector<std::string_view> required_cases(RuleId id);
  // The contraindications worded by case, and their cases (an object of texts).
  static std::vector<std::string_view> text_cases(RuleId id);
  // The text of a referral or contraindication for `case_name`.
  const std::string& text(RuleId id, std::string_view case_name = "default") const;

  Thresholds thresholds;
  StageTables stages;
  std::vector<PriceRange> price_ranges;
  std::string default_currency;
  std::array<std::string, enum_count<Option>()> option_titles;
  std::string patch_camouflage_title;  // smp_scar_camouflage offered for alopecia areata patches
  // CI-AA-ACTIVE: practices differ (brief section 11); the default defers while
  // active, a clinic may camouflage active patches instead (a precaution).
  bool active_aa_defers = true;
  std::array<std::string, enum_count<Candidacy>()> candidacy_texts;
  std::array<std::string, enum_count<Cause>()> cause_texts;
  std::vector<PrecareItem> precare;
  std::string goal_look_text;  // the reason shown for the goal bonus

 private:
  std::array<RuleEntry, enum_count<RuleId>()> rules_;
};

using TextArgs = std::map<std::string, std::string, std::less<>>;

// Fills a rule-book text's {placeholders} from `args`. Texts are validated on
// load, so this cannot fail for a loaded rule book.
std::string render_text(std::string_view text, const TextArgs& args);

// The embedded copy of data/assess/rules.json (generated at build time).
std::string_view default_rules_json_text();

}  // namespace stipple::assess
