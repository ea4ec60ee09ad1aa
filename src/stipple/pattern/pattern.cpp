#include "stipple/pattern/pattern.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "stipple/core/rng.h"
#include "stipple/design/measure.h"
#include "stipple/pattern/poisson.h"

namespace stipple::pattern {

using scalp::Zone;

std::vector<double> session_fractions(int sessions) {
  switch (sessions) {
    case 2: return {0.5, 1.0};
    case 4: return {0.4, 0.75, 0.9, 1.0};
    default: return {0.45, 0.9, 1.0};
  }
}

// Maximal Poisson-disk sampling in the plane reaches 0.6966 points per r^2
// (the random sequential adsorption jamming coverage 0.5470 of discs of
// radius r/2; Feder 1980, J. Theor. Biol. 87), so r = sqrt(0.6966 / density).
namespace {
constexpr double kMaximalPacking = 0.6966;
}

double spacing_for_density_mm(double per_cm2) { return std::sqrt(kMaximalPacking / (per_cm2 / 100.0)); }

namespace {

// Dot attributes (docs/pattern.md): the brief's healed diameter 0.3-0.7 mm
// with hairline dots the smallest, target depth 0.5-1.0 mm (section 2).
constexpr double kBodyDiameterMm = 0.50, kBodyDiameterSdMm = 0.05, kBodyDiameterMinMm = 0.38, kBodyDiameterMaxMm = 0.66;
constexpr double kHairlineDiameterFrontMm = 0.30, kHairlineDiameterSdMm = 0.03;
constexpr double kBodyDepthMm = 0.75, kBodyDepthSdMm = 0.07, kDepthMinMm = 0.5, kDepthMaxMm = 1.0;
constexpr double kHairlineDepthMm = 0.6, kHairlineDepthSdMm = 0.05;
// Scar tissue: thinner, fibrous and less predictable; worked shallower with a
// single point, and its dots heal a little larger and lighter (docs/pattern.md).
constexpr double kScarDepthMm = 0.55, kScarDepthSdMm = 0.04, kScarSpread = 1.12, kScarRetention = 0.85;
// Healed diameter grows with depth (pigment spreads when placed deeper).
constexpr double kSpreadPerMmDepth = 0.2;
// Shade: session 1 lighter, later sessions darker (brief section 7).
constexpr double kFoundationShade = 0.8, kDarkenShade = 1.08, kShadeSd = 0.05;
// Hairline front dots at 55% of the shade; blend margin dots from 75%.
constexpr double kHairlineFrontShade = 0.55, kBlendShade = 0.75;
// Shaved look: the blend continues half the target at the loss edge down to
// none at blend_mm beyond it.
constexpr double kBlendStart = 0.5;
// Density look: where hair is at 97% or more nothing is added.
constexpr double kDensityFullHair = 0.97;
// Progressive levels: from 8 dots/cm^2, density doubling every two levels.
constexpr double kSparsestPerCm2 = 8, kLevelRatio = 1.4142135623730951;
// Raster of the slowly varying fields, mm between nodes.
constexpr double kRasterMm = 4;

double smoothstep(double t) {
  t = std::clamp(t, 0.0, 1.0);
  return t * t * (3 - 2 * t);
}

// The slowly varying part of the design on a coarse chart raster: hair left,
// distance beyond the loss (shaved blend) and where dots may go at all.
struct Raster {
  double theta_max = 0, step = 0;  // chart units (radians)
  int n = 0;
  std::vector<Vec3> pos;
  std::vector<float> remaining, beyond_mm;
  std::vector<std::uint8_t> near_scar, mask;

  double u_of(int i) const { return -theta_max + i * step; }
  std::size_t at(int i, int j) const { return static_cast<std::size_t>(j) * static_cast<std::size_t>(n) + static_cast<std::size_t>(i); }
  // Bilinear interpolation of a field at chart point (u, v).
  float sample(const std::vector<float>& f, double u, double v) const {
    const double fu = std::clamp((u + theta_max) / step, 0.0, n - 1.001), fv = std::clamp((v + theta_max) / step, 0.0, n - 1.001);
    const int i = static_cast<int>(fu), j = static_cast<int>(fv);
    const float a = static_cast<float>(fu - i), b = static_cast<float>(fv - j);
    return (1 - b) * ((1 - a) * f[at(i, j)] + a * f[at(i + 1, j)]) + b * ((1 - a) * f[at(i, j + 1)] + a * f[at(i + 1, j + 1)]);
  }
  int index_of(double u) const { return std::clamp(static_cast<int>((u + theta_max) / step + 0.5), 0, n - 1); }
  std::size_t nearest(double u, double v) const { return at(index_of(u), index_of(v)); }
};

// The head as a sampling domain: chart (u, v) of head.h, 3D positions.
class SurfaceDomain {
 public:
  static constexpr int kDims = 3;

