#include "intake_generator.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "stipple/assess/intake.h"

namespace stipple::testing {

using io::Json;
using assess::FieldSpec;
using assess::FieldType;

namespace {

std::size_t pick(std::mt19937_64& rng, std::size_t n) {
  return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
}
bool chance(std::mt19937_64& rng, double p) { return std::bernoulli_distribution(p)(rng); }

// Sets doc at a dotted path, creating the objects on the way.
void set_path(Json& doc, std::string_view path, Json value) {
  Json* node = &doc;
  std::size_t start = 0;
  for (std::size_t dot; (dot = path.find('.', start)) != std::string_view::npos; start = dot + 1)
    node = &(*node)[std::string(path.substr(start, dot - start))];
  (*node)[std::string(path.substr(start))] = std::move(value);
}

Json random_value(const FieldSpec& f, std::mt19937_64& rng) {
  switch (f.type) {
    case FieldType::enumeration:
      return std::string(f.choices[pick(rng, f.choices.size())]);
    case FieldType::enum_list: {
      Json list = Json::array();
      for (auto c : f.choices)
        if (chance(rng, 0.2)) list.push_back(std::string(c));
      return list;
    }
    case FieldType::integer: {
      // Mostly plausible small values so that "months since" fits the age.
      const long long hi = static_cast<long long>(*f.max);
      const long long lo = static_cast<long long>(f.min);
      const long long cap = chance(rng, 0.85) ? std::min(hi, lo + 60) : hi;
      return std::uniform_int_distribution<long long>(lo, cap)(rng);
    }
    case FieldType::number:
      return chance(rng, 0.5) ? Json(std::uniform_int_distribution<int>(0, 8000)(rng))
                              : Json(std::uniform_real_distribution<double>(0, 8000)(rng));
    case FieldType::boolean:
      return chance(rng, 0.5);
    case FieldType::text: {
      static const char* names[] = {"Ann Lee", "José Álvarez", "O'Brien", "李雷", "A", "Zoë van der Berg"};
      return names[pick(rng, std::size(names))];
    }
    case FieldType::currency: {
      static const char* codes[] = {"USD", "GBP", "EUR", "JPY"};
      return codes[pick(rng, std::size(codes))];
    }
    case FieldType::scars: {
      Json scars = Json::array();
      const std::size_t n = pick(rng, 3);
      for (std::size_t i = 0; i < n; ++i) {
        Json s = {{"kind", std::string(f.choices[pick(rng, f.choices.size())])}};
        if (chance(rng, 0.7)) s["length_mm"] = std::uniform_real_distribution<double>(0.5, 250)(rng);
        if (chance(rng, 0.7)) s["width_mm"] = std::uniform_real_distribution<double>(0.5, 12)(rng);
        if (chance(rng, 0.5)) s["age_months"] = std::uniform_int_distribution<int>(0, 36)(rng);
        scars.push_back(s);
      }
      return scars;
    }
    case FieldType::date: {
      static const char* days[] = {"2026-11-30", "2027-01-31", "2027-02-28", "2028-02-29", "2100-12-31"};
      return days[pick(rng, std::size(days))];
    }
  }
  return nullptr;
}

Json wrong_value(std::mt19937_64& rng) {
  static const Json kWrong[] = {
      Json("VIII"), Json(""), Json(-1), Json(121), Json(1e300), Json(3.5), Json(true),
      Json(nullptr), Json::object(), Json::array({1, 2}), Json("male "), Json("I"),
      Json(18446744073709551615ULL), Json(-9223372036854775807LL - 1), Json("\xc3\xa9t\xc3\xa9")};
  return kWrong[pick(rng, std::size(kWrong))];
}

// All leaf paths of a document (objects descended, arrays taken whole).
void leaf_paths(const Json& node, const std::string& prefix, std::vector<std::string>& out) {
  for (const auto& [k, v] : node.items()) {
    const std::string p = prefix.empty() ? k : prefix + "." + k;
    if (v.is_object()) leaf_paths(v, p, out);
    else out.push_back(p);
  }
}

}  // namespace

Json random_intake(std::mt19937_64& rng) {
  Json doc = {{"schema", "stipple.intake/1"}};
  for (const FieldSpec& f : assess::intake_fields())
    if (f.required || chance(rng, 0.35)) set_path(doc, f.path, random_value(f, rng));
  return doc;
}

Json mutate_document(Json doc, std::mt19937_64& rng) {
  std::vector<std::string> paths;
  leaf_paths(doc, "", paths);
  switch (pick(rng, 7)) {
    case 0:
    case 1:  // wrong value somewhere
      if (!paths.empty()) set_path(doc, paths[pick(rng, paths.size())], wrong_value(rng));
      break;
    case 2:  // required field missing
      if (doc.contains("client")) doc["client"].erase(chance(rng, 0.5) ? "sex" : "age");
      break;
    case 3:  // unknown field
      set_path(doc, chance(rng, 0.5) ? "hair_loss.norwod" : "extra.thing", 1);
      break;
    case 4:  // schema
      doc["schema"] = chance(rng, 0.5) ? Json("stipple.intake/2") : Json(1);
      break;
    case 5:  // a list entry twice
      set_path(doc, "hair_loss.areas", Json::array({"crown", "crown"}));
      break;
    default:  // not an object at all
      doc = chance(rng, 0.5) ? Json::array() : Json("intake");
      break;
  }
  return doc;
}

std::string mutate_text(std::string text, std::mt19937_64& rng) {
  if (text.empty()) return text;
  switch (pick(rng, 5)) {
    case 0:  // flip some bytes
      for (int i = 0; i < 3; ++i) text[pick(rng, text.size())] = static_cast<char>(pick(rng, 256));
      break;
    case 1:  // truncate
      text.resize(pick(rng, text.size()));
      break;
    case 2:  // insert structural characters
      text.insert(pick(rng, text.size()), std::string(1, "{}[],:\"\\"[pick(rng, 8)]));
      break;
    case 3: {  // duplicate the first key of an object
      const auto brace = text.find("{\"", 1);
      const auto comma = text.find(',', brace);
      if (brace != std::string::npos && comma != std::string::npos)
        text.insert(comma + 1, text.substr(brace + 1, comma - brace));
      break;
    }
    default:  // deep nesting
      text = std::string(pick(rng, 200), '[') + text;
      break;
  }
  return text;
}

}  // namespace stipple::testing
