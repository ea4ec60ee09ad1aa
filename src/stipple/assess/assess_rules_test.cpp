// One test per rule of the domain brief (shared/domain/SMP.md section 6): each
// triggers the rule on an otherwise clean intake and checks the outcome the
// brief prescribes, plus the nearest case where the rule must stay silent.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "stipple/assess/assess.h"
#include "stipple/assess/test_intakes.h"
#include "stipple/io/json_document.h"

namespace stipple::assess {
namespace {

Intake clean() { return clean_intake(); }

// A woman with Ludwig II thinning who keeps her hair.
Intake clean_female() {
  Intake in = clean();
  in.client.sex = Sex::female;
  in.hair_loss.norwood.reset();
  in.hair_loss.ludwig = Ludwig::II;
  in.goals.look = Look::density;
  in.goals.keep_long_hair = true;
  return in;
}

Assessment run(const Intake& in) { return assess(in, RuleBook::builtin()); }

bool fired(const Assessment& a, RuleId id) {
  return std::find(a.rules_fired.begin(), a.rules_fired.end(), id) != a.rules_fired.end();
}
int rank_of(const Assessment& a, Option o) {
  for (const auto& r : a.recommendations)
    if (r.option == o) return r.rank;
  return 0;
}
const RankedOption& top(const Assessment& a) { return a.recommendations.at(0); }
bool not_recommended_by(const Assessment& a, Option o, RuleId id) {
  for (const auto& n : a.not_recommended)
    if (n.option == o)
      for (const auto& r : n.rationale)
        if (r.rule == id) return true;
  return false;
}
std::optional<Severity> severity_of(const Assessment& a, RuleId id) {
  for (const auto& c : a.contraindications)
    if (c.rule == id) return c.severity;
  return std::nullopt;
}
bool any_smp_ranked(const Assessment& a) {
  return std::any_of(a.recommendations.begin(), a.recommendations.end(),
                     [](const RankedOption& r) { return is_smp(r.option); });
}
const std::string& severity_text(const Assessment& a, RuleId id) {
  static const std::string kNone;
  for (const auto& c : a.contraindications)
    if (c.rule == id) return c.text;
  return kNone;
}
bool has_precare(const Assessment& a, RuleId id, std::string_view words) {
  return std::any_of(a.precare.begin(), a.precare.end(), [&](const Reason& r) {
    return r.rule == id && r.text.find(words) != std::string::npos;
  });
}

TEST(CleanCandidate, IsACandidateForTheShavedLook) {
  const Assessment a = run(clean());
  EXPECT_EQ(a.candidacy, Candidacy::candidate);
  EXPECT_EQ(top(a).option, Option::smp_shaved);
  EXPECT_EQ(a.rules_fired, std::vector<RuleId>{RuleId::REC_FRONT_AND_BACK});
  EXPECT_TRUE(a.referrals.empty());
  EXPECT_TRUE(a.contraindications.empty());
}

// ---- Referrals: refer, and SMP only after the doctor. ----

void expect_referral(const Intake& in, RuleId id) {
  const Assessment a = run(in);
  EXPECT_TRUE(fired(a, id)) << to_string(id);
  EXPECT_EQ(a.candidacy, Candidacy::refer);
  ASSERT_FALSE(a.referrals.empty());
  EXPECT_TRUE(std::any_of(a.referrals.begin(), a.referrals.end(), [&](const Reason& r) { return r.rule == id; }));
  for (const auto& r : a.recommendations) {
    if (!is_smp(r.option)) continue;
    EXPECT_TRUE(std::any_of(r.rationale.begin(), r.rationale.end(), [&](const Reason& x) { return x.rule == id; }))
        << to_string(r.option) << " ranked without the referral";
  }
}

TEST(RF_PATCHY, PatchyLossOrCircularPatchesReferUnlessDiagnosedAsAlopeciaAreata) {
  Intake in = clean();
  in.hair_loss.pattern = LossPattern::patchy;
  expect_referral(in, RuleId::RF_PATCHY);
  Intake symptom = clean();
  symptom.scalp.symptoms = {Symptom::circular_patches};
  expect_referral(symptom, RuleId::RF_PATCHY);
  in.history.alopecia_areata = AlopeciaAreata::stable;  // already diagnosed
  EXPECT_FALSE(fired(run(in), RuleId::RF_PATCHY));
}

TEST(RF_SUDDEN, SuddenSheddingRefersUnlessChemotherapyExplainsIt) {
  Intake in = clean();
  in.hair_loss.shedding = Shedding::sudden;
  expect_referral(in, RuleId::RF_SUDDEN);
  in.hair_loss.shedding = Shedding::increased;
  EXPECT_FALSE(fired(run(in), RuleId::RF_SUDDEN));
  in.hair_loss.shedding = Shedding::sudden;
  in.history.chemotherapy = Chemotherapy::completed;
  EXPECT_FALSE(fired(run(in), RuleId::RF_SUDDEN));
}

TEST(RF_BODY, BodyHairLossRefersUnlessExplained) {
  Intake in = clean();
  in.hair_loss.body_hair_loss = true;
  expect_referral(in, RuleId::RF_BODY);
  in.history.chemotherapy = Chemotherapy::active;
  EXPECT_FALSE(fired(run(in), RuleId::RF_BODY));
  Intake universal = clean();
  universal.hair_loss.pattern = LossPattern::universal;
  universal.hair_loss.norwood.reset();
  expect_referral(universal, RuleId::RF_BODY);  // undiagnosed universal loss
  universal.history.alopecia_areata = AlopeciaAreata::stable;
  EXPECT_FALSE(fired(run(universal), RuleId::RF_BODY));
}

TEST(RF_SYMPTOMS, EveryScalpSymptomRefers) {
  for (Symptom s : {Symptom::itching, Symptom::burning, Symptom::stinging, Symptom::tenderness, Symptom::redness,
                    Symptom::swelling, Symptom::sores, Symptom::pus}) {
    Intake in = clean();
    in.scalp.symptoms = {s};
    SCOPED_TRACE(std::string(to_string(s)));
    expect_referral(in, RuleId::RF_SYMPTOMS);
  }
  Intake patches = clean();
  patches.scalp.symptoms = {Symptom::circular_patches};  // RF-PATCHY's, not this rule's
  EXPECT_FALSE(fired(run(patches), RuleId::RF_SYMPTOMS));
}

TEST(RF_INFECTION, SuspectedOrConfirmedRingwormRefers) {
  for (Ringworm r : {Ringworm::suspected, Ringworm::confirmed}) {
    Intake in = clean();
    in.scalp.ringworm = r;
    expect_referral(in, RuleId::RF_INFECTION);
  }
  Intake none = clean();
  none.scalp.ringworm = Ringworm::none;
  EXPECT_FALSE(fired(run(none), RuleId::RF_INFECTION));
}

TEST(RF_UNTREATED, UntreatedThyroidOrEatingDisorderRefers) {
  for (Thyroid t : {Thyroid::untreated, Thyroid::suspected}) {
    Intake in = clean();
    in.history.thyroid = t;
    expect_referral(in, RuleId::RF_UNTREATED);
  }
  Intake ed = clean();
  ed.history.eating_disorder = EatingDisorder::untreated;
  expect_referral(ed, RuleId::RF_UNTREATED);
  Intake treated = clean();
  treated.history.thyroid = Thyroid::treated;
  treated.history.eating_disorder = EatingDisorder::treated;
  EXPECT_FALSE(fired(run(treated), RuleId::RF_UNTREATED));
}

// ---- Contraindications. ----

void expect_decline(const Intake& in, RuleId id) {
  const Assessment a = run(in);
  EXPECT_EQ(severity_of(a, id), Severity::decline) << to_string(id);
  EXPECT_EQ(a.candidacy, Candidacy::not_recommended);
  EXPECT_FALSE(any_smp_ranked(a));
  EXPECT_TRUE(not_recommended_by(a, Option::smp_shaved, id));
}

TEST(CI_MINOR, UnderEighteenIsDeclined) {
  Intake in = clean();
  in.client.age = 17;
  expect_decline(in, RuleId::CI_MINOR);
  EXPECT_EQ(top(run(in)).option, Option::monitor);
  in.client.age = 18;
  EXPECT_FALSE(fired(run(in), RuleId::CI_MINOR));
}

TEST(CI_KELOID, KeloidTendencyIsDeclinedAndAWigOffered) {
  Intake in = clean();
  in.scalp.keloid_prone = true;
  expect_decline(in, RuleId::CI_KELOID);
  EXPECT_GT(rank_of(run(in), Option::wig), 0);
  in.scalp.keloid_prone = false;
  EXPECT_FALSE(fired(run(in), RuleId::CI_KELOID));
}

TEST(CI_ALLERGY, KnownAllergyOrFailedPatchTestIsDeclined) {
  Intake known = clean();
  known.scalp.pigment_allergy = PigmentAllergy::known;
  known.scalp.patch_test.reset();
  expect_decline(known, RuleId::CI_ALLERGY);
  Intake failed = clean();
  failed.scalp.pigment_allergy = PigmentAllergy::unknown;
  failed.scalp.patch_test = PatchTest::failed;
  expect_decline(failed, RuleId::CI_ALLERGY);
  EXPECT_FALSE(fired(run(failed), RuleId::CI_PATCH));  // the test was done
  // The text names which of the two it is.
  EXPECT_NE(severity_text(run(failed), RuleId::CI_ALLERGY).find("Your patch test reacted"), std::string::npos);
  EXPECT_EQ(severity_text(run(failed), RuleId::CI_ALLERGY).find("known allergy"), std::string::npos);
  EXPECT_NE(severity_text(run(known), RuleId::CI_ALLERGY).find("known allergy"), std::string::npos);
}

// SMP declined and a usable donor: the transplant comes back as the alternative
// (issue 18; the failed-patch-test case). A poor donor keeps it out.
TEST(CI_ALLERGY, WithoutPigmentTheTransplantIsTheAlternativeWhenTheDonorAllows) {
  Intake in = clean();
  in.hair_loss.norwood = Norwood::IV;
  in.scalp.pigment_allergy = PigmentAllergy::unknown;
  in.scalp.patch_test = PatchTest::failed;
  const Assessment a = run(in);
  EXPECT_EQ(top(a).option, Option::transplant);
  EXPECT_GT(rank_of(a, Option::wig), 0);
  in.scalp.donor_density = DonorDensity::poor;
  const Assessment poor = run(in);
  EXPECT_EQ(rank_of(poor, Option::transplant), 0);
  EXPECT_GT(rank_of(poor, Option::wig), 0);
}

TEST(CI_PATCH, UnknownAllergyWithoutPatchTestNeedsOneFirst) {
  Intake in = clean();
  in.scalp.pigment_allergy.reset();  // not reported = unknown
  in.scalp.patch_test.reset();       // not reported = not done
  const Assessment a = run(in);
  EXPECT_EQ(severity_of(a, RuleId::CI_PATCH), Severity::precaution);
  EXPECT_EQ(a.candidacy, Candidacy::candidate_with_conditions);
  EXPECT_TRUE(has_precare(a, RuleId::CI_PATCH, "Patch test"));
  in.scalp.patch_test = PatchTest::passed;
  EXPECT_FALSE(fired(run(in), RuleId::CI_PATCH));
  in.scalp.patch_test = PatchTest::not_done;
  in.scalp.pigment_allergy = PigmentAllergy::none;  // status known
  EXPECT_FALSE(fired(run(in), RuleId::CI_PATCH));
}

TEST(CI_FLARE, FlaringPsoriasisOrAcneDefers) {
  for (bool psoriasis : {true, false}) {
    Intake in = clean();
    (psoriasis ? in.scalp.psoriasis : in.scalp.acne) = SkinFlare::flare;
    const Assessment a = run(in);
    EXPECT_EQ(severity_of(a, RuleId::CI_FLARE), Severity::defer);
    EXPECT_EQ(a.candidacy, Candidacy::defer);
  }
  Intake controlled = clean();
  controlled.scalp.psoriasis = SkinFlare::controlled;
  const Assessment a = run(controlled);
  EXPECT_FALSE(fired(a, RuleId::CI_FLARE));
  EXPECT_TRUE(has_precare(a, RuleId::CI_FLARE, "flares up"));  // reschedule on a flare
}

TEST(CI_CHEMO, ActiveChemotherapyDefersAndPutsTheWigFirst) {
  Intake in = clean();
  in.hair_loss.norwood.reset();
  in.hair_loss.pattern = LossPattern::total;
  in.history.chemotherapy = Chemotherapy::active;
  in.goals.look = Look::undecided;
  const Assessment a = run(in);
  EXPECT_EQ(severity_of(a, RuleId::CI_CHEMO), Severity::defer);
  EXPECT_EQ(a.candidacy, Candidacy::defer);
  EXPECT_EQ(top(a).option, Option::wig);
  EXPECT_TRUE(not_recommended_by(a, Option::transplant, RuleId::CI_CHEMO));
  in.history.chemotherapy = Chemotherapy::completed;  // after it ends, SMP suits
  const Assessment after = run(in);
  EXPECT_FALSE(fired(after, RuleId::CI_CHEMO));
  EXPECT_EQ(top(after).option, Option::smp_shaved);
}

// CI-72H holds the booking for 72 hours; it does not change the candidacy (gate.h).
TEST(CI_72H, AnythingInTheLast72HoursHoldsTheBookingNotTheCandidacy) {
  for (Recent r : {Recent::alcohol, Recent::aspirin, Recent::ibuprofen, Recent::blood_thinning_supplements,
                   Recent::tanning}) {
    Intake in = clean();
    in.lifestyle.last_72h = {r};
    const Assessment a = run(in);
    EXPECT_EQ(severity_of(a, RuleId::CI_72H), Severity::precaution);
    EXPECT_EQ(a.candidacy, Candidacy::candidate);  // as without the drink: a hold, not a condition
    ASSERT_TRUE(a.contraindications.front().wait);
    EXPECT_EQ(a.contraindications.front().wait->days, 3);
    EXPECT_TRUE(has_precare(a, RuleId::CI_72H, "at least 72 hours after"));
    // Only tanning is named as what sensitises the skin; the rest thin the blood.
    const std::string& t = a.contraindications.front().text;
    EXPECT_EQ(t.find("thin") == std::string::npos, r == Recent::tanning) << t;
  }
  const Assessment a = run(clean());
  EXPECT_EQ(a.candidacy, Candidacy::candidate);
  EXPECT_FALSE(fired(a, RuleId::CI_72H));
  EXPECT_TRUE(has_precare(a, RuleId::CI_72H, "For 72 hours before each session"));  // standing advice
}

TEST(CI_ANTICOAG, PrescribedAnticoagulantsAreAPrecautionNeverStopped) {
  Intake in = clean();
  in.history.medications = {Medication::anticoagulant};
  const Assessment a = run(in);
  EXPECT_EQ(severity_of(a, RuleId::CI_ANTICOAG), Severity::precaution);
  EXPECT_EQ(a.candidacy, Candidacy::candidate_with_conditions);
  EXPECT_TRUE(has_precare(a, RuleId::CI_ANTICOAG, "Keep taking"));
  in.history.medications = {Medication::aspirin};
  const Assessment aspirin = run(in);
  EXPECT_FALSE(fired(aspirin, RuleId::CI_ANTICOAG));
  EXPECT_TRUE(has_precare(aspirin, RuleId::CI_72H, "aspirin regularly"));
}

// Brief section 11: defer while active, a dermatologist for treatment, and a
// transplant is contraindicated while AA is active (Bernstein, Rassman).
TEST(CI_AA_ACTIVE, ActiveAlopeciaAreataDefersNeverRanksATransplantAndSendsToADermatologist) {
  Intake in = clean();
  in.hair_loss.norwood.reset();
  in.hair_loss.pattern = LossPattern::patchy;
  in.hair_loss.areas = {LossArea::crown};
  in.history.alopecia_areata = AlopeciaAreata::active;
  in.scalp.donor_density = DonorDensity::good;
  in.goals.wants_styleable_hair = true;  // REC-STYLEABLE would raise the transplant
  in.goals.look = Look::undecided;
  const Assessment a = run(in);
  EXPECT_EQ(severity_of(a, RuleId::CI_AA_ACTIVE), Severity::defer);
  EXPECT_EQ(a.candidacy, Candidacy::defer);
  EXPECT_EQ(rank_of(a, Option::transplant), 0);
  EXPECT_EQ(rank_of(a, Option::smp_with_transplant), 0);
  EXPECT_TRUE(not_recommended_by(a, Option::transplant, RuleId::CI_AA_ACTIVE));
  EXPECT_EQ(top(a).option, Option::medical_therapy);
  EXPECT_NE(severity_text(a, RuleId::CI_AA_ACTIVE).find("dermatologist"), std::string::npos);
  // A clinic that camouflages active patches (brief section 11: practices differ):
  // a precaution with retouches, still no transplant and a dermatologist first.
  auto json = io::Json::parse(default_rules_json_text());
  json["active_alopecia_areata"] = "camouflage";
  const auto book = RuleBook::parse(json.dump(), "clinic.rules.json");
  ASSERT_TRUE(book) << book.error().message();
  const Assessment camouflage = assess(in, *book);
  EXPECT_EQ(severity_of(camouflage, RuleId::CI_AA_ACTIVE), Severity::precaution);
  EXPECT_EQ(camouflage.candidacy, Candidacy::candidate_with_conditions);
  EXPECT_EQ(rank_of(camouflage, Option::transplant), 0);
  EXPECT_NE(severity_text(camouflage, RuleId::CI_AA_ACTIVE).find("dermatologist"), std::string::npos);
  json["active_alopecia_areata"] = "refuse";
  EXPECT_FALSE(RuleBook::parse(json.dump(), "clinic.rules.json"));
  in.history.alopecia_areata = AlopeciaAreata::stable;
  EXPECT_FALSE(fired(run(in), RuleId::CI_AA_ACTIVE));
}

TEST(CI_PROGRESSING, UnderTwentyFiveOrStillProgressingIsAPrecaution) {
  Intake young = clean();
  young.client.age = 24;
  EXPECT_EQ(severity_of(run(young), RuleId::CI_PROGRESSING), Severity::precaution);
  young.client.age = 25;
  EXPECT_FALSE(fired(run(young), RuleId::CI_PROGRESSING));
  young.hair_loss.progressing = true;
  const Assessment a = run(young);
  EXPECT_TRUE(fired(a, RuleId::CI_PROGRESSING));
  EXPECT_EQ(a.candidacy, Candidacy::candidate_with_conditions);
  const auto& why = top(a).rationale;
  EXPECT_TRUE(std::any_of(why.begin(), why.end(), [](const Reason& r) {
    return r.rule == RuleId::CI_PROGRESSING && r.text.find("mature hairline") != std::string::npos;
  }));
  // The text names which of the two applies.
  EXPECT_NE(severity_text(a, RuleId::CI_PROGRESSING).find("it advanced in the last year"), std::string::npos);
  EXPECT_EQ(severity_text(a, RuleId::CI_PROGRESSING).find("under 25"), std::string::npos);
}

// No hairline sentence where no hairline is designed (crown patches, scars).
TEST(CI_PROGRESSING, NoHairlineSentenceWithoutADesignedHairline) {
  Intake in = clean();
  in.hair_loss.norwood.reset();
  in.hair_loss.pattern = LossPattern::patchy;
  in.hair_loss.areas = {LossArea::crown};
  in.history.alopecia_areata = AlopeciaAreata::stable;
  in.hair_loss.progressing = true;
  const Assessment a = run(in);
  ASSERT_TRUE(fired(a, RuleId::CI_PROGRESSING));
  EXPECT_EQ(severity_text(a, RuleId::CI_PROGRESSING).find("hairline"), std::string::npos);
  for (const auto& r : a.recommendations)
    for (const auto& why : r.rationale) EXPECT_EQ(why.text.find("hairline"), std::string::npos) << why.text;
}

// Under 25 and still progressing: a transplant is never the first answer
// (docs/assess.md: Bernstein Medical, Rassman).
TEST(CI_PROGRESSING, UnderTwentyFiveStillProgressingNeverPutsTheTransplantFirst) {
  Intake in = clean();
  in.client.age = 22;
  in.hair_loss.norwood = Norwood::III;  // frontal only
  in.hair_loss.progressing = true;
  in.goals.look = Look::undecided;
  in.goals.keep_long_hair = true;
  in.goals.wants_styleable_hair = true;
  in.scalp.donor_density = DonorDensity::good;
  const Assessment a = run(in);
  ASSERT_FALSE(a.recommendations.empty());
  EXPECT_FALSE(involves_surgery(top(a).option)) << to_string(top(a).option);
  EXPECT_GT(rank_of(a, Option::transplant), 1);
  in.client.age = 30;  // older: the transplant may lead again
  EXPECT_EQ(top(run(in)).option, Option::transplant);
}

// ---- Recommendations. ----

TEST(REC_EARLY, NorwoodIToIIOrLudwigIIsTooEarly) {
  for (Norwood n : {Norwood::I, Norwood::II, Norwood::IIa}) {
    Intake in = clean();
    in.hair_loss.norwood = n;
    const Assessment a = run(in);
    EXPECT_TRUE(fired(a, RuleId::REC_EARLY));
    EXPECT_FALSE(any_smp_ranked(a));
    EXPECT_GT(rank_of(a, Option::monitor), 0);
    EXPECT_GT(rank_of(a, Option::medical_therapy), 0);
    EXPECT_EQ(rank_of(a, Option::transplant), 0);
    EXPECT_EQ(a.candidacy, Candidacy::defer);
  }
  Intake ludwig = clean_female();
  ludwig.hair_loss.ludwig = Ludwig::I;
  EXPECT_TRUE(fired(run(ludwig), RuleId::REC_EARLY));
  Intake shedding = clean();
  shedding.hair_loss.norwood.reset();
  shedding.hair_loss.shedding = Shedding::increased;
  EXPECT_TRUE(fired(run(shedding), RuleId::REC_EARLY));
  Intake none = clean();
  none.hair_loss.norwood.reset();
  none.hair_loss.pattern = LossPattern::none;
  const Assessment a = run(none);
  EXPECT_EQ(top(a).option, Option::monitor);
  EXPECT_EQ(rank_of(a, Option::medical_therapy), 0) << "no loss, no medication";
  Intake three = clean();
  three.hair_loss.norwood = Norwood::III;
  EXPECT_FALSE(fired(run(three), RuleId::REC_EARLY));
}

TEST(REC_TEMPORARY, RecentChildbirthOrShockMeansMonitorFirst) {
  Intake post = clean_female();
  post.hair_loss.ludwig.reset();
  post.hair_loss.pattern = LossPattern::diffuse;
  post.history.postpartum_months = 5;
  post.hair_loss.duration_months = 4;
  Assessment a = run(post);
  EXPECT_TRUE(fired(a, RuleId::REC_TEMPORARY));
  EXPECT_EQ(top(a).option, Option::monitor);
  EXPECT_FALSE(any_smp_ranked(a));
  EXPECT_EQ(a.candidacy, Candidacy::defer);
  post.history.postpartum_months = 24;  // the brief: under 24 months
  post.hair_loss.duration_months.reset();
  EXPECT_FALSE(fired(run(post), RuleId::REC_TEMPORARY));
  post.history.postpartum_months = 5;
  post.hair_loss.duration_months = 40;  // the loss began long before the birth
  EXPECT_FALSE(fired(run(post), RuleId::REC_TEMPORARY));

  Intake stress = clean();
  stress.hair_loss.norwood.reset();
  stress.hair_loss.pattern = LossPattern::diffuse;
  stress.history.stress_event_months = 6;
  EXPECT_TRUE(fired(run(stress), RuleId::REC_TEMPORARY));
  stress.history.stress_event_months = 7;
  EXPECT_FALSE(fired(run(stress), RuleId::REC_TEMPORARY));
}

TEST(REC_EXTENSIVE, NorwoodVIToVIIOrTotalLossMeansTheShavedLookFirst) {
  for (Norwood n : {Norwood::VI, Norwood::VII}) {
    Intake in = clean();
    in.hair_loss.norwood = n;
    in.goals.look = Look::undecided;
    in.scalp.donor_density = DonorDensity::good;
    const Assessment a = run(in);
    EXPECT_TRUE(fired(a, RuleId::REC_EXTENSIVE));
    EXPECT_EQ(top(a).option, Option::smp_shaved);
    EXPECT_EQ(rank_of(a, Option::transplant), 0);
    EXPECT_GT(rank_of(a, Option::wig), 0);
  }
  Intake five = clean();
  EXPECT_FALSE(fired(run(five), RuleId::REC_EXTENSIVE));
}

TEST(REC_FRONTAL, TheClientsGoalDecidesBetweenSmpAndTransplant) {
  Intake in = clean();
  in.hair_loss.norwood = Norwood::III;
  in.scalp.donor_density = DonorDensity::good;
  Assessment shaved = run(in);
  EXPECT_TRUE(fired(shaved, RuleId::REC_FRONTAL));
  EXPECT_EQ(top(shaved).option, Option::smp_shaved);

  in.goals.look = Look::undecided;
  in.goals.keep_long_hair = true;
  const Assessment longer = run(in);
  EXPECT_EQ(top(longer).option, Option::transplant);
  EXPECT_TRUE(not_recommended_by(longer, Option::smp_density, RuleId::REC_FRONTAL));
  EXPECT_EQ(longer.candidacy, Candidacy::not_recommended);

  in.goals.keep_long_hair.reset();
  const Assessment undecided = run(in);
  EXPECT_EQ(rank_of(undecided, Option::smp_shaved), 1);
  EXPECT_EQ(rank_of(undecided, Option::transplant), 2);
}

TEST(REC_TOP_BACK, CrownLossMeansSmpFirstAndSparesTheTransplant) {
  Intake in = clean();
  in.hair_loss.norwood.reset();
  in.hair_loss.areas = {LossArea::crown};
  in.goals.look = Look::undecided;
  in.scalp.donor_density = DonorDensity::good;
  const Assessment a = run(in);
  EXPECT_TRUE(fired(a, RuleId::REC_TOP_BACK));
  EXPECT_EQ(top(a).option, Option::smp_shaved);
  EXPECT_EQ(rank_of(a, Option::transplant), 0);
  in.goals.keep_long_hair = true;  // the preferred SMP look follows the goal
  EXPECT_EQ(top(run(in)).option, Option::smp_density);
}

TEST(REC_FRONT_AND_BACK, FrontAndCrownWithADonorCombineSmpAndTransplant) {
  Intake in = clean();
  in.hair_loss.norwood = Norwood::IV;
  in.goals.look = Look::undecided;
  in.scalp.donor_density = DonorDensity::good;
  const Assessment a = run(in);
  EXPECT_TRUE(fired(a, RuleId::REC_FRONT_AND_BACK));
  EXPECT_EQ(top(a).option, Option::smp_with_transplant);
  in.goals.look = Look::shaved;  // a shaved head needs no transplant
  const Assessment shaved = run(in);
  EXPECT_EQ(top(shaved).option, Option::smp_shaved);
  EXPECT_EQ(rank_of(shaved, Option::smp_with_transplant), 0);
  in.goals.look = Look::undecided;
  in.scalp.donor_density.reset();  // donor not assessed: SMP first
  EXPECT_EQ(top(run(in)).option, Option::smp_shaved);
}

TEST(REC_DONOR, PoorDonorRulesOutTheTransplant) {
  Intake in = clean();
  in.hair_loss.norwood = Norwood::IV;
  in.goals.look = Look::undecided;
  in.scalp.donor_density = DonorDensity::poor;
  const Assessment a = run(in);
  EXPECT_TRUE(fired(a, RuleId::REC_DONOR));
  EXPECT_EQ(rank_of(a, Option::transplant), 0);
  EXPECT_EQ(rank_of(a, Option::smp_with_transplant), 0);
  EXPECT_TRUE(not_recommended_by(a, Option::transplant, RuleId::REC_DONOR));
  EXPECT_TRUE(is_smp(top(a).option));
}

TEST(REC_DIFFUSE_F, DiffuseThinningInWomenMeansDensityNotTransplant) {
  const Assessment a = run(clean_female());
  EXPECT_TRUE(fired(a, RuleId::REC_DIFFUSE_F));
  EXPECT_EQ(top(a).option, Option::smp_density);
  EXPECT_TRUE(not_recommended_by(a, Option::transplant, RuleId::REC_DIFFUSE_F));
  Intake male = clean_female();
  male.client.sex = Sex::male;
  male.hair_loss.pattern = LossPattern::diffuse;
  EXPECT_FALSE(fired(run(male), RuleId::REC_DIFFUSE_F));
}

TEST(REC_SCAR, ScarsMeanScarCamouflage) {
  Intake in = clean();
  in.hair_loss.norwood.reset();
  in.hair_loss.pattern = LossPattern::scarring;
  in.history.transplant.method = TransplantMethod::FUT;
  in.scalp.scars = {Scar{ScarKind::FUT, 190.0, 4.0}};
  in.goals.look = Look::scar_camouflage;
  const Assessment a = run(in);
  EXPECT_TRUE(fired(a, RuleId::REC_SCAR));
  EXPECT_EQ(top(a).option, Option::smp_scar_camouflage);
  const auto& why = top(a).rationale;
  EXPECT_TRUE(std::any_of(why.begin(), why.end(), [](const Reason& r) {
    return r.rule == RuleId::REC_SCAR && r.text.find("FUT scar, 190 × 4 mm") != std::string::npos;
  }));
  EXPECT_FALSE(fired(run(clean()), RuleId::REC_SCAR));
}

TEST(REC_AFTER_TRANSPLANT, DisappointingTransplantDensityMeansSmpDensity) {
  Intake in = clean();
  in.hair_loss.norwood = Norwood::III;
  in.goals.look = Look::density;
  in.history.transplant = {TransplantMethod::FUE, false};
  const Assessment a = run(in);
  EXPECT_TRUE(fired(a, RuleId::REC_AFTER_TRANSPLANT));
  EXPECT_GT(rank_of(a, Option::smp_density), 0);
  in.history.transplant.satisfied_with_density = true;
  EXPECT_FALSE(fired(run(in), RuleId::REC_AFTER_TRANSPLANT));
}

TEST(REC_AA, AlopeciaAreataMeansShavedForTotalisCamouflageForPatches) {
  Intake total = clean();
  total.hair_loss.norwood.reset();
  total.hair_loss.pattern = LossPattern::total;
  total.history.alopecia_areata = AlopeciaAreata::stable;
  Assessment a = run(total);
  EXPECT_TRUE(fired(a, RuleId::REC_AA));
  EXPECT_EQ(top(a).option, Option::smp_shaved);

  Intake patches = clean();
  patches.hair_loss.norwood.reset();
  patches.hair_loss.pattern = LossPattern::patchy;
  patches.history.alopecia_areata = AlopeciaAreata::stable;
  a = run(patches);
  EXPECT_TRUE(fired(a, RuleId::REC_AA));
  EXPECT_EQ(top(a).option, Option::smp_scar_camouflage);
  EXPECT_EQ(a.candidacy, Candidacy::candidate);

  patches.history.alopecia_areata = AlopeciaAreata::active;
  a = run(patches);
  EXPECT_EQ(top(a).option, Option::medical_therapy);  // a dermatologist first (CI-AA-ACTIVE)
  EXPECT_GT(rank_of(a, Option::smp_scar_camouflage), 0);
  EXPECT_GT(rank_of(a, Option::monitor), 0);
  EXPECT_FALSE(fired(run(clean()), RuleId::REC_AA));
}

TEST(REC_STYLEABLE, StyleableHairWithAGoodDonorRanksTheTransplantUp) {
  Intake in = clean();
  in.hair_loss.norwood = Norwood::III;
  in.goals.look = Look::undecided;
  in.scalp.donor_density = DonorDensity::good;
  const int before = rank_of(run(in), Option::transplant);
  in.goals.wants_styleable_hair = true;
  const Assessment a = run(in);
  EXPECT_TRUE(fired(a, RuleId::REC_STYLEABLE));
  EXPECT_EQ(rank_of(a, Option::transplant), 1);
  EXPECT_GT(before, 1);
  in.scalp.donor_density = DonorDensity::fair;
  EXPECT_FALSE(fired(run(in), RuleId::REC_STYLEABLE));
}

TEST(REC_MEDICAL, EarlyToModerateAndrogeneticLossOffersLifelongMedication) {
  Intake in = clean();
  in.hair_loss.norwood = Norwood::III;
  const Assessment a = run(in);
  EXPECT_TRUE(fired(a, RuleId::REC_MEDICAL));
  const int r = rank_of(a, Option::medical_therapy);
  ASSERT_GT(r, 0);
  const auto& why = a.recommendations[static_cast<std::size_t>(r - 1)].rationale;
  EXPECT_TRUE(std::any_of(why.begin(), why.end(), [](const Reason& x) {
    return x.rule == RuleId::REC_MEDICAL && x.text.find("stopping brings the loss back") != std::string::npos;
  }));
  EXPECT_FALSE(fired(run(clean()), RuleId::REC_MEDICAL)) << "Norwood V is past early to moderate";
}

TEST(REC_BUDGET, ABudgetBelowTheMarketRangeIsSaid) {
  Intake in = clean();
  in.hair_loss.norwood = Norwood::IV;
  in.goals.budget = 1000;
  in.goals.currency = "USD";
  Assessment a = run(in);
  EXPECT_TRUE(fired(a, RuleId::REC_BUDGET));
  const auto& why = top(a).rationale;
  EXPECT_TRUE(std::any_of(why.begin(), why.end(), [](const Reason& r) {
    return r.rule == RuleId::REC_BUDGET && r.text.find("1,000 USD") != std::string::npos &&
           r.text.find("1,500-3,500 USD") != std::string::npos;  // partial loss, brief section 8
  }));
  in.goals.budget = 1500;
  EXPECT_FALSE(fired(run(in), RuleId::REC_BUDGET));
  Intake full = clean();  // full shaved look: 2,500-3,500
  full.hair_loss.norwood = Norwood::VII;
  full.goals.budget = 2000;
  EXPECT_TRUE(fired(run(full), RuleId::REC_BUDGET));
  full.goals.currency = "EUR";  // no published range: not compared, and said so
  a = run(full);
  EXPECT_FALSE(fired(a, RuleId::REC_BUDGET));
  ASSERT_FALSE(a.warnings.empty());
  EXPECT_NE(a.warnings.front().find("EUR"), std::string::npos);
}

TEST(Conflicts, TheClientsGoalLookDecidesBetweenSmpLooks) {
  // An FUE transplant that disappointed, with its punch scars: REC-SCAR proposes
  // camouflage (6), REC-AFTER-TRANSPLANT density (5). The goal decides.
  Intake in = clean();
  in.hair_loss.norwood = Norwood::III;
  in.history.transplant = {TransplantMethod::FUE, false};
  in.scalp.scars = {Scar{ScarKind::FUE, 1.0, 1.0}};
  in.goals.look = Look::density;
  EXPECT_EQ(top(run(in)).option, Option::smp_density);
  in.goals.look = Look::scar_camouflage;
  EXPECT_EQ(top(run(in)).option, Option::smp_scar_camouflage);
  // The goal never brings in an option no rule proposed.
  Intake early = clean();
  early.hair_loss.norwood = Norwood::II;
  early.goals.look = Look::shaved;
  EXPECT_EQ(rank_of(run(early), Option::smp_shaved), 0);
}

// ---- Candidacy precedence: refer > not_recommended > defer > with conditions > candidate. ----

TEST(Candidacy, PrecedenceFollowsTheBrief) {
  Intake in = clean();
  in.client.age = 16;                    // decline
  in.scalp.psoriasis = SkinFlare::flare;  // defer
  in.history.medications = {Medication::anticoagulant};  // precaution
  EXPECT_EQ(run(in).candidacy, Candidacy::not_recommended);
  in.scalp.symptoms = {Symptom::pus};  // referral beats all
  EXPECT_EQ(run(in).candidacy, Candidacy::refer);
  Intake defer = clean();
  defer.scalp.psoriasis = SkinFlare::flare;
  defer.history.medications = {Medication::anticoagulant};
  EXPECT_EQ(run(defer).candidacy, Candidacy::defer);
  EXPECT_LT(candidacy_precedence(Candidacy::candidate), candidacy_precedence(Candidacy::candidate_with_conditions));
  EXPECT_LT(candidacy_precedence(Candidacy::defer), candidacy_precedence(Candidacy::not_recommended));
  EXPECT_LT(candidacy_precedence(Candidacy::not_recommended), candidacy_precedence(Candidacy::refer));
}

TEST(Causes, HistoryAndPatternNameTheCausesToScreen) {
  Intake in = clean_female();
  in.hair_loss.pattern = LossPattern::diffuse;
  in.history.postpartum_months = 30;
  in.history.medications = {Medication::anxiolytic};
  in.history.lupus = true;
  in.history.eating_disorder = EatingDisorder::treated;
  const Assessment a = run(in);
  std::vector<Cause> causes;
  for (const auto& c : a.causes_to_screen) causes.push_back(c.cause);
  for (Cause c : {Cause::thyroid, Cause::pcos, Cause::postpartum, Cause::medications, Cause::lupus,
                  Cause::eating_disorder})
    EXPECT_NE(std::find(causes.begin(), causes.end(), c), causes.end()) << to_string(c);
  in.history.thyroid = Thyroid::none;  // reported absent: not screened again
  const Assessment b = run(in);
  EXPECT_TRUE(std::none_of(b.causes_to_screen.begin(), b.causes_to_screen.end(),
                           [](const CauseFinding& c) { return c.cause == Cause::thyroid; }));
}

TEST(Determinism, TheSameIntakeGivesTheSameAssessment) {
  Intake in = clean_female();
  in.scalp.symptoms = {Symptom::itching};
  const Assessment a = run(in), b = run(in);
  EXPECT_EQ(a.rules_fired, b.rules_fired);
  ASSERT_EQ(a.recommendations.size(), b.recommendations.size());
  for (std::size_t i = 0; i < a.recommendations.size(); ++i)
    EXPECT_EQ(a.recommendations[i].option, b.recommendations[i].option);
}

}  // namespace
}  // namespace stipple::assess