  SurfaceDomain(const scalp::Ellipsoid& e, const Raster& raster) : e_(e), raster_(raster) {
    // Inverse metric of the chart, tabulated; each entry the largest over its
    // neighbours (and 2% more), so windows are never too small.
    const double tm = raster.theta_max;
    std::vector<double> hu(kBins * kBins), hv(kBins * kBins);
    stretch_ = 0;
    for (int j = 0; j < kBins; ++j)
      for (int i = 0; i < kBins; ++i) {
        const double u = -tm + (i + 0.5) * 2 * tm / kBins, v = -tm + (j + 0.5) * 2 * tm / kBins;
        // Only the chart disc the raster covers is ever sampled.
        if (std::hypot(u, v) > tm + 4 * tm / kBins) continue;
        const double h = 1e-6;
        const auto P = [&](double a, double b) {
          const auto p = map(a, b);
          return Vec3{p[0], p[1], p[2]};
        };
        const Vec3 du = (P(u + h, v) - P(u - h, v)) / (2 * h), dv = (P(u, v + h) - P(u, v - h)) / (2 * h);
        const double g11 = dot(du, du), g12 = dot(du, dv), g22 = dot(dv, dv);
        const double det = g11 * g22 - g12 * g12;
        hu[static_cast<std::size_t>(j * kBins + i)] = std::sqrt(g22 / det);
        hv[static_cast<std::size_t>(j * kBins + i)] = std::sqrt(g11 / det);
        const double tr = g11 + g22;
        stretch_ = std::max(stretch_, std::sqrt(0.5 * (tr + std::sqrt(tr * tr - 4 * det))));
      }
    stretch_ *= 1.02;
    hu_.assign(hu.size(), 0);
    hv_.assign(hv.size(), 0);
    for (int j = 0; j < kBins; ++j)
      for (int i = 0; i < kBins; ++i) {
        double a = 0, b = 0;
        for (int dj = -1; dj <= 1; ++dj)
          for (int di = -1; di <= 1; ++di) {
            const int ii = std::clamp(i + di, 0, kBins - 1), jj = std::clamp(j + dj, 0, kBins - 1);
            a = std::max(a, hu[static_cast<std::size_t>(jj * kBins + ii)]);
            b = std::max(b, hv[static_cast<std::size_t>(jj * kBins + ii)]);
          }
        hu_[static_cast<std::size_t>(j * kBins + i)] = 1.02 * a;
        hv_[static_cast<std::size_t>(j * kBins + i)] = 1.02 * b;
        hmax_ = std::max({hmax_, 1.02 * a, 1.02 * b});
      }
  }

  double u_min() const { return -raster_.theta_max; }
  double v_min() const { return -raster_.theta_max; }
  double u_max() const { return raster_.theta_max; }
  double v_max() const { return raster_.theta_max; }
  double max_stretch() const { return stretch_; }
  int max_window(double r, double cell) const { return static_cast<int>(std::ceil(r * hmax_ / cell)); }
  void window(double u, double v, double r, double cell, int& wu, int& wv) const {
    const std::size_t b = bin(u, v);
    wu = static_cast<int>(std::ceil(r * hu_[b] / cell));
    wv = static_cast<int>(std::ceil(r * hv_[b] / cell));
  }
  bool inside(double u, double v) const { return raster_.mask[raster_.nearest(u, v)] != 0; }
  bool cell_may_hold(double u, double v, double) const { return inside(u, v); }
  bool region_may_hold(double u0, double v0, double u1, double v1) const {
    for (int j = raster_.index_of(v0); j <= raster_.index_of(v1); ++j)
      for (int i = raster_.index_of(u0); i <= raster_.index_of(u1); ++i)
        if (raster_.mask[raster_.at(i, j)]) return true;
    return false;
  }
  // Head::point in chart coordinates, without the azimuth's arctangent, and
  // with sine and cosine as polynomials (below).
  std::array<float, 3> map(double u, double v) const {
    const double theta = std::sqrt(u * u + v * v);
    double s, c;
    sin_cos(theta, s, c);
    const double sinc = theta > 1e-9 ? s / theta : 1.0;
    return {static_cast<float>(e_.center.x + e_.ax * sinc * u), static_cast<float>(e_.center.y + e_.ay_at(theta) * c),
            static_cast<float>(e_.center.z + e_.az * sinc * v)};
  }

 private:
  // sin and cos of theta in [0, pi] from their Taylor polynomials about pi/2
  // (degrees 14 and 15): error below 1e-9, a micrometre's ten-thousandth on
  // the head, and several times faster than the library's sincos.
  static void sin_cos(double theta, double& s, double& c) {
    const double x = theta - 1.5707963267948966, x2 = x * x;
    // cos x and sin x by Horner; sin(theta) = cos x, cos(theta) = -sin x.
    const double cx = 1 + x2 * (-1.0 / 2 + x2 * (1.0 / 24 + x2 * (-1.0 / 720 + x2 * (1.0 / 40320 + x2 * (-1.0 / 3628800 +
                      x2 * (1.0 / 479001600 + x2 * (-1.0 / 87178291200.0)))))));
    const double sx = x * (1 + x2 * (-1.0 / 6 + x2 * (1.0 / 120 + x2 * (-1.0 / 5040 + x2 * (1.0 / 362880 + x2 * (-1.0 / 39916800 +
                      x2 * (1.0 / 6227020800.0 + x2 * (-1.0 / 1307674368000.0))))))));
    s = cx;
    c = -sx;
  }
  static constexpr int kBins = 96;
  std::size_t bin(double u, double v) const {
    const double tm = raster_.theta_max;
    const int i = std::clamp(static_cast<int>((u + tm) / (2 * tm) * kBins), 0, kBins - 1);
    const int j = std::clamp(static_cast<int>((v + tm) / (2 * tm) * kBins), 0, kBins - 1);
    return static_cast<std::size_t>(j * kBins + i);
  }
  scalp::Ellipsoid e_;
  const Raster& raster_;
  std::vector<double> hu_, hv_;
  double stretch_ = 0, hmax_ = 0;
};

// What the design asks for at one point.
struct Local {
  double factor = 0;     // fraction of the zone's target density
  double ramp = 1;       // hairline transition: 0 at the front edge, 1 behind it
  double loss = 1;       // the look's own factor, before scars and hairline
  bool on_scar = false;
  bool near_scar = false;
};

class DesignField {
 public:
  DesignField(const design::Design& d, const scalp::Anatomy& a)
      : d_(d), a_(a), cov_(d, a), field_(a.head(), d.hair_loss) {
    const scalp::Ellipsoid& e = a.head().vault();
    mm_per_rad_ = std::min({e.ax, e.az, e.ay, e.ay_at(kPi)});
    double tb = 0;
    for (int k = 0; k < 360; ++k) tb = std::max(tb, a.boundary_theta(-kPi + 2 * kPi * k / 360));
    r_.theta_max = std::min(kPi - 0.02, tb + 0.08);
    r_.step = kRasterMm / mm_per_rad_;
    r_.n = static_cast<int>(std::ceil(2 * r_.theta_max / r_.step)) + 1;
    r_.step = 2 * r_.theta_max / (r_.n - 1);
    build_hairline();
    build_raster();
  }

