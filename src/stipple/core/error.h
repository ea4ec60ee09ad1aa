// stipple/core/error.h: errors at the program's boundaries.
//
// Bad input is a value, never an exception and never a crash: every reader
// returns Result<T>, and the CLI prints InputError::message() as the one line
// on stderr before exiting with code 2. Field paths use dots for objects and
// [i] for array elements, e.g. "scalp.scars[1].width_mm".
#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace stipple {

struct InputError {
  std::string file;      // as the user named it; "-" is shown as "<stdin>"
  std::string field;     // field path, or a location such as "line 3, column 7"; may be empty
  std::string expected;  // what the reader wanted, in words
  std::string found;     // what it found instead, in words

  // "FILE: FIELD: expected EXPECTED, found FOUND" on a single line; newlines in
  // any part are replaced so the message always stays one line.
  std::string message() const;
};

template <class T>
using Result = std::expected<T, InputError>;

inline std::unexpected<InputError> input_error(std::string file, std::string field,
                                               std::string expected, std::string found) {
  return std::unexpected(
      InputError{std::move(file), std::move(field), std::move(expected), std::move(found)});
}

// Joins a field path: join_path("hair_loss", "norwood") == "hair_loss.norwood".
std::string join_path(std::string_view parent, std::string_view key);
// Appends an index: index_path("scalp.scars", 2) == "scalp.scars[2]".
std::string index_path(std::string_view parent, std::size_t index);

}  // namespace stipple
