#include "stipple/core/error.h"

#include <algorithm>
#include <fmt/format.h>

namespace stipple {

namespace {
std::string one_line(std::string s) {
  std::replace_if(s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return s;
}
}  // namespace

std::string InputError::message() const {
  std::string out = file == "-" ? std::string("<stdin>") : file;
  if (!field.empty()) out += ": " + field;
  out += ": expected " + expected;
  if (!found.empty()) out += ", found " + found;
  return one_line(std::move(out));
}

std::string join_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string out(parent);
  out += '.';
  out += key;
  return out;
}

std::string index_path(std::string_view parent, std::size_t index) {
  return fmt::format("{}[{}]", parent, index);
}

}  // namespace stipple