  const Raster& raster() const { return r_; }
  const design::Coverage& coverage() const { return cov_; }

  // The design's wish at chart point (u, v), surface point p; `jitter` in
  // [0, 1) moves single dots across the hairline (its micro-irregularity).
  Local at(double u, double v, Vec3 p, double jitter) const {
    Local l;
    const float rem = r_.sample(r_.remaining, u, v);
    const double deficit = 1.0 - rem;
    switch (d_.look) {
      case design::Look::shaved: {
        const double beyond = r_.sample(r_.beyond_mm, u, v);
        const double blend = beyond < d_.blend_mm ? kBlendStart * (1 - beyond / d_.blend_mm) : 0.0;
        l.loss = std::max(deficit, blend);
        break;
      }
      case design::Look::density:
      case design::Look::patch_camouflage: l.loss = rem < kDensityFullHair ? deficit : 0.0; break;
      case design::Look::scar_camouflage: l.loss = 0; break;
    }
    l.factor = l.loss;
    if (r_.near_scar[r_.nearest(u, v)]) {
      // The scar at the zone's density; beyond its edge a blend into the hair
      // from half the density down to none at scar_margin_mm (the shaved
      // look's blend rule; brief section 11: "a large blending area").
      const double ds = cov_.scar_distance(p, d_.scar_margin_mm + 0.5);
      l.near_scar = ds < d_.scar_margin_mm;
      l.on_scar = ds <= 0;
      const double fs = ds <= 0 ? 1.0 : kBlendStart * (1.0 - smoothstep(ds / std::max(0.1, d_.scar_margin_mm)));
      l.factor = std::max(l.factor, fs);
    }
    if (l.factor <= 0) return l;
    const double behind = hairline_distance(u, v, p);
    if (behind < kFar) {
      const double irr = d_.hairline.irregularity_mm;
      const double theta = std::sqrt(u * u + v * v), phi = std::atan2(u, v);
      const double shifted = behind + irr * (0.6 * wobble(phi, theta) + 0.8 * (jitter - 0.5));
      const double t = (shifted + irr) / (d_.hairline.transition_mm + irr);
      l.ramp = std::clamp(t, 0.0, 1.0);
      l.factor *= smoothstep(t);
    }
    return l;
  }

 private:
  static constexpr double kFar = 1e9;

  void build_hairline() {
    const design::HairlineCurve& curve = cov_.hairline();
    if (d_.hairline.control_points.size() < 2) return;
    const scalp::Head& h = a_.head();
    const Vec2 a = h.chart_of(d_.hairline.control_points.front()), b = h.chart_of(d_.hairline.control_points.back());
    const double p0 = std::atan2(a.x, a.y), p1 = std::atan2(b.x, b.y);
    const int n = 600;
    for (int k = 0; k <= n; ++k) {
      const double phi = p0 + (p1 - p0) * k / n;
      line_.push_back(h.point(curve.theta_at(phi), phi));
    }
    reach_mm_ = d_.hairline.transition_mm + 2 * d_.hairline.irregularity_mm + 1;
  }

  // Signed surface distance behind the hairline (negative in front of it), or
  // kFar when the point is farther than the transition and its jitter.
  double hairline_distance(double u, double v, Vec3 p) const {
    if (line_.empty()) return kFar;
    const double theta = std::sqrt(u * u + v * v), phi = std::atan2(u, v);
    const design::HairlineCurve& curve = cov_.hairline();
    // Beyond the ends the line continues along the hair boundary: no ramp there.
    if (!curve.covers(phi)) return kFar;
    const double dtheta = theta - curve.theta_at(phi);  // > 0 in front (toward the face)
    if (std::abs(dtheta) * mm_per_rad_ * 0.5 > reach_mm_ + 5) return dtheta > 0 ? -kFar : kFar;
    double best2 = 1e18;
    for (const Vec3& q : line_) {
      const Vec3 dq = q - p;
      best2 = std::min(best2, dot(dq, dq));
    }
    const double dist = std::sqrt(best2);
    return dtheta > 0 ? -dist : dist;
  }

