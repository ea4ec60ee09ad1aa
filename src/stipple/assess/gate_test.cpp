// The booking gate (gate.h): what blocks booking, and the holds that move the
// first session, with the waits of the domain brief (SMP.md sections 6 and 11).
#include <gtest/gtest.h>

#include "stipple/assess/gate.h"
#include "stipple/assess/test_intakes.h"

namespace stipple::assess {
namespace {

using std::chrono::sys_days;

sys_days day(const char* iso) { return *parse_intake_date(iso); }

Intake clean() { return clean_intake(); }

BookingGate gate_of(const Intake& in, std::optional<sys_days> fallback = std::nullopt) {
  return booking_gate(assess(in, RuleBook::builtin()), fallback);
}

TEST(Gate, ACleanCandidateIsNeitherBlockedNorHeld) {
  const BookingGate g = gate_of(clean(), day("2027-03-01"));
  EXPECT_FALSE(g.blocked);
  EXPECT_TRUE(g.holds.empty());
  EXPECT_FALSE(g.earliest);
  EXPECT_EQ(g.summary(), "");
}

TEST(Gate, AFailedPatchTestBlocksNamingTheRule) {
  Intake in = clean();
  in.scalp.pigment_allergy = PigmentAllergy::unknown;
  in.scalp.patch_test = PatchTest::failed;
  const BookingGate g = gate_of(in);
  EXPECT_TRUE(g.blocked);
  EXPECT_EQ(g.blocking, std::vector<RuleId>{RuleId::CI_ALLERGY});
  EXPECT_EQ(g.summary(), "SMP is not advised (CI-ALLERGY)");
}

TEST(Gate, AReferralBlocksAsADoctorFirst) {
  Intake in = clean();
  in.scalp.symptoms = {Symptom::itching};
  const BookingGate g = gate_of(in);
  EXPECT_TRUE(g.blocked);
  EXPECT_EQ(g.summary(), "see a doctor first (RF-SYMPTOMS)");
}

TEST(Gate, DeferralsWithNoKnownEndBlock) {
  Intake chemo = clean();
  chemo.history.chemotherapy = Chemotherapy::active;
  EXPECT_EQ(gate_of(chemo).summary(), "SMP must wait, with no end date known yet (CI-CHEMO)");
  Intake aa = clean();
  aa.history.alopecia_areata = AlopeciaAreata::active;
  EXPECT_EQ(gate_of(aa).blocking, std::vector<RuleId>{RuleId::CI_AA_ACTIVE});
  Intake taking = clean();
  taking.history.medications = {Medication::isotretinoin};  // no last dose: still taking it
  EXPECT_EQ(gate_of(taking).blocking, std::vector<RuleId>{RuleId::CI_ISOTRETINOIN});
  Intake unknown = clean();
  unknown.history.medications = {Medication::retinoid};  // which kind is not known: wait until it is
  EXPECT_EQ(gate_of(unknown).blocking, std::vector<RuleId>{RuleId::CI_RETINOID});
}

TEST(Gate, NoSmpRecommendedBlocksNamingTheRulesThatSaySo) {
  Intake in = clean();
  in.hair_loss.norwood = Norwood::II;  // REC-EARLY: too early for SMP
  const BookingGate g = gate_of(in);
  EXPECT_TRUE(g.blocked);
  EXPECT_NE(std::find(g.blocking.begin(), g.blocking.end(), RuleId::REC_EARLY), g.blocking.end());
  EXPECT_EQ(g.summary().rfind("no SMP treatment is recommended (", 0), 0u) << g.summary();
}

// CI-72H: a hold of 72 hours from the consultation day, not a change of candidacy.
TEST(Gate, SeventyTwoHoursIsAHoldFromTheConsultationDay) {
  Intake in = clean();
  in.lifestyle.last_72h = {Recent::alcohol};
  in.date = day("2027-03-01");
  const Assessment a = assess(in, RuleBook::builtin());
  EXPECT_EQ(a.candidacy, Candidacy::candidate);  // as the same client without the drink
  const BookingGate g = booking_gate(a, day("2027-02-01"));  // the intake's date wins over the fallback
  EXPECT_FALSE(g.blocked);
  ASSERT_EQ(g.holds.size(), 1u);
  EXPECT_EQ(g.holds[0].rule, RuleId::CI_72H);
  EXPECT_EQ(g.earliest, day("2027-03-04"));
  EXPECT_EQ(g.holds[0].text.find("CI-"), std::string::npos) << "no rule ids in client words";
  // Without a consultation date the caller's reference day counts.
  in.date.reset();
  EXPECT_EQ(gate_of(in, day("2027-05-10")).earliest, day("2027-05-13"));
  EXPECT_FALSE(gate_of(in).earliest);  // neither: no day to give
}

// CI-ISOTRETINOIN: 6 months after the last dose (brief section 11, rule-book default).
TEST(Gate, IsotretinoinStoppedGivesTheEarliestDaySixMonthsAfterTheLastDose) {
  Intake in = clean();
  in.history.medications = {Medication::isotretinoin};
  in.history.isotretinoin_last_dose_months = 2;
  in.date = day("2026-10-31");
  const Assessment a = assess(in, RuleBook::builtin());
  EXPECT_EQ(a.candidacy, Candidacy::defer);  // still not yet, but with an end
  const BookingGate g = booking_gate(a, std::nullopt);
  EXPECT_FALSE(g.blocked);
  EXPECT_EQ(g.earliest, day("2027-02-28"));  // 4 months later; 31 February is the month's last day
  ASSERT_EQ(a.contraindications.size(), 1u);
  EXPECT_EQ(a.contraindications[0].earliest_date, day("2027-02-28"));
  in.history.isotretinoin_last_dose_months = 6;  // the wait is over
  EXPECT_TRUE(assess(in, RuleBook::builtin()).contraindications.empty());
}

// CI-SCAR-IMMATURE: scars are treated from 6 months (brief section 11: 6-12).
TEST(Gate, AYoungScarGivesTheDayItIsOldEnough) {
  Intake in = clean();
  in.history.transplant.method = TransplantMethod::FUT;
  in.scalp.scars = {Scar{ScarKind::FUT, 200.0, 3.0, 2}};
  in.date = day("2027-01-15");
  const BookingGate g = gate_of(in);
  EXPECT_FALSE(g.blocked);
  EXPECT_EQ(g.earliest, day("2027-05-15"));
  // Two holds: the later one decides.
  in.lifestyle.last_72h = {Recent::tanning};
  const BookingGate both = gate_of(in);
  ASSERT_EQ(both.holds.size(), 2u);
  EXPECT_EQ(both.earliest, day("2027-05-15"));
}

TEST(Gate, WaitEndClampsToTheMonthsLastDay) {
  EXPECT_EQ(wait_end(day("2027-01-31"), {1, 0}), day("2027-02-28"));
  EXPECT_EQ(wait_end(day("2028-01-31"), {1, 0}), day("2028-02-29"));
  EXPECT_EQ(wait_end(day("2027-12-30"), {0, 3}), day("2028-01-02"));
}

}  // namespace
}  // namespace stipple::assess
