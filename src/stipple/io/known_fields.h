// stipple/io/known_fields.h: what every reader does with a field it does not know.
//
// A misspelt field is a silent change of meaning (an intake's "fitzpatric": 1
// leaves the skin type unreported and the pigment changes), so every reader
// refuses an unknown field by default, with one line naming the file, the
// field's path and the nearest known name:
//
//   intake.json: client.fitzpatric: expected a known field (did you mean "fitzpatrick"?), found an unknown field
//
// Only when the user asks for leniency (`--lenient` on the commands that read
// files) is an unknown field ignored, and then each one is reported as a
// warning, which the command prints on stderr.
#pragma once

#include <initializer_list>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "stipple/core/error.h"
#include "stipple/io/json_document.h"

namespace stipple::io {

// How a reader treats fields it does not know. The default is strict.
struct ReadOptions {
  bool lenient = false;                          // true: ignore unknown fields, each with a warning
  std::vector<std::string>* warnings = nullptr;  // where lenient reads put their warnings (may be null)
};

// Levenshtein distance (insertions, deletions, substitutions; bytes).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The name in `known` nearest to `word` by edit distance; ties go to the
// earlier name. Empty when `known` is empty.
std::string_view nearest_name(std::string_view word, std::span<const std::string_view> known);

// The error (strict) or warning text (lenient) for the unknown field `key` of
// the object at `path` ("" = the document) in `file`.
InputError unknown_field_error(std::string_view file, std::string_view path, std::string_view key,
                               std::span<const std::string_view> known);

// Reports the unknown field `key` of the object at `path`: an error when
// strict; when lenient, a warning added to options.warnings and success, so the
// reader goes on without the field.
Result<void> unknown_field(std::string_view file, std::string_view path, std::string_view key,
                           std::span<const std::string_view> known, const ReadOptions& options);

// Checks every key of the object `obj` (at `path`) against `known` with
// unknown_field. `obj` must be an object; anything else is "expected an object".
Result<void> check_fields(const Json& obj, std::string_view file, std::string_view path,
                          std::span<const std::string_view> known, const ReadOptions& options);
inline Result<void> check_fields(const Json& obj, std::string_view file, std::string_view path,
                                 std::initializer_list<std::string_view> known, const ReadOptions& options) {
  return check_fields(obj, file, path, std::span<const std::string_view>(known.begin(), known.size()), options);
}

// Test instrumentation, so that a test can hold each reader's known fields to
// its shipped JSON Schema: while a FieldCensus lives on this thread, every
// check_fields call (and every reader that checks keys itself, through
// note_known_fields) records the object's path, with array indices written
// "[]", and the names it knows there.
class FieldCensus {
 public:
  FieldCensus();
  ~FieldCensus();
  FieldCensus(const FieldCensus&) = delete;
  FieldCensus& operator=(const FieldCensus&) = delete;
  const std::map<std::string, std::set<std::string>>& objects() const { return objects_; }

 private:
  friend void note_known_fields(std::string_view path, std::span<const std::string_view> known);
  FieldCensus* previous_;
  std::map<std::string, std::set<std::string>> objects_;
};
void note_known_fields(std::string_view path, std::span<const std::string_view> known);

}  // namespace stipple::io