  // A smooth wobble in [-1, 1] along the hairline, about 6 mm per bump: the
  // line's own irregularity, shared by neighbouring dots.
  double wobble(double phi, double theta) const {
    const double s = phi * std::sin(std::max(theta, 0.3)) * mm_per_rad_ / 6.0;
    const double f = std::floor(s);
    const double t = s - f;
    const auto node = [&](double k) {
      return 2 * unit_double(hash64({d_.seed, 0x4C494E45ull, static_cast<std::uint64_t>(static_cast<std::int64_t>(k))})) - 1;
    };
    return node(f) + (node(f + 1) - node(f)) * smoothstep(t);
  }

  void build_raster() {
    const int n = r_.n;
    const std::size_t cells = static_cast<std::size_t>(n) * static_cast<std::size_t>(n);
    r_.pos.resize(cells);
    r_.remaining.assign(cells, 1.0f);
    r_.beyond_mm.assign(cells, 1e6f);
    r_.near_scar.assign(cells, 0);
    r_.mask.assign(cells, 0);
    const scalp::Head& h = a_.head();
    const double node_mm = r_.step * mm_per_rad_;
    std::vector<std::uint8_t> scalp(cells, 0);
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) {
        const std::size_t k = r_.at(i, j);
        const double u = r_.u_of(i), v = r_.u_of(j);
        const double theta = std::hypot(u, v);
        if (theta > r_.theta_max) continue;
        const double phi = std::atan2(u, v);
        r_.pos[k] = h.chart_point({u, v});
        // The scalp and a margin of one node around it.
        if (theta > a_.boundary_theta(phi) + 1.5 * r_.step) continue;
        scalp[k] = 1;
        r_.remaining[k] = static_cast<float>(field_.remaining({u, v}));
        if (cov_.has_scars()) r_.near_scar[k] = cov_.scar_distance(r_.pos[k], d_.scar_margin_mm + 2 * node_mm) < d_.scar_margin_mm + 2 * node_mm;
      }
    // Distance beyond the loss: a chamfer transform on the raster whose steps
    // are the 3D distances between neighbouring nodes, from the nodes where at
    // least half the hair is gone (the middle of the feathered edge).
    for (std::size_t k = 0; k < cells; ++k)
      if (scalp[k] && r_.remaining[k] <= 0.5f) r_.beyond_mm[k] = 0;
    const auto relax = [&](int i, int j, int di, int dj) {
      const int ii = i + di, jj = j + dj;
      if (ii < 0 || jj < 0 || ii >= n || jj >= n) return;
      const std::size_t a = r_.at(i, j), b = r_.at(ii, jj);
      if (!scalp[a] || !scalp[b]) return;
      const float cand = r_.beyond_mm[b] + static_cast<float>(distance(r_.pos[a], r_.pos[b]));
      if (cand < r_.beyond_mm[a]) r_.beyond_mm[a] = cand;
    };
    for (int pass = 0; pass < 2; ++pass) {
      for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i) {
          relax(i, j, -1, 0), relax(i, j, -1, -1), relax(i, j, 0, -1), relax(i, j, 1, -1);
        }
      for (int j = n - 1; j >= 0; --j)
        for (int i = n - 1; i >= 0; --i) {
          relax(i, j, 1, 0), relax(i, j, 1, 1), relax(i, j, 0, 1), relax(i, j, -1, 1);
        }
    }
    // Where dots may go at all, for any zone and any target: the look's area,
    // the scars and their margin; grown by one node so edges are never cut.
    std::vector<std::uint8_t> want(cells, 0);
    for (std::size_t k = 0; k < cells; ++k) {
      if (!scalp[k]) continue;
      bool w = r_.near_scar[k] != 0;
      switch (d_.look) {
        case design::Look::shaved: w = w || r_.remaining[k] < 0.999f || r_.beyond_mm[k] < d_.blend_mm + node_mm; break;
        case design::Look::density:
        case design::Look::patch_camouflage: w = w || r_.remaining[k] < kDensityFullHair; break;
        case design::Look::scar_camouflage: break;
      }
      want[k] = w;
    }
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) {
        bool any = false;
        for (int dj = -1; dj <= 1 && !any; ++dj)
          for (int di = -1; di <= 1 && !any; ++di) {
            const int ii = i + di, jj = j + dj;
            if (ii >= 0 && jj >= 0 && ii < n && jj < n) any = want[r_.at(ii, jj)] != 0;
          }
        r_.mask[r_.at(i, j)] = any;
      }
  }

  const design::Design& d_;
  const scalp::Anatomy& a_;
  design::Coverage cov_;
  scalp::LossField field_;
  Raster r_;
  double mm_per_rad_ = 90;
  std::vector<Vec3> line_;
  double reach_mm_ = 0;
};

double clamp_normal(Rng& rng, double mean, double sd, double lo, double hi) {
  return std::clamp(mean + sd * rng.normal(), lo, hi);
}

