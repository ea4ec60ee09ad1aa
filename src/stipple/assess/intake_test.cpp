#include "stipple/assess/intake.h"

#include <gtest/gtest.h>

#include <fstream>

#include <fmt/format.h>
#include <sstream>

namespace stipple::assess {
namespace {

using io::Json;

Result<ParsedIntake> read(const std::string& text) { return read_intake(text, "in.json"); }

// A minimal valid intake with `patch` merged in.
Result<ParsedIntake> read_with(const Json& patch) {
  Json doc = {{"schema", "stipple.intake/1"}, {"client", {{"sex", "male"}, {"age", 40}}}};
  doc.merge_patch(patch);
  return read_intake(doc.dump(), "in.json");
}

std::string error_field(const Result<ParsedIntake>& r) { return r ? std::string("(accepted)") : r.error().field; }

TEST(Intake, ReadsEveryFieldOfTheContract) {
  const char* text = R"({
    "schema": "stipple.intake/1",
    "client": {"name": "Ana", "sex": "female", "age": 41, "fitzpatrick": 4, "hair_color": "dark_brown"},
    "hair_loss": {"pattern": "androgenetic", "ludwig": "II", "areas": ["mid_scalp", "crown"],
                  "duration_months": 30, "shedding": "increased", "body_hair_loss": false,
                  "family_history": true, "progressing": true},
    "history": {"thyroid": "treated", "pcos": true, "postpartum_months": 30, "chemotherapy": "completed",
                "medications": ["birth_control", "retinoid"], "stress_event_months": 12, "lupus": false,
                "alopecia_areata": "none", "eating_disorder": "treated",
                "transplant": {"method": "FUE", "satisfied_with_density": false}},
    "scalp": {"symptoms": ["redness"], "psoriasis": "controlled", "acne": "none", "keloid_prone": false,
              "ringworm": "none", "pigment_allergy": "none", "patch_test": "passed", "donor_density": "fair",
              "scars": [{"kind": "FUE", "length_mm": 1.2, "width_mm": 1}, {"kind": "burn"}]},
    "lifestyle": {"sun_exposure": "high", "last_72h": ["tanning"]},
    "goals": {"look": "density", "keep_long_hair": true, "wants_styleable_hair": false, "budget": 2500.5,
              "currency": "GBP"}
  })";
  auto r = read(text);
  ASSERT_TRUE(r) << r.error().message();
  const Intake& in = r->intake;
  EXPECT_EQ(in.client.name, "Ana");
  EXPECT_EQ(in.client.sex, Sex::female);
  EXPECT_EQ(in.client.age, 41);
  EXPECT_EQ(in.client.fitzpatrick, 4);
  EXPECT_EQ(in.hair_loss.ludwig, Ludwig::II);
  EXPECT_EQ(in.hair_loss.areas, (std::vector{LossArea::mid_scalp, LossArea::crown}));
  EXPECT_EQ(in.history.transplant.method, TransplantMethod::FUE);
  EXPECT_EQ(in.history.transplant.satisfied_with_density, false);
  ASSERT_EQ(in.scalp.scars.size(), 2u);
  EXPECT_EQ(in.scalp.scars[0].length_mm, 1.2);
  EXPECT_FALSE(in.scalp.scars[1].width_mm);
  EXPECT_EQ(in.lifestyle.last_72h, std::vector{Recent::tanning});
  EXPECT_EQ(in.goals.budget, 2500.5);
  EXPECT_EQ(in.goals.currency, "GBP");
  EXPECT_TRUE(r->warnings.empty());
}

TEST(Intake, AbsentAndNullMeanNotReported) {
  auto r = read_with({{"hair_loss", {{"norwood", nullptr}}}, {"goals", nullptr}});
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_FALSE(r->intake.hair_loss.norwood);
  EXPECT_FALSE(r->intake.goals.look);
}

TEST(Intake, SchemaMustBeMajorVersionOne) {
  EXPECT_EQ(error_field(read(R"({"client": {"sex": "male", "age": 3}})")), "schema");
  EXPECT_EQ(error_field(read_with({{"schema", "stipple.intake/2"}})), "schema");
  EXPECT_EQ(error_field(read_with({{"schema", "stipple.design/1"}})), "schema");
  EXPECT_TRUE(read_with({{"schema", "stipple.intake/1.4"}}));
  EXPECT_EQ(error_field(read("[]")), "(document)");
}

