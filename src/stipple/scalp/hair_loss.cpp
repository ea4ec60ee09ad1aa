#include "stipple/scalp/hair_loss.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "stipple/core/rng.h"
#include "stipple/scalp/geodesic.h"

namespace stipple::scalp {

using assess::Ludwig;
using assess::Norwood;

double Scar::length_mm() const {
  if (kind == assess::ScarKind::FUE) return 0;
  double sum = 0;
  for (std::size_t i = 1; i < path.size(); ++i) sum += distance(path[i - 1], path[i]);
  return sum;
}

double Scar::area_mm2() const {
  if (kind == assess::ScarKind::FUE) return static_cast<double>(path.size()) * kPi * 0.25 * width_mm * width_mm;
  return length_mm() * width_mm;
}

namespace {

// The construction works in the top view of the vault's upper half: a point
// (x, z) of the head frame lies over exactly one surface point there. Lengths
// are given for the default average man (570 mm) and scaled with the head.
constexpr double kReferenceCircumferenceMm = 570.0;
constexpr double kRim = 0.995;  // keep outlines just above the equator, where the top view is vertical

struct TopView {
  const Ellipsoid& e;
  double s;  // scale of this head against the reference
  // The surface point over (x, z), both in reference millimetres; points
  // beyond the rim are pulled in radially onto it.
  Vec3 lift(double x_ref, double z_ref) const {
    double X = x_ref * s / e.ax, Z = (z_ref * s - e.center.z) / e.az;
    const double r = std::hypot(X, Z);
    if (r > kRim) {
      X *= kRim / r;
      Z *= kRim / r;
    }
    return {e.center.x + X * e.ax, e.center.y + e.ay * std::sqrt(1 - X * X - Z * Z), e.center.z + Z * e.az};
  }
  // z (reference mm) of the rim at lateral position x (reference mm), front or back.
  double rim_z(double x_ref, bool front) const {
    const double X = std::min(x_ref * s / e.ax, kRim);
    const double Z = std::sqrt(kRim * kRim - X * X) * (front ? 1 : -1);
    return (e.center.z + Z * e.az) / s;
  }
};

double smoothstep(double t) {
  t = std::clamp(t, 0.0, 1.0);
  return t * t * (3 - 2 * t);
}

// How a frontal recession line runs, in reference mm of the head frame: the
// midline at z_mid, the deepest point of each temple recession at (±x_t, z_t),
// and from there out to the rim at ±x_side, where the temple hair takes over.
struct Recession {
  double z_mid, x_t, z_t, x_side;
};

// The region in front of a recession line, up to the rim around the face.
std::vector<Vec3> frontal_outline(const TopView& tv, const Recession& r) {
  std::vector<Vec3> out;
  const double z_side = tv.rim_z(r.x_side, true);
  const auto line_z = [&](double x) {
    const double ax = std::abs(x);
    if (ax <= r.x_t) return r.z_mid + (r.z_t - r.z_mid) * smoothstep(ax / r.x_t);
    // The side of the recession runs forward steeply, as a notch does.
    const double u = (ax - r.x_t) / (r.x_side - r.x_t);
    return r.z_t + (z_side - r.z_t) * std::sqrt(u);
  };
  const int n = 60;
  for (int i = 0; i <= n; ++i) {  // the recession line, left to right
    const double x = -r.x_side + 2 * r.x_side * i / n;
    out.push_back(tv.lift(x, line_z(x)));
  }
  for (int i = 1; i < n; ++i) {  // the rim around the front, right to left
    const double x = r.x_side - 2 * r.x_side * i / n;
    out.push_back(tv.lift(x, tv.rim_z(x, true)));
  }
  return out;
}

// An ellipse in the top view centred at (0, zc) with half-widths rx, rz.
std::vector<Vec3> oval_outline(const TopView& tv, double zc, double rx, double rz) {
  std::vector<Vec3> out;
  const int n = 96;
  for (int i = 0; i < n; ++i) {
    const double a = 2 * kPi * i / n;
    out.push_back(tv.lift(rx * std::sin(a), zc + rz * std::cos(a)));
  }
  return out;
}

// One bald top reaching the rim around the face: the sides at ±x_side (the
// fringe's upper edge) and a rounded back reaching z_back on the midline.
std::vector<Vec3> top_outline(const TopView& tv, double x_side, double z_turn, double z_back) {
  std::vector<Vec3> out;
  const int n = 48;
  for (int i = 0; i <= n; ++i) {  // rim around the front, left to right
    const double x = -x_side + 2 * x_side * i / n;
    out.push_back(tv.lift(x, tv.rim_z(x, true)));
  }
  const double z_side = tv.rim_z(x_side, true);
  for (int i = 1; i <= n / 2; ++i) out.push_back(tv.lift(x_side, z_side + (z_turn - z_side) * i / (n / 2)));
  for (int i = 1; i < n; ++i) {  // the rounded back, right to left
    const double a = kPi * i / n;
    out.push_back(tv.lift(x_side * std::cos(a), z_turn + (z_back - z_turn) * std::sin(a)));
  }
  for (int i = 0; i < n / 2; ++i) out.push_back(tv.lift(-x_side, z_turn + (z_side - z_turn) * i / (n / 2)));
  return out;
}

// A band across the top between z_front and z_back, ±half_width wide.
std::vector<Vec3> band_outline(const TopView& tv, double half_width, double z_front, double z_back) {
  std::vector<Vec3> out;
  const int n = 24;
  for (int i = 0; i <= n; ++i) out.push_back(tv.lift(-half_width + 2 * half_width * i / n, z_front));
  for (int i = 1; i <= n; ++i) out.push_back(tv.lift(half_width, z_front + (z_back - z_front) * i / n));
  for (int i = 1; i <= n; ++i) out.push_back(tv.lift(half_width - 2 * half_width * i / n, z_back));
  for (int i = 1; i < n; ++i) out.push_back(tv.lift(-half_width, z_back + (z_front - z_back) * i / n));
  return out;
}

// The construction of each Norwood class (docs/design.md, "Norwood classes").
// Lengths in reference mm of the head frame: z is the distance in front of the
// ear-canal line (the brief's anchor), x the distance from the midline.
struct NorwoodShape {
  std::optional<Recession> front;  // frontal recession
  double front_remaining = 0.1;
  double vertex_rx = 0, vertex_rz = 0, vertex_dz = 0;  // vertex spot around the crown whorl, shifted dz
  double band_remaining = 1;                           // the band between front and vertex
  double top_x = 0, top_turn = 0, top_back = 0;        // one bald top (VI, VII)
};

NorwoodShape norwood_shape(Norwood stage) {
  NorwoodShape s;
  switch (stage) {
    case Norwood::I:  // juvenile hairline: nothing lost
      break;
    case Norwood::II:  // mild temple recession, at least 2 cm in front of the ear-canal line
      s.front = Recession{92, 34, 66, 56};
      s.front_remaining = 0.3;
      break;
    case Norwood::IIa:  // the whole front a little higher
      s.front = Recession{86, 34, 78, 56};
      s.front_remaining = 0.3;
      break;
    case Norwood::III:  // deep temple recession, reaching the 2 cm line
      s.front = Recession{86, 32, 28, 56};
      break;
    case Norwood::IIIa:  // the front as a whole back to the 2 cm line
      s.front = Recession{50, 34, 42, 56};
      break;
    case Norwood::III_vertex:
      s.front = Recession{86, 32, 28, 56};
      s.vertex_rx = 22, s.vertex_rz = 25, s.vertex_dz = 0;
      break;
    case Norwood::IV:  // front past the 2 cm line, a bald vertex, a moderately dense band between
      s.front = Recession{66, 34, 18, 58};
      s.vertex_rx = 34, s.vertex_rz = 38, s.vertex_dz = -4;
      s.band_remaining = 0.8;
      break;
    case Norwood::IVa:  // the front as a whole past the ear-canal line
      s.front = Recession{5, 38, 0, 60};
      break;
    case Norwood::V:  // both larger, the band narrower and sparser
      s.front = Recession{44, 38, 6, 60};
      s.vertex_rx = 42, s.vertex_rz = 48, s.vertex_dz = -8;
      s.band_remaining = 0.5;
      break;
    case Norwood::Va:  // the front as a whole back to the vertex
      s.front = Recession{-18, 40, -22, 62};
      break;
    case Norwood::VI:  // one bald area from the front over the crown; side hair still high
      s.top_x = 54, s.top_turn = -20, s.top_back = -62;
      s.front_remaining = 0.05;
      break;
    case Norwood::VII:  // only a horseshoe fringe, starting low
      s.top_x = 62, s.top_turn = -25, s.top_back = -78;
      s.front_remaining = 0.03;
      break;
  }
  return s;
}

TopView top_view(const Anatomy& a) {
  return {a.head().vault(), a.head().measurements().circumference_mm > 0
                                ? a.head().measurements().circumference_mm / kReferenceCircumferenceMm
                                : 1.0};
}

}  // namespace

HairLossMap norwood_map(const Anatomy& anatomy, Norwood stage) {
  const NorwoodShape shape = norwood_shape(stage);
  const TopView tv = top_view(anatomy);
  const double crown_z = anatomy.landmarks().crown_whorl.z / tv.s;
  HairLossMap map;
  const double feather = 12 * tv.s;
  if (shape.front)
    map.regions.push_back({"frontal", shape.front_remaining, feather, frontal_outline(tv, *shape.front)});
  if (shape.vertex_rx > 0) {
    const double zc = crown_z + shape.vertex_dz;
    map.regions.push_back({"vertex", 0.1, feather, oval_outline(tv, zc, shape.vertex_rx, shape.vertex_rz)});
    if (shape.band_remaining < 1 && shape.front)
      map.regions.push_back({"band", shape.band_remaining, feather,
                             band_outline(tv, shape.front->x_t, shape.front->z_mid, zc + shape.vertex_rz)});
  }
  if (shape.top_x > 0)
    map.regions.push_back(
        {"top", shape.front_remaining, feather, top_outline(tv, shape.top_x, shape.top_turn, shape.top_back)});
  return map;
}

HairLossMap ludwig_map(const Anatomy& anatomy, Ludwig grade) {
  // Diffuse thinning of an oval on top; the frontal hairline is kept: the oval
  // ends a hairline band behind the juvenile hairline.
  const TopView tv = top_view(anatomy);
  struct Oval {
    double rx, rz, remaining;
  };
  const Oval o = grade == Ludwig::I ? Oval{40, 58, 0.7} : grade == Ludwig::II ? Oval{50, 70, 0.5} : Oval{58, 80, 0.3};
  const double front_limit = anatomy.landmarks().trichion_juvenile.z / tv.s - 20;
  const double zc = std::min(8.0, front_limit - o.rz);
  HairLossMap map;
  map.regions.push_back({"diffuse", o.remaining, 20 * tv.s, oval_outline(tv, zc, o.rx, o.rz)});
  return map;
}

HairLossMap total_loss_map(const Anatomy& anatomy) {
  // An outline just outside the hair boundary all round, so the whole scalp is
  // inside it with no feathered edge on the scalp.
  const Head& h = anatomy.head();
  LossRegion r{"total", 0.0, 0.0, {}};
  for (int i = 0; i < 360; ++i) {
    const double phi = -kPi + 2 * kPi * i / 360;
    r.outline.push_back(h.point(std::min(anatomy.boundary_theta(phi) + 0.05, kPi - 0.01), phi));
  }
  HairLossMap map;
  map.regions.push_back(std::move(r));
  return map;
}

namespace {


// The donor band: from 20 mm below to 45 mm above the inion's height (reference
// mm), behind the ears (|azimuth| over 100 degrees).
constexpr double kDonorBelowMm = 20, kDonorAboveMm = 45, kDonorAzimuthDeg = 100;
// A 20 cm FUT strip (brief section 11) ends this far above the inion, above
// the ears (modelling default: the upper part of the donor band).
constexpr double kFutEndAboveInionMm = 38, kFutReferenceLengthMm = 200;

}  // namespace

Scar fut_scar(const Anatomy& anatomy, double length_mm, double width_mm) {
  // The strip runs ear to ear along the curve of the back of the head: lowest
  // on the midline in the middle of the donor band, rising toward the ears to
  // the band's upper part as the safe donor area does (brief section 11: about
  // 20 cm, following the curve of the back of the head). Walked out from the
  // midline by half the length on each side; its height grows with the square
  // of the distance walked.
  const Head& h = anatomy.head();
  const double s = top_view(anatomy).s;
  const double inion = h.measurements().inion_height_mm;
  const double y_mid = inion + 0.5 * (kDonorAboveMm - kDonorBelowMm) * s;
  const double y_end = inion + kFutEndAboveInionMm * s;
  const double half_len = 0.5 * length_mm;
  const auto at = [&](double walked, double phi) {
    const double f = std::min(1.0, walked / (0.5 * kFutReferenceLengthMm * s));
    return h.point(h.theta_at_height(y_mid + (y_end - y_mid) * f * f), phi);
  };
  std::vector<Vec3> half;
  const double step = 0.002;
  double walked = 0;
  Vec3 prev = at(0, kPi);
  half.push_back(prev);
  int k = 0;
  for (double phi = kPi - step; phi > 0 && walked < half_len; phi -= step) {
    const Vec3 p = at(walked, phi);
    walked += distance(prev, p);
    prev = p;
    if (++k % 5 == 0 || walked >= half_len) half.push_back(p);
  }
  Scar scar{assess::ScarKind::FUT, width_mm, {}};
  for (auto it = half.rbegin(); it != half.rend(); ++it) scar.path.push_back({-it->x, it->y, it->z});
  scar.path.insert(scar.path.end(), half.begin() + 1, half.end());
  return scar;
}

Scar fue_scars(const Anatomy& anatomy, int count, double punch_mm, std::uint64_t seed) {
  const Head& h = anatomy.head();
  const double s = top_view(anatomy).s;
  const double inion = h.measurements().inion_height_mm;
  const double y_lo = inion - kDonorBelowMm * s, y_hi = inion + kDonorAboveMm * s;
  const double phi_min = kDonorAzimuthDeg * kPi / 180;
  const double spacing = 1.5 * punch_mm;
  Rng rng{seed ^ 0x53544950504C45ull};
  Scar scar{assess::ScarKind::FUE, punch_mm, {}};
  // A hash grid of accepted punches keeps the spacing check local.
  std::unordered_map<std::int64_t, std::vector<Vec3>> cells;
  const auto key = [&](Vec3 p) {
    const auto c = [&](double v) { return static_cast<std::int64_t>(std::floor(v / spacing)) + 1024; };
    return (c(p.x) * 4096 + c(p.y)) * 4096 + c(p.z);
  };
  int attempts = 0;
  while (static_cast<int>(scar.path.size()) < count && attempts < 200 * count) {
    ++attempts;
    // Uniform in height and azimuth; the band is nearly vertical, so this is
    // close to uniform by area.
    const double y = y_lo + (y_hi - y_lo) * rng.uniform();
    const double side = rng.uniform() < 0.5 ? -1 : 1;
    const double phi = side * (phi_min + (kPi - phi_min) * rng.uniform());
    const double theta = h.theta_at_height(y);
    // Donors are taken from hair-bearing skin only, at least a punch inside its edge.
    if (theta > anatomy.boundary_theta(phi) - 2 * punch_mm / h.vault().az) continue;
    const Vec3 p = h.point(theta, phi);
    bool clear = true;
    for (int dx = -1; dx <= 1 && clear; ++dx)
      for (int dy = -1; dy <= 1 && clear; ++dy)
        for (int dz = -1; dz <= 1 && clear; ++dz) {
          const auto it = cells.find(key({p.x + dx * spacing, p.y + dy * spacing, p.z + dz * spacing}));
          if (it == cells.end()) continue;
          for (const Vec3& q : it->second)
            if (distance(p, q) < spacing) clear = false;
        }
    if (!clear) continue;
    cells[key(p)].push_back(p);
    scar.path.push_back(p);
  }
  return scar;
}

LossField::LossField(const Head& head, const HairLossMap& map) : head_(&head) {
  const Ellipsoid& e = head.vault();
  const double theta_max = 2.5;  // below the lowest nape
  mm_per_rad_min_ = std::min({e.ax, e.az, e.ay, e.ay_at(kPi)}) * std::sin(theta_max) / theta_max;
  for (const LossRegion& r : map.regions) {
    Prepared p{r, {}, {1e9, 1e9}, {-1e9, -1e9}};
    for (const Vec3& q : r.outline) {
      const Vec2 c = head.chart_of(q);
      p.chart.push_back(c);
      p.lo = {std::min(p.lo.x, c.x), std::min(p.lo.y, c.y)};
      p.hi = {std::max(p.hi.x, c.x), std::max(p.hi.y, c.y)};
    }
    prepared_.push_back(std::move(p));
  }
}

bool LossField::inside(const Prepared& r, Vec2 uv) const {
  bool in = false;
  const std::size_t n = r.chart.size();
  for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
    const Vec2 a = r.chart[i], b = r.chart[j];
    if ((a.y > uv.y) != (b.y > uv.y) && uv.x < (b.x - a.x) * (uv.y - a.y) / (b.y - a.y) + a.x) in = !in;
  }
  return in;
}

