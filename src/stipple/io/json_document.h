// stipple/io/json_document.h: strict reading of the JSON documents users hand us.
//
// Stricter than plain nlohmann::json parsing, because an intake or a design is
// a record that must mean exactly one thing: a key given twice in one object is
// refused (plain parsing would silently keep the last), nesting and size are
// bounded, and syntax errors name the line and column. Keys keep document
// order, so errors and warnings follow the order a person reads the file in.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "stipple/core/enum_names.h"
#include "stipple/core/error.h"

namespace stipple::io {

using Json = nlohmann::ordered_json;

struct JsonLimits {
  std::size_t max_bytes = 1 << 20;  // 1 MiB: an intake is a few kilobytes
  int max_depth = 16;               // the deepest contract document nests 4 levels
};

// Parses `text` (the contents of `file`) into a JSON value. Errors name `file`
// and either the line and column of a syntax error or the path of a duplicated key.
Result<Json> parse_json_document(std::string_view text, std::string_view file,
                                 const JsonLimits& limits = {});

// A short description of a JSON value for "found ..." in error messages:
// strings quoted and cut to 40 characters, numbers and literals as written,
// "an object" / "an array" for containers.
std::string describe_json(const Json& value);

// The value of a JSON number that is a whole number, or nothing. Follows JSON
// Schema 2020-12, where an integer is a number with a zero fractional part
// whatever its spelling: 38, 38.0, 3.8e1 and -0 are all integers (38, 38, 38, 0),
// so the readers accept exactly what the shipped schemas' "type": "integer"
// accepts. Numbers outside the 64-bit signed range (18446744073709551616, 1e400)
// give nothing: no field of ours can hold them, and every range check refuses them.
std::optional<long long> json_integer(const Json& value);

// Serializes a document the contract's way: UTF-8, 2-space indent, final newline.
std::string dump_document(const Json& doc);

// The spellings of every enumerator of E, in declaration order, as a JSON
// array (the "enum" of a JSON Schema generated from a reader's own words).
template <class E>
Json enum_words() {
  Json values = Json::array();
  for (std::string_view n : enum_names<E>) values.push_back(std::string(n));
  return values;
}

}  // namespace stipple::io
