#include "stipple/design/design.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "stipple/assess/gate.h"
#include "stipple/design/measure.h"
#include "stipple/scalp/spline.h"

namespace stipple::design {

using assess::HairColor;
using assess::ScarKind;
using assess::Sex;
using scalp::Zone;

namespace {

constexpr double deg(double d) { return d * kPi / 180.0; }

// FUT strips and FUE punches when the intake gives no size: modelling
// defaults (docs/design.md, "Scars").
constexpr double kFutLengthMm = 200, kFutWidthMm = 2;
constexpr int kFuePunches = 1500;
constexpr double kFuePunchMm = 0.9;

// The blend around a scar (brief section 11, "Scars": "default blend 10 mm each
// side, wider for wider scars"): 10 mm, or twice the scar's width beyond it.
constexpr double kScarBlendMinMm = 10, kScarBlendPerWidth = 2;

// Alopecia areata patches: a starting size when the intake gives none, a
// coin-sized patch (NHS, "Alopecia areata": patches "about the size of a large
// coin"); their edge feathered over 6 mm (modelling default).
constexpr double kPatchDiameterMm = 30, kPatchFeatherMm = 6;

}  // namespace

scalp::HeadMeasurements default_head(Sex sex, bool ludwig) {
  // The brief's figures are for men and women; "other" takes the table of the
  // classification given (Ludwig: the female head), else the male one.
  const bool female = sex == Sex::female || (sex == Sex::other && ludwig);
  return scalp::default_measurements(female ? scalp::HeadSex::female : scalp::HeadSex::male);
}

scalp::HeadSex head_sex(const Design& d) {
  const bool female = d.sex == Sex::female || (d.sex == Sex::other && d.ludwig);
  return female ? scalp::HeadSex::female : scalp::HeadSex::male;
}

Result<scalp::Anatomy> build_anatomy(const Design& d) {
  auto head = scalp::Head::fit(d.head);
  if (!head) return std::unexpected(head.error());
  return scalp::Anatomy(*head, d.anatomy);
}

ZoneValues default_targets() {
  // Follicular units per cm^2, the brief (section 3): 65-85 on average, 80-120
  // at the back (occipital), 40-80 at the temples; the midpoint of each range.
  ZoneValues t{};
  t.fill(75);
  t[static_cast<std::size_t>(Zone::occipital)] = 100;
  t[static_cast<std::size_t>(Zone::nape)] = 100;
  t[static_cast<std::size_t>(Zone::temple_left)] = 60;
  t[static_cast<std::size_t>(Zone::temple_right)] = 60;
  return t;
}

std::array<double, 3> hair_srgb(std::optional<HairColor> hair) {
  switch (hair.value_or(HairColor::dark_brown)) {
    case HairColor::black: return {0.12, 0.11, 0.11};
    case HairColor::dark_brown: return {0.25, 0.18, 0.14};
    case HairColor::brown: return {0.38, 0.26, 0.18};
    case HairColor::light_brown: return {0.52, 0.38, 0.26};
    case HairColor::blonde: return {0.72, 0.60, 0.40};
    case HairColor::red: return {0.58, 0.26, 0.14};
    case HairColor::grey: return {0.55, 0.55, 0.55};
    case HairColor::white: return {0.80, 0.80, 0.80};
  }
  return {0.25, 0.18, 0.14};
}

double scar_blend_mm(double width_mm) { return std::max(kScarBlendMinMm, kScarBlendPerWidth * width_mm); }

PigmentTone default_tone(std::optional<int> fitzpatrick) {
  return fitzpatrick && *fitzpatrick >= 5 ? PigmentTone::warm : PigmentTone::neutral;
}

Pigment pigment_for(std::optional<HairColor> hair, std::optional<int> fitzpatrick) {
  // The brief (section 2): the shade matches hair colour and complexion, and
  // lighter skin needs more dilution. Strength by hair colour, then shifted by
  // skin type; both tables are modelling defaults (docs/design.md, "Pigment").
  double shade = 0.7;  // dark brown to brown hair when the colour is not reported
  if (hair) {
    switch (*hair) {
      case HairColor::black: shade = 0.85; break;
      case HairColor::dark_brown: shade = 0.75; break;
      case HairColor::brown: shade = 0.65; break;
      case HairColor::light_brown: shade = 0.55; break;
      case HairColor::red: shade = 0.5; break;
      case HairColor::blonde: shade = 0.45; break;
      case HairColor::grey: shade = 0.45; break;
      case HairColor::white: shade = 0.35; break;
    }
  }
  if (fitzpatrick) {
    static constexpr double kSkinShift[6] = {-0.10, -0.05, 0.0, 0.05, 0.10, 0.12};
    shade += kSkinShift[std::clamp(*fitzpatrick, 1, 6) - 1];
  }
  Pigment p;
  p.hair_color = hair;
  p.fitzpatrick = fitzpatrick;
  p.shade = std::round(std::clamp(shade, 0.25, 0.95) * 100) / 100;
  p.water_percent = static_cast<int>(std::lround((1 - p.shade) * 100));
  p.tone = default_tone(fitzpatrick);
  return p;
}

namespace {

// The brief's hairline figures (section 11, "Hairline"): a mature hairline
// 1.5-2 cm above the juvenile one; an irregular transition zone 0.5-1 cm deep.
constexpr double kMatureRiseMinMm = 15, kMatureRiseMaxMm = 20;
constexpr double kTransitionMinMm = 5, kTransitionMaxMm = 10;
// Women keep the juvenile line; their conservative line sits this much above
// it (modelling default, docs/design.md).
constexpr double kFemaleConservativeRiseMm = 6;
// The temporal points recede above the midline's rise by 6 mm for a young
// adult, up to 12 mm with age or advanced loss and for a conservative line
// (modelling defaults in the spirit of "older clients get higher lines").
constexpr double kTempleRecessionMinMm = 6, kTempleRecessionMaxMm = 12;
// Where the designed line meets the side hair: the temple peaks (head-model.md).
constexpr double kTemplePeakDeg = 62;
// Lengths above are for the average man's head; they scale with the head.
constexpr double kReferenceCircumferenceMm = 570;

// 0 at 25 years, 1 from 60: how far age moves a line toward the mature end.
double age_factor(int age) { return std::clamp((age - 25) / 35.0, 0.0, 1.0); }

// 0 for Norwood I-III, 1/3 for IV, 2/3 for V, 1 for VI-VII: advanced loss
// leaves less of a frame, so the line goes higher and recedes more.
double stage_factor(std::optional<assess::Norwood> n) {
  using assess::Norwood;
  if (!n) return 0;
  switch (*n) {
    case Norwood::IV: case Norwood::IVa: return 1.0 / 3;
    case Norwood::V: case Norwood::Va: return 2.0 / 3;
    case Norwood::VI: case Norwood::VII: return 1;
    default: return 0;
  }
}

double smooth01(double t) {
  t = std::clamp(t, 0.0, 1.0);
  return t * t * (3 - 2 * t);
}

double round2(double v) { return std::round(v * 100) / 100; }
Vec3 round2(Vec3 p) { return {round2(p.x), round2(p.y), round2(p.z)}; }

}  // namespace

double mature_rise_mm(const HairlineClient& c) {
  if (c.sex == Sex::female) return c.conservative ? kFemaleConservativeRiseMm : 0;
  if (c.conservative) return kMatureRiseMaxMm;
  const double f = std::max(age_factor(c.age), stage_factor(c.norwood));
  return kMatureRiseMinMm + (kMatureRiseMaxMm - kMatureRiseMinMm) * f;
}

double outer_canthus_mm(Sex sex) {
  // Biocular width (ex-ex) of young adults: about 91 mm in men, 88 mm in
  // women (L. G. Farkas, Anthropometry of the Head and Face, 2nd ed., 1994).
  return sex == Sex::female ? 44.0 : 45.5;
}

Hairline hairline_for(const scalp::Anatomy& anatomy, const HairlineClient& c, std::optional<HairlineStyle> asked) {
  const HairlineStyle style = asked.value_or(c.conservative ? HairlineStyle::mature : HairlineStyle::natural);
  const bool conservative = c.conservative || style == HairlineStyle::mature;
  HairlineClient who = c;
  who.conservative = conservative;
  const double f = std::max(age_factor(c.age), stage_factor(c.norwood));
  const scalp::Head& head = anatomy.head();
  const double s = head.measurements().circumference_mm / kReferenceCircumferenceMm;
  const double rise_mid = mature_rise_mm(who) * s;
  double recession = conservative ? kTempleRecessionMaxMm
                                  : kTempleRecessionMinMm + (kTempleRecessionMaxMm - kTempleRecessionMinMm) * f;
  if (c.sex == Sex::female) recession = 0;  // women: rounded, no temple recession
  const double rise_temple = rise_mid + recession * s;

  // The transition zone (brief: 0.5-1 cm deep): deeper (softer) with age and
  // on light skin, shallower (more defined) on Fitzpatrick V-VI.
  double transition = 7.5 + 2.5 * age_factor(c.age);
  if (c.fitzpatrick && *c.fitzpatrick >= 5) transition -= 2.5;
  if (c.fitzpatrick && *c.fitzpatrick <= 2) transition += 1.0;
  Hairline h;
  h.style = style;
  switch (style) {
    case HairlineStyle::soft: transition = kTransitionMaxMm; break;
    case HairlineStyle::defined: transition = kTransitionMinMm; break;
    default: break;
  }
  h.transition_mm = round2(std::clamp(transition, kTransitionMinMm, kTransitionMaxMm));
  h.irregularity_mm = round2(h.transition_mm * (style == HairlineStyle::defined ? 0.1 : 0.2));

  const double end = deg(kTemplePeakDeg);
  const auto point_at = [&](double phi, double rise) {
    return head.point(head.walk_meridian(phi, anatomy.boundary_theta(phi), -rise), phi);
  };
  // The temporal point: where the line at the temples' rise passes over the
  // outer eye corner (x = the canthus's offset from the midline).
  const double canthus_x = outer_canthus_mm(c.sex) * s;
  const double cx = head.vault().center.x;
  double lo = deg(10), hi = deg(kTemplePeakDeg - 4);
  for (int i = 0; i < 50; ++i) {
    const double mid = 0.5 * (lo + hi);
    (point_at(mid, rise_temple).x - cx < canthus_x ? lo : hi) = mid;
  }
  const double phi_t = 0.5 * (lo + hi);
  const auto rise_at = [&](double a) {
    return a <= phi_t ? rise_mid + (rise_temple - rise_mid) * smooth01(a / phi_t)
                      : rise_temple * (1 - smooth01((a - phi_t) / (end - phi_t)));
  };
  std::vector<double> right = {0.0, 0.25 * phi_t, 0.5 * phi_t, 0.75 * phi_t, phi_t, 0.5 * (phi_t + end), end};
  std::vector<double> all;
  for (auto it = right.rbegin(); it != right.rend(); ++it)
    if (*it > 0) all.push_back(-*it);
  all.insert(all.end(), right.begin(), right.end());
  for (double phi : all) h.control_points.push_back(round2(point_at(phi, rise_at(std::abs(phi)))));
  return h;
}

std::optional<scalp::LossRegion> forehead_region(const scalp::Anatomy& anatomy, const Hairline& line) {
  if (!line.designed()) return std::nullopt;
  const scalp::Head& head = anatomy.head();
  const HairlineCurve curve(head, line);
  const Vec2 a = head.chart_of(line.control_points.front()), b = head.chart_of(line.control_points.back());
  const double p0 = std::atan2(a.x, a.y), p1 = std::atan2(b.x, b.y);
  scalp::LossRegion r{"forehead", 0.0, 0.0, {}};
  // Along the line, left to right, densely and a hair's breadth (about 0.3
  // mm) behind it, so the polygon's chords never leave a sliver of hair in
  // front of the curved line; the line's transition starts from bare skin.
  const int n = 360;
  for (int i = 0; i <= n; ++i) {
    const double phi = p0 + (p1 - p0) * i / n;
    const double t = curve.theta_at(phi);
    r.outline.push_back(round2(head.point(i == 0 || i == n ? t : std::max(0.0, t - 0.003), phi)));
  }
  const int m = n / 4;  // the boundary below is smooth: fewer points do
  for (int i = m; i >= 0; --i) {  // back along the face, just below the juvenile hairline
    const double phi = p0 + (p1 - p0) * i / m;
    r.outline.push_back(round2(head.point(std::min(anatomy.boundary_theta(phi) + 0.05, kPi - 0.01), phi)));
  }
  return r;
}

Result<Patch> parse_patch(std::string_view text, std::string_view option) {
  const auto bad = [&] {
    return std::unexpected(InputError{"", std::string(option),
                                      fmt::format("ZONE:CLOCK:DIAMETER_MM with ZONE one of {}, CLOCK 0-12 and "
                                                  "DIAMETER_MM from 5 to 120 (e.g. crown:2:30)",
                                                  enum_choices<Zone>()),
                                      fmt::format("\"{}\"", text)});
  };
  const std::size_t c1 = text.find(':');
  const std::size_t c2 = c1 == std::string_view::npos ? c1 : text.find(':', c1 + 1);
  if (c2 == std::string_view::npos || text.find(':', c2 + 1) != std::string_view::npos) return bad();
  const auto zone = enum_from_string<Zone>(text.substr(0, c1));
  const std::string clock_s(text.substr(c1 + 1, c2 - c1 - 1)), diam_s(text.substr(c2 + 1));
  if (!zone || clock_s.empty() || clock_s.size() > 2 || diam_s.empty() || diam_s.size() > 8) return bad();
  for (char ch : clock_s)
    if (ch < '0' || ch > '9') return bad();
  for (char ch : diam_s)
    if ((ch < '0' || ch > '9') && ch != '.') return bad();
  const int clock = std::stoi(clock_s);
  char* endp = nullptr;
  const double diam = std::strtod(diam_s.c_str(), &endp);
  if (*endp != '\0' || clock > 12 || !(diam >= 5 && diam <= 120)) return bad();
  return Patch{*zone, clock, diam};
}

namespace {

// One surface step of `step_mm` from p toward the tangent part of `dir`.
Vec3 surface_step(const scalp::Head& head, Vec3 p, Vec3 dir, double step_mm) {
  const Vec3 n = head.normal(head.chart_of(p));
  const Vec3 t = dir - n * dot(dir, n);
  const double len = length(t);
  if (len < 1e-9) return p;
  return head.chart_point(head.chart_of(p + t * (step_mm / len)));
}

}  // namespace

Result<scalp::LossRegion> patch_region(const scalp::Anatomy& anatomy, const Patch& patch) {
  const scalp::Head& head = anatomy.head();
  // The zone's middle: its area-weighted centroid, taken to the nearest point
  // of the zone on the surface.
  Vec3 sum{0, 0, 0};
  double area = 0;
  std::vector<Vec3> cells;
  scalp::for_each_scalp_cell(anatomy, {180, 360, kPi}, [&](double theta, double phi, double a) {
    if (anatomy.zone_of(theta, phi) != patch.zone) return;
    const Vec3 p = head.point(theta, phi);
    sum = sum + p * a;
    area += a;
    cells.push_back(p);
  });
  if (cells.empty())
    return std::unexpected(InputError{"", "--patch", "a zone with scalp on this head", std::string(to_string(patch.zone))});
  const Vec3 centroid = sum / area;
  Vec3 centre = cells.front();
  for (const Vec3& p : cells)
    if (distance(p, centroid) < distance(centre, centroid)) centre = p;
  // Seen from above (12 toward the face, 3 toward the right ear), or for the
  // back of the head from behind (12 up).
  const bool from_behind = patch.zone == Zone::occipital || patch.zone == Zone::nape;
  const Vec3 up12 = from_behind ? Vec3{0, 1, 0} : Vec3{0, 0, 1};
  if (patch.clock > 0) {
    const double a = 2 * kPi * (patch.clock % 12) / 12.0;
    const Vec3 dir = from_behind ? Vec3{std::sin(a), std::cos(a), 0} : Vec3{std::sin(a), 0, std::cos(a)};
    std::vector<Vec3> path{centre};
    for (int i = 0; i < 200; ++i) {  // 1 mm steps until the zone ends
      const Vec3 q = surface_step(head, path.back(), dir, 1.0);
      const Vec2 uv = head.chart_of(q);
      const double th = std::hypot(uv.x, uv.y), ph = std::atan2(uv.x, uv.y);
      if (!anatomy.hair_bearing(th, ph) || anatomy.zone_of(th, ph) != patch.zone) break;
      path.push_back(q);
    }
    centre = path[path.size() / 2];
  }
  // A round patch: walk out from the centre along the surface in 64 directions.
  const Vec3 n = head.normal(head.chart_of(centre));
  Vec3 e1 = up12 - n * dot(up12, n);
  if (length(e1) < 1e-6) e1 = Vec3{1, 0, 0} - n * n.x;
  e1 = normalized(e1);
  const Vec3 e2 = cross(n, e1);
  scalp::LossRegion r;
  r.name = fmt::format("patch {}:{}:{:g}", to_string(patch.zone), patch.clock, patch.diameter_mm);
  r.remaining = 0;
  r.feather_mm = kPatchFeatherMm;
  const double radius = 0.5 * patch.diameter_mm;
  const int steps = std::max(1, static_cast<int>(std::ceil(radius)));
  for (int k = 0; k < 64; ++k) {
    const double t = 2 * kPi * k / 64;
    const Vec3 dir = e1 * std::cos(t) + e2 * std::sin(t);
    Vec3 p = centre;
    for (int i = 0; i < steps; ++i) p = surface_step(head, p, dir, radius / steps);
    r.outline.push_back(round2(p));
  }
  return r;
}

HairlineCurve::HairlineCurve(const scalp::Head& head, const Hairline& line) {
  for (const Vec3& p : line.control_points) {
    const Vec2 uv = head.chart_of(p);
    phi_.push_back(std::atan2(uv.x, uv.y));
    theta_.push_back(std::hypot(uv.x, uv.y));
  }
}

double HairlineCurve::theta_at(double phi) const { return scalp::monotone_cubic(phi_, theta_, phi); }

DesignOptions options_from_intake(const assess::Intake& in) {
  DesignOptions o;
  o.client_name = in.client.name;
  o.sex = in.client.sex;
  o.age = in.client.age;
  o.norwood = in.hair_loss.norwood;
  o.ludwig = in.hair_loss.ludwig;
  if (in.goals.look) o.look = enum_from_string<Look>(to_string(*in.goals.look));  // undecided: none
  o.progressing = in.hair_loss.progressing.value_or(false);
  using assess::LossPattern;
  o.total_loss = in.hair_loss.pattern == LossPattern::total || in.hair_loss.pattern == LossPattern::universal;
  // Alopecia areata (or any patchy loss): one coin-sized patch in the middle
  // of each area the intake names, as a starting layout to move and size.
  const bool aa = in.history.alopecia_areata && *in.history.alopecia_areata != assess::AlopeciaAreata::none;
  if (in.hair_loss.pattern == LossPattern::patchy || aa) {
    using assess::LossArea;
    bool placed = false;
    for (LossArea area : in.hair_loss.areas) {
      Zone z = Zone::crown;
      switch (area) {
        case LossArea::hairline: z = Zone::hairline; break;
        case LossArea::temples: z = Zone::temple_right; break;
        case LossArea::front: z = Zone::front; break;
        case LossArea::mid_scalp: z = Zone::mid_scalp; break;
        case LossArea::crown: z = Zone::crown; break;
        case LossArea::sides: z = Zone::parietal_right; break;
        case LossArea::back: z = Zone::occipital; break;
      }
      o.patches.push_back({z, 0, kPatchDiameterMm});
      placed = true;
    }
    if (!placed)
      o.notes.push_back("patchy loss was reported without areas: place each patch with design new --patch ZONE:CLOCK:MM");
    else
      o.notes.push_back(
          "the patches are a starting layout from the intake's areas: move and size each to the client's scalp "
          "(design new --patch ZONE:CLOCK:MM)");
  }
  o.scars = in.scalp.scars;
  o.hair_color = in.client.hair_color;
  o.fitzpatrick = in.client.fitzpatrick;
  return o;
}

Design::IntakeAssessment intake_assessment_of(const assess::Assessment& a) {
  const assess::BookingGate g = assess::booking_gate(a, std::nullopt);
  return {a.candidacy, g.blocking};
}

Result<Design> make_design(const DesignOptions& o) {
  Design d;
  d.client_name = o.client_name;
  d.sex = o.sex;
  d.age = o.age;
  d.seed = o.seed;
  d.norwood = o.norwood;
  d.ludwig = o.ludwig;
  d.head = default_head(o.sex, o.ludwig.has_value());
  if (o.head_circumference_mm) d.head = scalp::scaled_to_circumference(d.head, *o.head_circumference_mm);
  if (o.sagittal_arc_mm) d.head.sagittal_arc_mm = *o.sagittal_arc_mm;
  if (o.coronal_arc_mm) d.head.coronal_arc_mm = *o.coronal_arc_mm;
  d.anatomy = scalp::default_anatomy(head_sex(d), d.head.circumference_mm);
  // A measured middle third of the face places the juvenile hairline one such
  // third above glabella (rule of thirds, Brandy 2000; brief section 11).
  if (o.face_third_mm) d.anatomy.forehead_height_mm = *o.face_third_mm;
  // The file keeps what was measured, as written (0.01 mm), so that reading
  // it back fits exactly the same head.
  for (double* v : {&d.head.circumference_mm, &d.head.length_mm, &d.head.breadth_mm, &d.head.vertex_height_mm,
                    &d.head.glabella_height_mm, &d.head.ear_canal_depth_mm, &d.head.lower_vault_mm,
                    &d.head.inion_height_mm, &d.head.sagittal_arc_mm, &d.head.coronal_arc_mm})
    *v = std::round(*v * 100) / 100;
  for (const scalp::AnatomyField& f : scalp::anatomy_fields())
    d.anatomy.*f.member = std::round(d.anatomy.*f.member * 100) / 100;
  auto head = scalp::Head::fit(d.head);
  if (!head) return std::unexpected(head.error());
  const scalp::Anatomy anatomy(*head, d.anatomy);

  if (o.norwood) d.hair_loss = scalp::norwood_map(anatomy, *o.norwood);
  if (o.ludwig) d.hair_loss = scalp::ludwig_map(anatomy, *o.ludwig);
  if (o.total_loss && !o.norwood && !o.ludwig) d.hair_loss = scalp::total_loss_map(anatomy);
  d.notes.insert(d.notes.end(), o.notes.begin(), o.notes.end());
  for (const assess::Scar& s : o.scars) {
    switch (s.kind) {
      case ScarKind::FUT:
        d.hair_loss.scars.push_back(
            scalp::fut_scar(anatomy, s.length_mm.value_or(kFutLengthMm), s.width_mm.value_or(kFutWidthMm)));
        break;
      case ScarKind::FUE:
        d.hair_loss.scars.push_back(scalp::fue_scars(anatomy, kFuePunches, s.width_mm.value_or(kFuePunchMm), o.seed));
        break;
      default:
        d.notes.push_back(fmt::format(
            "a {} scar{} was reported without a position: add its path to hair_loss.scars to treat it",
            to_string(s.kind),
            s.length_mm ? fmt::format(" ({:g} mm long)", *s.length_mm) : std::string()));
    }
  }
  for (const Patch& p : o.patches) {
    auto region = patch_region(anatomy, p);
    if (!region) return std::unexpected(region.error());
    d.hair_loss.regions.push_back(std::move(*region));
  }
  for (scalp::Scar& s : d.hair_loss.scars)
    for (Vec3& p : s.path) p = round2(p);
  for (scalp::LossRegion& r : d.hair_loss.regions)
    for (Vec3& p : r.outline) p = round2(p);
  // The blend around the scars: from the widest (brief section 11).
  for (const scalp::Scar& s : d.hair_loss.scars) d.scar_margin_mm = std::max(d.scar_margin_mm, scar_blend_mm(s.width_mm));
  d.scar_margin_mm = round2(d.scar_margin_mm);

  // The look: as asked; otherwise scar camouflage for scars alone, density for
  // women and diffuse thinning (REC-DIFFUSE-F), the shaved look for men.
  if (o.look) {
    d.look = *o.look;
  } else if (!o.norwood && !o.ludwig && !o.total_loss && !o.patches.empty()) {
    d.look = Look::patch_camouflage;
  } else if (!o.norwood && !o.ludwig && !o.total_loss && !d.hair_loss.scars.empty()) {
    d.look = Look::scar_camouflage;
  } else {
    d.look = o.ludwig || o.sex == Sex::female ? Look::density : Look::shaved;
  }
  // The hairline, by age, stage, skin and head (docs/design.md): a
  // conservative, mature one under 25 or while the loss is still progressing
  // (CI-PROGRESSING). It is designed when the look rebuilds the front (a
  // Norwood class, a Ludwig grade or total loss, in the shaved or density
  // look) or when a style is asked for; scar and patch camouflage keep the
  // client's own hairline.
  // Norwood I has no recession (brief section 4): its own juvenile line stays, nothing to rebuild.
  const bool rebuilds_front = ((o.norwood && *o.norwood != assess::Norwood::I) || o.ludwig || o.total_loss) &&
                              (d.look == Look::shaved || d.look == Look::density);
  if (rebuilds_front || o.hairline) {
    const HairlineClient who{o.sex, o.age, o.norwood, o.fitzpatrick, o.age < 25 || o.progressing};
    d.hairline = hairline_for(anatomy, who, o.hairline);
    // In front of the line is forehead in the finished look: bare, never hair
    // (a line on the juvenile hairline has no skin of the scalp in front of it).
    if (mature_rise_mm(who) > 0)
      if (auto f = forehead_region(anatomy, d.hairline)) d.hair_loss.regions.push_back(std::move(*f));
  } else {
    d.hairline = Hairline{};
    d.hairline.style = o.hairline.value_or(HairlineStyle::natural);
  }
  d.target_per_cm2 = default_targets();
  // Sessions: three, for scars too (brief section 11: scar tissue, 3 sessions
  // by default, a 4th common; the plan says so and books it when needed).
  d.sessions = 3;
  // Follicular-unit grouping only where dots imitate a crop of hair (shaved
  // and density looks); scar camouflage keeps single dots.
  d.follicular_units = d.look == Look::scar_camouflage ? 0.0 : o.follicular_units;
  d.pigment = pigment_for(o.hair_color, o.fitzpatrick);
  if (o.pigment_tone) d.pigment.tone = *o.pigment_tone;

  // Treated zones: those where the look puts at least 1 cm^2 of dots (a
  // coarser grid than measure's is plenty to tell).
  for (std::size_t z = 0; z < kZoneCount; ++z) d.treated_zones.push_back(static_cast<Zone>(z));
  const Measurement m = measure(d, anatomy, {240, 480});
  d.treated_zones.clear();
  for (const ZoneMeasurement& z : m.zones)
    if (z.treatment_area_cm2 >= 1.0) d.treated_zones.push_back(z.zone);
  return d;
}

}  // namespace stipple::design
