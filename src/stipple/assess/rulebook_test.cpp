#include "stipple/assess/rulebook.h"

#include <gtest/gtest.h>

#include "stipple/io/json_document.h"

namespace stipple::assess {
namespace {

using io::Json;

Json builtin_json() { return Json::parse(default_rules_json_text()); }

Result<RuleBook> parse(const Json& doc) { return RuleBook::parse(doc.dump(), "rules.json"); }

TEST(RuleBook, TheBuiltInBookIsValidAndCoversEveryRuleOfTheBrief) {
  auto book = RuleBook::parse(default_rules_json_text(), "rules.json");
  ASSERT_TRUE(book) << book.error().message();
  for (std::size_t i = 0; i < enum_count<RuleId>(); ++i) {
    const auto id = static_cast<RuleId>(i);
    const RuleEntry& e = book->rule(id);
    if (rule_kind(id) != RuleKind::recommendation || id == RuleId::REC_GREY) {
      EXPECT_TRUE(!e.text.empty() || !e.texts.empty()) << to_string(id);
      for (auto c : RuleBook::text_cases(id)) EXPECT_FALSE(book->text(id, c).empty()) << to_string(id) << "/" << c;
    }
    if (rule_kind(id) == RuleKind::referral) {
      EXPECT_FALSE(e.condition.empty()) << to_string(id);
    }
    if (rule_kind(id) != RuleKind::recommendation || id == RuleId::REC_GREY) continue;
    for (auto c : RuleBook::required_cases(id)) EXPECT_FALSE(book->effects(id, c).empty()) << to_string(id) << "/" << c;
  }
}

TEST(RuleBook, ThresholdsAndPricesAreTheBriefs) {
  const RuleBook& b = RuleBook::builtin();
  EXPECT_EQ(b.thresholds.adult_age_years, 18);              // CI-MINOR
  EXPECT_EQ(b.thresholds.young_age_years, 25);              // CI-PROGRESSING
  EXPECT_EQ(b.thresholds.postpartum_temporary_months, 24);  // REC-TEMPORARY
  EXPECT_EQ(b.thresholds.stress_temporary_months, 6);       // REC-TEMPORARY
  EXPECT_EQ(b.thresholds.isotretinoin_wait_months, 6);      // CI-ISOTRETINOIN: section 11's default
  EXPECT_EQ(b.thresholds.scar_mature_months, 6);            // CI-SCAR-IMMATURE: 6-12 months, the lower bound
  EXPECT_EQ(b.thresholds.minoxidil_pause_days, 7);          // CI-HAIR-MEDICATION: section 11's default
  bool partial = false, full = false, gbp = false;
  for (const PriceRange& r : b.price_ranges) {
    partial = partial || (r.currency == "USD" && r.scope == PriceScope::partial && r.low == 1500 && r.high == 3500);
    full = full || (r.currency == "USD" && r.scope == PriceScope::full_shaved && r.low == 2500 && r.high == 3500);
    gbp = gbp || (r.currency == "GBP" && r.low == 1500 && r.high == 3500);
  }
  EXPECT_TRUE(partial && full && gbp);
  // Norwood VII leaves only the horseshoe fringe; Norwood I is no loss.
  EXPECT_TRUE(b.stages.norwood_areas[static_cast<std::size_t>(Norwood::I)].empty());
  EXPECT_EQ(b.stages.norwood_areas[static_cast<std::size_t>(Norwood::VII)].size(), enum_count<LossArea>());
}

TEST(RuleBook, AMissingRuleIsNamed) {
  Json doc = builtin_json();
  doc["rules"].erase("CI-KELOID");
  auto r = parse(doc);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "rules.CI-KELOID");
}

TEST(RuleBook, UnknownRulesCasesOptionsAndPlaceholdersAreRefused) {
  Json unknown_rule = builtin_json();
  unknown_rule["rules"]["REC-MAGIC"] = {{"effects", Json::array()}};
  EXPECT_EQ(parse(unknown_rule).error().field, "rules.REC-MAGIC");

  Json missing_case = builtin_json();
  missing_case["rules"]["REC-FRONTAL"]["cases"].erase("keep_hair");
  EXPECT_EQ(parse(missing_case).error().field, "rules.REC-FRONTAL.cases.keep_hair");

  Json bad_option = builtin_json();
  bad_option["rules"]["REC-SCAR"]["effects"][0]["option"] = "laser";
  EXPECT_EQ(parse(bad_option).error().field, "rules.REC-SCAR.effects[0].option");

  Json bad_placeholder = builtin_json();
  bad_placeholder["rules"]["CI-MINOR"]["text"] = "You are {agee}.";
  EXPECT_EQ(parse(bad_placeholder).error().field, "rules.CI-MINOR.text");

  Json bad_points = builtin_json();
  bad_points["rules"]["REC-SCAR"]["effects"][0]["points"] = 99;
  EXPECT_EQ(parse(bad_points).error().field, "rules.REC-SCAR.effects[0].points");

  Json bad_threshold = builtin_json();
  bad_threshold["thresholds"]["adult_age_years"] = "eighteen";
  EXPECT_EQ(parse(bad_threshold).error().field, "thresholds.adult_age_years");

  Json missing_precare = builtin_json();
  missing_precare["precare"].erase(0);
  EXPECT_EQ(parse(missing_precare).error().field, "precare");

  Json wrong_schema = builtin_json();
  wrong_schema["schema"] = "stipple.rules/2";
  EXPECT_EQ(parse(wrong_schema).error().field, "schema");
}

TEST(RenderText, FillsNamedPlaceholders) {
  EXPECT_EQ(render_text("You are {age}; from {adult_age}.", {{"age", "16"}, {"adult_age", "18"}}),
            "You are 16; from 18.");
}

}  // namespace
}  // namespace stipple::assess
