#include "stipple/io/known_fields.h"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

namespace stipple::io {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string_view nearest_name(std::string_view word, std::span<const std::string_view> known) {
  std::string_view best;
  std::size_t best_distance = 0;
  for (std::string_view k : known) {
    const std::size_t d = edit_distance(word, k);
    if (best.empty() || d < best_distance) best = k, best_distance = d;
  }
  return best;
}

InputError unknown_field_error(std::string_view file, std::string_view path, std::string_view key,
                               std::span<const std::string_view> known) {
  const std::string_view nearest = nearest_name(key, known);
  // A near miss reads as a typo; a far one still names the closest field, so
  // the user sees what the reader knows at this place.
  const bool close = edit_distance(key, nearest) <= std::max<std::size_t>(2, key.size() / 3);
  std::string expected = "a known field";
  if (!nearest.empty())
    expected += close ? fmt::format(" (did you mean \"{}\"?)", nearest)
                      : fmt::format(" (the nearest known field is \"{}\")", nearest);
  else
    expected = "no field here";
  // Keys are user text: show them JSON-escaped when they hold control characters.
  std::string shown(key);
  if (std::any_of(shown.begin(), shown.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
    shown = Json(shown).dump(-1, ' ', false, Json::error_handler_t::replace);
  return InputError{std::string(file), join_path(path, shown), std::move(expected), "an unknown field"};
}

Result<void> unknown_field(std::string_view file, std::string_view path, std::string_view key,
                           std::span<const std::string_view> known, const ReadOptions& options) {
  InputError e = unknown_field_error(file, path, key, known);
  if (!options.lenient) return std::unexpected(std::move(e));
  if (options.warnings) {
    e.found = "an unknown field, ignored (--lenient)";
    options.warnings->push_back(e.message());
  }
  return {};
}

namespace {
thread_local FieldCensus* current_census = nullptr;
}  // namespace

FieldCensus::FieldCensus() : previous_(current_census) { current_census = this; }
FieldCensus::~FieldCensus() { current_census = previous_; }

void note_known_fields(std::string_view path, std::span<const std::string_view> known) {
  if (!current_census) return;
  std::string general;
  for (std::size_t i = 0; i < path.size(); ++i) {
    general += path[i];
    if (path[i] == '[') {
      while (i + 1 < path.size() && path[i + 1] != ']') ++i;
    }
  }
  auto& names = current_census->objects_[general];
  for (std::string_view k : known) names.emplace(k);
}

Result<void> check_fields(const Json& obj, std::string_view file, std::string_view path,
                          std::span<const std::string_view> known, const ReadOptions& options) {
  note_known_fields(path, known);
  if (!obj.is_object())
    return input_error(std::string(file), path.empty() ? "(document)" : std::string(path), "an object",
                       describe_json(obj));
  for (const auto& [k, v] : obj.items())
    if (std::find(known.begin(), known.end(), k) == known.end())
      if (auto r = unknown_field(file, path, k, known, options); !r) return r;
  return {};
}

}  // namespace stipple::io
