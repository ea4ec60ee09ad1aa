// stipple/studio/body.h: reading a request's JSON body and query, field by field.
//
// Every check collects its errors instead of stopping at the first, so one 400
// names every bad field: {"field": "email", "message": "expected an email
// address, found 'x'"}, in the CLI's words ("expected ..., found ...").
#pragma once

#include <expected>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "stipple/core/error.h"
#include "stipple/io/json_document.h"
#include "stipple/studio/http.h"

namespace stipple::studio {

// The body as a JSON object. A problem reply when the Content-Type is not
// application/json (415), the JSON is malformed (400, naming the line and
// column or the repeated key), or the document is not an object (400).
std::expected<io::Json, Reply> read_json_object(const Request& req);

// A text field as sent: absent, null, or a string.
struct TextField {
  enum class State { absent, null, value } state = State::absent;
  std::string value;
};

// Reads the fields of one JSON object (or of the query), recording every error.
class FieldReader {
 public:
  // Records every key of `object` not in `known` as an unknown field (naming the nearest known one).
  FieldReader(const io::Json& object, std::span<const std::string_view> known);

  // A string of at most `max_bytes` bytes of clean UTF-8 (newlines only when
  // `multiline`); null allowed only when `nullable`. Records missing required fields.
  TextField text(std::string_view name, bool required, bool nullable, std::size_t max_bytes, bool multiline = false);
  // A whole number in [min, max].
  std::optional<long long> integer(std::string_view name, bool required, long long min, long long max);

  void error(std::string field, std::string message) { errors_.push_back({std::move(field), std::move(message)}); }
  bool ok() const { return errors_.empty(); }
  const std::vector<FieldError>& errors() const { return errors_; }
  // 400 naming every error.
  Reply problem_reply() const;

 private:
  const io::Json& object_;
  std::vector<FieldError> errors_;
};

// The query parameters as a JSON object of strings; a parameter given twice or
// not in `known` is an error (400). Integers are then read with query_integer.
std::expected<io::Json, Reply> read_query(const Request& req, std::span<const std::string_view> known);

// A query parameter's whole number in [min, max], `fallback` when absent.
std::optional<long long> query_integer(FieldReader& reader, const io::Json& query, std::string_view name,
                                       long long fallback, long long min, long long max);

// Every error an engine reader finds in `doc`. The readers stop at their first
// error, so after each one the field it names is set as it is in `reference`
// (when given and it has that field) or else left out, and the document is read
// again, until it reads, an error names a field already reported (putting it
// back did not help) or no field at all, or `max_errors` are found. `read`
// answers the reader's error for a document's text, or nothing when it reads.
std::vector<InputError> reader_errors(const io::Json& doc, const io::Json* reference,
                                      const std::function<std::optional<InputError>(const std::string& text)>& read,
                                      int max_errors = 20);

// The JSON pointer of a reader's field path: "treatment.tiers[1].price" ->
// /treatment/tiers/1/price; nothing for an empty or malformed path.
std::optional<io::Json::json_pointer> json_pointer_of(std::string_view path);

// A real day YYYY-MM-DD from the year `min_year` to today (UTC, at `now`): a
// date of birth, the day a photo was taken.
bool past_date(std::string_view text, int min_year, store::TimeMs now);

}  // namespace stipple::studio