double LossField::region_remaining(const Prepared& r, Vec2 uv, Vec3 p, double reach_mm, bool* uniform) const {
  const double half = 0.5 * r.region.feather_mm;
  // A surface path is at most 5% longer than the chord at the reaches used.
  const double margin = (half + 1.05 * reach_mm) / mm_per_rad_min_;
  if (uv.x < r.lo.x - margin || uv.x > r.hi.x + margin || uv.y < r.lo.y - margin || uv.y > r.hi.y + margin) return 1;
  const bool in = inside(r, uv);
  // A sharp region (no feather) needs its distance only to say how far the
  // same value holds.
  if (half <= 0 && !uniform) return in ? r.region.remaining : 1.0;
  const double d = distance_to_polyline(p, r.region.outline, true);
  if (uniform && d < half + reach_mm) *uniform = false;
  if (d >= half) return in ? r.region.remaining : 1.0;
  const double signed_d = in ? -d : d;
  const double t = half > 0 ? smoothstep((signed_d + half) / (2 * half)) : (in ? 0.0 : 1.0);
  return r.region.remaining + (1 - r.region.remaining) * t;
}

double LossField::remaining(Vec2 uv) const {
  const Vec3 p = head_->chart_point(uv);
  double best = 1;
  for (const Prepared& r : prepared_) best = std::min(best, region_remaining(r, uv, p));
  return best;
}

double LossField::remaining(Vec2 uv, double reach_mm, bool& uniform) const {
  const Vec3 p = head_->chart_point(uv);
  uniform = true;
  double best = 1;
  for (const Prepared& r : prepared_) best = std::min(best, region_remaining(r, uv, p, reach_mm, &uniform));
  return best;
}

bool LossField::near_loss(Vec2 uv, double margin_mm) const {
  const Vec3 p = head_->chart_point(uv);
  for (const Prepared& r : prepared_) {
    if (r.region.remaining >= 1) continue;
    const double reach = 0.5 * r.region.feather_mm + margin_mm;
    const double m = reach / mm_per_rad_min_;
    if (uv.x < r.lo.x - m || uv.x > r.hi.x + m || uv.y < r.lo.y - m || uv.y > r.hi.y + m) continue;
    if (inside(r, uv) || distance_to_polyline(p, r.region.outline, true) < reach) return true;
  }
  return false;
}

}  // namespace stipple::scalp
