// stipple/assess/test_intakes.h: intakes shared by the assessment's tests.
#pragma once

#include "stipple/assess/intake.h"

namespace stipple::assess {

// A clean candidate: adult man (40), Norwood V, androgenetic, wants the shaved
// look, no pigment allergy, patch test passed, fair donor, nothing else
// reported. Only REC-FRONT-AND-BACK applies.
inline Intake clean_intake() {
  Intake in;
  in.client.sex = Sex::male;
  in.client.age = 40;
  in.hair_loss.pattern = LossPattern::androgenetic;
  in.hair_loss.norwood = Norwood::V;
  in.scalp.pigment_allergy = PigmentAllergy::none;
  in.scalp.patch_test = PatchTest::passed;
  in.scalp.donor_density = DonorDensity::fair;
  in.goals.look = Look::shaved;
  return in;
}

}  // namespace stipple::assess
