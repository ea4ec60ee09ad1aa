#include "stipple/assess/assess.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace stipple::assess {

namespace {

template <class T>
bool has(const std::vector<T>& v, T x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}
template <class T>
bool is(const std::optional<T>& v, T x) {
  return v && *v == x;
}
bool yes(const std::optional<bool>& v) { return v && *v; }

// "a, b and c"
std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += (i + 1 == words.size()) ? " and " : ", ";
    out += words[i];
  }
  return out;
}

// 2500 -> "2,500"; 1999.5 -> "1,999.50"
std::string money_text(double amount) {
  const auto cents = static_cast<long long>(std::llround(amount * 100.0));
  const std::string digits = std::to_string(cents / 100);
  std::string whole;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) whole.push_back(',');
    whole.push_back(digits[i]);
  }
  return cents % 100 == 0 ? whole : fmt::format("{}.{:02d}", whole, cents % 100);
}

std::string words_of(std::string_view enum_word) {
  std::string s(enum_word);
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

constexpr std::array kFrontAreas = {LossArea::hairline, LossArea::temples, LossArea::front};

// CI-72H: "within 72 hours before a session" (brief section 6), counted in whole
// days from the consultation day.
constexpr int kHoldDays = 3;
// CI-SKIN-V-VI: Fitzpatrick types V and VI (brief section 11, MedlinePlus).
constexpr int kDarkSkinType = 5;

// Everything the rules look at, derived once from the intake.
struct Facts {
  std::vector<LossArea> areas;  // reported plus stage-implied, in contract order
  bool no_loss = false;         // pattern "none"
  bool early = false;
  bool temporary_postpartum = false;
  bool temporary_stress = false;
  bool extensive = false;
  bool patterned = false;  // androgenetic/diffuse (or unstated) loss: the area rules apply
  bool frontal_only = false, top_back_only = false, front_and_back = false;
  bool donor_poor = false, donor_usable = false;
  bool female_diffuse = false;
  bool scars = false;
  bool after_transplant = false;
  bool aa_total = false, aa_stable_patches = false, aa_active_patches = false;
  bool androgenetic = false, medical_stage = false;
  bool chemo_explains = false, aa_explains = false;
  bool wants_hair = false;  // keeps longer or styleable hair
  bool hairline_designed = false;  // the SMP work rebuilds a hairline (loss at the front, not patches or scars)
  bool young = false, progressing = false;  // CI-PROGRESSING
  Option preferred_smp = Option::smp_shaved;
  std::optional<PriceRange> price;  // range for the client's currency and situation
  TextArgs args;
};

Facts derive(const Intake& in, const RuleBook& book, std::vector<std::string>& warnings) {
  Facts f;
  const auto& loss = in.hair_loss;
  const auto& st = book.stages;
  const auto pattern = loss.pattern;

  // Loss areas: what the client reports, plus what the stage implies.
  std::array<bool, enum_count<LossArea>()> area{};
  for (LossArea a : loss.areas) area[static_cast<std::size_t>(a)] = true;
  if (loss.norwood)
    for (LossArea a : st.norwood_areas[static_cast<std::size_t>(*loss.norwood)]) area[static_cast<std::size_t>(a)] = true;
  if (loss.ludwig)
    for (LossArea a : st.ludwig_areas[static_cast<std::size_t>(*loss.ludwig)]) area[static_cast<std::size_t>(a)] = true;
  if (is(pattern, LossPattern::total) || is(pattern, LossPattern::universal)) area.fill(true);
  for (std::size_t i = 0; i < area.size(); ++i)
    if (area[i]) f.areas.push_back(static_cast<LossArea>(i));

  const auto in_front = [](LossArea a) { return has(std::vector(kFrontAreas.begin(), kFrontAreas.end()), a); };
  const bool any_front = std::any_of(f.areas.begin(), f.areas.end(), in_front);
  const bool any_behind = std::any_of(f.areas.begin(), f.areas.end(), [&](LossArea a) { return !in_front(a); });
  f.frontal_only = any_front && !any_behind;
  f.top_back_only = any_behind && !any_front;
  f.front_and_back = any_front && any_behind;

  f.no_loss = is(pattern, LossPattern::none);
  const bool stage_early = (loss.norwood && has(st.early_norwood, *loss.norwood)) ||
                           (loss.ludwig && has(st.early_ludwig, *loss.ludwig));
  const bool little_shedding = !loss.norwood && !loss.ludwig && loss.areas.empty() &&
                               (!pattern || is(pattern, LossPattern::diffuse) ||
                                is(pattern, LossPattern::androgenetic)) &&
                               is(loss.shedding, Shedding::increased);
  f.early = f.no_loss || stage_early || little_shedding;

  // A cause is temporary only if the loss began after it (when the start is known).
  const auto began_after = [&](int months_since) {
    return !loss.duration_months || *loss.duration_months <= months_since;
  };
  const auto& h = in.history;
  f.temporary_postpartum = h.postpartum_months &&
                           *h.postpartum_months < book.thresholds.postpartum_temporary_months &&
                           began_after(*h.postpartum_months);
  const bool diffuse_shedding = is(pattern, LossPattern::diffuse) || is(loss.shedding, Shedding::increased) ||
                                is(loss.shedding, Shedding::sudden);
  f.temporary_stress = h.stress_event_months &&
                       *h.stress_event_months <= book.thresholds.stress_temporary_months &&
                       diffuse_shedding && began_after(*h.stress_event_months);

  f.extensive = (loss.norwood && has(st.extensive_norwood, *loss.norwood)) ||
                is(pattern, LossPattern::total) || is(pattern, LossPattern::universal);
  f.patterned = !pattern || is(pattern, LossPattern::androgenetic) || is(pattern, LossPattern::diffuse);

  f.donor_poor = is(in.scalp.donor_density, DonorDensity::poor);
  f.donor_usable = is(in.scalp.donor_density, DonorDensity::good) || is(in.scalp.donor_density, DonorDensity::fair);

  const bool female = in.client.sex == Sex::female;
  f.female_diffuse = female && !loss.norwood &&
                     (loss.ludwig.has_value() || is(pattern, LossPattern::diffuse) ||
                      is(pattern, LossPattern::androgenetic));
  f.scars = !in.scalp.scars.empty() || is(pattern, LossPattern::scarring);
  f.after_transplant = (is(h.transplant.method, TransplantMethod::FUT) ||
                        is(h.transplant.method, TransplantMethod::FUE)) &&
                       is(h.transplant.satisfied_with_density, false);

  f.chemo_explains = is(h.chemotherapy, Chemotherapy::active) || is(h.chemotherapy, Chemotherapy::completed);
  f.aa_explains = is(h.alopecia_areata, AlopeciaAreata::stable) || is(h.alopecia_areata, AlopeciaAreata::active);
  const bool total = is(pattern, LossPattern::total) || is(pattern, LossPattern::universal);
  // Total or universal loss not explained by chemotherapy is alopecia totalis/universalis.
  f.aa_total = total && (f.aa_explains || !f.chemo_explains);
  f.aa_stable_patches = !total && is(h.alopecia_areata, AlopeciaAreata::stable);
  f.aa_active_patches = !total && is(h.alopecia_areata, AlopeciaAreata::active);

  f.androgenetic = is(pattern, LossPattern::androgenetic) ||
                   (!pattern && (loss.norwood.has_value() || loss.ludwig.has_value()));
  f.medical_stage = (loss.norwood && has(st.medical_norwood, *loss.norwood)) ||
                    (loss.ludwig && has(st.medical_ludwig, *loss.ludwig));

  const auto& g = in.goals;
  f.wants_hair = yes(g.keep_long_hair) || yes(g.wants_styleable_hair) || is(g.look, Look::density);
  if (is(g.look, Look::shaved)) f.preferred_smp = Option::smp_shaved;
  else if (f.wants_hair || female) f.preferred_smp = Option::smp_density;
  else f.preferred_smp = Option::smp_shaved;

  // Budget against the market range for this currency and situation (brief, section 8).
  const std::string currency = g.currency.value_or(book.default_currency);
  const PriceScope scope = f.extensive && f.preferred_smp == Option::smp_shaved ? PriceScope::full_shaved
                                                                                : PriceScope::partial;
  // The brief's ranges are for hair loss (partial, a full shaved head, SMP
  // overall): scar or patch camouflage alone has no published range, so such a
  // budget is not compared (the practitioner is told).
  const bool hair_loss_priced = f.patterned || f.aa_total;
  for (const PriceRange& r : book.price_ranges)
    if (hair_loss_priced && r.currency == currency && (r.scope == scope || (r.scope == PriceScope::any && !f.price))) f.price = r;
  if (g.budget && !hair_loss_priced)
    warnings.push_back("no market price range is known for scar or patch camouflage alone: the budget was not compared");
  else if (g.budget && !f.price)
    warnings.push_back("no SMP price range is known for currency " + currency +
                       ": the budget was not compared (known: see data/assess/rules.json)");

  // Values the texts may use.
  auto& a = f.args;
  a["age"] = std::to_string(in.client.age);
  a["adult_age"] = std::to_string(book.thresholds.adult_age_years);
  a["young_age"] = std::to_string(book.thresholds.young_age_years);
  a["temporary_postpartum_months"] = std::to_string(book.thresholds.postpartum_temporary_months);
  a["temporary_stress_months"] = std::to_string(book.thresholds.stress_temporary_months);
  a["stage"] = loss.norwood ? fmt::format("Norwood {}", to_string(*loss.norwood))
               : loss.ludwig ? fmt::format("Ludwig {}", to_string(*loss.ludwig))
               : f.no_loss   ? "no visible hair loss"
                             : "a little extra shedding";
  a["postpartum_months"] = h.postpartum_months ? std::to_string(*h.postpartum_months) : "";
  a["stress_months"] = h.stress_event_months ? std::to_string(*h.stress_event_months) : "";
  a["currency"] = currency;
  a["budget"] = g.budget ? money_text(*g.budget) : "";
  a["price_low"] = f.price ? money_text(f.price->low) : "";
  a["price_high"] = f.price ? money_text(f.price->high) : "";
  std::vector<std::string> recent;
  for (Recent r : in.lifestyle.last_72h) recent.push_back(words_of(to_string(r)));
  a["recent"] = join_words(recent);
  std::vector<std::string> pills;
  for (Medication m : {Medication::aspirin, Medication::ibuprofen})
    if (has(h.medications, m)) pills.push_back(std::string(to_string(m)));
  a["painkillers"] = join_words(pills);
  std::vector<std::string> scars;
  for (const Scar& s : in.scalp.scars) {
    std::string d = std::string(to_string(s.kind)) + " scar";
    if (s.length_mm && s.width_mm) d += fmt::format(", {:g} × {:g} mm", *s.length_mm, *s.width_mm);
    else if (s.length_mm) d += fmt::format(", {:g} mm long", *s.length_mm);
    scars.push_back(d);
  }
  a["scars"] = scars.empty() ? "scarring" : join_words(scars);
  std::vector<std::string> symptoms;
  for (Symptom x : in.scalp.symptoms)
    if (x != Symptom::circular_patches) symptoms.push_back(words_of(to_string(x)));
  a["symptoms"] = join_words(symptoms);
  std::vector<std::string> untreated;
  if (is(h.thyroid, Thyroid::untreated)) untreated.push_back("an untreated thyroid disorder");
  if (is(h.thyroid, Thyroid::suspected)) untreated.push_back("a suspected thyroid disorder");
  if (is(h.eating_disorder, EatingDisorder::untreated)) untreated.push_back("an untreated eating disorder");
  a["untreated"] = join_words(untreated);
  std::vector<std::string> flares;
  if (is(in.scalp.psoriasis, SkinFlare::flare)) flares.push_back("psoriasis");
  if (is(in.scalp.acne, SkinFlare::flare)) flares.push_back("acne");
  a["flare"] = join_words(flares);

  // Section 11 rules: which of two conditions applies is named, never "A or B".
  const auto& sc = in.scalp;
  const bool known = is(sc.pigment_allergy, PigmentAllergy::known), failed = is(sc.patch_test, PatchTest::failed);
  a["allergy"] = known && failed ? "You have a known allergy to the pigment, and your patch test reacted."
                 : known         ? "You have a known allergy to the pigment."
                                 : "Your patch test reacted to the pigment.";
  std::size_t thinning = 0;
  for (Recent r : in.lifestyle.last_72h) thinning += r != Recent::tanning;
  const bool tanned = has(in.lifestyle.last_72h, Recent::tanning);
  a["recent_effect"] = thinning > 0 && tanned ? "Some of these thin the blood and tanning sensitises the skin"
                       : tanned               ? "Tanning sensitises the skin"
                       : thinning > 1         ? "These thin the blood"
                                              : "It thins the blood";
  f.young = in.client.age < book.thresholds.young_age_years;
  f.progressing = yes(loss.progressing);
  a["progressing_why"] = f.young && f.progressing
                             ? fmt::format("you are under {} and it advanced in the last year", book.thresholds.young_age_years)
                         : f.young ? fmt::format("you are under {}", book.thresholds.young_age_years)
                                   : "it advanced in the last year";
  a["isotretinoin_wait_months"] = std::to_string(book.thresholds.isotretinoin_wait_months);
  a["last_dose_months"] = h.isotretinoin_last_dose_months ? std::to_string(*h.isotretinoin_last_dose_months) : "";
  a["scar_mature_months"] = std::to_string(book.thresholds.scar_mature_months);
  const Scar* youngest = nullptr;
  for (const Scar& s : sc.scars)
    if (s.age_months && (!youngest || *s.age_months < *youngest->age_months)) youngest = &s;
  a["young_scar"] = youngest ? std::string(to_string(youngest->kind)) + " scar" : "";
  a["scar_age_months"] = youngest ? std::to_string(*youngest->age_months) : "";
  a["minoxidil_pause_days"] = std::to_string(book.thresholds.minoxidil_pause_days);
  a["hair_colour"] = in.client.hair_color ? words_of(to_string(*in.client.hair_color)) : "";
  a["medicines"] = in.client.sex == Sex::male     ? "minoxidil or finasteride"
                   : in.client.sex == Sex::female ? "minoxidil"
                                                  : "minoxidil (and, for men, finasteride)";
  std::vector<std::string> skin;
  if (sc.psoriasis && *sc.psoriasis != SkinFlare::none) skin.push_back("psoriasis");
  if (sc.acne && *sc.acne != SkinFlare::none) skin.push_back("acne");
  a["skin_conditions"] = join_words(skin);
  a["ringworm"] = sc.ringworm ? std::string(to_string(*sc.ringworm)) : "";
  std::vector<std::string> behind;
  for (LossArea where : f.areas) {
    if (where == LossArea::mid_scalp) behind.push_back("top of the head");
    else if (where == LossArea::back) behind.push_back("back of the head");
    else if (where == LossArea::crown || where == LossArea::sides) behind.push_back(words_of(to_string(where)));
  }
  a["behind_areas"] = join_words(behind);
  // A hairline is designed when the SMP work reaches the front of patterned or total loss.
  f.hairline_designed = any_front && (f.patterned || f.aa_total || f.extensive) && !is(pattern, LossPattern::patchy) &&
                        !is(pattern, LossPattern::scarring);
  return f;
}

class Engine {
 public:
  Engine(const Intake& in, const RuleBook& book, std::vector<std::string> warnings)
      : in_(in), book_(book) {
    out_.warnings = std::move(warnings);
    f_ = derive(in, book, out_.warnings);
    out_.loss_areas = f_.areas;
    out_.date = in.date;
  }

  Assessment run() {
    referrals();
    contraindications();
    recommendations();
    rank();
    candidacy();
    causes();
    precare();
    std::sort(out_.rules_fired.begin(), out_.rules_fired.end());
    out_.rules_fired.erase(std::unique(out_.rules_fired.begin(), out_.rules_fired.end()), out_.rules_fired.end());
    return std::move(out_);
  }

 private:
  struct OptionState {
    int score = 0;
    bool proposed = false;  // some rule gave it positive points
    bool excluded = false;
    bool considered = false;  // some rule named it (a decline alone does not)
    std::vector<Reason> reasons;    // every rationale text, in firing order
    std::vector<Reason> exclusions;  // why it may not rank at all
    std::vector<Reason> lowerings;   // why it ranks lower
  };

  std::string text(std::string_view t) const { return render_text(t, f_.args); }
  bool fired(RuleId id) const { return has(out_.rules_fired, id); }

  void apply(RuleId id, const Effect& e) {
    std::vector<Option> targets;
    switch (e.target) {
      case EffectTarget::option: targets = {e.option}; break;
      case EffectTarget::smp_preferred: targets = {f_.preferred_smp}; break;
      case EffectTarget::smp_any:
        for (std::size_t i = 0; i < enum_count<Option>(); ++i)
          if (is_smp(static_cast<Option>(i))) targets.push_back(static_cast<Option>(i));
        break;
    }
    for (Option o : targets) {
      OptionState& s = options_[static_cast<std::size_t>(o)];
      Reason r{id, text(e.text)};
      s.score += e.points;
      s.proposed = s.proposed || e.points > 0;
      // A rule that names an option (not the blanket smp_any) has considered it.
      s.considered = s.considered || (e.target != EffectTarget::smp_any && (e.points != 0 || e.exclude));
      if (e.exclude) s.excluded = true;
      if (e.exclude) s.exclusions.push_back(r);
      else if (e.points < 0) s.lowerings.push_back(r);
      s.reasons.push_back(std::move(r));
    }
  }

  void fire(RuleId id, std::string_view case_name = "default") {
    out_.rules_fired.push_back(id);
    for (const Effect& e : book_.effects(id, case_name)) apply(id, e);
  }

  void refer(RuleId id) {
    fire(id);
    out_.referrals.push_back({id, text(book_.text(id))});
  }

  // `case_name` selects the effects and, for rules worded by case, the text.
  void contraindicate(RuleId id, std::string_view case_name = "default", std::optional<Wait> wait = std::nullopt) {
    fire(id, case_name);
    Severity severity = rule_severity(id);
    if (id == RuleId::CI_AA_ACTIVE && !book_.active_aa_defers) severity = Severity::precaution;  // the clinic's choice
    if (id == RuleId::CI_SCAR_IMMATURE && case_name == "age_unknown") severity = Severity::precaution;  // asked and checked
    ContraindicationFinding c{id, severity, text(book_.text(id, case_name)), wait, std::nullopt};
    if (wait && in_.date) c.earliest_date = wait_end(*in_.date, *wait);
    out_.contraindications.push_back(std::move(c));
  }

  void referrals() {
    const auto& s = in_.scalp;
    const auto& h = in_.history;
    const auto& loss = in_.hair_loss;
    // Patches already diagnosed as alopecia areata are explained; otherwise a doctor first.
    if ((is(loss.pattern, LossPattern::patchy) || has(s.symptoms, Symptom::circular_patches)) && !f_.aa_explains)
      refer(RuleId::RF_PATCHY);
    if (is(loss.shedding, Shedding::sudden) && !f_.chemo_explains) refer(RuleId::RF_SUDDEN);
    // Body hair loss is expected with chemotherapy and with alopecia universalis.
    if ((yes(loss.body_hair_loss) || is(loss.pattern, LossPattern::universal)) && !f_.chemo_explains &&
        !f_.aa_explains)
      refer(RuleId::RF_BODY);
    const bool symptoms = std::any_of(s.symptoms.begin(), s.symptoms.end(),
                                      [](Symptom x) { return x != Symptom::circular_patches; });
    if (symptoms) refer(RuleId::RF_SYMPTOMS);
    if (is(s.ringworm, Ringworm::suspected) || is(s.ringworm, Ringworm::confirmed)) refer(RuleId::RF_INFECTION);
    if (is(h.thyroid, Thyroid::untreated) || is(h.thyroid, Thyroid::suspected) ||
        is(h.eating_disorder, EatingDisorder::untreated))
      refer(RuleId::RF_UNTREATED);
  }

  void contraindications() {
    const auto& s = in_.scalp;
    const auto& h = in_.history;
    const auto& t = book_.thresholds;
    if (in_.client.age < t.adult_age_years) contraindicate(RuleId::CI_MINOR);
    if (yes(s.keloid_prone)) contraindicate(RuleId::CI_KELOID);
    // Without pigment a transplant is the alternative that gives hair, when the donor allows.
    if (is(s.pigment_allergy, PigmentAllergy::known) || is(s.patch_test, PatchTest::failed))
      contraindicate(RuleId::CI_ALLERGY, f_.donor_usable ? "usable_donor"
                                         : f_.donor_poor ? "no_transplant"
                                                         : "donor_unknown");
    // Absent allergy status counts as unknown; absent patch test as not done.
    else if (!is(s.pigment_allergy, PigmentAllergy::none) && !is(s.patch_test, PatchTest::passed))
      contraindicate(RuleId::CI_PATCH);
    if (is(s.psoriasis, SkinFlare::flare) || is(s.acne, SkinFlare::flare)) contraindicate(RuleId::CI_FLARE);
    if (is(h.chemotherapy, Chemotherapy::active)) contraindicate(RuleId::CI_CHEMO);
    // A hold of 72 hours from the consultation day: the booking waits, the candidacy does not change.
    if (!in_.lifestyle.last_72h.empty()) contraindicate(RuleId::CI_72H, "default", Wait{0, kHoldDays});
    if (has(h.medications, Medication::anticoagulant)) contraindicate(RuleId::CI_ANTICOAG);
    if (is(h.alopecia_areata, AlopeciaAreata::active))
    {
      const std::string_view aa_case = book_.active_aa_defers ? "defer" : "camouflage";
      contraindicate(RuleId::CI_AA_ACTIVE, aa_case);
      // The dermatologist (brief section 11: "a dermatologist referral for
      // treatment"), in the words of the case's medical-therapy rationale.
      const auto& effects = book_.rule(RuleId::CI_AA_ACTIVE).cases;
      if (const auto it = effects.find(aa_case); it != effects.end())
        for (const Effect& e : it->second)
          if (e.target == EffectTarget::option && e.option == Option::medical_therapy && !e.exclude)
            out_.specialist_referrals.push_back({RuleId::CI_AA_ACTIVE, text(e.text)});
    }
    if (f_.young || f_.progressing) {
      contraindicate(RuleId::CI_PROGRESSING, f_.hairline_designed ? "hairline" : "no_hairline");
      if (f_.young && f_.progressing) fire(RuleId::CI_PROGRESSING, "young_progressing");
    }
    // Isotretinoin: listed without a last dose means still taking it.
    const auto& last_dose = h.isotretinoin_last_dose_months;
    if (has(h.medications, Medication::isotretinoin) && !last_dose)
      contraindicate(RuleId::CI_ISOTRETINOIN, "taking");
    else if (last_dose && *last_dose < t.isotretinoin_wait_months)
      contraindicate(RuleId::CI_ISOTRETINOIN, "stopped", Wait{t.isotretinoin_wait_months - *last_dose, 0});
    if (has(h.medications, Medication::retinoid) && !has(h.medications, Medication::isotretinoin) &&
        !has(h.medications, Medication::topical_retinoid) && !last_dose)
      contraindicate(RuleId::CI_RETINOID);
    if (has(h.medications, Medication::topical_retinoid)) contraindicate(RuleId::CI_TOPICAL_RETINOID);
    const bool minoxidil = has(h.medications, Medication::minoxidil);
    const bool finasteride = has(h.medications, Medication::finasteride);
    if (minoxidil || finasteride)
      contraindicate(RuleId::CI_HAIR_MEDICATION, minoxidil && finasteride ? "both" : minoxidil ? "minoxidil" : "finasteride");
    if (yes(in_.lifestyle.hair_dye)) contraindicate(RuleId::CI_HAIR_DYE);
    // Scars: only mature ones are treated (brief section 11); a scar of unknown
    // age is asked about and checked, not assumed young.
    std::optional<int> youngest_scar;
    bool scar_age_unknown = false;
    for (const Scar& scar : s.scars) {
      if (scar.age_months && (!youngest_scar || *scar.age_months < *youngest_scar)) youngest_scar = scar.age_months;
      scar_age_unknown = scar_age_unknown || !scar.age_months;
    }
    if (youngest_scar && *youngest_scar < t.scar_mature_months)
      contraindicate(RuleId::CI_SCAR_IMMATURE, "young", Wait{t.scar_mature_months - *youngest_scar, 0});
    else if (scar_age_unknown)
      contraindicate(RuleId::CI_SCAR_IMMATURE, "age_unknown");
    // Fitzpatrick V-VI: keloid and hyperpigmentation screening (a known keloid tendency already declines).
    if (in_.client.fitzpatrick && *in_.client.fitzpatrick >= kDarkSkinType && !yes(s.keloid_prone))
      contraindicate(RuleId::CI_SKIN_V_VI, is(s.keloid_prone, false) ? "keloid_none" : "keloid_unknown");
    std::stable_sort(out_.contraindications.begin(), out_.contraindications.end(),
                     [](const auto& a, const auto& b) { return a.severity < b.severity; });
  }

  void recommendations() {
    const auto& g = in_.goals;
    // A likely temporary cause explains the shedding better than an early stage does.
    if (f_.temporary_postpartum) fire(RuleId::REC_TEMPORARY, "postpartum");
    else if (f_.temporary_stress) fire(RuleId::REC_TEMPORARY, "stress");
    else if (f_.early) fire(RuleId::REC_EARLY, f_.no_loss ? "no_loss" : "early");
    if (f_.extensive) fire(RuleId::REC_EXTENSIVE);
    // The area rules are for patterned loss that is neither too early, temporary
    // nor extensive, nor already treated by a transplant that disappointed
    // (REC-AFTER-TRANSPLANT governs then); one of them applies to a set of areas.
    const bool area_rules = f_.patterned && !f_.early && !f_.temporary_postpartum && !f_.temporary_stress &&
                            !f_.extensive && !f_.after_transplant;
    if (area_rules && f_.frontal_only) {
      // The client's goals decide (docs/assess.md, "Conflicts").
      if (is(g.look, Look::shaved)) fire(RuleId::REC_FRONTAL, "shaved");
      else if (f_.wants_hair) fire(RuleId::REC_FRONTAL, "keep_hair");
      else fire(RuleId::REC_FRONTAL, "undecided");
    }
    if (area_rules && f_.top_back_only) fire(RuleId::REC_TOP_BACK);
    if (area_rules && f_.front_and_back && !f_.donor_poor)
      fire(RuleId::REC_FRONT_AND_BACK, is(g.look, Look::shaved) ? "shaved"
                                       : f_.donor_usable        ? "usable_donor"
                                                                : "donor_unknown");
    if (f_.donor_poor) fire(RuleId::REC_DONOR);
    if (f_.female_diffuse) fire(RuleId::REC_DIFFUSE_F);
    if (f_.scars) fire(RuleId::REC_SCAR);
    if (f_.after_transplant) fire(RuleId::REC_AFTER_TRANSPLANT);
    if (f_.aa_total) fire(RuleId::REC_AA, "total");
    else if (f_.aa_stable_patches) fire(RuleId::REC_AA, "stable_patches");
    else if (f_.aa_active_patches) fire(RuleId::REC_AA, "active_patches");
    if (yes(g.wants_styleable_hair) && is(in_.scalp.donor_density, DonorDensity::good) && !f_.extensive)
      fire(RuleId::REC_STYLEABLE);
    if (f_.androgenetic && f_.medical_stage) fire(RuleId::REC_MEDICAL);
    if (g.budget && f_.price && *g.budget < f_.price->low) fire(RuleId::REC_BUDGET);
    // Grey or white hair: advice on the look and the shade (brief section 11).
    if (is(in_.client.hair_color, HairColor::grey) || is(in_.client.hair_color, HairColor::white)) {
      out_.rules_fired.push_back(RuleId::REC_GREY);
      out_.advice.push_back({RuleId::REC_GREY, text(book_.text(RuleId::REC_GREY))});
    }
  }

  // Where rules pull towards different SMP looks, the client's goal decides:
  // the look they asked for gains goal_look_points, if a rule proposed it.
  void goal_bonus() {
    std::optional<Option> wanted;
    if (is(in_.goals.look, Look::shaved)) wanted = Option::smp_shaved;
    if (is(in_.goals.look, Look::density)) wanted = Option::smp_density;
    if (is(in_.goals.look, Look::scar_camouflage)) wanted = Option::smp_scar_camouflage;
    if (!wanted) return;
    OptionState& s = options_[static_cast<std::size_t>(*wanted)];
    if (!s.proposed || s.excluded || s.reasons.empty()) return;
    s.score += book_.thresholds.goal_look_points;
    s.reasons.push_back({s.reasons.front().rule, text(book_.goal_look_text)});
  }

  void rank() {
    goal_bonus();
    // A decline rules out every SMP option, whatever the recommendation rules said.
    for (const auto& c : out_.contraindications) {
      if (c.severity != Severity::decline) continue;
      for (std::size_t i = 0; i < enum_count<Option>(); ++i) {
        if (!is_smp(static_cast<Option>(i))) continue;
        OptionState& s = options_[i];
        s.excluded = true;
        s.exclusions.push_back({c.rule, c.text});
      }
    }
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < enum_count<Option>(); ++i) {
      const OptionState& s = options_[i];
      if (s.proposed && !s.excluded && s.score > 0) order.push_back(i);
      // The decisive reasons: the exclusions if any, else what lowered it.
      else if (s.considered && (!s.exclusions.empty() || !s.lowerings.empty()))
        out_.not_recommended.push_back({static_cast<Option>(i), s.exclusions.empty() ? s.lowerings : s.exclusions, {}});
    }
    // Higher score first; ties keep the contract's option order (stable sort).
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return options_[a].score > options_[b].score; });
    // Under the young age with loss still advancing, surgery is never the first answer
    // (docs/assess.md, CI-PROGRESSING): the best option without surgery goes first.
    if (f_.young && f_.progressing && !order.empty() && involves_surgery(static_cast<Option>(order.front()))) {
      const auto first_other = std::find_if(order.begin(), order.end(),
                                            [](std::size_t i) { return !involves_surgery(static_cast<Option>(i)); });
      if (first_other != order.end()) std::rotate(order.begin(), first_other, first_other + 1);
    }
    for (auto& n : out_.not_recommended) n.title = title_of(n.option);
    int rank = 0;
    for (std::size_t i : order) {
      RankedOption r{++rank, static_cast<Option>(i), options_[i].score, {}, title_of(static_cast<Option>(i))};
      for (const Reason& ref : out_.referrals)
        r.rationale.push_back({ref.rule, text(book_.rule(ref.rule).condition)});
      for (const Reason& reason : options_[i].reasons) r.rationale.push_back(reason);
      out_.recommendations.push_back(std::move(r));
    }
    if (out_.recommendations.empty() && out_.referrals.empty()) {
      if (f_.areas.empty() && !in_.hair_loss.pattern)
        out_.warnings.push_back(
            "no hair loss was described (hair_loss.pattern, hair_loss.norwood, hair_loss.ludwig or "
            "hair_loss.areas): there is not enough to recommend a treatment");
      else
        out_.warnings.push_back(
            "no rule recommends a treatment for the hair loss described: the practitioner decides "
            "at the consultation");
    }
  }

  // Patch camouflage for alopecia areata patches (no scars) is named as such.
  std::string title_of(Option o) const {
    if (o == Option::smp_scar_camouflage && (f_.aa_stable_patches || f_.aa_active_patches) && !f_.scars)
      return book_.patch_camouflage_title;
    return book_.option_titles[static_cast<std::size_t>(o)];
  }

  bool smp_ranked() const {
    return std::any_of(out_.recommendations.begin(), out_.recommendations.end(),
                       [](const RankedOption& r) { return is_smp(r.option); });
  }

  void candidacy() {
    const auto any = [&](Severity sev) {
      return std::any_of(out_.contraindications.begin(), out_.contraindications.end(),
                         [&](const auto& c) { return c.severity == sev; });
    };
    // CI-72H is a booking hold (the gate moves the first session), not a
    // condition of the candidacy (docs/assess.md, "Holds and deferrals").
    const bool conditions = std::any_of(out_.contraindications.begin(), out_.contraindications.end(), [](const auto& f) {
      return f.severity == Severity::precaution && f.rule != RuleId::CI_72H;
    });
    Candidacy c;
    if (!out_.referrals.empty()) c = Candidacy::refer;
    else if (any(Severity::decline)) c = Candidacy::not_recommended;
    else if (any(Severity::defer)) c = Candidacy::defer;
    else if (smp_ranked()) c = conditions ? Candidacy::candidate_with_conditions : Candidacy::candidate;
    // No SMP option ranks: too early, temporary or too little known means later;
    // otherwise another option serves the client better.
    else if (fired(RuleId::REC_EARLY) || fired(RuleId::REC_TEMPORARY) || out_.recommendations.empty())
      c = Candidacy::defer;
    else c = Candidacy::not_recommended;
    out_.candidacy = c;
  }

  void cause(Cause c) {
    for (const auto& x : out_.causes_to_screen)
      if (x.cause == c) return;
    out_.causes_to_screen.push_back({c, text(book_.cause_texts[static_cast<std::size_t>(c)])});
  }

  void causes() {
    const auto& h = in_.history;
    const auto& loss = in_.hair_loss;
    const bool diffuse = is(loss.pattern, LossPattern::diffuse) || is(loss.shedding, Shedding::increased) ||
                         is(loss.shedding, Shedding::sudden);
    const bool female = in_.client.sex == Sex::female;
    if (yes(loss.family_history) || f_.androgenetic) cause(Cause::heredity);
    // Diffuse shedding and female thinning are screened for thyroid disease and
    // PCOS unless already reported as absent (brief, section 5).
    if ((h.thyroid && *h.thyroid != Thyroid::none) || (diffuse && !h.thyroid)) cause(Cause::thyroid);
    if (yes(h.pcos) || (female && (f_.female_diffuse || diffuse) && !h.pcos)) cause(Cause::pcos);
    if (h.postpartum_months) cause(Cause::postpartum);
    for (Medication m : {Medication::anxiolytic, Medication::blood_pressure, Medication::heart, Medication::birth_control})
      if (has(h.medications, m)) cause(Cause::medications);
    if (h.stress_event_months) cause(Cause::stress);
    if (is(in_.scalp.ringworm, Ringworm::suspected) || is(in_.scalp.ringworm, Ringworm::confirmed) ||
        has(in_.scalp.symptoms, Symptom::circular_patches))
      cause(Cause::infection);
    if (yes(h.lupus)) cause(Cause::lupus);
    if (f_.aa_explains || f_.aa_total || is(loss.pattern, LossPattern::patchy) ||
        has(in_.scalp.symptoms, Symptom::circular_patches))
      cause(Cause::alopecia_areata);
    if (f_.chemo_explains) cause(Cause::cancer_treatment);
    if (h.eating_disorder && *h.eating_disorder != EatingDisorder::none) cause(Cause::eating_disorder);
  }

  void precare() {
    if (!smp_ranked()) return;  // no sessions ahead, nothing to prepare for
    const auto& s = in_.scalp;
    const auto add = [&](std::string_view id) {
      for (const PrecareItem& p : book_.precare)
        if (p.id == id) {
          out_.precare.push_back({p.rule, text(p.text)});
        }
    };
    if (fired(RuleId::CI_PATCH)) add("patch_test");
    add("avoid_72h");
    if (!in_.lifestyle.last_72h.empty()) add("recent_72h");
    if (has(in_.history.medications, Medication::aspirin) || has(in_.history.medications, Medication::ibuprofen))
      add("regular_painkillers");
    if (fired(RuleId::CI_ANTICOAG)) add("anticoagulant");
    if ((s.psoriasis && *s.psoriasis != SkinFlare::none) || (s.acne && *s.acne != SkinFlare::none))
      add("skin_condition");
    if (fired(RuleId::CI_CHEMO)) add("chemotherapy");
    if (fired(RuleId::CI_TOPICAL_RETINOID)) add("topical_retinoid");
    if (has(in_.history.medications, Medication::minoxidil)) add("minoxidil");
    if (has(in_.history.medications, Medication::finasteride)) add("finasteride");
    if (fired(RuleId::CI_HAIR_DYE)) add("hair_dye");
  }

  const Intake& in_;
  const RuleBook& book_;
  Facts f_;
  Assessment out_;
  std::array<OptionState, enum_count<Option>()> options_{};
};

}  // namespace

std::chrono::sys_days wait_end(std::chrono::sys_days from, const Wait& w) {
  using namespace std::chrono;
  const year_month_day ymd{from};
  year_month_day moved = ymd + months{w.months};
  if (!moved.ok()) moved = moved.year() / moved.month() / last;  // 31 March + 1 month: 30 April
  return sys_days{moved} + days{w.days};
}

Assessment assess(const Intake& intake, const RuleBook& book, std::vector<std::string> warnings) {
  return Engine(intake, book, std::move(warnings)).run();
}

}  // namespace stipple::assess
