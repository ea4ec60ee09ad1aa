// stipple/io/fields.h: reading our own data files (rule book, price list,
// clinic, care texts) strictly, with the field path in every error. Unknown
// keys are errors, not warnings: these files are written by a clinic for the
// program, so a misspelt key must not be silently ignored.
#pragma once

#include <fmt/format.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "stipple/core/enum_names.h"
#include "stipple/core/error.h"
#include "stipple/io/json_document.h"

namespace stipple::io {

class FieldReader {
 public:
  explicit FieldReader(std::string file) : file_(std::move(file)) {}

  // obj[key], or nullptr when absent and not required.
  Result<const Json*> member(const Json& obj, const std::string& path, std::string_view key, bool required = true) const {
    const auto it = obj.find(std::string(key));
    if (it == obj.end()) {
      if (!required) return static_cast<const Json*>(nullptr);
      return input_error(file_, join_path(path, key), "a value (required)", "nothing");
    }
    return &*it;
  }

  Result<std::string> plain_text(const Json& v, const std::string& path) const {
    if (!v.is_string() || v.get_ref<const std::string&>().empty())
      return input_error(file_, path, "a non-empty text", describe_json(v));
    return v.get<std::string>();
  }

  Result<int> integer(const Json& v, const std::string& path, int min, int max) const {
    if (!v.is_number_integer() || v.get<long long>() < min || v.get<long long>() > max)
      return input_error(file_, path, fmt::format("an integer from {} to {}", min, max), describe_json(v));
    return static_cast<int>(v.get<long long>());
  }

  template <class E>
  Result<E> word(const Json& v, const std::string& path) const {
    if (v.is_string())
      if (auto e = enum_from_string<E>(v.get_ref<const std::string&>())) return *e;
    return input_error(file_, path, "one of " + enum_choices<E>(), describe_json(v));
  }

  template <class E>
  Result<std::vector<E>> words(const Json& v, const std::string& path) const {
    if (!v.is_array()) return input_error(file_, path, "a list", describe_json(v));
    std::vector<E> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
      auto e = word<E>(v[i], index_path(path, i));
      if (!e) return std::unexpected(e.error());
      out.push_back(*e);
    }
    return out;
  }

  Result<void> only_keys(const Json& obj, const std::string& path, std::initializer_list<std::string_view> keys) const {
    if (!obj.is_object()) return input_error(file_, path, "an object", describe_json(obj));
    for (const auto& [k, v] : obj.items()) {
      bool known = false;
      for (auto key : keys) known = known || key == k;
      if (!known) return input_error(file_, join_path(path, k), "no such key here", "an unknown key");
    }
    return {};
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

}  // namespace stipple::io

// Binds `var` to the value of a Result-returning expression, or returns its error.
#define TRY(var, expr)                                             \
  auto var##_result = (expr);                                      \
  if (!var##_result) return std::unexpected(var##_result.error()); \
  auto& var = *var##_result
