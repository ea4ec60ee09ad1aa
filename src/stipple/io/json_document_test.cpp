#include "stipple/io/json_document.h"

#include <gtest/gtest.h>

namespace stipple::io {
namespace {

TEST(JsonDocument, ParsesAndKeepsKeyOrder) {
  auto doc = parse_json_document(R"({"b": 1, "a": [true, null]})", "x.json");
  ASSERT_TRUE(doc) << doc.error().message();
  EXPECT_EQ(doc->begin().key(), "b");
}

TEST(JsonDocument, EmptyInputIsNamed) {
  auto doc = parse_json_document("  \n ", "x.json");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message(), "x.json: (document): expected a JSON object, found empty input");
}

TEST(JsonDocument, SyntaxErrorsGiveLineAndColumn) {
  auto doc = parse_json_document("{\n  \"a\": 1,\n  \"b\": tru\n}", "x.json");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().field, "line 3, column 11");
  EXPECT_NE(doc.error().message().find("expected valid JSON"), std::string::npos);
}

TEST(JsonDocument, DuplicateKeysAreRefusedWithTheirPath) {
  auto doc = parse_json_document(R"({"client": {"age": 3, "age": 4}})", "x.json");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().field, "client.age");
  auto in_array = parse_json_document(R"({"s": [{"k": 1}, {"k": 1, "k": 2}]})", "x.json");
  ASSERT_FALSE(in_array);
  EXPECT_EQ(in_array.error().field, "s[1].k");
  // The same key in sibling objects is fine.
  EXPECT_TRUE(parse_json_document(R"({"a": {"k": 1}, "b": {"k": 1}})", "x.json"));
}

TEST(JsonDocument, NestingAndSizeAreBounded) {
  const std::string deep = std::string(100, '[') + std::string(100, ']');
  auto doc = parse_json_document(deep, "x.json");
  ASSERT_FALSE(doc);
  EXPECT_NE(doc.error().expected.find("levels of nesting"), std::string::npos);
  auto big = parse_json_document(std::string(2 << 20, ' ') + "{}", "x.json");
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().expected.find("at most"), std::string::npos);
}

TEST(JsonDocument, NumbersTooLargeAndBadUtf8AreErrorsNotCrashes) {
  EXPECT_FALSE(parse_json_document(R"({"a": 1e999})", "x.json"));
  EXPECT_FALSE(parse_json_document("{\"a\": \"\xff\xfe\"}", "x.json"));
}

TEST(JsonDocument, DescribeCutsLongStringsSafely) {
  const std::string s = std::string(39, 'a') + "\xc3\xa9" + std::string(10, 'b');  // é across the cut
  const std::string d = describe_json(Json(s));
  EXPECT_LE(d.size(), 50u);
  EXPECT_EQ(describe_json(Json::object()), "an object");
  EXPECT_EQ(describe_json(Json(3.5)), "3.5");
}

TEST(JsonDocument, ANumberBeyondADoubleIsNamedByItsField) {
  const auto top = parse_json_document(R"({"goals": {"budget": 1e400}})", "f.json");
  ASSERT_FALSE(top);
  EXPECT_EQ(top.error().message(),
            "f.json: goals.budget: expected a number within the range of a double (about 1.8e308), found 1e400");
  const auto item = parse_json_document(R"({"points": [[1, 2], [3, -1e999]]})", "f.json");
  ASSERT_FALSE(item);
  EXPECT_EQ(item.error().field, "points[1][1]");
  const auto first = parse_json_document("[1e400]", "f.json");
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().field, "[0]");
}

}  // namespace
}  // namespace stipple::io
