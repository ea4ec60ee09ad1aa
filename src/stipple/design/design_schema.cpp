// JSON Schema of stipple.design/1, built from the same enum spellings and
// anatomy field table the reader (design_json.cpp) uses, with the reader's
// ranges. What a schema cannot say (every point on the surface of this head,
// hairline points from left to right, Norwood and Ludwig not both given) the
// reader checks and docs/design.md describes. A test reads a complete design
// and checks that the reader's known fields at every object are the schema's.
#include "stipple/design/design_json.h"

#include <algorithm>

namespace stipple::design {

using io::Json;

namespace {

template <class E>
Json choice() {
  return Json{{"enum", io::enum_words<E>()}};
}

template <class E>
Json nullable_choice() {
  Json c = choice<E>();
  c["enum"].push_back(nullptr);
  return c;
}

Json number(double lo, double hi, std::string_view description = {}) {
  Json n = {{"type", "number"}, {"minimum", lo}, {"maximum", hi}};
  if (!description.empty()) n["description"] = std::string(description);
  return n;
}

Json integer(long long lo, long long hi) { return {{"type", "integer"}, {"minimum", lo}, {"maximum", hi}}; }

Json text() { return {{"type", "string"}, {"minLength", 1}, {"maxLength", 200}}; }

Json points(std::size_t min_count) {
  return {{"description", "Points [x, y, z] in mm on the scalp surface of this head (within 2 mm)."},
          {"type", "array"},
          {"minItems", min_count},
          {"maxItems", 20000},
          {"items",
           {{"type", "array"},
            {"minItems", 3},
            {"maxItems", 3},
            // No point of a head is a metre from its centre; nearer ones are checked against the surface.
            {"items", {{"type", "number"}, {"minimum", -1000}, {"maximum", 1000}}}}}};
}

// An object whose every property is required and no other is allowed.
Json object(Json properties, std::vector<std::string> optional = {}) {
  Json required = Json::array();
  for (const auto& [k, v] : properties.items())
    if (std::find(optional.begin(), optional.end(), k) == optional.end()) required.push_back(k);
  return {{"type", "object"}, {"additionalProperties", false}, {"required", required}, {"properties", properties}};
}

}  // namespace

Json design_json_schema() {
  Json head = Json::object();
  for (const char* k : {"circumference_mm", "sagittal_arc_mm", "coronal_arc_mm"}) head[k] = number(0, 1000);
  for (const char* k : {"length_mm", "breadth_mm", "vertex_height_mm", "glabella_height_mm", "ear_canal_depth_mm",
                        "lower_vault_mm", "inion_height_mm"})
    head[k] = number(0, 400);
  Json anatomy = Json::object();
  for (const scalp::AnatomyField& f : scalp::anatomy_fields())
    anatomy[std::string(f.name)] = number(-200, 200, f.length ? "mm" : "degrees");
  Json targets = Json::object();
  for (std::string_view z : enum_names<scalp::Zone>) targets[std::string(z)] = number(1, 200, "dots per cm²");
  Json zones = {{"type", "array"}, {"uniqueItems", true}, {"items", choice<scalp::Zone>()}};

  Json region = object({{"name", text()},
                        {"remaining", number(0, 1, "Share of the hair that remains, 0 to 1.")},
                        {"feather_mm", number(0, 50)},
                        {"outline_mm", points(3)}});
  Json scar = object({{"kind", choice<assess::ScarKind>()}, {"width_mm", number(0.1, 30)}, {"path_mm", points(1)}});
  scar["description"] = "A scar; FUE scars need 1 point, the others 2 or more (checked by the reader).";

  Json root = object({
      {"schema", {{"description", "Schema name and major version."}, {"type", "string"},
                  {"pattern", "^stipple\\.design/1(\\.[\\s\\S]*)?$"}}},
      {"client", object({{"name", {{"oneOf", Json::array({Json{{"type", "null"}}, text()})}}},
                         {"sex", choice<assess::Sex>()},
                         {"age", integer(0, 120)}})},
      {"seed", integer(0, std::int64_t{1} << 53)},
      {"head", object(head)},
      {"anatomy", object(anatomy)},
      {"look", choice<Look>()},
      {"hair_loss", object({{"norwood", nullable_choice<assess::Norwood>()},
                            {"ludwig", nullable_choice<assess::Ludwig>()},
                            {"regions", {{"type", "array"}, {"items", region}}},
                            {"scars", {{"type", "array"}, {"items", scar}}}})},
      {"hairline", object({{"style", choice<HairlineStyle>()},
                           {"transition_mm", number(0, 30)},
                           {"irregularity_mm", number(0, 5)},
                           // [] when no hairline is designed (scar and patch camouflage), else 3 or more points.
                           {"control_points_mm", {{"anyOf", Json::array({Json{{"type", "array"}, {"maxItems", 0}}, points(3)})}}}})},
      {"treatment", object({{"blend_mm", number(0, 60)},
                            {"scar_margin_mm", number(0, 60)},
                            {"sessions", integer(2, 4)},
                            {"follicular_units", number(0, 0.6)},
                            {"zones", zones}},
                           {"follicular_units"})},
      {"target_per_cm2", object(targets)},
      {"pigment", object({{"hair_color", nullable_choice<assess::HairColor>()},
                          {"fitzpatrick", {{"oneOf", Json::array({Json{{"type", "null"}}, integer(1, 6)})}}},
                          {"shade", number(0, 1)},
                          {"water_percent", integer(0, 100)},
                          {"tone", choice<PigmentTone>()}},
                         {"tone"})},
      {"notes", {{"type", "array"}, {"items", text()}}},
      {"intake_assessment",
       object({{"candidacy", choice<assess::Candidacy>()},
               {"blocking_rules", {{"type", "array"}, {"items", choice<assess::RuleId>()}}}})},
  }, {"intake_assessment"});
  Json out = {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
              {"title", "Stipple treatment design (stipple.design/1)"},
              {"description",
               "Generated by `stipple schema design` from the reader's own spellings and ranges. The reader also "
               "checks what a schema cannot: every point on the surface of this head within 2 mm, hairline points "
               "from the left temple to the right in front of the ears, a Norwood class and a Ludwig class not both "
               "given. Unknown fields are refused (or ignored with a warning under --lenient)."}};
  out.update(root);
  return out;
}

}  // namespace stipple::design
