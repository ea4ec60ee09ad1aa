#include "stipple/design/design_json.h"

#include <cmath>
#include <limits>
#include <set>
#include <span>

#include <fmt/format.h>

#include "stipple/io/known_fields.h"

namespace stipple::design {

using io::Json;
using scalp::Zone;

namespace {

double r2(double v) { return std::round(v * 100) / 100; }

Json point_json(Vec3 p) { return Json::array({r2(p.x), r2(p.y), r2(p.z)}); }

Json points_json(const std::vector<Vec3>& pts) {
  Json a = Json::array();
  for (const Vec3& p : pts) a.push_back(point_json(p));
  return a;
}

template <class T>
Json optional_json(const std::optional<T>& v) {
  if (!v) return nullptr;
  if constexpr (std::is_enum_v<T>) {
    return std::string(to_string(*v));
  } else {
    return *v;
  }
}

}  // namespace

Json design_to_json(const Design& d) {
  Json j;
  j["schema"] = kDesignSchema;
  j["client"] = {{"name", optional_json(d.client_name)}, {"sex", std::string(to_string(d.sex))}, {"age", d.age}};
  j["seed"] = d.seed;
  const scalp::HeadMeasurements& h = d.head;
  j["head"] = {{"circumference_mm", r2(h.circumference_mm)},   {"length_mm", r2(h.length_mm)},
               {"breadth_mm", r2(h.breadth_mm)},               {"vertex_height_mm", r2(h.vertex_height_mm)},
               {"glabella_height_mm", r2(h.glabella_height_mm)}, {"ear_canal_depth_mm", r2(h.ear_canal_depth_mm)},
               {"lower_vault_mm", r2(h.lower_vault_mm)},       {"inion_height_mm", r2(h.inion_height_mm)},
               {"sagittal_arc_mm", r2(h.sagittal_arc_mm)},     {"coronal_arc_mm", r2(h.coronal_arc_mm)}};
  Json an;
  for (const scalp::AnatomyField& f : scalp::anatomy_fields()) an[std::string(f.name)] = r2(d.anatomy.*f.member);
  j["anatomy"] = an;
  j["look"] = std::string(to_string(d.look));
  Json loss;
  loss["norwood"] = optional_json(d.norwood);
  loss["ludwig"] = optional_json(d.ludwig);
  loss["regions"] = Json::array();
  for (const scalp::LossRegion& r : d.hair_loss.regions)
    loss["regions"].push_back({{"name", r.name},
                               {"remaining", r2(r.remaining)},
                               {"feather_mm", r2(r.feather_mm)},
                               {"outline_mm", points_json(r.outline)}});
  loss["scars"] = Json::array();
  for (const scalp::Scar& s : d.hair_loss.scars)
    loss["scars"].push_back(
        {{"kind", std::string(to_string(s.kind))}, {"width_mm", r2(s.width_mm)}, {"path_mm", points_json(s.path)}});
  j["hair_loss"] = loss;
  j["hairline"] = {{"style", std::string(to_string(d.hairline.style))},
                   {"transition_mm", r2(d.hairline.transition_mm)},
                   {"irregularity_mm", r2(d.hairline.irregularity_mm)},
                   {"control_points_mm", points_json(d.hairline.control_points)}};
  Json zones = Json::array();
  for (Zone z : d.treated_zones) zones.push_back(std::string(to_string(z)));
  j["treatment"] = {{"blend_mm", r2(d.blend_mm)}, {"scar_margin_mm", r2(d.scar_margin_mm)}, {"sessions", d.sessions},
                    {"follicular_units", r2(d.follicular_units)}, {"zones", zones}};
  Json targets;
  for (std::size_t i = 0; i < kZoneCount; ++i) targets[std::string(to_string(static_cast<Zone>(i)))] = r2(d.target_per_cm2[i]);
  j["target_per_cm2"] = targets;
  j["pigment"] = {{"hair_color", optional_json(d.pigment.hair_color)},
                  {"fitzpatrick", optional_json(d.pigment.fitzpatrick)},
                  {"shade", r2(d.pigment.shade)},
                  {"water_percent", d.pigment.water_percent},
                  {"tone", std::string(to_string(d.pigment.tone))}};
  j["notes"] = d.notes;
  if (d.intake_assessment) {
    Json rules = Json::array();
    for (assess::RuleId id : d.intake_assessment->blocking_rules) rules.push_back(std::string(to_string(id)));
    j["intake_assessment"] = {{"candidacy", std::string(to_string(d.intake_assessment->candidacy))}, {"blocking_rules", rules}};
  }
  return j;
}

namespace {

// Reads fields and keeps the first error; later reads return defaults.
class Reader {
 public:
  Reader(std::string_view file, const io::ReadOptions& options) : file_(file), options_(options) {}
  bool ok() const { return !error_; }
  InputError error() const { return *error_; }

