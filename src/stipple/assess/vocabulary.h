// stipple/assess/vocabulary.h: the words of the intake and the assessment.
//
// Every enumerator's spelling is the one fixed by shared/spec/CONTRACT.md, and
// rule ids are those of shared/domain/SMP.md section 6. Enumerators are listed
// in the contract's order; that order is also the tie-break order of the ranking.
#pragma once

#include <array>
#include <string_view>

#include "stipple/core/enum_names.h"

namespace stipple::assess {

enum class Sex { male, female, other };
enum class HairColor { black, dark_brown, brown, light_brown, blonde, red, grey, white };
enum class LossPattern { none, androgenetic, diffuse, patchy, scarring, total, universal };
enum class Norwood { I, II, IIa, III, IIIa, III_vertex, IV, IVa, V, Va, VI, VII };
enum class Ludwig { I, II, III };
enum class LossArea { hairline, temples, front, mid_scalp, crown, sides, back };
enum class Shedding { normal, increased, sudden };
enum class Thyroid { none, treated, untreated, suspected };
enum class Chemotherapy { none, active, completed };
enum class Medication {
  anticoagulant, aspirin, ibuprofen, birth_control, antidepressant,
  anxiolytic, blood_pressure, heart, retinoid, minoxidil, finasteride, isotretinoin,
  topical_retinoid, other
};  // retinoid: a retinoid whose kind (tablets or cream) was not stated
enum class AlopeciaAreata { none, stable, active };
enum class EatingDisorder { none, treated, untreated };
enum class TransplantMethod { none, FUT, FUE };
enum class Symptom {
  itching, burning, stinging, tenderness, redness, swelling, sores, pus, circular_patches
};
enum class SkinFlare { none, controlled, flare };  // scalp.psoriasis and scalp.acne
enum class Ringworm { none, suspected, confirmed };
enum class PigmentAllergy { unknown, none, known };
enum class PatchTest { not_done, passed, failed };
enum class DonorDensity { good, fair, poor, unknown };
enum class ScarKind { FUT, FUE, surgical, burn, injury };
enum class SunExposure { low, moderate, high };
enum class Recent { alcohol, aspirin, ibuprofen, blood_thinning_supplements, tanning };
enum class Look { shaved, density, scar_camouflage, undecided };

// The assessment's own vocabulary.
enum class Candidacy { candidate, candidate_with_conditions, defer, refer, not_recommended };
enum class Severity { decline, defer, precaution };
enum class Option {
  smp_shaved, smp_density, smp_scar_camouflage, transplant,
  smp_with_transplant, medical_therapy, monitor, wig
};
enum class Cause {
  heredity, thyroid, pcos, postpartum, medications, stress, infection,
  lupus, alopecia_areata, cancer_treatment, eating_disorder
};
enum class RuleKind { referral, contraindication, recommendation };

// Rule ids of the domain brief, section 6, in the brief's order, each kind
// followed by the ids added for the facts of its section 11 (docs/assess.md
// gives the source of each).
enum class RuleId {
  RF_PATCHY, RF_SUDDEN, RF_BODY, RF_SYMPTOMS, RF_INFECTION, RF_UNTREATED,
  CI_MINOR, CI_KELOID, CI_ALLERGY, CI_PATCH, CI_FLARE, CI_CHEMO, CI_72H,
  CI_ANTICOAG, CI_AA_ACTIVE, CI_PROGRESSING,
  CI_ISOTRETINOIN, CI_RETINOID, CI_TOPICAL_RETINOID, CI_HAIR_MEDICATION, CI_HAIR_DYE,
  CI_SCAR_IMMATURE, CI_SKIN_V_VI,
  REC_EARLY, REC_TEMPORARY, REC_EXTENSIVE, REC_FRONTAL, REC_TOP_BACK,
  REC_FRONT_AND_BACK, REC_DONOR, REC_DIFFUSE_F, REC_SCAR, REC_AFTER_TRANSPLANT,
  REC_AA, REC_STYLEABLE, REC_MEDICAL, REC_BUDGET, REC_GREY
};

// Kind and severity of each rule are fixed by the brief, not by data files.
constexpr RuleKind rule_kind(RuleId id) {
  if (id <= RuleId::RF_UNTREATED) return RuleKind::referral;
  if (id <= RuleId::CI_SKIN_V_VI) return RuleKind::contraindication;
  return RuleKind::recommendation;
}
Severity rule_severity(RuleId contraindication);

constexpr bool is_smp(Option o) {
  return o == Option::smp_shaved || o == Option::smp_density ||
         o == Option::smp_scar_camouflage || o == Option::smp_with_transplant;
}
constexpr bool involves_surgery(Option o) {
  return o == Option::transplant || o == Option::smp_with_transplant;
}

// Candidacy precedence of the brief: refer > not_recommended > defer >
// candidate_with_conditions > candidate. Higher value = takes precedence.
int candidacy_precedence(Candidacy c);

}  // namespace stipple::assess