// Dots binned in cubes of `cell` mm for neighbour queries: near() visits every
// dot within one cell of a point (and some farther ones).
class DotGrid {
 public:
  explicit DotGrid(double cell) : cell_(cell) {}
  double cell() const { return cell_; }
  void insert(const Dot& d, std::uint32_t index) { bins_[key(d.x_mm, d.y_mm, d.z_mm)].push_back(index); }
  template <class F>
  void near(double x, double y, double z, F&& visit) const {
    for (int dx = -1; dx <= 1; ++dx)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dz = -1; dz <= 1; ++dz) {
          const auto it = bins_.find(key(x + dx * cell_, y + dy * cell_, z + dz * cell_));
          if (it == bins_.end()) continue;
          for (std::uint32_t j : it->second) visit(j);
        }
  }

 private:
  std::int64_t key(double x, double y, double z) const {
    // Positions lie within 1000 mm of the origin (dots_io.h): 13 bits a coordinate.
    const auto c = [&](double t) { return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(t / cell_)) + 4096, 0, 8191); };
    return (c(x) * 8192 + c(y)) * 8192 + c(z);
  }
  double cell_;
  std::unordered_map<std::int64_t, std::vector<std::uint32_t>> bins_;
};

// Follicular-unit satellites (docs/pattern.md): smaller single-point dots set
// beside a unit's centre with an edge gap of kMinEdgeGapMm to
// kMinEdgeGapMm + kSatelliteSlackMm, in the first of kSatelliteTries
// directions (golden-angle steps from a random start) where the dot stays in
// a treated zone that is pigmented and keeps the gap to every other dot.
constexpr double kSatelliteDiameterMm = 0.38, kSatelliteDiameterSdMm = 0.04, kSatelliteDiameterMinMm = 0.30,
                 kSatelliteDiameterMaxMm = 0.46, kSatelliteSlackMm = 0.1, kGoldenAngle = 2.399963229728653;
constexpr int kSatelliteTries = 12;

std::size_t add_satellites(Pattern& p, const std::vector<std::size_t>& heads, const scalp::Anatomy& anatomy,
                           const DesignField& field, const std::array<bool, design::kZoneCount>& treated,
                           std::size_t base_count, std::uint64_t seed) {
  const scalp::Head& head = anatomy.head();
  DotGrid grid(1.0);
  for (std::size_t i = 0; i < p.dots.size(); ++i) grid.insert(p.dots[i], static_cast<std::uint32_t>(i));
  std::size_t dropped = 0;
  for (std::size_t h : heads) {
    const Dot centre = p.dots[h];
    const std::size_t i = centre.id - 1u;  // index in the base sample
    Rng rng(hash64({seed, i, 5}));
    const int satellites = rng.uniform() < kTripleShare ? 2 : 1;
    const Vec2 uv = head.chart_of({centre.x_mm, centre.y_mm, centre.z_mm});
    // Tangent frame and metric of the chart at the centre.
    const double eps = 1e-4;
    const Vec3 pu = (head.chart_point({uv.x + eps, uv.y}) - head.chart_point({uv.x - eps, uv.y})) / (2 * eps);
    const Vec3 pv = (head.chart_point({uv.x, uv.y + eps}) - head.chart_point({uv.x, uv.y - eps})) / (2 * eps);
    const double g11 = dot(pu, pu), g12 = dot(pu, pv), g22 = dot(pv, pv), det = g11 * g22 - g12 * g12;
    const Vec3 e1 = pu / std::sqrt(g11);
    Vec3 e2 = pv - e1 * dot(pv, e1);
    e2 = e2 / std::sqrt(dot(e2, e2));
    double angle = 2 * kPi * rng.uniform();
    for (int k = 0; k < satellites; ++k) {
      Dot sat = centre;
      sat.id = static_cast<std::uint32_t>(base_count + 2 * i + static_cast<std::size_t>(k) + 1);
      sat.unit = centre.id;
      sat.needle = Needle::single_point;
      const double depth = clamp_normal(rng, kBodyDepthMm, kBodyDepthSdMm, kDepthMinMm, kDepthMaxMm);
      const double diameter = clamp_normal(rng, kSatelliteDiameterMm, kSatelliteDiameterSdMm, kSatelliteDiameterMinMm,
                                           kSatelliteDiameterMaxMm) + kSpreadPerMmDepth * (depth - kBodyDepthMm);
      sat.depth_mm = static_cast<float>(depth);
      sat.diameter_mm = static_cast<float>(diameter);
      // The hairs of one unit look alike: the centre's shade, a little noise.
      sat.shade = static_cast<float>(std::clamp(centre.shade * (1 + 0.5 * kShadeSd * rng.normal()), 0.05, 1.0));
      bool placed = false;
      for (int t = 0; t < kSatelliteTries && !placed; ++t, angle += kGoldenAngle) {
        const double dist = std::max<double>(centre.diameter_mm, diameter) + kMinEdgeGapMm + kSatelliteSlackMm * rng.uniform();
        const Vec3 step = (e1 * std::cos(angle) + e2 * std::sin(angle)) * dist;
        // Chart step whose image is the tangent step (first order; the chord is re-measured below).
        const double a = dot(pu, step), b = dot(pv, step);
        const Vec2 at{uv.x + (g22 * a - g12 * b) / det, uv.y + (g11 * b - g12 * a) / det};
        const double theta = std::hypot(at.x, at.y), phi = std::atan2(at.x, at.y);
        if (!anatomy.hair_bearing(theta, phi)) continue;
        const Zone zone = anatomy.zone_of(theta, phi);
        if (!treated[static_cast<std::size_t>(zone)]) continue;
        const Vec3 pos = head.chart_point(at);
        const Local l = field.at(at.x, at.y, pos, 0.5);
        if (l.factor <= 0 || l.ramp < 1 || l.near_scar) continue;
        bool clear = true;
        grid.near(pos.x, pos.y, pos.z, [&](std::uint32_t j) {
          const Dot& q = p.dots[j];
          const double dx = q.x_mm - pos.x, dy = q.y_mm - pos.y, dz = q.z_mm - pos.z;
          const double need = std::max<double>(q.diameter_mm, diameter) + kMinEdgeGapMm;
          clear = clear && dx * dx + dy * dy + dz * dz >= need * need;
        });
        if (!clear) continue;
        sat.zone = zone;
        sat.x_mm = static_cast<float>(pos.x), sat.y_mm = static_cast<float>(pos.y), sat.z_mm = static_cast<float>(pos.z);
        placed = true;
      }
      if (!placed) {
        ++dropped;
        continue;
      }
      grid.insert(sat, static_cast<std::uint32_t>(p.dots.size()));
      p.dots.push_back(sat);
      angle += kGoldenAngle;
    }
    ++p.grouped_units;
  }
  return dropped;
}

}  // namespace

