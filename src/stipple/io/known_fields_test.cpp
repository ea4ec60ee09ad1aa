// Unknown fields in every input format: refused naming the nearest known field,
// or a warning each when the reading is lenient (io/known_fields.h).
#include "stipple/io/known_fields.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <sstream>

#include "stipple/assess/rulebook.h"
#include "stipple/design/design_json.h"
#include "stipple/plan/plan.h"
#include "stipple/simulate/photo.h"

namespace stipple::io {
namespace {

TEST(KnownFields, NearestNameByEditDistance) {
  EXPECT_EQ(edit_distance("fitzpatric", "fitzpatrick"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  const std::string_view known[] = {"age", "sex", "fitzpatrick", "hair_color"};
  EXPECT_EQ(nearest_name("fitzpatric", known), "fitzpatrick");
  EXPECT_EQ(nearest_name("hair_colour", known), "hair_color");
  EXPECT_EQ(nearest_name("ages", known), "age");
  EXPECT_EQ(nearest_name("x", std::span<const std::string_view>()), "");
}

TEST(KnownFields, StrictRefusesLenientWarns) {
  const Json obj = {{"age", 1}, {"hair_colour", "grey"}};
  const std::string_view known[] = {"age", "hair_color"};
  const auto strict = check_fields(obj, "f.json", "client", known, {});
  ASSERT_FALSE(strict);
  EXPECT_EQ(strict.error().message(),
            "f.json: client.hair_colour: expected a known field (did you mean \"hair_color\"?), found an unknown field");
  std::vector<std::string> warnings;
  EXPECT_TRUE(check_fields(obj, "f.json", "client", known, ReadOptions{true, &warnings}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "f.json: client.hair_colour: expected a known field (did you mean \"hair_color\"?), found an unknown "
            "field, ignored (--lenient)");
  // A key with a line break stays on one line, escaped.
  const auto odd = check_fields(Json{{"a\nb", 1}}, "f.json", "", known, {});
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().message().find('\n'), std::string::npos);
}

std::string source_file(const std::string& rel) {
  std::ifstream in(std::string(STIPPLE_SOURCE_DIR) + "/" + rel);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Adds `key` (a near miss of a known field) to the object at `pointer` of `doc`.
std::string with_key(const std::string& text, const std::string& pointer, const std::string& key) {
  Json doc = Json::parse(text);
  doc[Json::json_pointer(pointer)][key] = 1;
  return doc.dump();
}

// Each reader, strict and lenient, on a good file with one misspelt field.
template <class Read>
void check_reader(const std::string& good, const std::string& pointer, const std::string& key,
                  const std::string& field, const std::string& nearest, Read read) {
  SCOPED_TRACE(field);
  ASSERT_TRUE(read(good, ReadOptions{}));
  const std::string bad = with_key(good, pointer, key);
  const InputError e = read(bad, ReadOptions{}).error();
  EXPECT_EQ(e.field, field);
  EXPECT_EQ(e.expected, "a known field (did you mean \"" + nearest + "\"?)");
  EXPECT_EQ(e.found, "an unknown field");
  std::vector<std::string> warnings;
  EXPECT_TRUE(read(bad, ReadOptions{true, &warnings}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find(field + ": expected a known field"), std::string::npos) << warnings[0];
}

TEST(KnownFields, EveryReaderRefusesAMisspeltFieldUnlessLenient) {
  const auto err = [](auto r) { return r ? Result<void>() : std::unexpected(r.error()); };
  check_reader(source_file("docs/examples/sample-client.design.json"), "/pigment", "shdae", "pigment.shdae", "shade",
               [&](const std::string& t, const ReadOptions& o) { return err(design::read_design(t, "d.json", o)); });
  check_reader(source_file("docs/examples/sample-client.design.json"), "", "hairlien", "hairlien", "hairline",
               [&](const std::string& t, const ReadOptions& o) { return err(design::read_design(t, "d.json", o)); });
  check_reader(source_file("fuzz/seeds/photo.region.json"), "", "polgon", "polgon", "polygon",
               [&](const std::string& t, const ReadOptions& o) {
                 return err(simulate::parse_photo_region(t, "r.json", o));
               });
  check_reader(source_file("data/clinic/default.json"), "/session", "max_minute", "session.max_minute", "max_minutes",
               [&](const std::string& t, const ReadOptions& o) { return err(plan::parse_clinic(t, "c.json", o)); });
  check_reader(source_file("data/pricing/default.json"), "", "tax_rat", "tax_rat", "tax_rate",
               [&](const std::string& t, const ReadOptions& o) { return err(plan::parse_pricing(t, "p.json", o)); });
  check_reader(source_file("data/plan/care.json"), "/aftercare/0", "txt", "aftercare[0].txt", "text",
               [&](const std::string& t, const ReadOptions& o) { return err(plan::parse_care(t, "care.json", o)); });
  check_reader(source_file("data/assess/rules.json"), "/thresholds", "adult_age_year", "thresholds.adult_age_year",
               "adult_age_years",
               [&](const std::string& t, const ReadOptions& o) { return err(assess::RuleBook::parse(t, "rules.json", o)); });
  check_reader(source_file("data/assess/rules.json"), "/rules", "CI-KELOD", "rules.CI-KELOD", "CI-KELOID",
               [&](const std::string& t, const ReadOptions& o) { return err(assess::RuleBook::parse(t, "rules.json", o)); });
}

// The schema node of the object at `path` ("a.b[].c"), following $ref and
// gathering the properties of every oneOf branch; null when there is none.
std::set<std::string> schema_fields(const Json& schema, const std::string& path) {
  std::vector<const Json*> nodes = {&schema};
  const auto resolve = [&](std::vector<const Json*> in) {
    std::vector<const Json*> out;
    while (!in.empty()) {
      const Json* n = in.back();
      in.pop_back();
      if (n->contains("$ref")) {
        n = &schema.at(Json::json_pointer(n->at("$ref").get<std::string>().substr(1)));
      }
      out.push_back(n);
      for (const char* k : {"oneOf", "anyOf", "allOf"})
        if (n->contains(k))
          for (const Json& b : n->at(k)) in.push_back(&b);
    }
    return out;
  };
  std::size_t at = 0;
  while (at < path.size()) {
    std::vector<const Json*> next;
    if (path.compare(at, 2, "[]") == 0) {
      for (const Json* n : resolve(nodes))
        if (n->contains("items")) next.push_back(&n->at("items"));
      at += 2;
    } else {
      if (path[at] == '.') ++at;
      std::size_t end = at;
      while (end < path.size() && path[end] != '.' && path[end] != '[') ++end;
      const std::string key = path.substr(at, end - at);
      for (const Json* n : resolve(nodes))
        if (n->contains("properties") && n->at("properties").contains(key)) next.push_back(&n->at("properties").at(key));
      at = end;
    }
    nodes = next;
  }
  std::set<std::string> out;
  for (const Json* n : resolve(nodes))
    if (n->contains("properties"))
      for (const auto& [k, v] : n->at("properties").items()) out.insert(k);
  return out;
}

// Every object a reader checks the keys of, reading a complete file of its
// format, knows exactly the fields the shipped schema lists there: a field
// added to a reader and not to its schema (or the other way) fails here.
TEST(KnownFields, EachReaderKnowsExactlyItsSchemasFields) {
  struct Format {
    const char* schema;
    const char* example;
    std::function<bool(const std::string&)> read;
  };
  const Format formats[] = {
      {"design", "docs/examples/fut-scar.design.json",
       [](const std::string& t) { return design::read_design(t, "f").has_value(); }},
      {"region", "fuzz/seeds/photo.region.json",
       [](const std::string& t) { return simulate::parse_photo_region(t, "f").has_value(); }},
      {"clinic", "data/clinic/default.json", [](const std::string& t) { return plan::parse_clinic(t, "f").has_value(); }},
      {"pricing", "data/pricing/default.json", [](const std::string& t) { return plan::parse_pricing(t, "f").has_value(); }},
      {"care", "data/plan/care.json", [](const std::string& t) { return plan::parse_care(t, "f").has_value(); }},
      {"rules", "data/assess/rules.json", [](const std::string& t) { return assess::RuleBook::parse(t, "f").has_value(); }},
  };
  for (const Format& f : formats) {
    SCOPED_TRACE(f.schema);
    const Json schema = Json::parse(source_file(std::string("docs/schemas/") + f.schema + ".schema.json"));
    FieldCensus census;
    ASSERT_TRUE(f.read(source_file(f.example)));
    ASSERT_FALSE(census.objects().empty());
    for (const auto& [path, known] : census.objects()) {
      if (path.starts_with("rules.") && path.ends_with(".cases")) continue;  // case names: checked per rule below
      EXPECT_EQ(schema_fields(schema, path), known) << "at " << (path.empty() ? "(document)" : path);
    }
  }
}

}  // namespace
}  // namespace stipple::io