  void fail(const std::string& path, std::string expected, std::string found) {
    if (!error_) error_ = InputError{file_, path, std::move(expected), std::move(found)};
  }

  // The member `key` of object `obj` at `path`; null when absent (reported if required).
  const Json* get(const Json& obj, const std::string& path, const char* key, bool required = true) {
    const auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) fail(join_path(path, key), "a value (the field is required)", "nothing");
      return nullptr;
    }
    return &*it;
  }

  bool object(const Json* v, const std::string& path, std::initializer_list<std::string_view> keys) {
    return object(v, path, std::span<const std::string_view>(keys.begin(), keys.size()));
  }
  bool object(const Json* v, const std::string& path, std::span<const std::string_view> keys) {
    if (!v || !ok()) return false;
    io::note_known_fields(path, keys);
    if (!v->is_object()) {
      fail(path, "an object", io::describe_json(*v));
      return false;
    }
    for (const auto& [k, _] : v->items())
      if (std::find(keys.begin(), keys.end(), k) == keys.end())
        if (auto u = io::unknown_field(file_, path, k, keys, options_); !u) {
          error_ = u.error();
          return false;
        }
    return true;
  }

  double number(const Json& obj, const std::string& path, const char* key, double lo, double hi) {
    const Json* v = get(obj, path, key);
    return v ? number_value(*v, join_path(path, key), lo, hi) : lo;
  }

  double number_value(const Json& v, const std::string& path, double lo, double hi) {
    if (!v.is_number()) {
      fail(path, fmt::format("a number from {:g} to {:g}", lo, hi), io::describe_json(v));
      return lo;
    }
    const double x = v.get<double>();
    if (!(x >= lo && x <= hi)) fail(path, fmt::format("a number from {:g} to {:g}", lo, hi), io::describe_json(v));
    return x;
  }

  std::int64_t integer(const Json& v, const std::string& path, std::int64_t lo, std::int64_t hi) {
    const auto n = io::json_integer(v);  // 2, 2.0 and 2e0 alike (JSON Schema 2020-12)
    if (!n || *n < lo || *n > hi) {
      fail(path, fmt::format("an integer from {} to {}", lo, hi), io::describe_json(v));
      return lo;
    }
    return *n;
  }

  template <class E>
  E choice(const Json& v, const std::string& path) {
    if (v.is_string())
      if (auto e = enum_from_string<E>(v.get<std::string>())) return *e;
    fail(path, fmt::format("one of {}", enum_choices<E>()), io::describe_json(v));
    return static_cast<E>(0);
  }

  template <class E>
  std::optional<E> optional_choice(const Json& obj, const std::string& path, const char* key) {
    const Json* v = get(obj, path, key);
    if (!v || v->is_null()) return std::nullopt;
    return choice<E>(*v, join_path(path, key));
  }

  std::string text(const Json& v, const std::string& path) {
    if (!v.is_string() || v.get<std::string>().empty() || v.get<std::string>().size() > 200) {
      fail(path, "a text of 1 to 200 characters", io::describe_json(v));
      return {};
    }
    return v.get<std::string>();
  }