std::vector<float> nearest_neighbour_mm(const std::vector<Dot>& dots) {
  std::vector<float> nn(dots.size(), 1e9f);
  DotGrid grid(2.0);
  for (std::size_t i = 0; i < dots.size(); ++i) grid.insert(dots[i], static_cast<std::uint32_t>(i));
  for (std::size_t i = 0; i < dots.size(); ++i) {
    const Dot& a = dots[i];
    float best = 1e18f;
    grid.near(a.x_mm, a.y_mm, a.z_mm, [&](std::uint32_t j) {
      if (j == i) return;
      const float ex = dots[j].x_mm - a.x_mm, ey = dots[j].y_mm - a.y_mm, ez = dots[j].z_mm - a.z_mm;
      best = std::min(best, ex * ex + ey * ey + ez * ez);
    });
    // Farther than a cell: report the cell size as a lower bound (isolated dot).
    nn[i] = best < 1e17f ? std::sqrt(best) : static_cast<float>(grid.cell());
  }
  return nn;
}

DotsFit dots_fit(const design::Design& d, const scalp::Anatomy& anatomy, const std::vector<Dot>& dots) {
  DotsFit fit;
  const design::Coverage cov(d, anatomy);
  const scalp::Head& head = anatomy.head();
  std::array<bool, design::kZoneCount> treated{};
  for (scalp::Zone z : d.treated_zones) treated[static_cast<std::size_t>(z)] = true;
  // Dots by 4 mm cell, for the nearest-dot question.
  DotGrid grid(kCoverRadiusMm);
  std::size_t on = 0;
  for (std::size_t i = 0; i < dots.size(); ++i) {
    const Dot& dot = dots[i];
    grid.insert(dot, static_cast<std::uint32_t>(i));
    const Vec2 uv = head.chart_of({dot.x_mm, dot.y_mm, dot.z_mm});
    if (cov.wanted(std::hypot(uv.x, uv.y), std::atan2(uv.x, uv.y))) ++on;
  }
  if (!dots.empty()) fit.on_design = static_cast<double>(on) / static_cast<double>(dots.size());
  // The design's pigmented area, sampled on the chart every ~2 mm.
  const scalp::Ellipsoid& e = head.vault();
  const double mm_per_rad = std::min({e.ax, e.az, e.ay, e.ay_at(kPi)});
  double theta_max = 0;
  for (int k = 0; k < 360; ++k) theta_max = std::max(theta_max, anatomy.boundary_theta(-kPi + 2 * kPi * k / 360));
  const double step = 2.0 / mm_per_rad;
  std::size_t wanted = 0, covered = 0;
  for (double u = -theta_max; u <= theta_max; u += step)
    for (double v = -theta_max; v <= theta_max; v += step) {
      const double theta = std::hypot(u, v), phi = std::atan2(u, v);
      if (!anatomy.hair_bearing(theta, phi)) continue;
      const scalp::Zone zone = anatomy.zone_of(theta, phi);
      // The core of the work: pigmented where at most half the hair is left
      // (a blend into remaining hair thins out to nothing, so it is not asked).
      if (!treated[static_cast<std::size_t>(zone)] || !cov.pigmented(theta, phi, zone) || cov.remaining(theta, phi) > 0.5) continue;
      ++wanted;
      const Vec3 p = head.chart_point({u, v});
      bool near = false;
      grid.near(p.x, p.y, p.z, [&](std::uint32_t j) {
        const Dot& q = dots[j];
        const double dx = q.x_mm - p.x, dy = q.y_mm - p.y, dz = q.z_mm - p.z;
        near = near || dx * dx + dy * dy + dz * dz <= kCoverRadiusMm * kCoverRadiusMm;
      });
      if (near) ++covered;
    }
  if (wanted > 0) fit.design_covered = static_cast<double>(covered) / static_cast<double>(wanted);
  return fit;
}

