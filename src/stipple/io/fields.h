// stipple/io/fields.h: reading our own data files (rule book, price list,
// clinic, care texts) strictly, with the field path in every error. Unknown
// keys are errors naming the nearest known key (io/known_fields.h): these
// files are written by a clinic for the program, so a misspelt key must not be
// silently ignored. Only ReadOptions::lenient turns them into warnings.
#pragma once

#include <fmt/format.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "stipple/core/enum_names.h"
#include "stipple/core/error.h"
#include "stipple/io/json_document.h"
#include "stipple/io/known_fields.h"

namespace stipple::io {

class FieldReader {
 public:
  explicit FieldReader(std::string file, ReadOptions options = {})
      : file_(std::move(file)), options_(options) {}

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
    const auto n = json_integer(v);  // 38, 38.0 and 3.8e1 alike (JSON Schema 2020-12)
    if (!n || *n < min || *n > max)
      return input_error(file_, path, fmt::format("an integer from {} to {}", min, max), describe_json(v));
    return static_cast<int>(*n);
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

  // Every key of `obj` is one of `keys`; an unknown key is an error naming the
  // nearest known one, or a warning when the options are lenient.
  Result<void> only_keys(const Json& obj, const std::string& path, std::initializer_list<std::string_view> keys) const {
    return check_fields(obj, file_, path, keys, options_);
  }
  Result<void> only_keys(const Json& obj, const std::string& path, std::span<const std::string_view> keys) const {
    return check_fields(obj, file_, path, keys, options_);
  }

  const std::string& file() const { return file_; }
  const ReadOptions& options() const { return options_; }

 private:
  std::string file_;
  ReadOptions options_;
};

}  // namespace stipple::io

// Binds `var` to the value of a Result-returning expression, or returns its error.
#define TRY(var, expr)                                             \
  auto var##_result = (expr);                                      \
  if (!var##_result) return std::unexpected(var##_result.error()); \
  auto& var = *var##_result