// ---- Section 11 of the brief (docs/assess.md gives each source). ----

namespace stipple::assess {
namespace {

// Every text of an assessment a client reads.
std::vector<std::string> client_texts(const Assessment& a) {
  std::vector<std::string> out;
  for (const auto& r : a.referrals) out.push_back(r.text);
  for (const auto& c : a.contraindications) out.push_back(c.text);
  for (const auto& r : a.recommendations)
    for (const auto& why : r.rationale) out.push_back(why.text);
  for (const auto& n : a.not_recommended)
    for (const auto& why : n.rationale) out.push_back(why.text);
  for (const auto& c : a.causes_to_screen) out.push_back(c.text);
  for (const auto& p : a.precare) out.push_back(p.text);
  for (const auto& p : a.advice) out.push_back(p.text);
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Brief section 11: "Any client text that mentions blood thinning must say
// this [never stop or change the dose without the prescriber] in the same place."
TEST(CI_ANTICOAG, EveryTextMentioningBloodThinningSaysNeverToStopAPrescribedOne) {
  std::vector<Intake> intakes;
  for (Recent r : {Recent::alcohol, Recent::aspirin, Recent::ibuprofen, Recent::blood_thinning_supplements}) {
    Intake in = clean();
    in.lifestyle.last_72h = {r};
    intakes.push_back(in);
  }
  Intake anticoag = clean();
  anticoag.history.medications = {Medication::anticoagulant, Medication::aspirin};
  anticoag.lifestyle.last_72h = {Recent::aspirin, Recent::alcohol};
  intakes.push_back(anticoag);
  std::size_t seen = 0;
  for (const Intake& in : intakes) {
    for (const std::string& t : client_texts(run(in))) {
      const std::string l = lower(t);
      if (l.find("thin the blood") == std::string::npos && l.find("thins the blood") == std::string::npos &&
          l.find("blood-thinning") == std::string::npos && l.find("blood thinner") == std::string::npos)
        continue;
      ++seen;
      EXPECT_NE(l.find("never stop"), std::string::npos) << t;
      EXPECT_NE(l.find("prescri"), std::string::npos) << t;
    }
  }
  EXPECT_GE(seen, 6u);
  // The anticoagulant's own text claims no change of plan it cannot show.
  EXPECT_EQ(severity_text(run(anticoag), RuleId::CI_ANTICOAG).find("with that in mind"), std::string::npos);
  EXPECT_NE(severity_text(run(anticoag), RuleId::CI_ANTICOAG).find("extra session"), std::string::npos);
}

// Isotretinoin: defer 6 months after the last dose (label; brief section 11).
TEST(CI_ISOTRETINOIN, IsotretinoinDefersWhileTakenAndForSixMonthsAfter) {
  Intake in = clean();
  in.history.medications = {Medication::isotretinoin};
  const Assessment taking = run(in);
  EXPECT_EQ(severity_of(taking, RuleId::CI_ISOTRETINOIN), Severity::defer);
  EXPECT_EQ(taking.candidacy, Candidacy::defer);
  EXPECT_FALSE(taking.contraindications.front().wait);  // no end known while taken
  in.history.isotretinoin_last_dose_months = 4;
  const Assessment stopped = run(in);
  ASSERT_TRUE(stopped.contraindications.front().wait);
  EXPECT_EQ(stopped.contraindications.front().wait->months, 2);
  EXPECT_NE(severity_text(stopped, RuleId::CI_ISOTRETINOIN).find("4 months ago"), std::string::npos);
  in.history.isotretinoin_last_dose_months = 6;
  EXPECT_FALSE(fired(run(in), RuleId::CI_ISOTRETINOIN));
  // A clinic may wait longer (tattoo sources: 6-12 months).
  auto json = io::Json::parse(default_rules_json_text());
  json["thresholds"]["isotretinoin_wait_months"] = 12;
  const auto book = RuleBook::parse(json.dump(), "clinic.rules.json");
  ASSERT_TRUE(book) << book.error().message();
  EXPECT_TRUE(fired(assess(in, *book), RuleId::CI_ISOTRETINOIN));
}

// A retinoid of unstated kind: ask which, give both, and wait until known.
TEST(CI_RETINOID, ARetinoidOfUnstatedKindAsksWhichAndWaits) {
  Intake in = clean();
  in.history.medications = {Medication::retinoid};
  const Assessment a = run(in);
  EXPECT_EQ(severity_of(a, RuleId::CI_RETINOID), Severity::defer);
  EXPECT_EQ(a.candidacy, Candidacy::defer);
  const std::string& t = severity_text(a, RuleId::CI_RETINOID);
  EXPECT_NE(t.find("Isotretinoin tablets"), std::string::npos) << t;
  EXPECT_NE(t.find("2-4 weeks before"), std::string::npos) << t;
  EXPECT_NE(t.find("name of the medicine"), std::string::npos) << t;
  in.history.medications = {Medication::retinoid, Medication::topical_retinoid};  // now known
  EXPECT_FALSE(fired(run(in), RuleId::CI_RETINOID));
}

// Topical retinoids: stop 2-4 weeks before, none for 2 weeks after.
TEST(CI_TOPICAL_RETINOID, ATopicalRetinoidIsAdviceBeforeAndAfter) {
  Intake in = clean();
  in.history.medications = {Medication::topical_retinoid};
  const Assessment a = run(in);
  EXPECT_EQ(severity_of(a, RuleId::CI_TOPICAL_RETINOID), Severity::precaution);
  EXPECT_EQ(a.candidacy, Candidacy::candidate_with_conditions);
  EXPECT_TRUE(has_precare(a, RuleId::CI_TOPICAL_RETINOID, "2-4 weeks before"));
  EXPECT_TRUE(has_precare(a, RuleId::CI_TOPICAL_RETINOID, "2 weeks after"));
}

// Minoxidil: pause 7 days before and after; finasteride: no pause.
TEST(CI_HAIR_MEDICATION, MinoxidilPausesSevenDaysFinasterideNever) {
  Intake in = clean();
  in.history.medications = {Medication::minoxidil};
  const Assessment m = run(in);
  EXPECT_TRUE(has_precare(m, RuleId::CI_HAIR_MEDICATION, "7 days before and 7 days after"));
  EXPECT_EQ(severity_text(m, RuleId::CI_HAIR_MEDICATION).find("finasteride"), std::string::npos);
  in.history.medications = {Medication::finasteride};
  const Assessment f = run(in);
  EXPECT_TRUE(has_precare(f, RuleId::CI_HAIR_MEDICATION, "no pause"));
  EXPECT_EQ(severity_text(f, RuleId::CI_HAIR_MEDICATION).find("minoxidil"), std::string::npos);
  in.history.medications = {Medication::minoxidil, Medication::finasteride};
  const Assessment both = run(in);
  EXPECT_NE(severity_text(both, RuleId::CI_HAIR_MEDICATION).find("Keep taking finasteride"), std::string::npos);
}

// Hair dye: at least 2 weeks before, 4 weeks after.
TEST(CI_HAIR_DYE, HairDyeTimingIsInThePrecare) {
  Intake in = clean();
  in.lifestyle.hair_dye = true;
  const Assessment a = run(in);
  EXPECT_TRUE(has_precare(a, RuleId::CI_HAIR_DYE, "2 weeks before"));
  EXPECT_TRUE(has_precare(a, RuleId::CI_HAIR_DYE, "4 weeks after"));
  in.lifestyle.hair_dye = false;
  EXPECT_FALSE(fired(run(in), RuleId::CI_HAIR_DYE));
}

// Scars: only mature ones, at least 6-12 months old (brief section 11).
TEST(CI_SCAR_IMMATURE, AScarYoungerThanSixMonthsDefersWithAnEnd) {
  Intake in = clean();
  in.history.transplant.method = TransplantMethod::FUT;
  in.scalp.scars = {Scar{ScarKind::FUT, 200.0, 3.0, 4}};
  const Assessment a = run(in);
  EXPECT_EQ(severity_of(a, RuleId::CI_SCAR_IMMATURE), Severity::defer);
  EXPECT_EQ(a.candidacy, Candidacy::defer);
  ASSERT_TRUE(a.contraindications.front().wait);
  EXPECT_EQ(a.contraindications.front().wait->months, 2);
  in.scalp.scars[0].age_months = 6;
  EXPECT_FALSE(fired(run(in), RuleId::CI_SCAR_IMMATURE));
  // Not reported: not assumed young, but asked about and checked (a precaution).
  in.scalp.scars[0].age_months.reset();
  const Assessment unknown = run(in);
  EXPECT_EQ(severity_of(unknown, RuleId::CI_SCAR_IMMATURE), Severity::precaution);
  EXPECT_NE(unknown.candidacy, Candidacy::defer);
  bool asked = false;
  for (const auto& c : unknown.contraindications)
    asked = asked || (c.rule == RuleId::CI_SCAR_IMMATURE && c.text.find("how old your scar is") != std::string::npos && !c.wait);
  EXPECT_TRUE(asked);
  // One scar of known mature age and one unknown: still asked.
  in.scalp.scars.push_back(Scar{ScarKind::FUE, 2.0, 1.0, 24});
  EXPECT_EQ(severity_of(run(in), RuleId::CI_SCAR_IMMATURE), Severity::precaution);
}

// FUE into a scar is named for scar clients; patches are not called scars.
TEST(REC_SCAR, TransplantIntoTheScarIsNamedAndPatchesAreNotScars) {
  Intake in = clean();
  in.hair_loss.norwood.reset();
  in.hair_loss.pattern = LossPattern::scarring;
  in.history.transplant.method = TransplantMethod::FUT;
  in.scalp.scars = {Scar{ScarKind::FUT, 230.0, 7.0, {}}};
  in.goals.look = Look::scar_camouflage;
  const Assessment a = run(in);
  EXPECT_EQ(top(a).option, Option::smp_scar_camouflage);
  EXPECT_EQ(top(a).title, "Scalp micropigmentation to camouflage scars");
  ASSERT_GT(rank_of(a, Option::transplant), 0);
  const auto& tx = a.recommendations[static_cast<std::size_t>(rank_of(a, Option::transplant) - 1)];
  EXPECT_TRUE(std::any_of(tx.rationale.begin(), tx.rationale.end(),
                          [](const Reason& r) { return r.text.find("FUE grafts placed in the scar") != std::string::npos; }));
  Intake aa = clean();
  aa.hair_loss.norwood.reset();
  aa.hair_loss.pattern = LossPattern::patchy;
  aa.history.alopecia_areata = AlopeciaAreata::stable;
  const Assessment p = run(aa);
  ASSERT_GT(rank_of(p, Option::smp_scar_camouflage), 0);
  EXPECT_EQ(p.recommendations[static_cast<std::size_t>(rank_of(p, Option::smp_scar_camouflage) - 1)].title,
            "Scalp micropigmentation to camouflage bald patches");
}

// Fitzpatrick V-VI: keloid and hyperpigmentation screening (MedlinePlus, brief section 11).
TEST(CI_SKIN_V_VI, DarkSkinIsScreenedForKeloidsAndDarkMarks) {
  Intake in = clean();
  in.client.fitzpatrick = 6;
  const Assessment a = run(in);
  EXPECT_EQ(severity_of(a, RuleId::CI_SKIN_V_VI), Severity::precaution);
  EXPECT_NE(severity_text(a, RuleId::CI_SKIN_V_VI).find("keloid"), std::string::npos);
  EXPECT_NE(severity_text(a, RuleId::CI_SKIN_V_VI).find("dark marks"), std::string::npos);
  in.client.fitzpatrick = 4;
  EXPECT_FALSE(fired(run(in), RuleId::CI_SKIN_V_VI));
  in.client.fitzpatrick = 5;
  in.scalp.keloid_prone = true;  // declined by CI-KELOID instead
  EXPECT_FALSE(fired(run(in), RuleId::CI_SKIN_V_VI));
}

// Grey or white hair: shaved clean, a lighter shade (brief section 11).
TEST(REC_GREY, GreyHairGetsTheBriefsAdvice) {
  Intake in = clean();
  in.client.hair_color = HairColor::grey;
  const Assessment a = run(in);
  ASSERT_EQ(a.advice.size(), 1u);
  EXPECT_EQ(a.advice[0].rule, RuleId::REC_GREY);
  EXPECT_NE(a.advice[0].text.find("never silver"), std::string::npos);
  EXPECT_NE(a.advice[0].text.find("shaved clean"), std::string::npos);
  EXPECT_NE(a.advice[0].text.find("lighter shade"), std::string::npos);
  in.client.hair_color = HairColor::brown;
  EXPECT_TRUE(run(in).advice.empty());
}

// Women with diffuse thinning: medical treatment, with tests for a doctor
// (thyroid, ferritin, PCOS hormones: DermNet; brief section 5).
TEST(REC_DIFFUSE_F, MedicalTreatmentWithScreeningForADoctor) {
  Intake in = clean_female();
  in.hair_loss.pattern = LossPattern::diffuse;
  const Assessment a = run(in);
  ASSERT_GT(rank_of(a, Option::medical_therapy), 0);
  const auto& med = a.recommendations[static_cast<std::size_t>(rank_of(a, Option::medical_therapy) - 1)];
  std::string why;
  for (const auto& r : med.rationale) why += r.text;
  for (const char* test : {"thyroid", "ferritin", "PCOS"}) EXPECT_NE(why.find(test), std::string::npos) << test;
  EXPECT_EQ(why.find("finasteride"), std::string::npos) << "finasteride is for men: " << why;
}

}  // namespace
}  // namespace stipple::assess