TEST(Intake, RequiredFieldsAreNamed) {
  auto r = read(R"({"schema": "stipple.intake/1", "client": {"age": 30}})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(),
            "in.json: client.sex: expected one of male, female or other, found nothing (the field is required)");
  EXPECT_EQ(error_field(read(R"({"schema": "stipple.intake/1"})")), "client.sex");
  EXPECT_EQ(error_field(read_with({{"client", {{"age", nullptr}}}})), "client.age");
}

TEST(Intake, WrongTypesRangesAndWordsNameTheFieldAndWhatWasFound) {
  auto norwood = read_with({{"hair_loss", {{"norwood", "VIII"}}}});
  ASSERT_FALSE(norwood);
  EXPECT_EQ(norwood.error().message(),
            "in.json: hair_loss.norwood: expected one of I, II, IIa, III, IIIa, III-vertex, IV, IVa, V, Va, VI or "
            "VII, found \"VIII\"");
  auto age = read_with({{"client", {{"age", 121}}}});
  ASSERT_FALSE(age);
  EXPECT_EQ(age.error().message(), "in.json: client.age: expected an integer from 0 to 120, found 121");
  EXPECT_EQ(error_field(read_with({{"client", {{"age", 30.5}}}})), "client.age");
  EXPECT_EQ(error_field(read_with({{"client", {{"age", "30"}}}})), "client.age");
  EXPECT_EQ(error_field(read_with({{"client", {{"age", 18446744073709551615ULL}}}})), "client.age");
  EXPECT_EQ(error_field(read_with({{"client", {{"fitzpatrick", 7}}}})), "client.fitzpatrick");
  EXPECT_EQ(error_field(read_with({{"hair_loss", {{"progressing", "yes"}}}})), "hair_loss.progressing");
  EXPECT_EQ(error_field(read_with({{"hair_loss", {{"areas", "crown"}}}})), "hair_loss.areas");
  EXPECT_EQ(error_field(read_with({{"hair_loss", {{"areas", {"crown", "moon"}}}}})), "hair_loss.areas[1]");
  EXPECT_EQ(error_field(read_with({{"hair_loss", {{"areas", {"crown", "crown"}}}}})), "hair_loss.areas[1]");
  EXPECT_EQ(error_field(read_with({{"hair_loss", 5}})), "hair_loss");
  EXPECT_EQ(error_field(read_with({{"goals", {{"budget", -1}}}})), "goals.budget");
  EXPECT_EQ(error_field(read_with({{"goals", {{"currency", "usd"}}}})), "goals.currency");
  EXPECT_EQ(error_field(read_with({{"client", {{"name", std::string(201, 'a')}}}})), "client.name");
  EXPECT_EQ(error_field(read_with({{"client", {{"name", "a\nb"}}}})), "client.name");
  EXPECT_EQ(error_field(read_with({{"history", {{"transplant", {{"method", "DHI"}}}}}})), "history.transplant.method");
}

TEST(Intake, ScarsAreCheckedEntryByEntry) {
  EXPECT_EQ(error_field(read_with({{"scalp", {{"scars", {{{"length_mm", 10}}}}}}})), "scalp.scars[0].kind");
  EXPECT_EQ(error_field(read_with({{"scalp", {{"scars", {{{"kind", "burn"}, {"length_mm", 0}}}}}}})),
            "scalp.scars[0].length_mm");
  EXPECT_EQ(error_field(read_with({{"scalp", {{"scars", {{{"kind", "burn"}, {"width_mm", 101}}}}}}})),
            "scalp.scars[0].width_mm");
  EXPECT_EQ(error_field(read_with({{"scalp", {{"scars", {{{"kind", "burn"}, {"depth", 1}}}}}}})),
            "scalp.scars[0].depth");
  EXPECT_EQ(error_field(read_with({{"scalp", {{"scars", {1}}}}})), "scalp.scars[0]");
}

TEST(Intake, UnknownFieldsAreRefusedNamingTheNearestKnownField) {
  const auto misspelt = read_with({{"client", {{"fitzpatric", 1}}}});
  ASSERT_FALSE(misspelt);
  EXPECT_EQ(misspelt.error().message(),
            "in.json: client.fitzpatric: expected a known field (did you mean \"fitzpatrick\"?), found an unknown field");
  EXPECT_EQ(error_field(read_with({{"hair_loss", {{"norwod", "V"}}}})), "hair_loss.norwod");
  EXPECT_EQ(error_field(read_with({{"extra", {{"x", 1}}}})), "extra");
  EXPECT_EQ(error_field(read_with({{"history", {{"transplant", {{"methd", "FUE"}}}}}})), "history.transplant.methd");
  const auto far = read_with({{"goals", {{"zzzzzzzzzz", 1}}}});
  ASSERT_FALSE(far);
  EXPECT_NE(far.error().expected.find("the nearest known field is"), std::string::npos) << far.error().expected;
}

