// stipple/core/enum_names.h: one spelling per enumerator, shared by readers,
// writers and schema generation.
//
// A type opts in by specializing `enum_names<E>` with an array whose i-th entry
// is the spelling of the enumerator with value i (enumerators are 0..n-1).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace stipple {

template <class E>
inline constexpr auto enum_names = nullptr;  // specialize per enum

template <class E>
constexpr std::string_view to_string(E value) {
  return enum_names<E>[static_cast<std::size_t>(value)];
}

template <class E>
constexpr std::size_t enum_count() {
  return enum_names<E>.size();
}

template <class E>
constexpr std::optional<E> enum_from_string(std::string_view text) {
  for (std::size_t i = 0; i < enum_names<E>.size(); ++i)
    if (enum_names<E>[i] == text) return static_cast<E>(i);
  return std::nullopt;
}

// "a, b or c": the choices of E in words, for error messages.
template <class E>
std::string enum_choices() {
  std::string out;
  const auto& names = enum_names<E>;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += (i + 1 == names.size()) ? " or " : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace stipple