Result<Pattern> make_pattern(const design::Design& d, const scalp::Anatomy& anatomy, const PatternOptions& opt) {
  if (d.sessions < 2 || d.sessions > 4)
    return std::unexpected(InputError{"", "sessions", "2, 3 or 4", std::to_string(d.sessions)});
  const DesignField field(d, anatomy);
  const Raster& raster = field.raster();
  const SurfaceDomain dom(anatomy.head().vault(), raster);

  // Levels from the sparsest density up to the highest target of any zone.
  double top = 0;
  for (double t : d.target_per_cm2) top = std::max(top, t);
  SamplerOptions so;
  so.seed = hash64({d.seed, 0x444F5453ull});
  so.passes = 2;
  for (double dens = kSparsestPerCm2;; dens *= kLevelRatio) {
    so.radii_mm.push_back(spacing_for_density_mm(dens));
    if (dens >= top * 1.02) break;
  }
  ThreadPool pool(std::max(1, opt.threads));
  const PointSet base = sample_progressive(dom, so, pool);

  // Measured density of each level over the sampled area (mask), per cm^2.
  double mask_mm2 = 0;
  {
    const int n = raster.n;
    const double cell_mm2_per_rad2 = 1.0;
    (void)cell_mm2_per_rad2;
    for (int j = 0; j + 1 < n; ++j)
      for (int i = 0; i + 1 < n; ++i) {
        const double u = raster.u_of(i) + 0.5 * raster.step, v = raster.u_of(j) + 0.5 * raster.step;
        if (std::hypot(u, v) > raster.theta_max || !dom.inside(u, v)) continue;
        mask_mm2 += anatomy.head().area_element({u, v}) * raster.step * raster.step;
      }
  }
  Pattern p;
  p.sessions = d.sessions;
  p.base_points = base.size();
  p.level_radius_mm = so.radii_mm;
  for (std::size_t end : base.level_end) p.level_density_per_cm2.push_back(static_cast<double>(end) / (mask_mm2 / 100.0));

  std::array<bool, design::kZoneCount> treated{};
  for (Zone z : d.treated_zones) treated[static_cast<std::size_t>(z)] = true;
  const std::vector<double> fractions = session_fractions(d.sessions);
  const double shade = d.pigment.shade;
  // Follicular units: a grouped unit's centre is one dot of the sample and its
  // one or two satellites sit beside it, so centres are thinned by the mean
  // dots per unit and the density in dots stays the design's.
  const double fu = d.look == design::Look::scar_camouflage ? 0.0 : std::clamp(d.follicular_units, 0.0, 0.6);
  const double centre_share = 1.0 / (1.0 + fu * kSatellitesPerGroup);
  std::vector<std::size_t> group_heads;  // indices into p.dots

  for (std::size_t i = 0; i < base.size(); ++i) {
    const std::uint8_t lvl = base.level[i];
    const double lo = lvl == 0 ? 0.0 : p.level_density_per_cm2[lvl - 1], hi = p.level_density_per_cm2[lvl];
    const double rank = lo + unit_double(hash64({so.seed, i, 1})) * (hi - lo);
    if (rank >= top) continue;
    const Vec3 pos{base.x[i], base.y[i], base.z[i]};
    const double u = base.u[i], v = base.v[i];
    const Local l = field.at(u, v, pos, unit_double(hash64({so.seed, i, 2})));
    if (l.factor <= 0 || rank >= top * l.factor) continue;
    const double theta = std::hypot(u, v), phi = std::atan2(u, v);
    if (!anatomy.hair_bearing(theta, phi)) continue;
    const Zone zone = anatomy.zone_of(theta, phi);
    const std::size_t zi = static_cast<std::size_t>(zone);
    if (!treated[zi]) continue;
    // Hairline and scar dots stay single (a natural hairline is single hairs).
    const bool body = l.ramp >= 1 && !l.on_scar && !l.near_scar;
    const bool grouped = fu > 0 && body && unit_double(hash64({so.seed, i, 4})) < fu;
    const double want = d.target_per_cm2[zi] * l.factor * (fu > 0 && body ? centre_share : 1.0);
    if (rank >= want) continue;
    Dot dot;
    dot.id = static_cast<std::uint32_t>(i + 1);
    dot.unit = dot.id;
    dot.zone = zone;
    dot.session = 1;
    while (dot.session < d.sessions && rank >= fractions[dot.session - 1] * want) ++dot.session;
    dot.x_mm = base.x[i], dot.y_mm = base.y[i], dot.z_mm = base.z[i];
    dot.hairline = l.ramp < 1;
    dot.scar = l.on_scar;
    dot.needle = dot.hairline || l.near_scar ? Needle::single_point : Needle::three_point;
    Rng rng(hash64({so.seed, i, 3}));
    double depth, diameter;
    if (dot.scar) {
      depth = clamp_normal(rng, kScarDepthMm, kScarDepthSdMm, kDepthMinMm, kDepthMaxMm);
    } else if (dot.hairline) {
      depth = clamp_normal(rng, kHairlineDepthMm, kHairlineDepthSdMm, kDepthMinMm, kDepthMaxMm);
    } else {
      depth = clamp_normal(rng, kBodyDepthMm, kBodyDepthSdMm, kDepthMinMm, kDepthMaxMm);
    }
    if (dot.hairline) {
      const double mean = kHairlineDiameterFrontMm + (kBodyDiameterMm - kHairlineDiameterFrontMm) * l.ramp;
      diameter = clamp_normal(rng, mean, kHairlineDiameterSdMm, kHairlineDiameterFrontMm, kBodyDiameterMm);
    } else {
      diameter = clamp_normal(rng, kBodyDiameterMm, kBodyDiameterSdMm, kBodyDiameterMinMm, kBodyDiameterMaxMm);
    }
    diameter += kSpreadPerMmDepth * (depth - kBodyDepthMm);
    if (dot.scar) diameter *= kScarSpread;
    double s = shade * (dot.session == 1 ? kFoundationShade : dot.session >= 3 ? kDarkenShade : 1.0);
    if (dot.hairline) s *= kHairlineFrontShade + (1 - kHairlineFrontShade) * l.ramp;
    // Blend dots (into remaining hair, or around a scar) are lighter than the
    // body: a scar is shaded in, never outlined by a dark band.
    if (!dot.scar && l.loss < 1) s *= kBlendShade + (1 - kBlendShade) * l.loss;
    if (dot.scar) s *= kScarRetention;
    s *= 1 + kShadeSd * rng.normal();
    dot.depth_mm = static_cast<float>(depth);
    dot.diameter_mm = static_cast<float>(diameter);
    dot.shade = static_cast<float>(std::clamp(s, 0.05, 1.0));
    if (grouped) group_heads.push_back(p.dots.size());
    p.dots.push_back(dot);
  }
  p.unplaced_satellites = add_satellites(p, group_heads, anatomy, field, treated, base.size(), so.seed);

  // Dots never merge: each is at most its nearest-neighbour distance minus the
  // gap, so any two keep kMinEdgeGapMm between their edges.
  const std::vector<float> nn = nearest_neighbour_mm(p.dots);
  for (std::size_t i = 0; i < p.dots.size(); ++i)
    p.dots[i].diameter_mm = std::min(p.dots[i].diameter_mm, nn[i] - static_cast<float>(kMinEdgeGapMm));

  // Pigmented area and planned dots per treated zone, integrated on a ~1.5 mm grid.
  std::array<ZoneStats, design::kZoneCount> zs{};
  for (std::size_t z = 0; z < design::kZoneCount; ++z) {
    zs[z].zone = static_cast<Zone>(z);
    zs[z].target_per_cm2 = d.target_per_cm2[z];
  }
  const scalp::Ellipsoid& e = anatomy.head().vault();
  const double R = std::max({e.ax, e.az, e.ay});
  scalp::SurfaceIntegrator grid;
  grid.theta_max = raster.theta_max;
  grid.n_theta = static_cast<int>(std::ceil(raster.theta_max * R / 1.5));
  grid.n_phi = static_cast<int>(std::ceil(2 * kPi * R / 1.5));
  scalp::for_each_scalp_cell(anatomy, grid, [&](double theta, double phi, double area_mm2) {
    const double u = theta * std::sin(phi), v = theta * std::cos(phi);
    if (!dom.inside(u, v)) return;
    const Zone zone = anatomy.zone_of(theta, phi);
    const std::size_t zi = static_cast<std::size_t>(zone);
    if (!treated[zi]) return;
    const Local l = field.at(u, v, anatomy.head().point(theta, phi), 0.5);
    if (l.factor <= 0) return;
    zs[zi].area_cm2 += area_mm2 / 100;
    zs[zi].planned_dots += area_mm2 / 100 * d.target_per_cm2[zi] * l.factor;
  });
  for (const Dot& dot : p.dots) ++zs[static_cast<std::size_t>(dot.zone)].dots;
  for (std::size_t z = 0; z < design::kZoneCount; ++z)
    if (treated[z]) p.zones.push_back(zs[z]);
  return p;
}

