// JSON Schema of stipple.rules/1 (a clinic's rule book), built from the
// vocabulary the reader checks against: the rule ids of the domain brief, the
// kind of each rule (which fields it must have), the cases the assessment asks
// of each recommendation rule, the options, candidacy words, causes and stage
// tables. What a schema cannot say (placeholders among the known ones, low <=
// high, no points on an excluded option, every pre-care id of the code present
// once) the reader checks and docs/assess.md describes.
#include <algorithm>

#include "stipple/assess/rulebook.h"
#include "stipple/io/json_document.h"

namespace stipple::assess {

using io::Json;

namespace {

template <class E>
Json words() {
  return io::enum_words<E>();
}

Json text() { return {{"type", "string"}, {"minLength", 1}}; }

Json closed(Json properties, const std::vector<std::string>& optional = {}) {
  Json required = Json::array();
  for (const auto& [k, v] : properties.items())
    if (std::find(optional.begin(), optional.end(), k) == optional.end()) required.push_back(k);
  return {{"type", "object"}, {"additionalProperties", false}, {"required", required}, {"properties", properties}};
}

// An object with exactly one entry per enumerator of E.
template <class E>
Json table(const Json& value) {
  Json props = Json::object();
  for (std::string_view n : enum_names<E>) props[std::string(n)] = value;
  return closed(props);
}

Json integer(int lo, int hi) { return {{"type", "integer"}, {"minimum", lo}, {"maximum", hi}}; }

Json effects() {
  Json targets = words<Option>();
  targets.push_back("smp_preferred");
  targets.push_back("smp_any");
  Json effect = closed({{"option", {{"enum", targets}}},
                        {"points", integer(-10, 10)},
                        {"exclude", {{"type", "boolean"}}},
                        {"text", text()}},
                       {"points", "exclude"});
  return {{"type", "array"}, {"items", effect}};
}

}  // namespace

Json rulebook_json_schema() {
  Json rules = Json::object();
  for (std::size_t i = 0; i < enum_count<RuleId>(); ++i) {
    const auto id = static_cast<RuleId>(i);
    const RuleKind kind = rule_kind(id);
    Json cases = Json::object();
    for (std::string_view c : RuleBook::required_cases(id)) cases[std::string(c)] = effects();
    Json cases_schema = {{"type", "object"}, {"additionalProperties", false}, {"properties", cases}};
    // A rule worded by case (RuleBook::text_cases) has one text for each case.
    Json rule_text = text();
    if (const auto worded = RuleBook::text_cases(id); !worded.empty()) {
      Json props = Json::object(), names = Json::array();
      for (std::string_view c : worded) props[std::string(c)] = text(), names.push_back(std::string(c));
      rule_text = {{"type", "object"}, {"additionalProperties", false}, {"required", names}, {"properties", props}};
    }
    Json entry = closed({{"text", rule_text}, {"condition", text()}, {"effects", effects()}, {"cases", cases_schema}},
                        {"text", "condition", "effects", "cases"});
    Json required = Json::array();
    if (kind != RuleKind::recommendation || id == RuleId::REC_GREY) required.push_back("text");
    if (kind == RuleKind::referral) required.push_back("condition");
    entry["required"] = required;
    entry["not"] = {{"required", Json::array({"effects", "cases"})}};
    // The cases the assessment selects must all be there; "effects" stands for
    // the case "default" (which only a recommendation rule must have).
    Json named = Json::array();
    bool needs_default = false;
    for (std::string_view c : RuleBook::required_cases(id)) {
      if (c == "default") needs_default = kind == RuleKind::recommendation && id != RuleId::REC_GREY;  // advice only, no effects
      else named.push_back(std::string(c));
    }
    Json all = Json::array();
    if (!named.empty())
      all.push_back({{"required", Json::array({"cases"})}, {"properties", {{"cases", {{"required", named}}}}}});
    if (needs_default)
      all.push_back({{"anyOf", Json::array({Json{{"required", Json::array({"effects"})}},
                                             Json{{"required", Json::array({"cases"})},
                                                  {"properties", {{"cases", {{"required", {"default"}}}}}}}})}});
    if (!all.empty()) entry["allOf"] = all;
    entry["description"] = std::string(to_string(kind));
    rules[std::string(to_string(id))] = entry;
  }
  Json areas = {{"type", "array"}, {"items", {{"enum", words<LossArea>()}}}};
  Json norwoods = {{"type", "array"}, {"items", {{"enum", words<Norwood>()}}}};
  Json ludwigs = {{"type", "array"}, {"items", {{"enum", words<Ludwig>()}}}};
  Json precare_ids = Json::array();
  for (std::string_view id : kPrecareIds) precare_ids.push_back(std::string(id));
  Json currency = {{"type", "string"}, {"minLength", 3}, {"maxLength", 3}};

  Json root = closed({
      {"schema", {{"const", "stipple.rules/1"}}},
      {"thresholds", closed({{"adult_age_years", integer(0, 120)},
                             {"young_age_years", integer(0, 120)},
                             {"postpartum_temporary_months", integer(0, 120)},
                             {"stress_temporary_months", integer(0, 120)},
                             {"goal_look_points", integer(0, 10)},
                             {"isotretinoin_wait_months", integer(0, 120)},
                             {"scar_mature_months", integer(0, 120)},
                             {"minoxidil_pause_days", integer(0, 60)}})},
      {"stages", closed({{"norwood_areas", table<Norwood>(areas)},
                         {"ludwig_areas", table<Ludwig>(areas)},
                         {"early_norwood", norwoods},
                         {"extensive_norwood", norwoods},
                         {"medical_norwood", norwoods},
                         {"early_ludwig", ludwigs},
                         {"medical_ludwig", ludwigs}})},
      {"price_ranges", {{"type", "array"},
                        {"minItems", 1},
                        {"items", closed({{"currency", currency},
                                          {"scope", {{"enum", {"partial", "full_shaved", "any"}}}},
                                          {"low", {{"type", "number"}, {"exclusiveMinimum", 0}}},
                                          {"high", {{"type", "number"}, {"exclusiveMinimum", 0}}},
                                          {"source", {{"description", "Where the range comes from (not read)."}}}},
                                         {"source"})}}},
      {"default_currency", currency},
      {"options", table<Option>(text())},
      {"patch_camouflage_title", text()},
      {"active_alopecia_areata",
       {{"description", "Active alopecia areata: \"defer\" SMP (the default, brief section 11) or offer \"camouflage\"."},
        {"enum", {"defer", "camouflage"}}}},
      {"candidacy", table<Candidacy>(text())},
      {"causes", table<Cause>(text())},
      {"rules", closed(rules)},
      {"goal_look_text", text()},
      {"precare", {{"type", "array"},
                   {"items", closed({{"id", {{"type", "string"}}},
                                     {"rule", {{"enum", words<RuleId>()}}},
                                     {"text", text()}})},
                   {"description", "Must hold one item for each id the code uses: " + precare_ids.dump()}}},
      {"sources", {{"description", "The sources of the figures, for the clinic's records (not read)."}}},
  }, {"sources"});
  Json out = {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
              {"title", "Stipple rule book (stipple.rules/1)"},
              {"description",
               "Generated by `stipple schema rules` from the vocabulary the reader checks against "
               "(docs/assess.md). The reader also checks what a schema cannot: placeholders among the known ones, "
               "low <= high, no points on an excluded option, each pre-care id of the code present once. Unknown "
               "fields are refused (or ignored with a warning under --lenient)."}};
  out.update(root);
  return out;
}

}  // namespace stipple::assess