TEST(Intake, LenientReadingTurnsUnknownFieldsIntoWarnings) {
  Json doc = {{"schema", "stipple.intake/1"},
              {"client", {{"sex", "male"}, {"age", 40}}},
              {"hair_loss", {{"norwod", "V"}}},
              {"scalp", {{"scars", {{{"kind", "burn"}, {"widht_mm", 1}}}}}},
              {"extra", {{"x", 1}}}};
  std::vector<std::string> warnings;
  auto r = read_intake(doc.dump(), "in.json", io::ReadOptions{true, &warnings});
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_EQ(warnings.size(), 3u);
  EXPECT_EQ(warnings[0],
            "in.json: hair_loss.norwod: expected a known field (did you mean \"norwood\"?), found an unknown field, "
            "ignored (--lenient)");
  EXPECT_NE(warnings[1].find("scalp.scars[0].widht_mm"), std::string::npos) << warnings[1];
  EXPECT_NE(warnings[1].find("\"width_mm\""), std::string::npos) << warnings[1];
  EXPECT_NE(warnings[2].find("in.json: extra:"), std::string::npos) << warnings[2];
  EXPECT_EQ(r->warnings, warnings);  // carried into the assessment too
  ASSERT_EQ(r->intake.scalp.scars.size(), 1u);
  EXPECT_FALSE(r->intake.hair_loss.norwood);
  // Strict is the default.
  EXPECT_FALSE(read_intake(doc.dump(), "in.json"));
}

// The field case of a misspelt intake (shared/cases clinical/misspelt-field):
// "fitzpatric": 1 used to be ignored, leaving the skin type unreported.
TEST(Intake, TheMisspeltFieldCaseIsRefused) {
  std::ifstream in(std::string(STIPPLE_SOURCE_DIR) + "/tests/cases/clinical/misspelt-field.intake.json");
  std::stringstream text;
  text << in.rdbuf();
  const auto r = read_intake(text.str(), "misspelt-field.intake.json");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(),
            "misspelt-field.intake.json: client.fitzpatric: expected a known field (did you mean \"fitzpatrick\"?), "
            "found an unknown field");
  std::vector<std::string> warnings;
  const auto lenient = read_intake(text.str(), "misspelt-field.intake.json", io::ReadOptions{true, &warnings});
  ASSERT_TRUE(lenient);
  EXPECT_EQ(warnings.size(), 1u);
  EXPECT_FALSE(lenient->intake.client.fitzpatrick);
}

// The field cases of intake numbers (shared/cases field/intake-numbers): an
// integer is a number with no fractional part, however it is written (JSON
// Schema 2020-12, which the shipped schema follows); a value no field can hold
// is refused. Each file's right answer, read in-process; the shipped schema
// gives the same answers in tests/check_schemas.py.
TEST(Intake, NumbersAreReadAsTheSchemaReadsThem) {
  struct Case {
    const char* file;
    const char* refused_field;  // nullptr: accepted
    int age = 38, fitzpatrick = 3, duration = 96;
    double budget = 3000;
  };
  const Case cases[] = {
      {"intake-age_38.json", nullptr},
      {"intake-age_38.0.json", nullptr},
      {"intake-age_3.8e1.json", nullptr},
      {"intake-age_-0.json", nullptr, 0, 3, 0},
      {"intake-age_18446744073709551616.json", "client.age"},
      {"intake-fitzpatrick_3.0.json", nullptr},
      {"intake-duration_months_96.0.json", nullptr},
      {"intake-budget_3000.5.json", nullptr, 38, 3, 96, 3000.5},
      {"intake-budget_1e400.json", "goals.budget"},
  };
  for (const Case& c : cases) {
    std::ifstream in(std::string(STIPPLE_SOURCE_DIR) + "/tests/cases/field/intake-numbers/" + c.file);
    ASSERT_TRUE(in) << c.file;
    std::stringstream text;
    text << in.rdbuf();
    const auto r = read_intake(text.str(), c.file);
    if (c.refused_field) {
      ASSERT_FALSE(r) << c.file;
      EXPECT_EQ(r.error().field, c.refused_field) << r.error().message();
      continue;
    }
    ASSERT_TRUE(r) << c.file << ": " << r.error().message();
    EXPECT_EQ(r->intake.client.age, c.age) << c.file;
    EXPECT_EQ(r->intake.client.fitzpatrick, c.fitzpatrick) << c.file;
    EXPECT_EQ(r->intake.hair_loss.duration_months, c.duration) << c.file;
    EXPECT_EQ(r->intake.goals.budget, c.budget) << c.file;
  }
  // Fractions stay refused: 38.5 is not an age in whole years.
  EXPECT_EQ(error_field(read_with({{"client", {{"age", 38.5}}}})), "client.age");
  EXPECT_EQ(error_field(read_with({{"client", {{"fitzpatrick", 3.25}}}})), "client.fitzpatrick");
}