  // A list of surface points [x, y, z] in mm, each on `head` within 2 mm.
  std::vector<Vec3> points(const Json& obj, const std::string& path, const char* key, std::size_t min_count,
                           const scalp::Head& head) {
    std::vector<Vec3> out;
    const Json* v = get(obj, path, key);
    const std::string p = join_path(path, key);
    if (!v) return out;
    if (!v->is_array() || v->size() < min_count || v->size() > 20000) {
      fail(p, fmt::format("an array of {} to 20000 points [x, y, z]", min_count), io::describe_json(*v));
      return out;
    }
    for (std::size_t i = 0; i < v->size() && ok(); ++i) {
      const Json& q = (*v)[i];
      const std::string qp = index_path(p, i);
      if (!q.is_array() || q.size() != 3 || !q[0].is_number() || !q[1].is_number() || !q[2].is_number()) {
        fail(qp, "a point [x_mm, y_mm, z_mm]", io::describe_json(q));
        break;
      }
      const Vec3 pt{q[0].get<double>(), q[1].get<double>(), q[2].get<double>()};
      const double off = std::isfinite(pt.x + pt.y + pt.z) ? distance(head.chart_point(head.chart_of(pt)), pt) : 1e9;
      if (!(off <= 2.0)) {
        fail(qp, "a point on the scalp surface of this head (within 2 mm)",
             fmt::format("[{:g}, {:g}, {:g}], {:.1f} mm off it", pt.x, pt.y, pt.z, off));
        break;
      }
      out.push_back(pt);
    }
    return out;
  }

 private:
  std::string file_;
  io::ReadOptions options_;
  std::optional<InputError> error_;
};

}  // namespace

