#include "stipple/io/json_document.h"

#include <cmath>
#include <limits>

#include <algorithm>
#include <set>
#include <vector>

#include <fmt/format.h>

namespace stipple::io {

namespace {

// Thrown from the parser callback, caught in parse_json_document; never escapes.
struct StructureError {
  std::string field;
  std::string expected;
  std::string found;
};

// Tracks the path of the value being parsed, to name duplicate keys precisely.
class PathTracker {
 public:
  explicit PathTracker(int max_depth) : max_depth_(max_depth) {}

  bool on_event(int depth, nlohmann::json::parse_event_t event, const Json& parsed) {
    using E = nlohmann::json::parse_event_t;
    switch (event) {
      case E::object_start:
      case E::array_start:
        note_value_start();
        if (depth >= max_depth_)
          throw StructureError{path(), fmt::format("at most {} levels of nesting", max_depth_),
                               "deeper nesting"};
        frames_.push_back(Frame{event == E::array_start, {}, {}, 0});
        break;
      case E::key: {
        Frame& f = frames_.back();
        f.key = parsed.get<std::string>();
        if (!f.keys.insert(f.key).second)
          throw StructureError{path(), "each key once per object", "it twice"};
        break;
      }
      case E::value:
        note_value_start();
        break;
      case E::object_end:
      case E::array_end:
        frames_.pop_back();
        break;
    }
    return true;
  }

 private:
  struct Frame {
    bool is_array;
    std::string key;
    std::set<std::string> keys;
    std::size_t next_index;
  };

  void note_value_start() {
    if (!frames_.empty() && frames_.back().is_array) frames_.back().key = std::to_string(frames_.back().next_index++);
  }

  std::string path() const {
    std::string out;
    for (const Frame& f : frames_) {
      if (f.key.empty()) continue;
      if (f.is_array) out += "[" + f.key + "]";
      else out = join_path(out, f.key);
    }
    return out.empty() ? std::string("(document)") : out;
  }

 public:
  // The path of the value the parser is reading now, before its own event
  // (e.g. a number it could not represent): in an array, the next index.
  std::string pending_path() const {
    std::string out;
    for (std::size_t i = 0; i < frames_.size(); ++i) {
      const Frame& f = frames_[i];
      const bool last = i + 1 == frames_.size();
      if (f.is_array && last) out += "[" + std::to_string(f.next_index) + "]";
      else if (f.key.empty()) continue;
      else if (f.is_array) out += "[" + f.key + "]";
      else out = join_path(out, f.key);
    }
    return out.empty() ? std::string("(document)") : out;
  }

 private:

  int max_depth_;
  std::vector<Frame> frames_;
};

// nlohmann's messages start with "[json.exception.parse_error.101] parse error at line 2,
// column 5: "; split that into the location and the reason.
void split_parse_message(std::string_view what, std::string& where, std::string& reason) {
  if (auto close = what.find("] "); close != std::string_view::npos) what.remove_prefix(close + 2);
  constexpr std::string_view kAt = "parse error at ";
  if (what.substr(0, kAt.size()) == kAt) {
    what.remove_prefix(kAt.size());
    auto colon = what.find(": ");
    where = std::string(what.substr(0, colon));
    reason = colon == std::string_view::npos ? std::string() : std::string(what.substr(colon + 2));
  } else {
    where = "(document)";
    reason = std::string(what);
  }
}

// "line L, column C" (both from 1) of the byte nlohmann stopped at; its own
// report counts a newline it has just read as the start of the next line.
std::string location_of(std::string_view text, std::size_t byte) {
  const std::size_t offset = std::min(byte == 0 ? 0 : byte - 1, text.size());
  std::size_t line = 1, line_start = 0;
  for (std::size_t i = 0; i < offset; ++i)
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  return fmt::format("line {}, column {}", line, offset - line_start + 1);
}

}  // namespace

Result<Json> parse_json_document(std::string_view text, std::string_view file,
                                 const JsonLimits& limits) {
  const std::string name(file);
  if (text.size() > limits.max_bytes)
    return input_error(name, "(document)", fmt::format("at most {} bytes", limits.max_bytes),
                       std::to_string(text.size()) + " bytes");
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return input_error(name, "(document)", "a JSON object", "empty input");

  PathTracker tracker(limits.max_depth);
  try {
    Json doc = Json::parse(
        text.begin(), text.end(),
        [&tracker](int depth, nlohmann::json::parse_event_t event, Json& parsed) {
          return tracker.on_event(depth, event, parsed);
        },
        /*allow_exceptions=*/true, /*ignore_comments=*/false);
    return doc;
  } catch (const StructureError& e) {
    return input_error(name, e.field, e.expected, e.found);
  } catch (const nlohmann::json::parse_error& e) {
    std::string where, reason;
    split_parse_message(e.what(), where, reason);
    return input_error(name, location_of(text, e.byte), "valid JSON", reason);
  } catch (const nlohmann::json::out_of_range& e) {
    // A number beyond the range of a double (1e400): named by its field, as
    // every reader names a number out of its range.
    std::string where, reason;
    split_parse_message(e.what(), where, reason);
    constexpr std::string_view kOverflow = "number overflow parsing '";
    if (reason.rfind(kOverflow, 0) == 0 && reason.size() > kOverflow.size() + 1)
      return input_error(name, tracker.pending_path(), "a number within the range of a double (about 1.8e308)",
                         reason.substr(kOverflow.size(), reason.size() - kOverflow.size() - 1));
    return input_error(name, where, "valid JSON", reason);
  } catch (const nlohmann::json::exception& e) {
    std::string where, reason;
    split_parse_message(e.what(), where, reason);
    return input_error(name, where, "valid JSON", reason);
  }
}

std::string describe_json(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string: {
      const auto& s = value.get_ref<const std::string&>();
      constexpr std::size_t kMax = 40;
      Json cut = s.size() > kMax ? Json(s.substr(0, kMax) + "...") : value;
      // A cut in the middle of a UTF-8 sequence must not make dump() throw.
      return cut.dump(-1, ' ', false, Json::error_handler_t::replace);
    }
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::null:
      return "null";
    default:
      return value.dump();
  }
}

std::string dump_document(const Json& doc) {
  return doc.dump(2, ' ', false, Json::error_handler_t::strict) + "\n";
}

std::optional<long long> json_integer(const Json& value) {
  if (value.is_number_unsigned()) {
    const auto u = value.get<unsigned long long>();
    if (u > static_cast<unsigned long long>(std::numeric_limits<long long>::max())) return std::nullopt;
    return static_cast<long long>(u);
  }
  if (value.is_number_integer()) return value.get<long long>();
  if (value.is_number_float()) {
    const double d = value.get<double>();
    // 2^63 is exactly representable; every double below it in magnitude fits.
    if (!std::isfinite(d) || d != std::trunc(d) || std::fabs(d) >= 9223372036854775808.0) return std::nullopt;
    return static_cast<long long>(d);
  }
  return std::nullopt;
}

}  // namespace stipple::io
