// Answers that contradict each other. Each check names the later field of the
// pair and says which answer it conflicts with; docs/intake.md lists them all.
#include <algorithm>

#include "stipple/assess/intake.h"
#include <fmt/format.h>

namespace stipple::assess {

namespace {

template <class T>
std::string quoted(T value) {
  return fmt::format("\"{}\"", to_string(value));
}

}  // namespace

Result<void> check_consistency(const Intake& in, std::string_view file_view) {
  const std::string file(file_view);
  const auto& loss = in.hair_loss;
  const bool female = in.client.sex == Sex::female;
  const bool male = in.client.sex == Sex::male;
  const auto pattern = [&](LossPattern p) { return loss.pattern && *loss.pattern == p; };

  // Two scales for one head.
  if (loss.norwood && loss.ludwig)
    return input_error(file, "hair_loss.ludwig",
                       "only one scale, Norwood or Ludwig (hair_loss.norwood is also given)",
                       quoted(*loss.ludwig));
  // A Norwood class on a woman's intake that says nothing else is almost always
  // the wrong scale; androgenetic pattern confirms a male-pattern loss.
  if (female && loss.norwood && !pattern(LossPattern::androgenetic))
    return input_error(file, "hair_loss.norwood",
                       "hair_loss.ludwig for a female client (or hair_loss.pattern \"androgenetic\" "
                       "to confirm male-pattern loss)",
                       "Norwood " + quoted(*loss.norwood) + " alone");
  if (male && loss.ludwig && !pattern(LossPattern::diffuse) && !pattern(LossPattern::androgenetic))
    return input_error(file, "hair_loss.ludwig",
                       "hair_loss.norwood for a male client (or hair_loss.pattern \"diffuse\" to "
                       "confirm diffuse thinning)",
                       "Ludwig " + quoted(*loss.ludwig) + " alone");
  if (pattern(LossPattern::none)) {
    if (loss.norwood && *loss.norwood != Norwood::I)
      return input_error(file, "hair_loss.norwood",
                         "\"I\" or nothing when hair_loss.pattern is \"none\"", quoted(*loss.norwood));
    if (loss.ludwig)
      return input_error(file, "hair_loss.ludwig", "nothing when hair_loss.pattern is \"none\"",
                         quoted(*loss.ludwig));
    if (!loss.areas.empty())
      return input_error(file, "hair_loss.areas", "no areas when hair_loss.pattern is \"none\"",
                         quoted(loss.areas.front()));
  }
  // Alopecia universalis is hair loss over the whole body.
  if (pattern(LossPattern::universal) && loss.body_hair_loss && !*loss.body_hair_loss)
    return input_error(file, "hair_loss.body_hair_loss",
                       "true or nothing when hair_loss.pattern is \"universal\" (loss over the whole body)",
                       "false");

  // Only possible for some clients.
  if (male && in.history.pcos && *in.history.pcos)
    return input_error(file, "history.pcos", "false or nothing for a male client", "true");
  if (male && in.history.postpartum_months)
    return input_error(file, "history.postpartum_months", "nothing for a male client",
                       std::to_string(*in.history.postpartum_months));

  // "Months since" cannot reach back before birth.
  const int age_months = (in.client.age + 1) * 12;  // age in whole years: up to 11 months more
  const struct {
    const char* path;
    const std::optional<int>& months;
  } since[] = {{"hair_loss.duration_months", loss.duration_months},
               {"history.postpartum_months", in.history.postpartum_months},
               {"history.stress_event_months", in.history.stress_event_months},
               {"history.isotretinoin_last_dose_months", in.history.isotretinoin_last_dose_months}};
  for (const auto& s : since) {
    if (s.months && *s.months > age_months) {
      return input_error(file, s.path,
                         fmt::format("at most {} months for a client aged {}", age_months, in.client.age),
                         std::to_string(*s.months));
    }
  }

  for (std::size_t i = 0; i < in.scalp.scars.size(); ++i) {
    const auto& months = in.scalp.scars[i].age_months;
    if (months && *months > age_months)
      return input_error(file, index_path("scalp.scars", i) + ".age_months",
                         fmt::format("at most {} months for a client aged {}", age_months, in.client.age),
                         std::to_string(*months));
  }

  // A transplant that did not happen cannot be judged, nor leave transplant scars.
  const auto& tx = in.history.transplant;
  const bool no_transplant = tx.method && *tx.method == TransplantMethod::none;
  if (no_transplant && tx.satisfied_with_density)
    return input_error(file, "history.transplant.satisfied_with_density",
                       "nothing when history.transplant.method is \"none\"",
                       *tx.satisfied_with_density ? "true" : "false");
  for (std::size_t i = 0; i < in.scalp.scars.size(); ++i) {
    const ScarKind k = in.scalp.scars[i].kind;
    if (no_transplant && (k == ScarKind::FUT || k == ScarKind::FUE))
      return input_error(file, index_path("scalp.scars", i) + ".kind",
                         "a surgical, burn or injury scar when history.transplant.method is \"none\"",
                         quoted(k));
  }

  // A shaved look means keeping the head shaved.
  if (in.goals.look && *in.goals.look == Look::shaved && in.goals.keep_long_hair &&
      *in.goals.keep_long_hair)
    return input_error(file, "goals.keep_long_hair",
                       "false or nothing when goals.look is \"shaved\" (the head is kept shaved)",
                       "true");
  // A failed patch test is a known reaction.
  if (in.scalp.patch_test && *in.scalp.patch_test == PatchTest::failed && in.scalp.pigment_allergy &&
      *in.scalp.pigment_allergy == PigmentAllergy::none)
    return input_error(file, "scalp.pigment_allergy",
                       "\"known\" or \"unknown\" when scalp.patch_test is \"failed\"", "\"none\"");
  return {};
}

}  // namespace stipple::assess
