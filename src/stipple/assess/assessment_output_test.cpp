#include "stipple/assess/assessment_output.h"

#include <gtest/gtest.h>

#include <sstream>

namespace stipple::assess {
namespace {

Intake referred_minor() {
  Intake in;
  in.client.name = "Sam";
  in.client.sex = Sex::male;
  in.client.age = 17;
  in.hair_loss.norwood = Norwood::IV;
  in.scalp.symptoms = {Symptom::itching};
  return in;
}

TEST(AssessmentJson, HasTheContractFieldsInAStableOrder) {
  const Intake in = referred_minor();
  const RuleBook& book = RuleBook::builtin();
  const io::Json j = assessment_to_json(assess(in, book), in, book);
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  const std::vector<std::string> expected = {"schema", "client", "candidacy", "candidacy_text", "referral",
                                             "contraindications", "recommendations", "not_recommended",
                                             "causes_to_screen", "precare", "advice", "loss_areas", "rules_fired", "warnings"};
  EXPECT_EQ(keys, expected);
  EXPECT_EQ(j["schema"], "stipple.assessment/1");
  EXPECT_EQ(j["candidacy"], "refer");
  EXPECT_EQ(j["referral"]["needed"], true);
  EXPECT_EQ(j["referral"]["reasons"][0]["rule"], "RF-SYMPTOMS");
  EXPECT_EQ(j["contraindications"][0]["rule"], "CI-MINOR");
  EXPECT_EQ(j["contraindications"][0]["severity"], "decline");
  for (const auto& r : j["recommendations"]) {
    EXPECT_TRUE(r.contains("rank") && r.contains("option") && r.contains("rationale"));
    for (const auto& why : r["rationale"]) EXPECT_TRUE(why.contains("rule") && why.contains("text"));
  }
}

TEST(AssessmentText, IsWrappedPlainWordsWithTheReasons) {
  const Intake in = referred_minor();
  const RuleBook& book = RuleBook::builtin();
  const std::string text = assessment_to_text(assess(in, book), in, book);
  EXPECT_EQ(text.rfind("CONSULTATION SUMMARY\nSam (male, 17)\n", 0), 0u);
  for (const char* section : {"In short", "Please see your doctor first", "What we recommend",
                              "What we must take into account"})
    EXPECT_NE(text.find(section), std::string::npos) << section;
  // The client's text: rule ids stay in the JSON.
  for (const char* id : {"RF-SYMPTOMS", "CI-MINOR", "Rules applied"}) EXPECT_EQ(text.find(id), std::string::npos) << id;
  EXPECT_NE(text.find("Not possible. You are 17."), std::string::npos);
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) EXPECT_LE(line.size(), 78u) << line;
}

}  // namespace
}  // namespace stipple::assess
