#include "stipple/scalp/anatomy.h"

#include "stipple/scalp/spline.h"

#include <algorithm>
#include <cmath>

namespace stipple::scalp {

namespace {

constexpr double deg(double d) { return d * kPi / 180.0; }

// |dp/dtheta| x |dp/dphi| of the ellipsoid parametrization, in mm^2 per rad^2.
double area_density(const Ellipsoid& e, double theta, double phi) {
  const double st = std::sin(theta), ct = std::cos(theta), sp = std::sin(phi), cp = std::cos(phi);
  const Vec3 dt{e.ax * ct * sp, -e.ay_at(theta) * st, e.az * ct * cp};
  const Vec3 dp{e.ax * st * cp, 0.0, -e.az * st * sp};
  return length(cross(dt, dp));
}

double wrap_pi(double a) {
  a = std::fmod(a + kPi, 2 * kPi);
  if (a < 0) a += 2 * kPi;
  return a - kPi;
}

}  // namespace

std::span<const AnatomyField> anatomy_fields() {
#define STIPPLE_FIELD(name, length) AnatomyField{#name, &AnatomyParams::name, length}
  static constexpr AnatomyField kFields[] = {
      STIPPLE_FIELD(forehead_height_mm, true),      STIPPLE_FIELD(mature_rise_mm, true),
      STIPPLE_FIELD(nasion_drop_mm, true),          STIPPLE_FIELD(crown_offset_mm, true),
      STIPPLE_FIELD(frontotemporal_azimuth_deg, false), STIPPLE_FIELD(fringe_above_ear_mm, true),
      STIPPLE_FIELD(sideburn_low_mm, true),         STIPPLE_FIELD(behind_ear_mm, true),
      STIPPLE_FIELD(nape_height_mm, true),          STIPPLE_FIELD(hairline_band_mm, true),
      STIPPLE_FIELD(crown_radius_mm, true),         STIPPLE_FIELD(frontotemporal_drop_mm, true),
      STIPPLE_FIELD(temple_peak_drop_mm, true),     STIPPLE_FIELD(nape_corner_rise_mm, true),
      STIPPLE_FIELD(temple_back_mm, true),          STIPPLE_FIELD(occipital_top_mm, true),
      STIPPLE_FIELD(nape_top_mm, true),
  };
#undef STIPPLE_FIELD
  return kFields;
}

AnatomyParams default_anatomy(HeadSex sex, double circumference_mm) {
  AnatomyParams p;
  if (sex == HeadSex::female) {
    p.forehead_height_mm = 52;
    p.frontotemporal_azimuth_deg = 40;
  }
  const double s = circumference_mm / default_measurements(sex).circumference_mm;
  for (const AnatomyField& f : anatomy_fields())
    if (f.length) p.*f.member *= s;
  return p;
}

Anatomy::Anatomy(const Head& head, const AnatomyParams& params) : head_(head), p_(params) {
  const Ellipsoid& e = head_.vault();
  const double glabella_theta = kPi / 2;
  const double trichion_theta = head_.walk_meridian(0.0, glabella_theta, -p_.forehead_height_mm);
  const double trichion_y = head_.point(trichion_theta, 0).y;

  // Boundary knots: (azimuth, polar angle) on the right side, mirrored left.
  struct Knot {
    double phi, theta;
  };
  const double ft_phi = deg(p_.frontotemporal_azimuth_deg);
  const double ft_theta = head_.theta_at_height(trichion_y - p_.frontotemporal_drop_mm);
  const std::vector<Knot> right = {
      {0.0, trichion_theta},
      {ft_phi, ft_theta},
      {deg(62), head_.theta_at_height(trichion_y - p_.temple_peak_drop_mm)},  // temple peak
      {deg(80), head_.theta_at_height(p_.sideburn_low_mm)},
      {deg(100), head_.theta_at_height(p_.fringe_above_ear_mm)},
      {deg(125), head_.theta_at_height(p_.behind_ear_mm)},
      {deg(155), head_.theta_at_height(p_.nape_height_mm + p_.nape_corner_rise_mm)},
  };
  std::vector<Knot> all;
  for (auto it = right.rbegin(); it != right.rend(); ++it)
    if (it->phi > 0) all.push_back({-it->phi, it->theta});
  all.insert(all.end(), right.begin(), right.end());
  const double nape_theta = head_.theta_at_height(p_.nape_height_mm);
  all.insert(all.begin(), Knot{-kPi, nape_theta});  // phi = pi and -pi are the same point
  for (const Knot& k : all) {
    knot_phi_.push_back(k.phi);
    knot_theta_.push_back(k.theta);
  }

  const auto on = [&](double theta, double phi) { return head_.point(theta, phi); };
  Landmarks& l = lm_;
  l.glabella = on(glabella_theta, 0);
  l.nasion = on(head_.walk_meridian(0.0, glabella_theta, p_.nasion_drop_mm), 0);
  l.trichion_juvenile = on(trichion_theta, 0);
  l.trichion_mature = on(head_.walk_meridian(0.0, trichion_theta, -p_.mature_rise_mm), 0);
  l.frontotemporal_right = on(boundary_theta(ft_phi), ft_phi);
  l.frontotemporal_left = on(boundary_theta(-ft_phi), -ft_phi);
  l.temple_peak_right = on(boundary_theta(deg(62)), deg(62));
  l.temple_peak_left = on(boundary_theta(-deg(62)), -deg(62));
  l.vertex = on(0, 0);
  l.crown_whorl = on(head_.walk_meridian(kPi, 0.0, p_.crown_offset_mm), kPi);
  l.inion = on(head_.theta_at_height(head_.measurements().inion_height_mm), kPi);
  const double side =
      std::sqrt(std::max(0.0, 1.0 - std::pow(e.center.y / e.ay_at(kPi), 2) - std::pow(e.center.z / e.az, 2)));
  l.ear_canal_right = {e.center.x + e.ax * side, 0.0, 0.0};
  l.ear_canal_left = {e.center.x - e.ax * side, 0.0, 0.0};
  l.fringe_above_ear_right = on(boundary_theta(deg(100)), deg(100));
  l.fringe_above_ear_left = on(boundary_theta(-deg(100)), -deg(100));
  l.nape = on(nape_theta, kPi);

  // Zone limits (docs/head-model.md, "Zones").
  phi_frontotemporal_ = ft_phi;
  x_parietal_ = 0.62 * e.ax;
  z_temple_back_ = l.ear_canal_right.z + p_.temple_back_mm;
  y_occipital_top_ = head_.measurements().inion_height_mm + p_.occipital_top_mm;
  y_nape_top_ = head_.measurements().inion_height_mm - p_.nape_top_mm;
  z_front_back_ = 0.5 * (l.trichion_mature.z + l.vertex.z);
  z_crown_front_ = l.crown_whorl.z;
}

double Anatomy::boundary_theta(double phi) const {
  return monotone_cubic(knot_phi_, knot_theta_, wrap_pi(phi), 2 * kPi);
}

Zone Anatomy::zone_of(double theta, double phi) const {
  phi = wrap_pi(phi);
  const Vec3 p = head_.point(theta, phi);
  const Ellipsoid& e = head_.vault();
  const double abs_phi = std::abs(phi);
  const bool right = phi > 0;
  // Hairline: a band behind the juvenile hairline between the frontotemporal angles.
  if (abs_phi <= phi_frontotemporal_) {
    const double tb = boundary_theta(phi);
    const double speed =
        std::hypot(e.ay_at(tb) * std::sin(tb), std::hypot(e.ax * std::sin(phi), e.az * std::cos(phi)) * std::cos(tb));
    if (tb - theta < p_.hairline_band_mm / speed) return Zone::hairline;
  }
  // Temples: the lateral front, in front of the ear and below the frontotemporal angle.
  if (abs_phi > phi_frontotemporal_ && p.z > z_temple_back_ && p.y < lm_.frontotemporal_right.y)
    return right ? Zone::temple_right : Zone::temple_left;
  if (distance(p, lm_.crown_whorl) < p_.crown_radius_mm) return Zone::crown;
  if (p.z < z_crown_front_ && p.y < y_nape_top_) return Zone::nape;
  if (p.z < z_crown_front_ && p.y < y_occipital_top_ && std::abs(p.x - e.center.x) < x_parietal_) return Zone::occipital;
  if (std::abs(p.x - e.center.x) > x_parietal_) return right ? Zone::parietal_right : Zone::parietal_left;
  if (p.z > z_front_back_) return Zone::front;
  return p.z < z_crown_front_ ? Zone::occipital : Zone::mid_scalp;
}

double SurfaceIntegrator::integrate(const Head& head, const std::function<double(double, double)>& weight) const {
  const Ellipsoid& e = head.vault();
  const double dt = theta_max / n_theta, dp = 2 * kPi / n_phi;
  double sum = 0;
  for (int j = 0; j < n_phi; ++j) {
    const double phi = -kPi + (j + 0.5) * dp;
    for (int i = 0; i < n_theta; ++i) {
      const double theta = (i + 0.5) * dt;
      const double w = weight(theta, phi);
      if (w != 0) sum += w * area_density(e, theta, phi);
    }
  }
  return sum * dt * dp;
}

// Integrates over the hair-bearing scalp column by column, counting the boundary
// cell by the fraction inside and classifying it by the middle of that part.
void for_each_scalp_cell(const Anatomy& a, const SurfaceIntegrator& g,
                         const std::function<void(double, double, double)>& visit) {
  const Ellipsoid& e = a.head().vault();
  const double dt = g.theta_max / g.n_theta, dp = 2 * kPi / g.n_phi;
  for (int j = 0; j < g.n_phi; ++j) {
    const double phi = -kPi + (j + 0.5) * dp;
    const double tb = a.boundary_theta(phi);
    for (int i = 0; i < g.n_theta; ++i) {
      const double lo = i * dt, hi = std::min(lo + dt, tb);
      if (hi <= lo) break;
      const double mid = 0.5 * (lo + hi);
      visit(mid, phi, area_density(e, mid, phi) * (hi - lo) * dp);
    }
  }
}

namespace {
constexpr double kMm2PerCm2 = 100.0;
}  // namespace

double scalp_area_cm2(const Anatomy& a, const SurfaceIntegrator& g) {
  double sum = 0;
  for_each_scalp_cell(a, g, [&](double, double, double area) { sum += area; });
  return sum / kMm2PerCm2;
}

std::array<double, 10> zone_areas_cm2(const Anatomy& a, const SurfaceIntegrator& g) {
  std::array<double, 10> out{};
  for_each_scalp_cell(a, g, [&](double theta, double phi, double area) {
    out[static_cast<std::size_t>(a.zone_of(theta, phi))] += area / kMm2PerCm2;
  });
  return out;
}

}  // namespace stipple::scalp
