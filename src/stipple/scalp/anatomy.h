// stipple/scalp/anatomy.h: landmarks, the hair-bearing scalp and its zones.
//
// Landmarks are placed on the fitted head by surface distances from glabella
// and by heights above the ear-canal line (docs/head-model.md lists each rule
// and its source). The hair-bearing scalp is the part of the surface above a
// closed boundary, the juvenile hairline at the front and the fringe over the
// ears and at the nape; in the head chart it is star-shaped around the top, so
// the boundary is a smooth periodic function theta_b(phi). Zones (contract
// names) partition it: every point of the scalp belongs to exactly one zone,
// so zone areas add up to the scalp area.
#pragma once

#include <array>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "stipple/core/enum_names.h"
#include "stipple/scalp/head.h"

namespace stipple::scalp {

enum class Zone {
  hairline, temple_left, temple_right, front, mid_scalp, crown,
  parietal_left, parietal_right, occipital, nape
};

struct Landmarks {
  Vec3 glabella, nasion;
  Vec3 trichion_juvenile, trichion_mature;  // hairline midpoints
  Vec3 frontotemporal_left, frontotemporal_right;
  Vec3 temple_peak_left, temple_peak_right;
  Vec3 vertex;        // highest point of the head
  Vec3 crown_whorl;   // centre of the crown
  Vec3 inion;
  Vec3 ear_canal_left, ear_canal_right;
  Vec3 fringe_above_ear_left, fringe_above_ear_right;
  Vec3 nape;          // midpoint of the nape hairline
};

// Anatomical positions that are modelling defaults (docs/head-model.md).
struct AnatomyParams {
  double forehead_height_mm = 60;      // glabella up to the juvenile hairline, on the surface (a third of the face)
  double mature_rise_mm = 15;          // mature hairline above the juvenile one (brief, section 4)
  double nasion_drop_mm = 12;          // glabella down to nasion, on the surface
  double crown_offset_mm = 30;         // vertex back to the crown whorl, on the surface
  double frontotemporal_azimuth_deg = 38;
  double fringe_above_ear_mm = 42;     // hair boundary above the ear canal
  double sideburn_low_mm = -5;         // lowest point of the boundary in front of the ear (tragus level)
  double behind_ear_mm = 0;            // boundary behind the ear, over the mastoid
  double nape_height_mm = -60;         // nape hairline, relative to the ear-canal line
  double hairline_band_mm = 15;        // width of the hairline zone behind the juvenile hairline
  double crown_radius_mm = 40;         // the crown zone around the whorl
  double frontotemporal_drop_mm = 6;   // frontotemporal angle below the trichion's height
  double temple_peak_drop_mm = 34;     // temple peak below the trichion's height
  double nape_corner_rise_mm = 8;      // corners of the nape hairline above its midpoint
  double temple_back_mm = 10;          // temples end this far in front of the ear canal
  double occipital_top_mm = 30;        // occipital zone's top, above the inion
  double nape_top_mm = 35;             // nape zone's top, below the inion
};

// Every AnatomyParams field by name (the design file's `anatomy` object).
struct AnatomyField {
  std::string_view name;
  double AnatomyParams::*member;
  bool length;  // a length in mm (scales with the head); otherwise an angle
};
std::span<const AnatomyField> anatomy_fields();

// Defaults for an average head of `sex`, every length scaled by the ratio of
// `circumference_mm` to that sex's default circumference (a bigger head has a
// proportionally taller forehead, lower nape, wider crown).
AnatomyParams default_anatomy(HeadSex sex, double circumference_mm);

class Anatomy {
 public:
  Anatomy(const Head& head, const AnatomyParams& params);

  const Head& head() const { return head_; }
  const AnatomyParams& params() const { return p_; }
  const Landmarks& landmarks() const { return lm_; }

  // Polar angle of the hair boundary at azimuth phi (periodic cubic spline).
  double boundary_theta(double phi) const;
  bool hair_bearing(double theta, double phi) const { return theta < boundary_theta(phi); }
  // The zone of a hair-bearing point.
  Zone zone_of(double theta, double phi) const;

 private:
  Head head_;
  AnatomyParams p_;
  Landmarks lm_;
  std::vector<double> knot_phi_, knot_theta_;  // spline knots, phi ascending in [-pi, pi)
  // Precomputed positions used by zone_of.
  double phi_frontotemporal_ = 0, x_parietal_ = 0, z_temple_back_ = 0, y_occipital_top_ = 0,
         y_nape_top_ = 0, z_front_back_ = 0, z_crown_front_ = 0;
};

// Area integration over the surface in (theta, phi) with the midpoint rule on
// n_theta x n_phi cells over theta in [0, theta_max]. `weight(theta, phi)` is
// the fraction of each cell's area to count (1 for inside, 0 outside).
struct SurfaceIntegrator {
  int n_theta = 720, n_phi = 1440;
  double theta_max = kPi;
  double integrate(const Head& head, const std::function<double(double, double)>& weight) const;
};

// Calls visit(theta, phi, area_mm2) for every cell of the hair-bearing scalp
// on the integrator's grid; cells cut by the boundary count their inside part,
// located at its middle.
void for_each_scalp_cell(const Anatomy& a, const SurfaceIntegrator& grid,
                         const std::function<void(double, double, double)>& visit);

// Hair-bearing area in cm^2, exact to the boundary (fractional boundary cells).
double scalp_area_cm2(const Anatomy& a, const SurfaceIntegrator& grid = {});
// Area of each zone in cm^2, indexed by Zone.
std::array<double, 10> zone_areas_cm2(const Anatomy& a, const SurfaceIntegrator& grid = {});

}  // namespace stipple::scalp

namespace stipple {
template <>
inline constexpr auto enum_names<scalp::Zone> = std::array<std::string_view, 10>{
    "hairline", "temple_left", "temple_right", "front", "mid_scalp",
    "crown", "parietal_left", "parietal_right", "occipital", "nape"};
}
