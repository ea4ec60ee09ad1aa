#include "stipple/assess/vocabulary.h"

namespace stipple::assess {

Severity rule_severity(RuleId id) {
  switch (id) {
    case RuleId::CI_MINOR:
    case RuleId::CI_KELOID:
    case RuleId::CI_ALLERGY:
      return Severity::decline;
    // CI-AA-ACTIVE: the brief's section 11 default ("defer while active")
    // replaces section 6's precaution. CI-72H is a booking hold, not a
    // change of candidacy: a precaution whose end the booking gate applies.
    case RuleId::CI_FLARE:
    case RuleId::CI_CHEMO:
    case RuleId::CI_AA_ACTIVE:
    case RuleId::CI_ISOTRETINOIN:
    case RuleId::CI_RETINOID:
    case RuleId::CI_SCAR_IMMATURE:
      return Severity::defer;
    default:
      return Severity::precaution;
  }
}

int candidacy_precedence(Candidacy c) {
  switch (c) {
    case Candidacy::candidate: return 0;
    case Candidacy::candidate_with_conditions: return 1;
    case Candidacy::defer: return 2;
    case Candidacy::not_recommended: return 3;
    case Candidacy::refer: return 4;
  }
  return 0;
}

}  // namespace stipple::assess