namespace stipple {
using namespace std::string_view_literals;
#define STIPPLE_NAMES(E, ...) \
  template <>                 \
  inline constexpr auto enum_names<assess::E> = std::array{__VA_ARGS__};
STIPPLE_NAMES(Sex, "male"sv, "female"sv, "other"sv)
STIPPLE_NAMES(HairColor, "black"sv, "dark_brown"sv, "brown"sv, "light_brown"sv, "blonde"sv, "red"sv,
              "grey"sv, "white"sv)
STIPPLE_NAMES(LossPattern, "none"sv, "androgenetic"sv, "diffuse"sv, "patchy"sv, "scarring"sv,
              "total"sv, "universal"sv)
STIPPLE_NAMES(Norwood, "I"sv, "II"sv, "IIa"sv, "III"sv, "IIIa"sv, "III-vertex"sv, "IV"sv, "IVa"sv,
              "V"sv, "Va"sv, "VI"sv, "VII"sv)
STIPPLE_NAMES(Ludwig, "I"sv, "II"sv, "III"sv)
STIPPLE_NAMES(LossArea, "hairline"sv, "temples"sv, "front"sv, "mid_scalp"sv, "crown"sv, "sides"sv,
              "back"sv)
STIPPLE_NAMES(Shedding, "normal"sv, "increased"sv, "sudden"sv)
STIPPLE_NAMES(Thyroid, "none"sv, "treated"sv, "untreated"sv, "suspected"sv)
STIPPLE_NAMES(Chemotherapy, "none"sv, "active"sv, "completed"sv)
STIPPLE_NAMES(Medication, "anticoagulant"sv, "aspirin"sv, "ibuprofen"sv, "birth_control"sv,
              "antidepressant"sv, "anxiolytic"sv, "blood_pressure"sv, "heart"sv, "retinoid"sv,
              "minoxidil"sv, "finasteride"sv, "isotretinoin"sv, "topical_retinoid"sv, "other"sv)
STIPPLE_NAMES(AlopeciaAreata, "none"sv, "stable"sv, "active"sv)
STIPPLE_NAMES(EatingDisorder, "none"sv, "treated"sv, "untreated"sv)
STIPPLE_NAMES(TransplantMethod, "none"sv, "FUT"sv, "FUE"sv)
STIPPLE_NAMES(Symptom, "itching"sv, "burning"sv, "stinging"sv, "tenderness"sv, "redness"sv,
              "swelling"sv, "sores"sv, "pus"sv, "circular_patches"sv)
STIPPLE_NAMES(SkinFlare, "none"sv, "controlled"sv, "flare"sv)
STIPPLE_NAMES(Ringworm, "none"sv, "suspected"sv, "confirmed"sv)
STIPPLE_NAMES(PigmentAllergy, "unknown"sv, "none"sv, "known"sv)
STIPPLE_NAMES(PatchTest, "not_done"sv, "passed"sv, "failed"sv)
STIPPLE_NAMES(DonorDensity, "good"sv, "fair"sv, "poor"sv, "unknown"sv)
STIPPLE_NAMES(ScarKind, "FUT"sv, "FUE"sv, "surgical"sv, "burn"sv, "injury"sv)
STIPPLE_NAMES(SunExposure, "low"sv, "moderate"sv, "high"sv)
STIPPLE_NAMES(Recent, "alcohol"sv, "aspirin"sv, "ibuprofen"sv, "blood_thinning_supplements"sv,
              "tanning"sv)
STIPPLE_NAMES(Look, "shaved"sv, "density"sv, "scar_camouflage"sv, "undecided"sv)
STIPPLE_NAMES(Candidacy, "candidate"sv, "candidate_with_conditions"sv, "defer"sv, "refer"sv,
              "not_recommended"sv)
STIPPLE_NAMES(Severity, "decline"sv, "defer"sv, "precaution"sv)
STIPPLE_NAMES(Option, "smp_shaved"sv, "smp_density"sv, "smp_scar_camouflage"sv, "transplant"sv,
              "smp_with_transplant"sv, "medical_therapy"sv, "monitor"sv, "wig"sv)
STIPPLE_NAMES(Cause, "heredity"sv, "thyroid"sv, "pcos"sv, "postpartum"sv, "medications"sv,
              "stress"sv, "infection"sv, "lupus"sv, "alopecia_areata"sv, "cancer_treatment"sv,
              "eating_disorder"sv)
STIPPLE_NAMES(RuleKind, "referral"sv, "contraindication"sv, "recommendation"sv)
STIPPLE_NAMES(RuleId, "RF-PATCHY"sv, "RF-SUDDEN"sv, "RF-BODY"sv, "RF-SYMPTOMS"sv, "RF-INFECTION"sv,
              "RF-UNTREATED"sv, "CI-MINOR"sv, "CI-KELOID"sv, "CI-ALLERGY"sv, "CI-PATCH"sv,
              "CI-FLARE"sv, "CI-CHEMO"sv, "CI-72H"sv, "CI-ANTICOAG"sv, "CI-AA-ACTIVE"sv,
              "CI-PROGRESSING"sv, "CI-ISOTRETINOIN"sv, "CI-RETINOID"sv, "CI-TOPICAL-RETINOID"sv,
              "CI-HAIR-MEDICATION"sv, "CI-HAIR-DYE"sv, "CI-SCAR-IMMATURE"sv, "CI-SKIN-V-VI"sv, "REC-EARLY"sv, "REC-TEMPORARY"sv, "REC-EXTENSIVE"sv,
              "REC-FRONTAL"sv, "REC-TOP-BACK"sv, "REC-FRONT-AND-BACK"sv, "REC-DONOR"sv,
              "REC-DIFFUSE-F"sv, "REC-SCAR"sv, "REC-AFTER-TRANSPLANT"sv, "REC-AA"sv,
              "REC-STYLEABLE"sv, "REC-MEDICAL"sv, "REC-BUDGET"sv, "REC-GREY"sv)
#undef STIPPLE_NAMES
}  // namespace stipple
