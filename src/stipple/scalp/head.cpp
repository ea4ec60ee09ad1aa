#include "stipple/scalp/head.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace stipple::scalp {

namespace {

// Defaults. Head length and breadth: 50th percentiles of British adults aged
// 19-65 (Pheasant & Haslegrave, Bodyspace, 3rd ed., tables 26-27). Circumference:
// the domain brief, section 3 (male ~57 cm, female ~55 cm). The vertical and
// depth positions are modelling defaults; the vertex height is calibrated so
// that the brief's scalp range (550-800 cm^2) maps onto its circumference range
// (53-62 cm) with area growing as circumference squared (docs/head-model.md).
constexpr HeadMeasurements kMale{570.0, 195.0, 155.0, 140.0, 35.0, 112.0, 128.0, 15.0};
constexpr HeadMeasurements kFemale{550.0, 180.0, 145.0, 135.0, 33.0, 104.0, 122.0, 14.5};

// Plausible adult heads: circumference range of the brief (53-62 cm) widened by
// 10% on each side; other lengths checked against it in proportion.
constexpr double kMinCircumferenceMm = 480.0;
constexpr double kMaxCircumferenceMm = 680.0;

}  // namespace

double ellipse_perimeter(double a, double b) {
  const double h = (a - b) * (a - b) / ((a + b) * (a + b));
  return kPi * (a + b) * (1.0 + 3.0 * h / (10.0 + std::sqrt(4.0 - 3.0 * h)));
}

HeadMeasurements default_measurements(HeadSex sex) { return sex == HeadSex::female ? kFemale : kMale; }

HeadMeasurements scaled_to_circumference(const HeadMeasurements& m, double circumference_mm) {
  const double s = circumference_mm / m.circumference_mm;
  return {circumference_mm,        m.length_mm * s,          m.breadth_mm * s,     m.vertex_height_mm * s,
          m.glabella_height_mm * s, m.ear_canal_depth_mm * s, m.lower_vault_mm * s, m.inion_height_mm * s,
          m.sagittal_arc_mm * s,    m.coronal_arc_mm * s};
}

Head Head::build(const HeadMeasurements& m) {
  // The circumference is the equator of the vault, through glabella: its ellipse
  // has the aspect breadth/length and exactly the measured perimeter.
  const double aspect = m.breadth_mm / m.length_mm;
  const double az = m.circumference_mm / ellipse_perimeter(aspect, 1.0);
  const double cy = m.glabella_height_mm;
  Head h;
  h.m_ = m;
  // Glabella sits at the front of the equator.
  h.e_ = Ellipsoid{{0.0, cy, m.ear_canal_depth_mm - az}, aspect * az, m.vertex_height_mm - cy, az, m.lower_vault_mm};
  return h;
}