TEST(Consistency, ContradictoryAnswersAreRefusedNamingTheField) {
  const auto female = [](Json patch) {
    Json doc = {{"client", {{"sex", "female"}}}};
    doc.merge_patch(patch);
    return read_with(doc);
  };
  // A Norwood class on a woman's intake that says nothing else.
  EXPECT_EQ(error_field(female({{"hair_loss", {{"norwood", "III"}}}})), "hair_loss.norwood");
  EXPECT_TRUE(female({{"hair_loss", {{"norwood", "III"}, {"pattern", "androgenetic"}}}}));
  EXPECT_EQ(error_field(read_with({{"hair_loss", {{"ludwig", "II"}}}})), "hair_loss.ludwig");
  EXPECT_TRUE(read_with({{"hair_loss", {{"ludwig", "II"}, {"pattern", "diffuse"}}}}));
  EXPECT_EQ(error_field(female({{"hair_loss", {{"ludwig", "II"}, {"norwood", "II"}, {"pattern", "androgenetic"}}}})),
            "hair_loss.ludwig");
  EXPECT_EQ(error_field(read_with({{"hair_loss", {{"pattern", "none"}, {"norwood", "IV"}}}})), "hair_loss.norwood");
  EXPECT_EQ(error_field(read_with({{"hair_loss", {{"pattern", "none"}, {"areas", {"crown"}}}}})), "hair_loss.areas");
  EXPECT_EQ(error_field(read_with({{"hair_loss", {{"pattern", "universal"}, {"body_hair_loss", false}}}})),
            "hair_loss.body_hair_loss");
  EXPECT_EQ(error_field(read_with({{"history", {{"pcos", true}}}})), "history.pcos");
  EXPECT_EQ(error_field(read_with({{"history", {{"postpartum_months", 3}}}})), "history.postpartum_months");
  EXPECT_EQ(error_field(read_with({{"client", {{"age", 2}}}, {"hair_loss", {{"duration_months", 60}}}})),
            "hair_loss.duration_months");
  EXPECT_EQ(error_field(read_with({{"history", {{"transplant", {{"method", "none"}, {"satisfied_with_density", true}}}}}})),
            "history.transplant.satisfied_with_density");
  EXPECT_EQ(error_field(read_with({{"history", {{"transplant", {{"method", "none"}}}}},
                                   {"scalp", {{"scars", {{{"kind", "FUT"}}}}}}})),
            "scalp.scars[0].kind");
  EXPECT_EQ(error_field(read_with({{"goals", {{"look", "shaved"}, {"keep_long_hair", true}}}})), "goals.keep_long_hair");
  EXPECT_EQ(error_field(read_with({{"scalp", {{"patch_test", "failed"}, {"pigment_allergy", "none"}}}})),
            "scalp.pigment_allergy");
}

