#include "stipple/studio/body.h"

#include <charconv>
#include <chrono>
#include <set>

#include <fmt/format.h>

#include "stipple/io/known_fields.h"
#include "stipple/store/text.h"

namespace stipple::studio {

namespace {

std::string expected_found(std::string_view expected, std::string_view found) {
  return fmt::format("expected {}, found {}", expected, found);
}

}  // namespace

std::expected<io::Json, Reply> read_json_object(const Request& req) {
  std::string_view type = req.content_type;
  if (const auto semi = type.find(';'); semi != std::string_view::npos) type = type.substr(0, semi);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (type != "application/json")
    return std::unexpected(problem(415, problem_type::invalid_request, "the body must be JSON",
                                   {{"Content-Type", expected_found("application/json",
                                                                    req.content_type.empty() ? "none" : fmt::format("'{}'", req.content_type))}}));
  auto doc = io::parse_json_document(req.body, "body");
  if (!doc)
    return std::unexpected(problem(400, problem_type::invalid_request, "the body is not well-formed JSON",
                                   {{doc.error().field, expected_found(doc.error().expected, doc.error().found)}}));
  if (!doc->is_object())
    return std::unexpected(problem(400, problem_type::invalid_request, "the body must be a JSON object",
                                   {{"", expected_found("a JSON object", io::describe_json(*doc))}}));
  return std::move(*doc);
}

FieldReader::FieldReader(const io::Json& object, std::span<const std::string_view> known) : object_(object) {
  for (const auto& [key, value] : object_.items()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    const InputError e = io::unknown_field_error("body", "", key, known);
    errors_.push_back({e.field, expected_found(e.expected, e.found)});
  }
}

TextField FieldReader::text(std::string_view name, bool required, bool nullable, std::size_t max_bytes, bool multiline) {
  TextField out;
  const auto it = object_.find(std::string(name));
  if (it == object_.end()) {
    if (required) error(std::string(name), "expected a string, found nothing (the field is required)");
    return out;
  }
  if (it->is_null()) {
    if (!nullable) error(std::string(name), expected_found("a string", "null"));
    else out.state = TextField::State::null;
    return out;
  }
  if (!it->is_string()) {
    error(std::string(name), expected_found("a string", io::describe_json(*it)));
    return out;
  }
  const std::string& s = it->get_ref<const std::string&>();
  if (s.size() > max_bytes) {
    error(std::string(name), expected_found(fmt::format("at most {} bytes", max_bytes), fmt::format("{} bytes", s.size())));
    return out;
  }
  if (!store::clean_utf8(s, multiline)) {
    error(std::string(name), expected_found(multiline ? "text without control characters" : "one line of text",
                                            "control characters"));
    return out;
  }
  out.state = TextField::State::value;
  out.value = s;
  return out;
}

std::optional<long long> FieldReader::integer(std::string_view name, bool required, long long min, long long max) {
  const auto it = object_.find(std::string(name));
  if (it == object_.end()) {
    if (required) error(std::string(name), "expected a whole number, found nothing (the field is required)");
    return std::nullopt;
  }
  const auto v = it->is_number() ? io::json_integer(*it) : std::nullopt;
  if (!v || *v < min || *v > max) {
    error(std::string(name), expected_found(fmt::format("a whole number from {} to {}", min, max), io::describe_json(*it)));
    return std::nullopt;
  }
  return v;
}

Reply FieldReader::problem_reply() const {
  return problem(400, problem_type::invalid_request,
                 errors_.size() == 1 ? "a field is not valid" : fmt::format("{} fields are not valid", errors_.size()),
                 errors_);
}

std::expected<io::Json, Reply> read_query(const Request& req, std::span<const std::string_view> known) {
  io::Json out = io::Json::object();
  std::vector<FieldError> errors;
  for (const auto& [key, value] : req.query) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      const InputError e = io::unknown_field_error("query", "", key, known);
      errors.push_back({e.field, fmt::format("expected a known query parameter{}, found an unknown one",
                                             e.expected.substr(std::string_view("a known field").size()))});
      continue;
    }
    if (out.contains(key)) {
      errors.push_back({key, "expected the parameter once, found it more than once"});
      continue;
    }
    out[key] = value;
  }
  if (!errors.empty()) return std::unexpected(problem(400, problem_type::invalid_request, "the query is not valid", errors));
  return out;
}

std::optional<long long> query_integer(FieldReader& reader, const io::Json& query, std::string_view name,
                                       long long fallback, long long min, long long max) {
  const auto it = query.find(std::string(name));
  if (it == query.end()) return fallback;
  const std::string& s = it->get_ref<const std::string&>();
  long long v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < min || v > max) {
    reader.error(std::string(name), expected_found(fmt::format("a whole number from {} to {}", min, max),
                                                   fmt::format("'{}'", s.substr(0, 40))));
    return std::nullopt;
  }
  return v;
}

bool past_date(std::string_view s, int min_year, store::TimeMs now) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (s[i] < '0' || s[i] > '9') return false;
  const int y = std::stoi(std::string(s.substr(0, 4))), m = std::stoi(std::string(s.substr(5, 2))),
            d = std::stoi(std::string(s.substr(8, 2)));
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || y < min_year) return false;
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::sys_time<std::chrono::milliseconds>(
      std::chrono::milliseconds(now)));
  return std::chrono::sys_days(ymd) <= today;
}

std::optional<io::Json::json_pointer> json_pointer_of(std::string_view path) {
  if (path.empty()) return std::nullopt;
  std::string out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.' && ++i == path.size()) return std::nullopt;  // "a." names nothing
    if (path[i] == '[') {
      const std::size_t close = path.find(']', i);
      if (close == std::string_view::npos) return std::nullopt;
      out += "/" + std::string(path.substr(i + 1, close - i - 1));
      i = close + 1;
      continue;
    }
    const std::size_t end = std::min(path.find_first_of(".[", i), path.size());
    std::string key(path.substr(i, end - i));
    for (std::size_t at = key.find('~'); at != std::string::npos; at = key.find('~', at + 2)) key.replace(at, 1, "~0");
    for (std::size_t at = key.find('/'); at != std::string::npos; at = key.find('/', at + 2)) key.replace(at, 1, "~1");
    out += "/" + key;
    i = end;
  }
  try {
    return io::Json::json_pointer(out);
  } catch (const io::Json::exception&) {
    return std::nullopt;
  }
}

std::vector<InputError> reader_errors(const io::Json& doc, const io::Json* reference,
                                      const std::function<std::optional<InputError>(const std::string& text)>& read,
                                      int max_errors) {
  std::vector<InputError> out;
  io::Json next = doc;
  std::set<std::string> seen;
  for (int round = 0; round < max_errors; ++round) {
    auto e = read(io::dump_document(next));
    if (!e || !seen.insert(e->field).second) break;
    out.push_back(*e);
    const auto at = json_pointer_of(e->field);
    if (!at || at->empty()) break;
    try {
      if (reference && reference->contains(*at)) next[*at] = (*reference)[*at];
      else if (next.contains(*at)) next[at->parent_pointer()].erase(at->back());
      else break;
    } catch (const io::Json::exception&) {
      break;  // a path through something that is not an object or an array
    }
  }
  return out;
}

}  // namespace stipple::studio
