#include "stipple/design/design.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

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
  return p;
}

Hairline hairline_for(const scalp::Anatomy& anatomy, Sex sex, HairlineStyle style) {
  // How far the line sits above the juvenile hairline (along the surface), at
  // the midline and at the frontotemporal angles: adult men at the mature
  // position (brief, section 4: about 1.5 cm above the juvenile line) with a
  // slight temple recession; the mature style higher still and receded at the
  // temples; women on the juvenile line, rounded, no recession.
  double rise_mid = 15, rise_temple = 22;
  if (style == HairlineStyle::mature) rise_mid = 22, rise_temple = 36;
  if (sex == Sex::female) rise_mid = style == HairlineStyle::mature ? 6 : 0, rise_temple = rise_mid;
  const double s = anatomy.head().measurements().circumference_mm / 570.0;
  rise_mid *= s;
  rise_temple *= s;
  const double ft = deg(anatomy.params().frontotemporal_azimuth_deg);
  const double end = deg(62);  // the temple peak, where the line meets the side hair
  Hairline h;
  h.style = style;
  switch (style) {
    case HairlineStyle::natural: h.transition_mm = 8, h.irregularity_mm = 1.5; break;
    case HairlineStyle::soft: h.transition_mm = 12, h.irregularity_mm = 1.0; break;
    case HairlineStyle::defined: h.transition_mm = 3, h.irregularity_mm = 0.3; break;
    case HairlineStyle::mature: h.transition_mm = 8, h.irregularity_mm = 1.5; break;
  }
  const auto smooth = [](double t) {
    t = std::clamp(t, 0.0, 1.0);
    return t * t * (3 - 2 * t);
  };
  for (double d : {-62.0, -54.0, -46.0, -38.0, -30.0, -20.0, -10.0, 0.0, 10.0, 20.0, 30.0, 38.0, 46.0, 54.0, 62.0}) {
    const double phi = deg(d), a = std::abs(phi);
    const double rise = a <= ft ? rise_mid + (rise_temple - rise_mid) * smooth(a / ft)
                                : rise_temple * (1 - smooth((a - ft) / (end - ft)));
    const double theta = anatomy.head().walk_meridian(phi, anatomy.boundary_theta(phi), -rise);
    const Vec3 p = anatomy.head().point(theta, phi);
    h.control_points.push_back({std::round(p.x * 100) / 100, std::round(p.y * 100) / 100, std::round(p.z * 100) / 100});
  }
  return h;
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
  if (in.goals.look && *in.goals.look != assess::Look::undecided)
    o.look = static_cast<Look>(static_cast<int>(*in.goals.look));
  o.progressing = in.hair_loss.progressing.value_or(false);
  using assess::LossPattern;
  o.total_loss = in.hair_loss.pattern == LossPattern::total || in.hair_loss.pattern == LossPattern::universal;
  if (in.hair_loss.pattern == LossPattern::patchy)
    o.notes.push_back("patchy loss was reported: draw each patch as a region in hair_loss.regions");
  o.scars = in.scalp.scars;
  o.hair_color = in.client.hair_color;
  o.fitzpatrick = in.client.fitzpatrick;
  return o;
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
  for (scalp::Scar& s : d.hair_loss.scars)
    for (Vec3& p : s.path) p = {std::round(p.x * 100) / 100, std::round(p.y * 100) / 100, std::round(p.z * 100) / 100};
  for (scalp::LossRegion& r : d.hair_loss.regions)
    for (Vec3& p : r.outline) p = {std::round(p.x * 100) / 100, std::round(p.y * 100) / 100, std::round(p.z * 100) / 100};

  // The look: as asked; otherwise scar camouflage for scars alone, density for
  // women and diffuse thinning (REC-DIFFUSE-F), the shaved look for men.
  if (o.look) {
    d.look = *o.look;
  } else if (!o.norwood && !o.ludwig && !o.total_loss && !d.hair_loss.scars.empty()) {
    d.look = Look::scar_camouflage;
  } else {
    d.look = o.ludwig || o.sex == Sex::female ? Look::density : Look::shaved;
  }
  // The hairline: a conservative, mature one under 25 or while the loss is
  // still progressing (CI-PROGRESSING).
  const HairlineStyle style =
      o.hairline.value_or(o.age < 25 || o.progressing ? HairlineStyle::mature : HairlineStyle::natural);
  d.hairline = hairline_for(anatomy, o.sex, style);
  d.target_per_cm2 = default_targets();
  // Sessions: three, for scars too (brief section 11: scar tissue, 3 sessions
  // by default, a 4th common; the plan says so and books it when needed).
  d.sessions = 3;
  // Follicular-unit grouping only where dots imitate a crop of hair (shaved
  // and density looks); scar camouflage keeps single dots.
  d.follicular_units = d.look == Look::scar_camouflage ? 0.0 : o.follicular_units;
  d.pigment = pigment_for(o.hair_color, o.fitzpatrick);

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
