#include "stipple/assess/intake.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <type_traits>
#include <fmt/format.h>

#include "stipple/io/known_fields.h"

namespace stipple::assess {

using io::Json;

namespace {

template <class T>
struct Optional : std::false_type {};
template <class T>
struct Optional<std::optional<T>> : std::true_type {
  using type = T;
};
template <class T>
struct Unwrap {
  using type = T;
};
template <class T>
struct Unwrap<std::optional<T>> {
  using type = T;
};

std::string found(const Json& v) { return io::describe_json(v); }

std::string number_text(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  Json j = v;
  return j.dump();
}

template <class E>
std::vector<std::string_view> choices_of() {
  return {enum_names<E>.begin(), enum_names<E>.end()};
}

template <class E>
Result<E> read_enum(const Json& v, const std::string& file, const std::string& path) {
  if (v.is_string())
    if (auto e = enum_from_string<E>(v.get_ref<const std::string&>())) return *e;
  return input_error(file, path, "one of " + enum_choices<E>(), found(v));
}

Result<double> read_number(const Json& v, const std::string& file, const std::string& path,
                           double min, std::optional<double> max, bool exclusive_min = false) {
  const std::string range = max ? "a number from " + number_text(min) + " to " + number_text(*max)
                                : exclusive_min ? "a number greater than " + number_text(min)
                                                : "a number >= " + number_text(min);
  if (!v.is_number()) return input_error(file, path, range, found(v));
  const double d = v.get<double>();
  if (!std::isfinite(d) || d < min || (exclusive_min && d == min) || (max && d > *max))
    return input_error(file, path, range, found(v));
  return d;
}

// The field path of an entry in a list, for error messages.
std::string item_path(const std::string& path, std::size_t i) { return index_path(path, i); }

template <class Accessor>
FieldSpec enum_field(std::string_view path, std::string_view description, Accessor access) {
  using T = std::remove_cvref_t<std::invoke_result_t<Accessor, Intake&>>;
  using E = typename Unwrap<T>::type;
  FieldSpec spec{path, FieldType::enumeration, !Optional<T>::value, choices_of<E>(), 0, {},
                 description, {}};
  spec.read = [path, access](const Json& v, Intake& in, const std::string& file) -> Result<void> {
    auto e = read_enum<E>(v, file, std::string(path));
    if (!e) return std::unexpected(e.error());
    access(in) = *e;
    return {};
  };
  return spec;
}

template <class Accessor>
FieldSpec int_field(std::string_view path, int min, int max, std::string_view description,
                    Accessor access) {
  using T = std::remove_cvref_t<std::invoke_result_t<Accessor, Intake&>>;
  FieldSpec spec{path, FieldType::integer, !Optional<T>::value, {}, static_cast<double>(min),
                 static_cast<double>(max), description, {}};
  spec.read = [path, min, max, access](const Json& v, Intake& in,
                                       const std::string& file) -> Result<void> {
    const auto out_of_range = [&] {
      return input_error(file, std::string(path),
                         fmt::format("an integer from {} to {}", min, max),
                         found(v));
    };
    // A whole number however spelt (38, 38.0, 3.8e1): JSON Schema 2020-12's integer.
    const auto n = io::json_integer(v);
    if (!n || *n < min || *n > max) return out_of_range();
    access(in) = static_cast<int>(*n);
    return {};
  };
  return spec;
}

template <class Accessor>
FieldSpec bool_field(std::string_view path, std::string_view description, Accessor access) {
  FieldSpec spec{path, FieldType::boolean, false, {}, 0, {}, description, {}};
  spec.read = [path, access](const Json& v, Intake& in, const std::string& file) -> Result<void> {
    if (!v.is_boolean()) return input_error(file, std::string(path), "true or false", found(v));
    access(in) = v.get<bool>();
    return {};
  };
  return spec;
}

template <class Accessor>
FieldSpec enum_list_field(std::string_view path, std::string_view description, Accessor access) {
  using E = typename std::remove_cvref_t<std::invoke_result_t<Accessor, Intake&>>::value_type;
  FieldSpec spec{path, FieldType::enum_list, false, choices_of<E>(), 0, {}, description, {}};
  spec.read = [path, access](const Json& v, Intake& in, const std::string& file) -> Result<void> {
    const std::string p(path);
    if (!v.is_array())
      return input_error(file, p, "a list of " + enum_choices<E>(), found(v));
    std::vector<E> values;
    for (std::size_t i = 0; i < v.size(); ++i) {
      auto e = read_enum<E>(v[i], file, item_path(p, i));
      if (!e) return std::unexpected(e.error());
      if (std::find(values.begin(), values.end(), *e) != values.end())
        return input_error(file, item_path(p, i), "each answer once", found(v[i]) + " again");
      values.push_back(*e);
    }
    access(in) = std::move(values);
    return {};
  };
  return spec;
}

// The contract's age range is 0..120 years; no "months since" can exceed it.
constexpr int kMaxAgeYears = 120;
constexpr int kMaxMonths = kMaxAgeYears * 12;

// Names are printed in reports; 200 bytes is ample for any real name.
constexpr std::size_t kMaxNameBytes = 200;

// Whether `s` (valid UTF-8) holds only white space as ECMA-262 counts it
// (WhiteSpace and LineTerminator, the `\s` of the schema's pattern "\S").
bool only_white_space(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const int n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t c = n == 1 ? b : n == 2 ? b & 0x1F : n == 3 ? b & 0x0F : b & 0x07;
    for (int k = 1; k < n && i + k < s.size(); ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += static_cast<std::size_t>(n);
    const bool white = (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
                       c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
    if (!white) return false;
  }
  return true;
}

FieldSpec name_field() {
  // min 1: the schema asks for a letter that is not white space ("pattern": "\S").
  FieldSpec spec{"client.name", FieldType::text, false, {}, 1, kMaxNameBytes,
                 "How the client wishes to be addressed in the report.", {}};
  spec.read = [](const Json& v, Intake& in, const std::string& file) -> Result<void> {
    const std::string expected = fmt::format("a name of 1 to {} bytes, not only spaces", kMaxNameBytes);
    if (!v.is_string()) return input_error(file, "client.name", expected, found(v));
    const auto& s = v.get_ref<const std::string&>();
    if (s.size() > kMaxNameBytes || only_white_space(s)) return input_error(file, "client.name", expected, found(v));
    if (std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
      return input_error(file, "client.name", "a text without control characters", found(v));
    in.client.name = s;
    return {};
  };
  return spec;
}

// A bound no real budget reaches in any currency (10^12 is over 6 billion US
// dollars even in the currency with the smallest unit in use); it keeps the
// schema's number range finite, so 1e400 (infinity to most JSON readers) is
// refused by the schema as it is by the reader.
constexpr double kMaxBudget = 1e12;

FieldSpec budget_field() {
  FieldSpec spec{"goals.budget", FieldType::number, false, {}, 0, kMaxBudget,
                 "What the client means to spend on the treatment, in goals.currency.", {}};
  spec.read = [](const Json& v, Intake& in, const std::string& file) -> Result<void> {
    auto d = read_number(v, file, "goals.budget", 0, kMaxBudget);
    if (!d) return std::unexpected(d.error());
    in.goals.budget = *d;
    return {};
  };
  return spec;
}

FieldSpec currency_field() {
  FieldSpec spec{"goals.currency", FieldType::currency, false, {}, 0, {},
                 "ISO 4217 code of the budget's currency, three capital letters.", {}};
  spec.read = [](const Json& v, Intake& in, const std::string& file) -> Result<void> {
    const auto ok = [&] {
      if (!v.is_string()) return false;
      const auto& s = v.get_ref<const std::string&>();
      return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    };
    if (!ok())
      return input_error(file, "goals.currency", "an ISO 4217 code of three capital letters such as \"USD\"",
                         found(v));
    in.goals.currency = v.get<std::string>();
    return {};
  };
  return spec;
}

FieldSpec date_field() {
  FieldSpec spec{"date", FieldType::date, false, {}, 0, {},
                 "The day of the consultation, YYYY-MM-DD: the reference day of last_72h and of earliest dates.", {}};
  spec.read = [](const Json& v, Intake& in, const std::string& file) -> Result<void> {
    const auto day = v.is_string() ? parse_intake_date(v.get_ref<const std::string&>()) : std::nullopt;
    if (!day) return input_error(file, "date", "a calendar date YYYY-MM-DD between 2000 and 2199", found(v));
    in.date = *day;
    return {};
  };
  return spec;
}

FieldSpec scars_field() {
  FieldSpec spec{"scalp.scars", FieldType::scars, false, choices_of<ScarKind>(), 0, {},
                 "Visible scars on the scalp: {kind, length_mm, width_mm, age_months}.", {}};
  spec.item_fields = {"kind", "length_mm", "width_mm", "age_months"};
  spec.read = [](const Json& v, Intake& in, const std::string& file) -> Result<void> {
    const std::string p = "scalp.scars";
    if (!v.is_array()) return input_error(file, p, "a list of scars {kind, length_mm, width_mm}", found(v));
    std::vector<Scar> scars;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const std::string sp = item_path(p, i);
      const Json& s = v[i];
      if (!s.is_object()) return input_error(file, sp, "a scar {kind, length_mm, width_mm}", found(s));
      Scar scar;
      bool has_kind = false;
      for (const auto& [key, value] : s.items()) {
        const std::string fp = join_path(sp, key);
        if (key == "kind") {
          auto k = read_enum<ScarKind>(value, file, fp);
          if (!k) return std::unexpected(k.error());
          scar.kind = *k;
          has_kind = true;
        } else if (key == "length_mm" || key == "width_mm") {
          if (value.is_null()) continue;
          const bool length = key == "length_mm";
          auto d = read_number(value, file, fp, 0, length ? kMaxScarLengthMm : kMaxScarWidthMm);
          if (!d) return std::unexpected(d.error());
          if (*d == 0)
            return input_error(file, fp, "a size greater than 0 mm (omit the field if not measured)",
                               found(value));
          (length ? scar.length_mm : scar.width_mm) = *d;
        } else if (key == "age_months") {
          if (value.is_null()) continue;
          if (!value.is_number_integer() || (value.is_number_unsigned() && value.get<unsigned long long>() > static_cast<unsigned long long>(kMaxScarAgeMonths)) ||
              value.get<long long>() < 0 || value.get<long long>() > kMaxScarAgeMonths)
            return input_error(file, fp, fmt::format("an integer from 0 to {}", kMaxScarAgeMonths), found(value));
          scar.age_months = static_cast<int>(value.get<long long>());
        } else {
          static constexpr std::string_view known[] = {"kind", "length_mm", "width_mm", "age_months"};
          return std::unexpected(io::unknown_field_error(file, sp, key, known));
        }
      }
      if (!has_kind)
        return input_error(file, join_path(sp, "kind"), "one of " + enum_choices<ScarKind>(),
                           "nothing (a scar needs its kind)");
      scars.push_back(scar);
    }
    in.scalp.scars = std::move(scars);
    return {};
  };
  return spec;
}

std::vector<FieldSpec> make_fields() {
  std::vector<FieldSpec> f;
  f.push_back(date_field());
  f.push_back(name_field());
  f.push_back(enum_field("client.sex", "Sex of the client; decides the hair-loss scale used.",
                         [](Intake& i) -> auto& { return i.client.sex; }));
  f.push_back(int_field("client.age", 0, kMaxAgeYears, "Age in whole years.",
                        [](Intake& i) -> auto& { return i.client.age; }));
  f.push_back(int_field("client.fitzpatrick", 1, 6, "Fitzpatrick skin type, 1 (very fair) to 6.",
                        [](Intake& i) -> auto& { return i.client.fitzpatrick; }));
  f.push_back(enum_field("client.hair_color", "Natural colour of the remaining hair.",
                         [](Intake& i) -> auto& { return i.client.hair_color; }));
  f.push_back(enum_field("hair_loss.pattern", "The kind of hair loss.",
                         [](Intake& i) -> auto& { return i.hair_loss.pattern; }));
  f.push_back(enum_field("hair_loss.norwood", "Norwood-Hamilton class (male pattern).",
                         [](Intake& i) -> auto& { return i.hair_loss.norwood; }));
  f.push_back(enum_field("hair_loss.ludwig", "Ludwig class (female pattern).",
                         [](Intake& i) -> auto& { return i.hair_loss.ludwig; }));
  f.push_back(enum_list_field("hair_loss.areas", "Where the client sees loss.",
                              [](Intake& i) -> auto& { return i.hair_loss.areas; }));
  f.push_back(int_field("hair_loss.duration_months", 0, kMaxMonths, "Months since the loss began.",
                        [](Intake& i) -> auto& { return i.hair_loss.duration_months; }));
  f.push_back(enum_field("hair_loss.shedding", "Daily shedding compared with usual.",
                         [](Intake& i) -> auto& { return i.hair_loss.shedding; }));
  f.push_back(bool_field("hair_loss.body_hair_loss", "Hair lost elsewhere on the body.",
                         [](Intake& i) -> auto& { return i.hair_loss.body_hair_loss; }));
  f.push_back(bool_field("hair_loss.family_history", "Pattern hair loss in the family.",
                         [](Intake& i) -> auto& { return i.hair_loss.family_history; }));
  f.push_back(bool_field("hair_loss.progressing", "Loss still advancing in the last 12 months.",
                         [](Intake& i) -> auto& { return i.hair_loss.progressing; }));
  f.push_back(enum_field("history.thyroid", "Thyroid disorder.",
                         [](Intake& i) -> auto& { return i.history.thyroid; }));
  f.push_back(bool_field("history.pcos", "Polycystic ovary syndrome.",
                         [](Intake& i) -> auto& { return i.history.pcos; }));
  f.push_back(int_field("history.postpartum_months", 0, kMaxMonths, "Months since giving birth.",
                        [](Intake& i) -> auto& { return i.history.postpartum_months; }));
  f.push_back(enum_field("history.chemotherapy", "Chemotherapy.",
                         [](Intake& i) -> auto& { return i.history.chemotherapy; }));
  f.push_back(enum_list_field("history.medications", "Regular medications.",
                              [](Intake& i) -> auto& { return i.history.medications; }));
  f.push_back(int_field("history.isotretinoin_last_dose_months", 0, kMaxMonths,
                        "Months since the last isotretinoin dose (absent while isotretinoin is listed: still taking it).",
                        [](Intake& i) -> auto& { return i.history.isotretinoin_last_dose_months; }));
  f.push_back(int_field("history.stress_event_months", 0, kMaxMonths,
                        "Months since a major shock (surgery, bereavement, severe illness).",
                        [](Intake& i) -> auto& { return i.history.stress_event_months; }));
  f.push_back(bool_field("history.lupus", "Lupus.", [](Intake& i) -> auto& { return i.history.lupus; }));
  f.push_back(enum_field("history.alopecia_areata", "Diagnosed alopecia areata.",
                         [](Intake& i) -> auto& { return i.history.alopecia_areata; }));
  f.push_back(enum_field("history.eating_disorder", "Eating disorder (anorexia, bulimia).",
                         [](Intake& i) -> auto& { return i.history.eating_disorder; }));
  f.push_back(enum_field("history.transplant.method", "An earlier hair transplant.",
                         [](Intake& i) -> auto& { return i.history.transplant.method; }));
  f.push_back(bool_field("history.transplant.satisfied_with_density",
                         "Whether the transplant's density satisfied the client.",
                         [](Intake& i) -> auto& { return i.history.transplant.satisfied_with_density; }));
  f.push_back(enum_list_field("scalp.symptoms", "Current scalp symptoms.",
                              [](Intake& i) -> auto& { return i.scalp.symptoms; }));
  f.push_back(enum_field("scalp.psoriasis", "Scalp psoriasis.",
                         [](Intake& i) -> auto& { return i.scalp.psoriasis; }));
  f.push_back(enum_field("scalp.acne", "Scalp acne.", [](Intake& i) -> auto& { return i.scalp.acne; }));
  f.push_back(bool_field("scalp.keloid_prone", "Tendency to keloid scars.",
                         [](Intake& i) -> auto& { return i.scalp.keloid_prone; }));
  f.push_back(enum_field("scalp.ringworm", "Ringworm (tinea capitis).",
                         [](Intake& i) -> auto& { return i.scalp.ringworm; }));
  f.push_back(enum_field("scalp.pigment_allergy", "Allergy to tattoo pigment.",
                         [](Intake& i) -> auto& { return i.scalp.pigment_allergy; }));
  f.push_back(enum_field("scalp.patch_test", "Result of a pigment patch test.",
                         [](Intake& i) -> auto& { return i.scalp.patch_test; }));
  f.push_back(enum_field("scalp.donor_density", "Density of the donor area at the back and sides.",
                         [](Intake& i) -> auto& { return i.scalp.donor_density; }));
  f.push_back(scars_field());
  f.push_back(enum_field("lifestyle.sun_exposure", "Usual sun exposure of the scalp.",
                         [](Intake& i) -> auto& { return i.lifestyle.sun_exposure; }));
  f.push_back(enum_list_field("lifestyle.last_72h", "What the client had in the last 72 hours.",
                              [](Intake& i) -> auto& { return i.lifestyle.last_72h; }));
  f.push_back(bool_field("lifestyle.hair_dye", "The client dyes or chemically treats the hair.",
                         [](Intake& i) -> auto& { return i.lifestyle.hair_dye; }));
  f.push_back(enum_field("goals.look", "The look the client wants.",
                         [](Intake& i) -> auto& { return i.goals.look; }));
  f.push_back(bool_field("goals.keep_long_hair", "The client keeps longer hair.",
                         [](Intake& i) -> auto& { return i.goals.keep_long_hair; }));
  f.push_back(bool_field("goals.wants_styleable_hair", "The client wants hair that can be styled.",
                         [](Intake& i) -> auto& { return i.goals.wants_styleable_hair; }));
  f.push_back(budget_field());
  f.push_back(currency_field());
  return f;
}

bool accepted_schema(std::string_view s) {
  if (s == kIntakeSchema) return true;
  // Any minor version of the same major: "stipple.intake/1.3".
  if (s.size() <= kIntakeSchema.size() + 1 || s.substr(0, kIntakeSchema.size()) != kIntakeSchema ||
      s[kIntakeSchema.size()] != '.')
    return false;
  const auto minor = s.substr(kIntakeSchema.size() + 1);
  return std::all_of(minor.begin(), minor.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The names the intake knows directly inside the object at `prefix` ("" = the
// document): its fields and groups, from the field table.
const std::vector<std::string_view>& known_here(const std::string& prefix) {
  static const auto names = [] {
    std::map<std::string, std::vector<std::string_view>, std::less<>> m;
    const auto add = [&](std::string_view path) {
      const auto dot = path.rfind('.');
      const std::string parent(dot == std::string_view::npos ? std::string_view() : path.substr(0, dot));
      m[parent].push_back(dot == std::string_view::npos ? path : path.substr(dot + 1));
    };
    m[""].push_back("schema");
    for (auto g : intake_groups()) add(g);
    for (const FieldSpec& f : intake_fields()) add(f.path);
    return m;
  }();
  static const std::vector<std::string_view> none;
  const auto it = names.find(prefix);
  return it == names.end() ? none : it->second;
}

struct Walker {
  const std::string& file;
  const std::map<std::string, const FieldSpec*, std::less<>>& fields;
  const std::set<std::string, std::less<>>& groups;
  const io::ReadOptions& options;
  ParsedIntake& out;
  std::set<std::string, std::less<>> seen;

  // An unknown field: an error, or when lenient a warning (also kept for the
  // assessment's warnings) and the field is skipped.
  Result<void> ignore_unknown(const std::string& prefix, std::string_view key,
                              std::span<const std::string_view> known) {
    InputError e = io::unknown_field_error(file, prefix, key, known);
    if (!options.lenient) return std::unexpected(std::move(e));
    e.found = "an unknown field, ignored (--lenient)";
    out.warnings.push_back(e.message());
    if (options.warnings) options.warnings->push_back(e.message());
    return {};
  }

  Result<void> walk(const Json& object, const std::string& prefix) {
    for (const auto& [key, value] : object.items()) {
      const std::string path = join_path(prefix, key);
      if (prefix.empty() && key == "schema") continue;
      if (groups.contains(path)) {
        if (value.is_null()) continue;
        if (!value.is_object()) return input_error(file, path, "an object", found(value));
        if (auto r = walk(value, path); !r) return r;
      } else if (auto it = fields.find(path); it != fields.end()) {
        if (value.is_null()) {
          if (it->second->required)
            return input_error(file, path, "a value (the field is required)", "null");
          continue;
        }
        if (!it->second->item_fields.empty() && value.is_array()) {
          // A list of objects (scalp.scars): each item's keys checked like a group's.
          Json items = value;
          for (std::size_t i = 0; i < items.size(); ++i) {
            if (!items[i].is_object()) continue;
            const std::string item = index_path(path, i);
            Json kept = Json::object();
            for (const auto& [k, v] : items[i].items()) {
              const auto& known = it->second->item_fields;
              if (std::find(known.begin(), known.end(), k) != known.end()) kept[k] = v;
              else if (auto r = ignore_unknown(item, k, known); !r) return r;
            }
            items[i] = std::move(kept);
          }
          if (auto r = it->second->read(items, out.intake, file); !r) return r;
        } else if (auto r = it->second->read(value, out.intake, file); !r) {
          return r;
        }
        seen.insert(path);
      } else {
        // Strict unless the options are lenient; a lenient warning also goes into
        // the assessment's warnings.
        if (auto r = ignore_unknown(prefix, key, known_here(prefix)); !r) return r;
      }
    }
    return {};
  }
};

}  // namespace

const std::vector<FieldSpec>& intake_fields() {
  static const std::vector<FieldSpec> fields = make_fields();
  return fields;
}

const std::vector<std::string_view>& intake_groups() {
  static const std::vector<std::string_view> groups = {
      "client", "hair_loss", "history", "history.transplant", "scalp", "lifestyle", "goals"};
  return groups;
}

Result<ParsedIntake> parse_intake(const Json& doc, std::string_view file_view, const io::ReadOptions& options) {
  const std::string file(file_view);
  if (!doc.is_object()) return input_error(file, "(document)", "a JSON object", found(doc));
  const auto schema = doc.find("schema");
  const std::string want = fmt::format("\"{}\"", kIntakeSchema);
  if (schema == doc.end())
    return input_error(file, "schema", want, "nothing (the field is required)");
  if (!schema->is_string() || !accepted_schema(schema->get_ref<const std::string&>()))
    return input_error(file, "schema", want + " (any 1.x)", found(*schema));

  static const auto field_map = [] {
    std::map<std::string, const FieldSpec*, std::less<>> m;
    for (const FieldSpec& f : intake_fields()) m.emplace(std::string(f.path), &f);
    return m;
  }();
  static const std::set<std::string, std::less<>> group_set(intake_groups().begin(),
                                                            intake_groups().end());
  ParsedIntake out;
  Walker walker{file, field_map, group_set, options, out, {}};
  if (auto r = walker.walk(doc, ""); !r) return std::unexpected(r.error());
  for (const FieldSpec& f : intake_fields()) {
    if (!f.required || walker.seen.contains(f.path)) continue;
    std::string expected = f.type == FieldType::enumeration ? "one of " : "";
    for (std::size_t i = 0; i < f.choices.size(); ++i)
      expected += std::string(i == 0 ? "" : i + 1 == f.choices.size() ? " or " : ", ") + std::string(f.choices[i]);
    if (f.type == FieldType::integer)
      expected = "an integer from " + number_text(f.min) + " to " + number_text(*f.max);
    return input_error(file, std::string(f.path), expected, "nothing (the field is required)");
  }
  if (auto r = check_consistency(out.intake, file); !r) return std::unexpected(r.error());
  return out;
}

std::optional<std::chrono::sys_days> parse_intake_date(std::string_view t) {
  const auto digits = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return -1;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  const int y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (y < 2000 || y > 2199 || m < 0 || d < 0) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days{ymd};
}

std::string format_intake_date(std::chrono::sys_days day) {
  const std::chrono::year_month_day ymd{day};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

Result<ParsedIntake> read_intake(std::string_view text, std::string_view file, const io::ReadOptions& options) {
  auto doc = io::parse_json_document(text, file);
  if (!doc) return std::unexpected(doc.error());
  return parse_intake(*doc, file, options);
}

}  // namespace stipple::assess