Result<Design> design_from_json(const Json& doc, std::string_view file, const io::ReadOptions& options) {
  Reader r(file, options);
  Design d;
  if (!r.object(&doc, "", {"schema", "client", "seed", "head", "anatomy", "look", "hair_loss", "hairline",
                           "treatment", "target_per_cm2", "pigment", "notes", "intake_assessment"}))
    return std::unexpected(r.error());
  if (const Json* s = r.get(doc, "", "schema")) {
    const bool same_major = s->is_string() && s->get<std::string>().starts_with("stipple.design/1") &&
                            (s->get<std::string>().size() == kDesignSchema.size() ||
                             s->get<std::string>()[kDesignSchema.size()] == '.');
    if (!same_major) r.fail("schema", "\"stipple.design/1\"", io::describe_json(*s));
  }
  if (!r.ok()) return std::unexpected(r.error());

  if (const Json* c = r.get(doc, "", "client"); r.object(c, "client", {"name", "sex", "age"})) {
    if (const Json* n = r.get(*c, "client", "name"); n && !n->is_null()) d.client_name = r.text(*n, "client.name");
    if (const Json* s = r.get(*c, "client", "sex")) d.sex = r.choice<assess::Sex>(*s, "client.sex");
    if (const Json* a = r.get(*c, "client", "age")) d.age = static_cast<int>(r.integer(*a, "client.age", 0, 120));
  }
  if (const Json* s = r.get(doc, "", "seed"))
    d.seed = static_cast<std::uint64_t>(r.integer(*s, "seed", 0, std::int64_t{1} << 53));

  if (const Json* h = r.get(doc, "", "head");
      r.object(h, "head", {"circumference_mm", "length_mm", "breadth_mm", "vertex_height_mm", "glabella_height_mm",
                           "ear_canal_depth_mm", "lower_vault_mm", "inion_height_mm", "sagittal_arc_mm",
                           "coronal_arc_mm"})) {
    scalp::HeadMeasurements& m = d.head;
    m.circumference_mm = r.number(*h, "head", "circumference_mm", 0, 1000);
    m.length_mm = r.number(*h, "head", "length_mm", 0, 400);
    m.breadth_mm = r.number(*h, "head", "breadth_mm", 0, 400);
    m.vertex_height_mm = r.number(*h, "head", "vertex_height_mm", 0, 400);
    m.glabella_height_mm = r.number(*h, "head", "glabella_height_mm", 0, 400);
    m.ear_canal_depth_mm = r.number(*h, "head", "ear_canal_depth_mm", 0, 400);
    m.lower_vault_mm = r.number(*h, "head", "lower_vault_mm", 0, 400);
    m.inion_height_mm = r.number(*h, "head", "inion_height_mm", 0, 400);
    m.sagittal_arc_mm = r.number(*h, "head", "sagittal_arc_mm", 0, 1000);
    m.coronal_arc_mm = r.number(*h, "head", "coronal_arc_mm", 0, 1000);
  }
  std::vector<std::string_view> anatomy_keys;
  for (const scalp::AnatomyField& f : scalp::anatomy_fields()) anatomy_keys.push_back(f.name);
  if (const Json* a = r.get(doc, "", "anatomy"); r.object(a, "anatomy", anatomy_keys))
    for (const scalp::AnatomyField& f : scalp::anatomy_fields())
      d.anatomy.*f.member = r.number(*a, "anatomy", std::string(f.name).c_str(), -200, 200);
  if (!r.ok()) return std::unexpected(r.error());
  // The head must be a head before points can be checked against it.
  auto head = scalp::Head::fit(d.head);
  if (!head) {
    InputError e = head.error();
    e.file = std::string(file);
    return std::unexpected(e);
  }
  const scalp::Head& hd = *head;

  if (const Json* l = r.get(doc, "", "look")) d.look = r.choice<Look>(*l, "look");
  if (const Json* hl = r.get(doc, "", "hair_loss"); r.object(hl, "hair_loss", {"norwood", "ludwig", "regions", "scars"})) {
    d.norwood = r.optional_choice<assess::Norwood>(*hl, "hair_loss", "norwood");
    d.ludwig = r.optional_choice<assess::Ludwig>(*hl, "hair_loss", "ludwig");
    if (d.norwood && d.ludwig) r.fail("hair_loss.ludwig", "null when a Norwood class is given", "both scales");
    if (const Json* regs = r.get(*hl, "hair_loss", "regions")) {
      if (!regs->is_array()) r.fail("hair_loss.regions", "an array of regions", io::describe_json(*regs));
      for (std::size_t i = 0; r.ok() && i < regs->size(); ++i) {
        const std::string p = index_path("hair_loss.regions", i);
        const Json& rj = (*regs)[i];
        if (!r.object(&rj, p, {"name", "remaining", "feather_mm", "outline_mm"})) break;
        scalp::LossRegion reg;
        if (const Json* n = r.get(rj, p, "name")) reg.name = r.text(*n, join_path(p, "name"));
        reg.remaining = r.number(rj, p, "remaining", 0, 1);
        reg.feather_mm = r.number(rj, p, "feather_mm", 0, 50);
        reg.outline = r.points(rj, p, "outline_mm", 3, hd);
        d.hair_loss.regions.push_back(std::move(reg));
      }
    }
    if (const Json* scars = r.get(*hl, "hair_loss", "scars"); scars && r.ok()) {
      if (!scars->is_array()) r.fail("hair_loss.scars", "an array of scars", io::describe_json(*scars));
      for (std::size_t i = 0; r.ok() && i < scars->size(); ++i) {
        const std::string p = index_path("hair_loss.scars", i);
        const Json& sj = (*scars)[i];
        if (!r.object(&sj, p, {"kind", "width_mm", "path_mm"})) break;
        scalp::Scar s;
        if (const Json* k = r.get(sj, p, "kind")) s.kind = r.choice<assess::ScarKind>(*k, join_path(p, "kind"));
        s.width_mm = r.number(sj, p, "width_mm", 0.1, 30);
        s.path = r.points(sj, p, "path_mm", s.kind == assess::ScarKind::FUE ? 1 : 2, hd);
        d.hair_loss.scars.push_back(std::move(s));
      }
    }
  }
  if (const Json* h = r.get(doc, "", "hairline");
      r.object(h, "hairline", {"style", "transition_mm", "irregularity_mm", "control_points_mm"})) {
    if (const Json* s = r.get(*h, "hairline", "style")) d.hairline.style = r.choice<HairlineStyle>(*s, "hairline.style");
    d.hairline.transition_mm = r.number(*h, "hairline", "transition_mm", 0, 30);
    d.hairline.irregularity_mm = r.number(*h, "hairline", "irregularity_mm", 0, 5);
    // Empty: no hairline designed (scar or patch camouflage); else at least 3 points.
    if (const auto cp = h->find("control_points_mm"); cp == h->end() || !cp->is_array() || !cp->empty())
      d.hairline.control_points = r.points(*h, "hairline", "control_points_mm", 3, hd);
    // Left to right across the front: azimuths strictly increasing, none behind the ears.
    double prev = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; r.ok() && i < d.hairline.control_points.size(); ++i) {
      const Vec2 uv = hd.chart_of(d.hairline.control_points[i]);
      const double phi = std::atan2(uv.x, uv.y);
      if (!(phi > prev && std::abs(phi) < kPi / 2))
        r.fail(index_path("hairline.control_points_mm", i),
               "points from the left temple to the right, each further right than the last and in front of the ears",
               fmt::format("a point at {:.0f} degrees azimuth", phi * 180 / kPi));
      prev = phi;
    }
  }
  if (const Json* t = r.get(doc, "", "treatment"); r.object(t, "treatment", {"blend_mm", "scar_margin_mm", "sessions", "follicular_units", "zones"})) {
    d.blend_mm = r.number(*t, "treatment", "blend_mm", 0, 60);
    if (const Json* n = r.get(*t, "treatment", "sessions")) d.sessions = static_cast<int>(r.integer(*n, "treatment.sessions", 2, 4));
    d.scar_margin_mm = r.number(*t, "treatment", "scar_margin_mm", 0, 60);
    if (t->contains("follicular_units")) d.follicular_units = r.number(*t, "treatment", "follicular_units", 0, 0.6);
    if (const Json* zs = r.get(*t, "treatment", "zones")) {
      if (!zs->is_array()) r.fail("treatment.zones", "an array of zone names", io::describe_json(*zs));
      std::set<Zone> seen;
      for (std::size_t i = 0; r.ok() && i < zs->size(); ++i) {
        const Zone z = r.choice<Zone>((*zs)[i], index_path("treatment.zones", i));
        if (r.ok() && !seen.insert(z).second)
          r.fail(index_path("treatment.zones", i), "each zone once", fmt::format("{} again", to_string(z)));
        d.treated_zones.push_back(z);
      }
    }
  }
  if (const Json* t = r.get(doc, "", "target_per_cm2"); r.object(t, "target_per_cm2", enum_names<Zone>)) {
    for (std::size_t i = 0; r.ok() && i < kZoneCount; ++i)
      d.target_per_cm2[i] = r.number(*t, "target_per_cm2", std::string(to_string(static_cast<Zone>(i))).c_str(), 1, 200);
  }
  if (const Json* p = r.get(doc, "", "pigment");
      r.object(p, "pigment", {"hair_color", "fitzpatrick", "shade", "water_percent", "tone"})) {
    d.pigment.hair_color = r.optional_choice<assess::HairColor>(*p, "pigment", "hair_color");
    if (const Json* f = r.get(*p, "pigment", "fitzpatrick"); f && !f->is_null())
      d.pigment.fitzpatrick = static_cast<int>(r.integer(*f, "pigment.fitzpatrick", 1, 6));
    d.pigment.shade = r.number(*p, "pigment", "shade", 0, 1);
    if (const Json* w = r.get(*p, "pigment", "water_percent"))
      d.pigment.water_percent = static_cast<int>(r.integer(*w, "pigment.water_percent", 0, 100));
    // Optional: the pigment's undertone; neutral when absent.
    if (const Json* t = r.get(*p, "pigment", "tone", false)) d.pigment.tone = r.choice<PigmentTone>(*t, "pigment.tone");
  }
  if (const Json* n = r.get(doc, "", "notes"); n && r.ok()) {
    if (!n->is_array()) r.fail("notes", "an array of texts", io::describe_json(*n));
    for (std::size_t i = 0; r.ok() && i < n->size(); ++i) d.notes.push_back(r.text((*n)[i], index_path("notes", i)));
  }
  // Optional: the assessment of the intake the design was made from.
  if (const Json* ia = r.get(doc, "", "intake_assessment", false); ia && r.ok() &&
      r.object(ia, "intake_assessment", {"candidacy", "blocking_rules"})) {
    Design::IntakeAssessment a;
    if (const Json* c = r.get(*ia, "intake_assessment", "candidacy"))
      a.candidacy = r.choice<assess::Candidacy>(*c, "intake_assessment.candidacy");
    if (const Json* b = r.get(*ia, "intake_assessment", "blocking_rules"); b && r.ok()) {
      if (!b->is_array()) r.fail("intake_assessment.blocking_rules", "an array of rule ids", io::describe_json(*b));
      for (std::size_t i = 0; r.ok() && i < b->size(); ++i)
        a.blocking_rules.push_back(r.choice<assess::RuleId>((*b)[i], index_path("intake_assessment.blocking_rules", i)));
    }
    d.intake_assessment = a;
  }
  if (!r.ok()) return std::unexpected(r.error());
  return d;
}

Result<Design> read_design(std::string_view text, std::string_view file, const io::ReadOptions& options) {
  auto doc = io::parse_json_document(text, file);
  if (!doc) return std::unexpected(doc.error());
  return design_from_json(*doc, file, options);
}

}  // namespace stipple::design