TEST(Schema, CoversEveryFieldAndMatchesTheShippedFile) {
  const Json schema = intake_json_schema();
  for (const FieldSpec& f : intake_fields()) {
    const Json* node = &schema;
    std::string path(f.path);
    std::size_t start = 0;
    while (true) {
      const auto dot = path.find('.', start);
      node = &node->at("properties").at(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    EXPECT_TRUE(node->contains("description")) << f.path;
  }
  std::ifstream shipped(std::string(STIPPLE_SOURCE_DIR) + "/docs/intake.schema.json");
  ASSERT_TRUE(shipped) << "docs/intake.schema.json is missing: run `make schema`";
  std::stringstream text;
  text << shipped.rdbuf();
  EXPECT_EQ(text.str(), io::dump_document(schema)) << "docs/intake.schema.json is stale: run `make schema`";
}

TEST(Docs, IntakeDocumentsEveryField) {
  std::ifstream doc(std::string(STIPPLE_SOURCE_DIR) + "/docs/intake.md");
  ASSERT_TRUE(doc);
  std::stringstream text;
  text << doc.rdbuf();
  for (const FieldSpec& f : intake_fields())
    EXPECT_NE(text.str().find(fmt::format("`{}`", f.path)), std::string::npos) << f.path << " is undocumented";
}

// The fields section 11's rules need (issue 18), with their bounds.
TEST(Intake, ReadsTheConsultationDateMedicationsDyeAndScarAge) {
  auto r = read_with({{"date", "2027-02-28"},
                      {"history", {{"medications", {"minoxidil", "finasteride", "isotretinoin", "topical_retinoid"}},
                                   {"isotretinoin_last_dose_months", 3},
                                   {"transplant", {{"method", "FUT"}}}}},
                      {"lifestyle", {{"hair_dye", true}}},
                      {"scalp", {{"scars", {{{"kind", "FUT"}, {"age_months", 5}}}}}}});
  ASSERT_TRUE(r) << r.error().message();
  const Intake& in = r->intake;
  ASSERT_TRUE(in.date);
  EXPECT_EQ(format_intake_date(*in.date), "2027-02-28");
  EXPECT_EQ(in.history.medications, (std::vector{Medication::minoxidil, Medication::finasteride,
                                                 Medication::isotretinoin, Medication::topical_retinoid}));
  EXPECT_EQ(in.history.isotretinoin_last_dose_months, 3);
  EXPECT_EQ(in.lifestyle.hair_dye, true);
  EXPECT_EQ(in.scalp.scars.at(0).age_months, 5);
  EXPECT_TRUE(r->warnings.empty());
}

TEST(Intake, RefusesImpossibleDatesAndAges) {
  EXPECT_EQ(error_field(read_with({{"date", "2027-02-29"}})), "date");  // not a leap year
  EXPECT_EQ(error_field(read_with({{"date", "27-02-01"}})), "date");
  EXPECT_EQ(error_field(read_with({{"date", 20270201}})), "date");
  EXPECT_EQ(error_field(read_with({{"date", "1999-12-31"}})), "date");
  EXPECT_EQ(error_field(read_with({{"date", "2028-02-29"}})), "(accepted)");
  EXPECT_EQ(error_field(read_with({{"history", {{"isotretinoin_last_dose_months", -1}}}})),
            "history.isotretinoin_last_dose_months");
  // More months than a 40-year-old has lived.
  EXPECT_EQ(error_field(read_with({{"history", {{"isotretinoin_last_dose_months", 600}}}})),
            "history.isotretinoin_last_dose_months");
  EXPECT_EQ(error_field(read_with({{"scalp", {{"scars", {{{"kind", "burn"}, {"age_months", 600}}}}}}})),
            "scalp.scars[0].age_months");
  EXPECT_EQ(error_field(read_with({{"scalp", {{"scars", {{{"kind", "burn"}, {"age_months", 2.5}}}}}}})),
            "scalp.scars[0].age_months");
  EXPECT_EQ(error_field(read_with({{"lifestyle", {{"hair_dye", "yes"}}}})), "lifestyle.hair_dye");
}

}  // namespace
}  // namespace stipple::assess

namespace stipple::assess {
namespace {

// A client's name is printed on every document: an empty or blank one is
// refused at the intake, naming the field, before any step writes a file.
TEST(Intake, ANameIsNotEmptyOrOnlySpaces) {
  for (const char* name : {"", "   ", "\u3000", "\t"}) {
    const std::string text = std::string(R"({"schema": "stipple.intake/1", "client": {"name": )") + io::Json(name).dump() +
                             R"(, "sex": "male", "age": 40}})";
    const auto r = read_intake(text, "n.json");
    ASSERT_FALSE(r) << io::Json(name).dump();
    EXPECT_EQ(r.error().field, "client.name");
  }
  const auto ok = read_intake(R"({"schema": "stipple.intake/1", "client": {"name": " Ana ", "sex": "female", "age": 40}})", "n.json");
  ASSERT_TRUE(ok) << ok.error().message();
}

}  // namespace
}  // namespace stipple::assess