io::Json pattern_stats(const Pattern& p) {
  io::Json j;
  j["format"] = "stipple.pattern-stats/1";
  j["dots_total"] = p.dots.size();
  std::vector<std::size_t> per_session(static_cast<std::size_t>(p.sessions), 0);
  for (const Dot& d : p.dots) ++per_session[d.session - 1u];
  io::Json sessions = io::Json::array();
  for (std::size_t s = 0; s < per_session.size(); ++s) sessions.push_back({{"session", s + 1}, {"dots", per_session[s]}});
  j["sessions"] = sessions;
  const auto r2 = [](double x) { return std::round(x * 100) / 100; };
  io::Json zones = io::Json::array();
  for (const ZoneStats& z : p.zones) {
    zones.push_back({{"zone", std::string(to_string(z.zone))},
                     {"area_cm2", r2(z.area_cm2)},
                     {"dots", z.dots},
                     {"density_per_cm2", z.area_cm2 > 0 ? r2(static_cast<double>(z.dots) / z.area_cm2) : 0.0},
                     {"target_per_cm2", r2(z.target_per_cm2)},
                     {"planned_per_cm2", z.area_cm2 > 0 ? r2(z.planned_dots / z.area_cm2) : 0.0}});
  }
  j["zones"] = zones;
  std::vector<float> nn = nearest_neighbour_mm(p.dots);
  std::sort(nn.begin(), nn.end());
  const auto q = [&](double f) { return nn.empty() ? 0.0 : static_cast<double>(nn[static_cast<std::size_t>(f * static_cast<double>(nn.size() - 1))]); };
  j["nearest_neighbor_mm"] = {{"min", std::round(q(0) * 1000) / 1000}, {"p5", std::round(q(0.05) * 1000) / 1000}, {"median", std::round(q(0.5) * 1000) / 1000}};
  double healed = 0;
  std::size_t single = 0;
  for (const Dot& d : p.dots) {
    healed += d.diameter_mm;
    single += d.needle == Needle::single_point;
  }
  j["mean_diameter_mm"] = p.dots.empty() ? 0.0 : std::round(healed / static_cast<double>(p.dots.size()) * 1000) / 1000;
  j["single_point_dots"] = single;
  j["follicular_units"] = {{"grouped", p.grouped_units}, {"unplaced_satellites", p.unplaced_satellites}};
  return j;
}

}  // namespace stipple::pattern