namespace {
// Bisection for the x in [lo, hi] where the increasing function f reaches target.
template <class F>
double solve_increasing(F&& f, double lo, double hi, double target) {
  for (int i = 0; i < 60; ++i) {
    const double mid = 0.5 * (lo + hi);
    (f(mid) < target ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

// The measurements with the vertex height that gives the coronal arc `arc`.
HeadMeasurements with_coronal_arc(HeadMeasurements m, double arc) {
  const auto coronal = [&](double vertex) {
    m.vertex_height_mm = vertex;
    return Head::build(m).coronal_arc_mm();
  };
  m.vertex_height_mm = solve_increasing(coronal, 0.15 * m.circumference_mm, 0.32 * m.circumference_mm, arc);
  return m;
}

// Fits the tape arcs, keeping the circumference: the coronal arc fixes the
// vertex height for a given proportion, and a longer, narrower head (smaller
// breadth/length) lengthens the sagittal arc at that coronal arc. Lengths that
// follow the head's length (ear-canal depth) keep their proportion to it.
HeadMeasurements fit_arcs(HeadMeasurements m) {
  const double depth_ratio = m.ear_canal_depth_mm / m.length_mm;
  const auto with_aspect = [&](double aspect) {
    HeadMeasurements t = m;
    const double length = 2.0 * t.circumference_mm / ellipse_perimeter(aspect, 1.0);
    t.length_mm = length;
    t.breadth_mm = aspect * length;
    t.ear_canal_depth_mm = depth_ratio * length;
    return t;
  };
  if (m.sagittal_arc_mm > 0 && m.coronal_arc_mm > 0) {
    const auto sagittal = [&](double narrowness) {  // 1 - aspect: increasing
      return Head::build(with_coronal_arc(with_aspect(1.0 - narrowness), m.coronal_arc_mm)).sagittal_arc_mm();
    };
    m = with_aspect(1.0 - solve_increasing(sagittal, 0.0, 0.4, m.sagittal_arc_mm));
    return with_coronal_arc(m, m.coronal_arc_mm);
  }
  if (m.coronal_arc_mm > 0) return with_coronal_arc(m, m.coronal_arc_mm);
  if (m.sagittal_arc_mm > 0) {
    const auto sagittal = [&](double vertex) {
      HeadMeasurements t = m;
      t.vertex_height_mm = vertex;
      return Head::build(t).sagittal_arc_mm();
    };
    m.vertex_height_mm = solve_increasing(sagittal, 0.15 * m.circumference_mm, 0.32 * m.circumference_mm,
                                          m.sagittal_arc_mm);
  }
  return m;
}
}  // namespace

Result<Head> Head::fit(const HeadMeasurements& measured) {
  const auto bad = [](const char* field, double value, std::string expected) {
    return input_error("", fmt::format("head.{}", field), std::move(expected), fmt::format("{:g}", value));
  };
  if (!(measured.circumference_mm >= kMinCircumferenceMm && measured.circumference_mm <= kMaxCircumferenceMm))
    return bad("circumference_mm", measured.circumference_mm,
               fmt::format("an adult head circumference from {:g} to {:g} mm", kMinCircumferenceMm, kMaxCircumferenceMm));
  const double c = measured.circumference_mm;
  // Arcs over the top of a real head lie between half and three quarters of
  // its circumference.
  for (auto [name, arc] : {std::pair{"sagittal_arc_mm", measured.sagittal_arc_mm},
                           std::pair{"coronal_arc_mm", measured.coronal_arc_mm}})
    if (!(arc == 0 || (arc > 0.5 * c && arc < 0.75 * c)))
      return bad(name, arc, "0 (not measured) or an arc over the top between 50% and 75% of the circumference");
  const HeadMeasurements m = fit_arcs(measured);
  if (!(m.length_mm > 0.25 * c && m.length_mm < 0.45 * c))
    return bad("length_mm", m.length_mm, "a head length between 25% and 45% of the circumference");
  if (!(m.breadth_mm > 0.6 * m.length_mm && m.breadth_mm <= m.length_mm))
    return bad(measured.sagittal_arc_mm > 0 && measured.coronal_arc_mm > 0 ? "sagittal_arc_mm" : "breadth_mm",
               measured.sagittal_arc_mm > 0 && measured.coronal_arc_mm > 0 ? measured.sagittal_arc_mm : m.breadth_mm,
               "a head breadth between 60% and 100% of the head length");
  if (!(m.vertex_height_mm > 0.15 * c + 1e-6 && m.vertex_height_mm < 0.32 * c - 1e-6)) {
    if (measured.coronal_arc_mm > 0)
      return bad("coronal_arc_mm", measured.coronal_arc_mm, "an arc that a vertex height of 15-32% of the circumference can give");
    if (measured.sagittal_arc_mm > 0)
      return bad("sagittal_arc_mm", measured.sagittal_arc_mm, "an arc that a vertex height of 15-32% of the circumference can give");
    return bad("vertex_height_mm", m.vertex_height_mm, "a vertex height between 15% and 32% of the circumference");
  }
  if (!(m.glabella_height_mm > 0 && m.glabella_height_mm < 0.5 * m.vertex_height_mm))
    return bad("glabella_height_mm", m.glabella_height_mm, "a glabella height between 0 and half the vertex height");
  if (!(m.ear_canal_depth_mm > 0.4 * m.length_mm && m.ear_canal_depth_mm < 0.75 * m.length_mm))
    return bad("ear_canal_depth_mm", m.ear_canal_depth_mm, "an ear-canal depth between 40% and 75% of the head length");
  const double cy = m.glabella_height_mm;
  const double ay = m.vertex_height_mm - cy;
  if (!(m.lower_vault_mm > cy + 0.2 * ay && m.lower_vault_mm < 2.0 * ay))
    return bad("lower_vault_mm", m.lower_vault_mm, "a lower vault between the glabella height and twice the upper vault");
  if (!(m.inion_height_mm >= 0 && m.inion_height_mm < cy))
    return bad("inion_height_mm", m.inion_height_mm, "an inion height from 0 up to the glabella height");
  Head h = build(m);
  const Ellipsoid& e = h.e_;
  // The ear canals must lie on the surface, below the equator.
  const double side = 1.0 - (cy * cy) / (e.ay_below * e.ay_below) - (e.center.z * e.center.z) / (e.az * e.az);
  if (side <= 0.1)
    return bad("ear_canal_depth_mm", m.ear_canal_depth_mm, "ear canals that lie on the side of the head");
  h.m_.sagittal_arc_mm = h.sagittal_arc_mm();
  h.m_.coronal_arc_mm = h.coronal_arc_mm();
  return h;
}

Head Head::from_ellipsoid(const Ellipsoid& e) {
  Head h;
  h.e_ = e;
  return h;
}

Vec3 Head::point(double theta, double phi) const {
  const double s = std::sin(theta);
  return {e_.center.x + e_.ax * s * std::sin(phi), e_.center.y + e_.ay_at(theta) * std::cos(theta),
          e_.center.z + e_.az * s * std::cos(phi)};
}

Vec3 Head::chart_point(Vec2 uv) const {
  const double theta = std::hypot(uv.x, uv.y);
  return point(theta, theta == 0.0 ? 0.0 : std::atan2(uv.x, uv.y));
}

Vec2 Head::chart_of(Vec3 p) const {
  const double ay = p.y < e_.center.y && e_.ay_below > 0 ? e_.ay_below : e_.ay;
  const Vec3 q{(p.x - e_.center.x) / e_.ax, (p.y - e_.center.y) / ay, (p.z - e_.center.z) / e_.az};
  // theta from the pole; phi = atan2(x, z), so (sin phi, cos phi) = (x, z) / r.
  const double r = std::sqrt(q.x * q.x + q.z * q.z);
  const double theta = std::atan2(r, q.y);
  if (r == 0) return {0, theta};  // a pole: phi taken as 0
  return {theta * q.x / r, theta * q.z / r};
}

namespace {
constexpr double kStep = 1e-6;  // radians, for central differences
}

Vec3 Head::normal(Vec2 uv) const {
  // The gradient of the implicit ellipsoid: exact and cheap.
  const Vec3 p = chart_point(uv) - e_.center;
  const double ay = e_.ay_at(std::hypot(uv.x, uv.y));
  return normalized({p.x / (e_.ax * e_.ax), p.y / (ay * ay), p.z / (e_.az * e_.az)});
}

double Head::area_element(Vec2 uv) const {
  const Vec3 du = (chart_point({uv.x + kStep, uv.y}) - chart_point({uv.x - kStep, uv.y})) / (2 * kStep);
  const Vec3 dv = (chart_point({uv.x, uv.y + kStep}) - chart_point({uv.x, uv.y - kStep})) / (2 * kStep);
  return length(cross(du, dv));
}

double Head::meridian_arc(double phi, double t0, double t1) const {
  // Composite Simpson rule on |dp/dtheta|; 256 panels keep it exact to 1e-6 mm.
  const int n = 256;
  const double h = (t1 - t0) / n;
  const auto speed = [&](double t) {
    const double s = std::sin(t), c = std::cos(t);
    const Vec3 d{e_.ax * c * std::sin(phi), -e_.ay_at(t) * s, e_.az * c * std::cos(phi)};
    return length(d);
  };
  double sum = speed(t0) + speed(t1);
  for (int i = 1; i < n; ++i) sum += speed(t0 + i * h) * (i % 2 ? 4.0 : 2.0);
  return std::abs(sum * h / 3.0);
}

double Head::theta_at_height(double y) const {
  const double ay = y < e_.center.y ? e_.ay_at(kPi) : e_.ay;
  return std::acos(std::clamp((y - e_.center.y) / ay, -1.0, 1.0));
}

double Head::sagittal_arc_mm() const {
  return meridian_arc(0.0, 0.0, kPi / 2) + meridian_arc(kPi, 0.0, theta_at_height(m_.inion_height_mm));
}

double Head::coronal_arc_mm() const {
  // The vault's section by the plane z = 0 (through the ear canals): an upper
  // half-ellipse above the equator and, on each side, a lower arc from the
  // equator down to the ear canal's height y = 0.
  const double k = std::sqrt(std::max(0.0, 1.0 - std::pow(e_.center.z / e_.az, 2)));
  const double a = e_.ax * k, b_up = e_.ay * k, b_down = e_.ay_at(kPi) * k;
  const double upper = 0.5 * ellipse_perimeter(a, b_up);
  const double t1 = std::asin(std::clamp(e_.center.y / b_down, 0.0, 1.0));
  const int n = 256;
  const double h = t1 / n;
  const auto speed = [&](double t) { return std::hypot(a * std::sin(t), b_down * std::cos(t)); };
  double sum = speed(0) + speed(t1);
  for (int i = 1; i < n; ++i) sum += speed(i * h) * (i % 2 ? 4.0 : 2.0);
  return upper + 2.0 * sum * h / 3.0;
}

double Head::walk_meridian(double phi, double theta0, double arc_mm) const {
  // Bisection on the arc length, which grows monotonically away from theta0:
  // downward (away from the top) for positive arcs, upward for negative ones.
  double a = arc_mm >= 0 ? theta0 : 0.0;
  double b = arc_mm >= 0 ? kPi : theta0;
  const double target = std::abs(arc_mm);
  for (int i = 0; i < 60; ++i) {
    const double mid = 0.5 * (a + b);
    const bool short_of = meridian_arc(phi, theta0, mid) < target;
    if (arc_mm >= 0) {
      (short_of ? a : b) = mid;
    } else {
      (short_of ? b : a) = mid;
    }
  }
  return 0.5 * (a + b);
}

std::optional<Vec3> hit_vault(const Ellipsoid& e, Vec3 o, Vec3 k) {
  std::optional<Vec3> best;
  double best_t = 1e30;
  for (bool upper : {true, false}) {
    const double ay = upper ? e.ay : e.ay_at(kPi);
    const Vec3 oo{(o.x - e.center.x) / e.ax, (o.y - e.center.y) / ay, (o.z - e.center.z) / e.az};
    const Vec3 kk{k.x / e.ax, k.y / ay, k.z / e.az};
    const double a = dot(kk, kk), b = 2 * dot(oo, kk), c = dot(oo, oo) - 1;
    const double disc = b * b - 4 * a * c;
    if (disc < 0) continue;
    for (double t : {(-b - std::sqrt(disc)) / (2 * a), (-b + std::sqrt(disc)) / (2 * a)}) {
      if (t <= 0 || t >= best_t) continue;
      const Vec3 p = o + k * t;
      if (upper != (p.y >= e.center.y)) continue;
      best = p;
      best_t = t;
      break;
    }
  }
  return best;
}

}  // namespace stipple::scalp
