// stipple/scalp/head.h: a client's head in real millimetres.
//
// The skull vault is modelled as an ellipsoid fitted to tape measurements, in
// the contract's head frame (origin midway between the ear canals, +x toward
// the right ear, +y up, +z toward the face). Points on the surface are addressed
// by an azimuthal chart around the top of the head: a chart point (u, v) has
// polar angle theta = |(u, v)| from the ellipsoid's +y axis and azimuth
// phi = atan2(u, v) (phi = 0 toward the face, +pi/2 toward the right ear), so the
// chart is the natural top view and regular at the vertex. docs/head-model.md
// gives the measurements, defaults and their sources.
#pragma once

#include <optional>

#include <array>
#include <vector>

#include "stipple/core/error.h"
#include "stipple/core/geometry.h"

namespace stipple::scalp {

// What a practitioner measures with a tape, plus two positions of the ear canal.
struct HeadMeasurements {
  double circumference_mm = 0;      // horizontal, through glabella and opisthocranion
  double length_mm = 0;             // glabella to opisthocranion; with breadth, the aspect
  double breadth_mm = 0;            // maximum breadth above the ears
  double vertex_height_mm = 0;      // ear-canal line up to the top of the head
  double glabella_height_mm = 0;    // ear-canal line up to glabella
  double ear_canal_depth_mm = 0;    // ear-canal line forward to glabella, horizontally
  double lower_vault_mm = 0;        // semi-axis of the vault below the equator (occiput to nape)
  double inion_height_mm = 0;       // inion above the ear-canal line
  // Tape arcs over the top. When given (> 0), the fit matches them exactly by
  // adjusting the vertex height and, when both are given, the length/breadth
  // proportion (keeping the circumference); 0 means not measured.
  double sagittal_arc_mm = 0;       // glabella over the vertex to the inion, along the midline
  double coronal_arc_mm = 0;        // ear canal over the vertex to ear canal
};

enum class HeadSex { male, female };

// Adult defaults by sex (docs/head-model.md cites each).
HeadMeasurements default_measurements(HeadSex sex);

// The same defaults scaled to another circumference: every length scales with it.
HeadMeasurements scaled_to_circumference(const HeadMeasurements& m, double circumference_mm);

// The vault: two half-ellipsoids sharing the horizontal equator through
// glabella, with semi-axes ax (half breadth), az (half length), ay above the
// equator and ay_below under it (the occiput reaches further down than the top
// rises). Both halves meet with a vertical tangent, so the surface is smooth.
struct Ellipsoid {
  Vec3 center;
  double ax = 0, ay = 0, az = 0;
  double ay_below = 0;  // 0 means the same as ay (a plain ellipsoid)
  double ay_at(double theta) const { return theta > kPi / 2 && ay_below > 0 ? ay_below : ay; }
};

// Nearest hit of the ray o + t k (t > 0) with the vault, or nothing.
std::optional<Vec3> hit_vault(const Ellipsoid& e, Vec3 o, Vec3 k);

class Head {
 public:
  // Fits the vault to `m`. Errors name the measurement ("head.circumference_mm")
  // when the values cannot describe an adult-sized head.
  static Result<Head> fit(const HeadMeasurements& m);
  // A head with an explicit ellipsoid (for tests against analytic shapes).
  static Head from_ellipsoid(const Ellipsoid& e);
  // The vault of `m` as given, without checks or arc fitting (fit's inner step).
  static Head build(const HeadMeasurements& m);

  const HeadMeasurements& measurements() const { return m_; }
  const Ellipsoid& vault() const { return e_; }

  // The surface point at polar angle theta (from +y) and azimuth phi.
  Vec3 point(double theta, double phi) const;
  // The surface point of chart coordinates (u, v), radians.
  Vec3 chart_point(Vec2 uv) const;
  // The chart coordinates of the surface point nearest along the ray from the
  // centre through `p`.
  Vec2 chart_of(Vec3 p) const;
  // Outward unit normal at chart point uv.
  Vec3 normal(Vec2 uv) const;
  // Surface area per unit chart area at uv (mm^2 per rad^2).
  double area_element(Vec2 uv) const;

  // Polar angle of the surface point on the meridian `phi` that lies `arc_mm`
  // along the surface from the point at polar angle `theta0` (positive = away
  // from the top). Used to place landmarks by surface distances.
  double walk_meridian(double phi, double theta0, double arc_mm) const;
  // Surface length of the meridian phi between polar angles t0 and t1.
  double meridian_arc(double phi, double t0, double t1) const;
  // Polar angle at which the back of the head (phi = pi) reaches height y.
  double theta_at_height(double y) const;

  // The tape arcs of this head (see HeadMeasurements), whether measured or not.
  double sagittal_arc_mm() const;
  double coronal_arc_mm() const;

 private:
  HeadMeasurements m_;
  Ellipsoid e_;
};

// Ramanujan's second approximation of an ellipse's perimeter (relative error
// below 1e-9 for the aspect ratios of heads).
double ellipse_perimeter(double a, double b);

}  // namespace stipple::scalp
