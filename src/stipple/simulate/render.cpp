#include "stipple/simulate/render.h"

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "stipple/core/rng.h"
#include "stipple/core/thread_pool.h"
#include "stipple/design/measure.h"
#include "stipple/scalp/face.h"
#include "stipple/scalp/geodesic.h"
#include "stipple/scalp/hair_loss.h"
#include "stipple/simulate/splat.h"

namespace stipple::simulate {

using namespace detail;

namespace {

// --- Appearance constants (docs/simulate.md; modelling defaults unless cited) ---
// The remaining hair of a shaved head (docs/simulate.md, "Shaved hair"):
// follicular units at the brief's 65-85 FU/cm^2 (section 3), each of 1-4
// hairs (kHairsPerUnit below). A hair shows twice:
//  - above the skin, the stubble: a shaft of kShaftMm (scalp hair is 60-80 um,
//    Wolfram, J Am Acad Dermatol 2003) and kStubbleMm long, a day's growth
//    after the razor (about 0.35 mm a day: Vogt et al.; 1 cm in 28 days,
//    Ruszczak 2012 via BioNumbers 109909), leaving the skin at kExitDeg; it
//    covers its projected area in its own colour;
//  - under the skin, the shaft in its follicle, running at kExitDeg down to
//    where the light that returns from the skin no longer reaches: the
//    sampling depth of diffuse reflectance, kSampleDepthMm per channel (0.49
//    mm at 475 nm to 0.68 mm at 850 nm, Fredriksson et al., J Biomed Opt 2023,
//    28(11):115001). Light diffusing in the dermis passes a thin absorber
//    several times, so the shaft shadows a band kShadowGain times its width
//    (a modelling default); the shadow is soft, a Gaussian of kShadowSigmaMm,
//    and lies behind the exit point, where the follicle runs. It absorbs in
//    proportion to the shaft's melanin: 1 - its reflectance over white hair's.
// Grey hair is white hairs among pigmented ones (kGreyWhiteShare of them
// white; the pigmented ones dark brown, the colour most grey hair was); white
// hair is all white. A white shaft absorbs next to nothing under the skin, and
// its stubble is lighter than most skin: grey stubble is light, not dark.
constexpr double kFollicleDensityPerMm2 = 0.75, kShaftMm = 0.07, kStubbleMm = 0.35, kExitDeg = 45;
constexpr Rgb kSampleDepthMm{0.65, 0.55, 0.50};
constexpr double kShadowGain = 3, kShadowSigmaMm = 0.25, kGreyWhiteShare = 0.75;
// Scar tissue (brief section 11: only mature scars are treated, flat and no
// longer red): paler than the skin around it, with fewer melanocytes, smoother
// and a little shinier (modelling defaults: 12% more light, a third of the
// skin's texture, twice its sheen).
constexpr double kScarLighter = 0.12, kScarTexture = 0.33, kScarSheen = 2.0;
// A linear scar is drawn as splats every kScarStepMm along it.
constexpr double kScarStepMm = 0.25;
// Long hair of the density look (docs/simulate.md, "Long hair"). Each
// follicular unit grows 1-4 hairs (brief section 3), 2.2 on average (the
// brief's 100,000 hairs over 550-800 cm^2 at 65-85 FU/cm^2); a shaft is 0.07
// mm across (scalp hair is 60-80 um, Wolfram 2003). A unit's hairs lie
// together as one lock, as wide as their shafts side by side. Density work
// matches only while the hair is worn long, 5 cm or more (brief section 11):
// worn 150 mm long by women and 60 mm by men (modelling defaults), parted
// along the midline (women) or 25 mm to the left (men) from the hairline
// back to the crown whorl, combed away from the parting, then falling under
// its weight: along the scalp while the scalp faces up, hanging straight
// down past the head's widest line. It lies 1 mm off the skin at the root,
// the layer thickening with the length (up to kHairLayerMm).
constexpr double kHairWidthMm = kShaftMm, kHairLiftMm = 1.0, kHairLayerMm = 6, kHairStepMm = 5;
constexpr double kHairLengthWomenMm = 150, kHairLengthMenMm = 60, kPartOffsetMenMm = 25;
constexpr std::array<double, 4> kHairsPerUnit{0.20, 0.45, 0.30, 0.05};  // 1, 2, 3, 4 hairs: mean 2.2
// Smooth 3D value noise in [-1, 1]: values on the integer lattice, mixed by
// smoothstep weights. A lattice point's value is a hash of its coordinates:
// their sum with large odd weights, mixed by MurmurHash3's 32-bit finaliser
// (Appleby; a bijection whose every input bit changes about half the output
// bits), so the noise never repeats over a head. Plain integer arithmetic
// without tables, so a row of points is one loop of vector code.
class ValueNoise {
 public:
  explicit ValueNoise(std::uint32_t seed) : seed_(fmix(seed + 0x9e3779b9u)) {}
  [[gnu::always_inline]] float operator()(float x, float y, float z) const {
    const auto floor_int = [](float t) {
      const int i = static_cast<int>(t);
      return i - (t < static_cast<float>(i) ? 1 : 0);
    };
    const int ix = floor_int(x), iy = floor_int(y), iz = floor_int(z);
    const auto u = [](int i) { return static_cast<std::uint32_t>(i); };
    const std::uint32_t h = seed_ + u(ix) * kX + u(iy) * kY + u(iz) * kZ;
    const auto s = [](float t) { return t * t * (3 - 2 * t); };
    const auto lerp = [](float a, float b, float t) { return a + (b - a) * t; };
    const float tx = s(x - static_cast<float>(ix)), ty = s(y - static_cast<float>(iy)), tz = s(z - static_cast<float>(iz));
    const float x00 = lerp(value(h), value(h + kX), tx), x10 = lerp(value(h + kY), value(h + kX + kY), tx);
    const float x01 = lerp(value(h + kZ), value(h + kX + kZ), tx), x11 = lerp(value(h + kY + kZ), value(h + kX + kY + kZ), tx);
    return lerp(lerp(x00, x10, ty), lerp(x01, x11, ty), tz);
  }
  // Adds amp times the noise at (x, y, z) * scale to out, for n points.
  [[gnu::always_inline]] void add_row(const float* x, const float* y, const float* z, std::size_t n, float scale, float amp, float* out) const {
#pragma GCC ivdep  // the arrays are distinct
    for (std::size_t i = 0; i < n; ++i) out[i] += amp * (*this)(x[i] * scale, y[i] * scale, z[i] * scale);
  }

 private:
  static constexpr std::uint32_t kX = 0x8da6b343u, kY = 0xd8163841u, kZ = 0xcb1ab31fu;
  static std::uint32_t fmix(std::uint32_t h) {
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    return h ^ (h >> 16);
  }
  static float value(std::uint32_t h) { return static_cast<float>(static_cast<std::int32_t>(fmix(h))) * 0x1p-31f; }
  std::uint32_t seed_;
};

// The neutral mannequin around the scalp: ears, neck and the face's parts as
// ellipsoids (axis-aligned: centre and semi-axes, mm) placed from the head's
// landmarks (scalp/face.h for the face).
using Part = scalp::FacePart;
// Part ids (1 + index): the ears, the neck, then the face's parts in
// Face::parts() order: lower face, chin, the nose's bridge, tip and alae, eyes.
constexpr int kFirstEarPart = 1, kNeckPart = 3, kLowerFacePart = 4, kChinPart = 5, kNoseBridgePart = 6, kNoseTipPart = 7,
              kFirstAlaPart = 8, kFirstEyePart = 10;
// The face's skin: the parts whose normals blend where they meet (and with
// the vault's), and the blend's reach over each, mm.
constexpr std::array<std::pair<int, double>, 6> kFaceSkin{
    {{kLowerFacePart, 8}, {kChinPart, 8}, {kNoseBridgePart, 6}, {kNoseTipPart, 6}, {kFirstAlaPart, 6}, {kFirstAlaPart + 1, 6}}};

std::vector<Part> mannequin(const scalp::Anatomy& a, const scalp::Face& face) {
  const scalp::Ellipsoid& e = a.head().vault();
  const scalp::Landmarks& l = a.landmarks();
  std::vector<Part> parts;
  // The ears stand off the head at its side, their backs turned out by the
  // auriculocephalic angle: 22 degrees, within the 21-24 a panel judged
  // ideal and under the 30 past which an ear counts as protruding ("The
  // ideal auricular protrusion: an interactive perceptual pilot study").
  for (const Vec3& ear : {l.ear_canal_left, l.ear_canal_right}) {
    const double side = ear.x > e.center.x ? 1.0 : -1.0;
    parts.push_back(scalp::oriented_part(ear + Vec3{9 * side, 6, -6}, {6, 31, 17}, 0, -side * 22 * kPi / 180));
  }
  parts.push_back(face.neck);
  for (const Part& p : face.parts()) parts.push_back(p);
  return parts;
}

// Nearest hit (t > 0) of the ray o + t k with a part, or a negative t.
double hit_part(const Part& p, Vec3 o, Vec3 k) {
  const Vec3 oo = p.local(o), kk = p.local_dir(k);
  const double qa = dot(kk, kk), qb = 2 * dot(oo, kk), qc = dot(oo, oo) - 1;
  const double disc = qb * qb - 4 * qa * qc;
  if (disc < 0) return -1;
  const double t0 = (-qb - std::sqrt(disc)) / (2 * qa), t1 = (-qb + std::sqrt(disc)) / (2 * qa);
  return t0 > 0 ? t0 : t1;
}

Vec3 part_normal(const Part& p, Vec3 x) { return p.normal_at(x); }

// What a ray meets first: the scalp's vault or a part of the mannequin.
// id: -1 nothing (the backdrop), 0 the vault, 1 + i part i.
struct Hit {
  int id = -1;
  double t = 0;  // distance along the ray
};

// `skip`: bit i set for a part the ray cannot meet (its box is elsewhere on screen).
Hit trace(const scalp::Ellipsoid& e, const std::vector<Part>& parts, Vec3 o, Vec3 k, unsigned skip = 0) {
  Hit h;
  double best = 1e30;
  if (const auto v = scalp::hit_vault(e, o, k)) {
    best = dot(*v - o, k);
    h = {0, best};
  }
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (skip >> i & 1u) continue;
    if (static_cast<int>(i) + 1 >= kFirstEyePart && h.id < 0) continue;  // an eye shows only within the head's outline
    const double t = hit_part(parts[i], o, k);
    if (t > 0 && t < best) {
      best = t;
      h = {static_cast<int>(i) + 1, t};
    }
  }
  return h;
}

// Ray casting a row of pixels at a time against the vault's two halves and the
// mannequin's parts. Through pixel centres of one row the unnormalised ray is
// k(x) = ka + x kb, so in each quadric's own scaled frame the ray's quadratic
// has coefficients that are polynomials in x: a few multiply-adds and one
// square root a surface a pixel. Hits are returned as the parameter t of the
// unnormalised ray (the point is eye + t k(x)).
class RowTracer {
 public:
  RowTracer(const scalp::Ellipsoid& e, const std::vector<Part>& parts, const Camera& cam) : cam_(cam) {
    // The nearest any point of a surface can be: its bounding sphere's, and
    // for a half of the vault the plane that bounds it when the eye is beyond.
    const double dy = cam.eye.y - e.center.y;
    const auto sphere = [&](const Part& p) { return distance(cam.eye, p.c) - p.max_radius(); };
    const Part upper{e.center, {e.ax, e.ay, e.az}}, lower{e.center, {e.ax, e.ay_at(kPi), e.az}};
    surfaces_.push_back({upper, 1, 0, std::max(sphere(upper), -dy)});
    surfaces_.push_back({lower, -1, 0, std::max(sphere(lower), dy)});
    for (std::size_t i = 0; i < parts.size(); ++i) surfaces_.push_back({parts[i], 0, static_cast<int>(i) + 1, sphere(parts[i])});
    // Nearest first, so that a farther surface is skipped where a nearer one
    // was met before its bound (ties keep the order above).
    std::stable_sort(surfaces_.begin(), surfaces_.end(), [](const Surface& a, const Surface& b) { return a.nearest < b.nearest; });
  }
  // Pixels [x0, x1) of row y; `allowed(x, surface id)` says whether the part
  // can be met at x (its box on screen).
  template <class Allowed>
  void row(int y, int x0, int x1, std::int8_t* ids, float* ts, Allowed allowed) const {
    const Vec3 ka = cam_.ray_dir(0.5, y + 0.5), kb = cam_.ray_dir(1.5, y + 0.5) - ka;
    struct Coef {
      double a0, a1, a2, b0, b1, c, ky0, ky1, cy, near2;
      int half, id;
    };
    std::array<Coef, 16> co{};
    const std::size_t n = std::min(surfaces_.size(), co.size());
    for (std::size_t i = 0; i < n; ++i) {
      const Surface& s = surfaces_[i];
      const Vec3 o = s.q.local(cam_.eye), a = s.q.local_dir(ka), b = s.q.local_dir(kb);
      const double near = std::max(0.0, s.nearest);
      co[i] = {dot(a, a), 2 * dot(a, b), dot(b, b), dot(o, a), dot(o, b), dot(o, o) - 1, ka.y, kb.y, s.q.c.y, near * near, s.half, s.id};
    }
    // |k(x)|^2, to turn a hit's t into its distance.
    const double kk0 = dot(ka, ka), kk1 = 2 * dot(ka, kb), kk2 = dot(kb, kb);
    // Surface by surface, over the pixels whose ray can meet it: the
    // discriminant is a quadratic in x, A x^2 + B x + C, which for a quadric
    // seen from outside (A < 0) is nonnegative between its roots (taken a
    // pixel wider; each pixel still checks its own). Nearer hits replace
    // farther ones, in the surfaces' order.
    thread_local std::vector<double> best;
    best.assign(static_cast<std::size_t>(x1), 1e30);
    std::fill(ids + x0, ids + x1, std::int8_t{-1});
    std::fill(ts + x0, ts + x1, 0.0f);
    // Whether the ray through x meets the vault at all (either half's quadric):
    // an eye shows only within the head's outline, not past it.
    const auto meets_vault = [&](double xf) {
      for (std::size_t i = 0; i < n; ++i) {
        const Coef& c = co[i];
        if (c.id != 0) continue;
        const double qa = c.a0 + xf * (c.a1 + xf * c.a2), hb = c.b0 + xf * c.b1;
        if (hb * hb - qa * c.c >= 0) return true;
      }
      return false;
    };
    for (std::size_t i = 0; i < n; ++i) {
      const Coef& c = co[i];
      int lo = x0, hi = x1;
      const double A = c.b1 * c.b1 - c.a2 * c.c, B = 2 * c.b0 * c.b1 - c.a1 * c.c, C = c.b0 * c.b0 - c.a0 * c.c;
      if (A < 0) {
        const double D = B * B - 4 * A * C;
        if (D < 0) continue;
        const double r = std::sqrt(D), xa = (-B + r) / (2 * A), xb = (-B - r) / (2 * A);
        lo = static_cast<int>(std::clamp(std::floor(std::min(xa, xb)) - 1, static_cast<double>(x0), static_cast<double>(x1)));
        hi = static_cast<int>(std::clamp(std::ceil(std::max(xa, xb)) + 2, static_cast<double>(x0), static_cast<double>(x1)));
      }
      for (int x = lo; x < hi; ++x) {
        const double xf = x;
        double& b = best[static_cast<std::size_t>(x)];
        if (b * b * (kk0 + xf * (kk1 + xf * kk2)) <= c.near2) continue;  // met nearer than this surface can be
        if (c.id > 0 && !allowed(x, c.id)) continue;
        if (c.id >= kFirstEyePart && !meets_vault(xf)) continue;
        const double qa = c.a0 + xf * (c.a1 + xf * c.a2), hb = c.b0 + xf * c.b1;
        const double disc = hb * hb - qa * c.c;
        if (disc < 0) continue;
        const double root = std::sqrt(disc);
        for (const double t : {(-hb - root) / qa, (-hb + root) / qa}) {
          if (t <= 0 || t >= b) continue;
          if (c.half != 0 && ((cam_.eye.y + t * (c.ky0 + xf * c.ky1) >= c.cy) != (c.half > 0))) continue;
          b = t;
          ids[x] = static_cast<std::int8_t>(c.id);
          ts[x] = static_cast<float>(t);
          break;
        }
      }
    }
  }

 private:
  struct Surface {
    Part q;         // the quadric: an ellipsoid
    int half;       // +1 upper half only, -1 lower half only, 0 whole
    int id;         // 0 the vault, 1 + i part i
    double nearest;  // mm from the eye, at least (may be negative)
  };
  const Camera& cam_;
  std::vector<Surface> surfaces_;
};

// The pixels an axis-aligned box [lo, hi] can cover on screen, two pixels
// wider; the whole image if the box reaches behind the eye.
cv::Rect screen_rect(const Camera& cam, Vec3 lo, Vec3 hi, int W, int H) {
  double x0 = 1e30, y0 = 1e30, x1 = -1e30, y1 = -1e30;
  for (int c = 0; c < 8; ++c) {
    const Vec3 q{(c & 1) ? hi.x : lo.x, (c & 2) ? hi.y : lo.y, (c & 4) ? hi.z : lo.z};
    double x, y;
    if (!cam.project(q, x, y)) return {0, 0, W, H};
    x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
  }
  const int l = std::clamp(static_cast<int>(std::floor(x0)) - 2, 0, W), r = std::clamp(static_cast<int>(std::ceil(x1)) + 2, 0, W);
  const int t = std::clamp(static_cast<int>(std::floor(y0)) - 2, 0, H), b = std::clamp(static_cast<int>(std::ceil(y1)) + 2, 0, H);
  return {l, t, r - l, b - t};
}

// The mannequin's parts as seen by a camera: each with the pixels its box can
// cover, so a point is tested only against the parts that can be in front of it.
struct Occluders {
  const std::vector<Part>* parts = nullptr;
  const Camera* cam = nullptr;
  std::vector<cv::Rect> rects;
  std::vector<double> nearest;  // mm from the eye, at least, of each part (its bounding sphere)
  Occluders(const std::vector<Part>& ps, const Camera& c, int W, int H) : parts(&ps), cam(&c) {
    for (const Part& p : ps) {
      rects.push_back(screen_rect(c, p.c - p.half_extent(), p.c + p.half_extent(), W, H));
      nearest.push_back(distance(c.eye, p.c) - p.max_radius());
    }
  }
  // True when the surface point p of the vault is hidden from the eye by a part.
  bool hides(Vec3 p) const {
    double x, y;
    if (!cam->project(p, x, y)) return false;
    const cv::Point q(static_cast<int>(std::floor(x)), static_cast<int>(std::floor(y)));
    Vec3 k = p - cam->eye;
    const double len = std::sqrt(dot(k, k));
    k = k / len;
    for (std::size_t i = 0; i < parts->size(); ++i) {
      if (nearest[i] >= len || !rects[i].contains(q)) continue;
      const double t = hit_part((*parts)[i], cam->eye, k);
      if (t > 0 && t < len - 0.5) return true;
    }
    return false;
  }
};


}  // namespace

namespace detail {
// The slowly varying hair left on the chart (fraction of normal density, 0 off
// the hair-bearing scalp), on a raster of about 2 mm, with the area element.
struct HairRaster {
  double tm = 0, step = 0;
  int n = 0;
  std::vector<float> hair, area;
  float sample(const std::vector<float>& f, double u, double v) const {
    const double fu = std::clamp((u + tm) / step, 0.0, n - 1.001), fv = std::clamp((v + tm) / step, 0.0, n - 1.001);
    const int i = static_cast<int>(fu), j = static_cast<int>(fv);
    const float a = static_cast<float>(fu - i), b = static_cast<float>(fv - j);
    const auto at = [&](int ii, int jj) { return f[static_cast<std::size_t>(jj) * static_cast<std::size_t>(n) + static_cast<std::size_t>(ii)]; };
    return (1 - b) * ((1 - a) * at(i, j) + a * at(i + 1, j)) + b * ((1 - a) * at(i, j + 1) + a * at(i + 1, j + 1));
  }
};

// What a scene keeps on the chart: the hair raster and, on the same cells,
// 1 where the design pigments and 0 elsewhere.
struct SceneCharts {
  HairRaster hair;
  std::vector<float> treated;
  // 1 where the treated area lies in the hairline's transition (kLabelHairlineBand).
  std::vector<float> hairline_band;
  // Of each follicular unit (Scene::hair_units order): its hairs, how many of
  // them are white, and where the shadow of its shafts under the skin lies.
  std::vector<std::uint8_t> hairs, white;
  std::vector<Vec3> shadow_at;
};
}  // namespace detail

namespace {

// The design's treated area on the hair raster's cells: Coverage::pigmented
// (the look's wanted area in treated zones) at each cell's centre. Looked at
// on the corners of blocks of 4 x 4 cells first (8 mm: narrower than any
// treated shape, a scar's band being the scar and 10 mm each side): a block
// whose corners agree is filled from them, the others cell by cell.
std::vector<float> treated_raster(const design::Design& d, const scalp::Anatomy& a, const HairRaster& r, ThreadPool& pool) {
  const auto n = static_cast<std::size_t>(r.n);
  std::vector<float> out(n * n, 0.0f);
  if (d.treated_zones.empty()) return out;
  const design::Coverage cov(d, a);
  const auto at = [&](int i, int j) {
    const double u = -r.tm + i * r.step, v = -r.tm + j * r.step;
    const double theta = std::hypot(u, v);
    if (theta > r.tm) return 0.0f;
    const double phi = std::atan2(u, v);
    return cov.pigmented(theta, phi, a.zone_of(theta, phi)) ? 1.0f : 0.0f;
  };
  constexpr int kBlock = 4;
  const int blocks = (r.n + kBlock - 1) / kBlock;
  const auto corners = static_cast<std::size_t>(blocks + 1);
  std::vector<float> corner(corners * corners);
  pool.for_each(corners, [&](std::size_t cj) {
    for (std::size_t ci = 0; ci < corners; ++ci)
      corner[cj * corners + ci] = at(std::min(r.n - 1, static_cast<int>(ci) * kBlock), std::min(r.n - 1, static_cast<int>(cj) * kBlock));
  });
  pool.for_each(static_cast<std::size_t>(blocks), [&](std::size_t bj) {
    for (int bi = 0; bi < blocks; ++bi) {
      const std::size_t c00 = bj * corners + static_cast<std::size_t>(bi);
      const float v = corner[c00];
      const bool uniform = corner[c00 + 1] == v && corner[c00 + corners] == v && corner[c00 + corners + 1] == v;
      for (int j = static_cast<int>(bj) * kBlock; j < std::min(r.n, static_cast<int>(bj + 1) * kBlock); ++j)
        for (int i = bi * kBlock; i < std::min(r.n, (bi + 1) * kBlock); ++i)
          out[static_cast<std::size_t>(j) * n + static_cast<std::size_t>(i)] = uniform ? v : at(i, j);
    }
  });
  return out;
}

// Of the treated cells, 1 for those less than the hairline's transition (plus
// its irregularity) from the line: where the pattern ramps its density up
// from it (pattern.cpp, Pattern::at, which measures the same straight
// distance to the line's points).
std::vector<float> hairline_band_raster(const design::Design& d, const scalp::Anatomy& a, const HairRaster& r,
                                        const std::vector<float>& treated, ThreadPool& pool) {
  const auto n = static_cast<std::size_t>(r.n);
  std::vector<float> out(n * n, 0.0f);
  const design::HairlineCurve curve(a.head(), d.hairline);
  std::vector<Vec3> line;  // the line every half degree of azimuth it covers
  for (int k = 0; k < 720; ++k) {
    const double phi = -kPi + 2 * kPi * (k + 0.5) / 720;
    if (curve.covers(phi)) line.push_back(a.head().point(curve.theta_at(phi), phi));
  }
  if (line.empty()) return out;
  const double band = d.hairline.transition_mm + d.hairline.irregularity_mm;
  pool.for_each(n, [&](std::size_t j) {
    for (std::size_t i = 0; i < n; ++i) {
      if (treated[j * n + i] < 0.5f) continue;
      const double u = -r.tm + static_cast<double>(i) * r.step, v = -r.tm + static_cast<double>(j) * r.step;
      const double theta = std::hypot(u, v), phi = std::atan2(u, v);
      const Vec3 p = a.head().point(theta, phi);
      double best2 = band * band;
      for (const Vec3& q : line) best2 = std::min(best2, dot(q - p, q - p));
      if (best2 < band * band) out[j * n + i] = 1.0f;
    }
  });
  return out;
}

HairRaster hair_raster(const design::Design& d, const scalp::Anatomy& a, ThreadPool& pool) {
  HairRaster r;
  const scalp::Ellipsoid& e = a.head().vault();
  r.tm = kPi - 0.01;
  r.step = 2.0 / std::max({e.ax, e.ay, e.az});
  r.n = static_cast<int>(std::ceil(2 * r.tm / r.step)) + 1;
  r.step = 2 * r.tm / (r.n - 1);
  const std::size_t cells = static_cast<std::size_t>(r.n) * static_cast<std::size_t>(r.n);
  r.hair.assign(cells, 0.0f);
  r.area.assign(cells, 0.0f);
  const scalp::LossField field(a.head(), d.hair_loss);
  const auto radius = [](Vec2 uv) { return std::sqrt(uv.x * uv.x + uv.y * uv.y); };
  // The hair-bearing boundary's nearest and farthest reach (sampled every
  // quarter degree; it is a smooth curve): cells well inside the nearest need
  // no look at it, cells beyond the farthest hold no hair.
  double inner = kPi, outer = 0;
  for (int k = 0; k < 1440; ++k) {
    const double b = a.boundary_theta(-kPi + 2 * kPi * k / 1440);
    inner = std::min(inner, b), outer = std::max(outer, b);
  }
  inner -= r.step, outer += r.step;
  // Blocks of 4 x 4 cells: one evaluation of the loss field at the block's
  // centre fills the block when no feathered edge comes within reach of it.
  constexpr int kBlock = 4;
  const int blocks = (r.n + kBlock - 1) / kBlock;
  const auto uv_of = [&](double i, double j) { return Vec2{-r.tm + i * r.step, -r.tm + j * r.step}; };
  // The area element is smooth: taken at the blocks' corners and interpolated.
  const auto corners = static_cast<std::size_t>(blocks + 1);
  std::vector<double> corner_area(corners * corners);
  pool.for_each(corners, [&](std::size_t cj) {
    for (std::size_t ci = 0; ci < corners; ++ci) {
      const Vec2 uv = uv_of(static_cast<double>(ci * kBlock), static_cast<double>(cj * kBlock));
      if (radius(uv) < kPi) corner_area[cj * corners + ci] = a.head().area_element(uv);
    }
  });
  // The loss field over cells [i0, i1) x [j0, j1), from one look at their
  // centre: its value, whether it holds over them all, and whether no cell
  // there can hold hair.
  struct Look {
    double value = 1;
    bool uniform = false, bare = false;
  };
  const auto look = [&](int i0, int i1, int j0, int j1) {
    Look l;
    const Vec2 c = uv_of(0.5 * (i0 + i1 - 1), 0.5 * (j0 + j1 - 1));
    l.bare = radius(c) - r.step * std::max(i1 - i0, j1 - j0) > outer;
    if (l.bare || radius(c) > r.tm) return l;
    const Vec3 pc = a.head().chart_point(c);
    double reach = 0;
    for (const Vec2 corner : {uv_of(i0, j0), uv_of(i1 - 1, j0), uv_of(i0, j1 - 1), uv_of(i1 - 1, j1 - 1)}) {
      if (radius(corner) > r.tm) continue;
      reach = std::max(reach, length(a.head().chart_point(corner) - pc));
    }
    l.value = field.remaining(c, 1.5 * reach + r.step, l.uniform);
    return l;
  };
  const auto fill = [&](int bi, int bj, const Look& l) {
    const int i0 = bi * kBlock, j0 = bj * kBlock;
    const int i1 = std::min(r.n, i0 + kBlock), j1 = std::min(r.n, j0 + kBlock);
    for (int j = j0; j < j1; ++j)
      for (int i = i0; i < i1; ++i) {
        const Vec2 uv = uv_of(i, j);
        const double theta = radius(uv);
        if (theta > r.tm) continue;
        const std::size_t k = static_cast<std::size_t>(j) * static_cast<std::size_t>(r.n) + static_cast<std::size_t>(i);
        const double fi = static_cast<double>(i - i0) / kBlock, fj = static_cast<double>(j - j0) / kBlock;
        const std::size_t c00 = static_cast<std::size_t>(bj) * corners + static_cast<std::size_t>(bi);
        const double area = (1 - fj) * ((1 - fi) * corner_area[c00] + fi * corner_area[c00 + 1]) +
                            fj * ((1 - fi) * corner_area[c00 + corners] + fi * corner_area[c00 + corners + 1]);
        r.area[k] = static_cast<float>(area);
        if (l.bare || theta > outer) continue;
        // Soft edge over one raster step around the hair-bearing boundary.
        const double edge =
            theta < inner ? 1.0 : std::clamp((a.boundary_theta(std::atan2(uv.x, uv.y)) - theta) / r.step + 0.5, 0.0, 1.0);
        if (edge > 0) r.hair[k] = static_cast<float>(edge * (l.uniform ? l.value : field.remaining(uv)));
      }
  };
  // Super-blocks of 4 x 4 blocks first: inside a loss region or far from one,
  // a single look fills them.
  constexpr int kSuper = 4;
  const int supers = (blocks + kSuper - 1) / kSuper;
  pool.for_each(static_cast<std::size_t>(supers), [&](std::size_t sj) {
    for (int si = 0; si < supers; ++si) {
      const int b0 = si * kSuper, c0 = static_cast<int>(sj) * kSuper;
      const int b1 = std::min(blocks, b0 + kSuper), c1 = std::min(blocks, c0 + kSuper);
      const Look whole = look(b0 * kBlock, std::min(r.n, b1 * kBlock), c0 * kBlock, std::min(r.n, c1 * kBlock));
      for (int bj = c0; bj < c1; ++bj)
        for (int bi = b0; bi < b1; ++bi)
          fill(bi, bj, whole.uniform || whole.bare ? whole
                                                   : look(bi * kBlock, std::min(r.n, bi * kBlock + kBlock), bj * kBlock,
                                                          std::min(r.n, bj * kBlock + kBlock)));
    }
  });
  return r;
}

// Stubble: follicular units by stratified sampling of the chart. Cells are
// small enough that the densest place expects one unit a cell; each cell holds
// one unit, jittered in it, kept with probability density x area x hair left.
// The result is even like real follicles, without rows.
std::vector<Vec3> stubble_follicles(const design::Design& d, const scalp::Anatomy& a, const HairRaster& r,
                                    ThreadPool& pool) {
  // Scar tissue grows no hair: no follicle on a scar line or in an FUE punch.
  struct ScarBox {
    const scalp::Scar* scar;
    Vec3 lo, hi;  // the scar's bounding box, grown by half its width
  };
  std::vector<ScarBox> scars;
  for (const scalp::Scar& sc : d.hair_loss.scars) {
    if (sc.path.empty()) continue;
    const double m = 0.5 * sc.width_mm;
    ScarBox b{&sc, sc.path[0], sc.path[0]};
    for (const Vec3& q : sc.path) {
      b.lo = {std::min(b.lo.x, q.x), std::min(b.lo.y, q.y), std::min(b.lo.z, q.z)};
      b.hi = {std::max(b.hi.x, q.x), std::max(b.hi.y, q.y), std::max(b.hi.z, q.z)};
    }
    b.lo = b.lo - Vec3{m, m, m}, b.hi = b.hi + Vec3{m, m, m};
    scars.push_back(b);
  }
  const auto on_scar = [&](Vec3 p) {
    for (const ScarBox& b : scars) {
      if (p.x < b.lo.x || p.y < b.lo.y || p.z < b.lo.z || p.x > b.hi.x || p.y > b.hi.y || p.z > b.hi.z) continue;
      const double half = 0.5 * b.scar->width_mm;
      if (b.scar->kind != assess::ScarKind::FUE) {
        if (scalp::distance_to_polyline(p, b.scar->path, false) < half) return true;
      } else {
        for (const Vec3& c : b.scar->path)
          if (distance(p, c) < half) return true;
      }
    }
    return false;
  };
  const float max_area = *std::max_element(r.area.begin(), r.area.end());
  const double h = 1.0 / std::sqrt(kFollicleDensityPerMm2 * static_cast<double>(max_area));
  const int n = static_cast<int>(std::ceil(2 * r.tm / h));
  std::vector<std::vector<Vec3>> rows(static_cast<std::size_t>(n));
  pool.for_each(rows.size(), [&](std::size_t jj) {
    const int j = static_cast<int>(jj);
    for (int i = 0; i < n; ++i) {
      const double u = -r.tm + (i + 0.5) * h, v = -r.tm + (j + 0.5) * h;
      if (std::hypot(u, v) > r.tm) continue;
      const float hair = r.sample(r.hair, u, v);
      if (hair <= 0.01f) continue;
      const double keep = kFollicleDensityPerMm2 * static_cast<double>(r.sample(r.area, u, v)) * h * h * hair;
      Rng rng(hash64({d.seed, 0x53545542ull, static_cast<std::uint64_t>(i), static_cast<std::uint64_t>(j)}));
      if (rng.uniform() >= keep) continue;
      const double uu = u + (rng.uniform() - 0.5) * h, vv = v + (rng.uniform() - 0.5) * h;
      if (std::hypot(uu, vv) >= r.tm) continue;
      const Vec3 p = a.head().chart_point({uu, vv});
      if (!on_scar(p)) rows[jj].push_back(p);
    }
  });
  std::vector<Vec3> out;
  for (const auto& row : rows) out.insert(out.end(), row.begin(), row.end());
  return out;
}

// The point of the vault on the line from its centre through q.
Vec3 onto_vault(const scalp::Ellipsoid& e, Vec3 q) {
  const Vec3 d = q - e.center;
  const double ay = d.y >= 0 ? e.ay : e.ay_at(kPi);
  const double rho = std::sqrt(d.x * d.x / (e.ax * e.ax) + d.y * d.y / (ay * ay) + d.z * d.z / (e.az * e.az));
  return e.center + d / rho;
}

// The direction hair lies in at p (unit normal n): away from the crown whorl
// along the scalp, turning round the whorl close to it, and pulled a little
// down by its weight.
Vec3 hair_flow(Vec3 p, Vec3 n, Vec3 whorl) {
  const auto tangential = [&](Vec3 v) { return v - n * dot(n, v); };
  const Vec3 away = tangential(p - whorl);
  const double dist = length(away);
  const Vec3 dir = dist > 1e-6 ? away / dist : normalized(tangential({0, 0, 1}));
  const Vec3 f = dir + cross(n, dir) * (0.8 * std::exp(-dist / 25.0)) + tangential({0, -1, 0}) * 0.35;
  return normalized(tangential(f));
}

// One straight piece of a hair in the image: end points, the shaft's width in
// pixels, its unit tangent in the head's frame, and the rows it touches.
struct HairSeg {
  float x0, y0, x1, y1, w;
  float tx, ty, tz;
  int r0, r1;
};

// p, or where it is pushed out horizontally (x and z, y kept) to the surface
// of `part` (axis-aligned) grown by `margin` mm when it lies inside.
Vec3 outside_of(const Part& part, Vec3 p, double margin) {
  const Vec3 r{part.r.x + margin, part.r.y + margin, part.r.z + margin};
  const Vec3 q{(p.x - part.c.x) / r.x, (p.y - part.c.y) / r.y, (p.z - part.c.z) / r.z};
  const double across = q.x * q.x + q.z * q.z, room = 1 - q.y * q.y;
  if (room <= 0 || across >= room || across <= 1e-12) return p;
  const double s = std::sqrt(room / across);
  return {part.c.x + q.x * s * r.x, p.y, part.c.z + q.z * s * r.z};
}

// The locks of every follicular unit as image segments, sorted by first row.
// Locks rooted on the far side of the head or behind the ears are left out.
std::vector<HairSeg> hair_segments(const design::Design& d, const scalp::Anatomy& a, const std::vector<Vec3>& units,
                                   const std::vector<std::uint8_t>& unit_hairs, const Camera& cam, const std::vector<Part>& parts,
                                   int W, int H, ThreadPool& pool) {
  const scalp::Ellipsoid& e = a.head().vault();
  const scalp::Landmarks& l = a.landmarks();
  const Vec3 whorl = l.crown_whorl;
  const bool woman = design::head_sex(d) == scalp::HeadSex::female;
  const double length = woman ? kHairLengthWomenMm : kHairLengthMenMm;
  const double part_x = e.center.x + (woman ? 0.0 : kPartOffsetMenMm);
  const Vec3 down{0, -1, 0};
  const Occluders occluders(parts, cam, W, H);
  // Hair is worn off the face: a lock that would lie or hang in front of it,
  // below the brows' tops, between the outer corners of the eyes' sockets and
  // ahead of the ears, is taken to end there (tucked behind the ear, out of
  // the picture).
  const double ear_z = 0.5 * (l.ear_canal_left.z + l.ear_canal_right.z), face_half = 0.8 * e.ax;
  const auto over_face = [&](Vec3 q) { return q.z > ear_z + 15 && std::abs(q.x - e.center.x) < face_half && q.y < l.nasion.y + 30; };
  constexpr std::size_t kChunk = 256;
  std::vector<std::vector<HairSeg>> chunks((units.size() + kChunk - 1) / kChunk);
  pool.for_each(chunks.size(), [&](std::size_t c) {
    std::vector<HairSeg>& out = chunks[c];
    for (std::size_t i = c * kChunk; i < std::min(units.size(), (c + 1) * kChunk); ++i) {
      const Vec3 root = units[i];
      const Vec3 n0 = vault_normal(e, root);
      if (dot(n0, cam.eye - root) <= 0 || occluders.hides(root)) continue;
      Rng rng(hash64({d.seed, 0x4841495200ull, static_cast<std::uint64_t>(i)}));
      const double len = length * (0.85 + 0.3 * rng.uniform());
      const int steps = std::max(2, static_cast<int>(std::ceil(len / kHairStepMm)));
      const double step = len / steps;
      const double width = kHairWidthMm * unit_hairs[i];
      // Combed away from the parting in front of the whorl (to the root's side),
      // away from the whorl behind it.
      const double side = root.x >= part_x ? 1.0 : -1.0;
      const bool parted = root.z > whorl.z;
      double turn = 0.25 * rng.normal();
      const double curl = 0.03 * rng.normal();
      Vec3 base = root, hang_n = n0;
      bool hanging = false;
      double px = 0, py = 0;
      Vec3 prev;
      for (int k = 0; k <= steps; ++k) {
        const double s = k * step;
        const Vec3 n = hanging ? hang_n : vault_normal(e, base);
        const Vec3 p = hanging ? base : base + n * (kHairLiftMm + (kHairLayerMm - kHairLiftMm) * std::min(1.0, s / 60));
        double x, y;
        if (!cam.project(p, x, y)) break;
        if (k > 0 && dot(n, normalized(cam.eye - p)) > (hanging ? -0.3 : -0.05)) {
          double xr = x + 1, yr = y;
          cam.project(p + cam.R, xr, yr);
          const double taper = 1 - 0.7 * std::max(0.0, (s / len - 0.7) / 0.3);
          const Vec3 t = normalized(p - prev);
          const double w = width * std::hypot(xr - x, yr - y) * taper;
          out.push_back({static_cast<float>(px), static_cast<float>(py), static_cast<float>(x), static_cast<float>(y),
                         static_cast<float>(w), static_cast<float>(t.x), static_cast<float>(t.y), static_cast<float>(t.z),
                         static_cast<int>(std::floor(std::min(py, y))) - 2, static_cast<int>(std::ceil(std::max(py, y))) + 2});
        }
        px = x, py = y, prev = p;
        if (k == steps) break;
        if (hanging) {
          base = base + (down + hang_n * 0.03) * step;  // straight down, a little out
          if (over_face(base)) break;
          // It falls round the face and the neck, not through them: a point
          // inside one (grown by the hair's layer) goes out sideways to it.
          for (const int id : {kLowerFacePart, kChinPart, kNeckPart}) base = outside_of(parts[static_cast<std::size_t>(id - 1)], base, kHairLayerMm);
          continue;
        }
        const auto tangential = [&](Vec3 v) { return v - n * dot(n, v); };
        // Combed to the side and back, so the front hair frames the face; its
        // weight pulls it down on the sides and back, not over the face.
        Vec3 comb = parted ? tangential({side, 0, -0.5}) : hair_flow(base, n, whorl);
        comb = normalized(comb);
        const double weight = 1.5 * std::clamp(1 - n.z, 0.0, 1.5);
        Vec3 f = normalized(comb + tangential(down) * weight);
        f = f * std::cos(turn) + cross(n, f) * std::sin(turn);
        turn += curl;
        // Past the widest line the scalp turns under: the lock leaves it and hangs.
        if (n.y < -0.05 - 0.1 * rng.uniform() || base.y < e.center.y - 10 - 15 * rng.uniform()) {
          if (over_face(p)) break;
          hanging = true;
          hang_n = normalized(Vec3{n.x, 0, n.z});
          base = p;
          continue;
        }
        base = onto_vault(e, base + f * step);
        if (over_face(base)) break;
      }
    }
  });
  std::vector<HairSeg> out;
  for (const auto& c : chunks) out.insert(out.end(), c.begin(), c.end());
  std::sort(out.begin(), out.end(), [](const HairSeg& x, const HairSeg& y) { return x.r0 < y.r0; });
  return out;
}

// Adds hair segments to `buf` (4 floats a pixel: the shafts' coverage in px^2
// per px^2, and the coverage-weighted tangent) over rows [r0, r1); segments
// are sorted by r0 and span at most `tallest` rows. Each segment is sampled
// every pixel of its length; each sample spreads its piece of shaft over the
// 2 x 2 pixels round it with bilinear (tent) weights, which lose no coverage,
// leave no ripple along a row or column of samples a pixel apart, and blur as
// much as the pixel's own footprint (a tent's sigma is 1 / sqrt 6 = 0.41 px,
// kPixelSigma 0.42).
void hair_rows(const std::vector<HairSeg>& segs, cv::Mat& buf, int r0, int r1, int tallest) {
  const int W = buf.cols;
  const auto from = std::lower_bound(segs.begin(), segs.end(), r0 - tallest, [](const HairSeg& s, int row) { return s.r0 < row; });
  for (auto it = from; it != segs.end(); ++it) {
    const HairSeg& s = *it;
    if (s.r0 >= r1) break;
    if (s.r1 < r0) continue;
    const float dx = s.x1 - s.x0, dy = s.y1 - s.y0;
    const float len = std::sqrt(dx * dx + dy * dy);
    const int n = std::max(1, static_cast<int>(std::ceil(len)));
    const float piece = s.w * len / static_cast<float>(n);
    // Only the samples whose 2 x 2 pixels reach rows [r0, r1): v in [r0 - 1, r1).
    int k0 = 0, k1 = n;
    if (std::abs(dy) > 1e-6f) {
      const float fa = (static_cast<float>(r0 - 1) - (s.y0 - 0.5f)) / dy, fb = (static_cast<float>(r1) - (s.y0 - 0.5f)) / dy;
      const float lo = std::min(fa, fb) * static_cast<float>(n) - 0.5f, hi = std::max(fa, fb) * static_cast<float>(n) - 0.5f;
      k0 = std::clamp(static_cast<int>(std::floor(lo)) - 1, 0, n);
      k1 = std::clamp(static_cast<int>(std::ceil(hi)) + 2, 0, n);
    }
    for (int k = k0; k < k1; ++k) {
      const float f = (static_cast<float>(k) + 0.5f) / static_cast<float>(n);
      // Pixel centres lie at half-integers: weights from the offset past the one to the upper left.
      const float u = s.x0 + f * dx - 0.5f, v = s.y0 + f * dy - 0.5f;
      const int ix = static_cast<int>(std::floor(u)), iy = static_cast<int>(std::floor(v));
      const float ax = u - static_cast<float>(ix), ay = v - static_cast<float>(iy);
      const float wx[2] = {1 - ax, ax}, wy[2] = {1 - ay, ay};
      for (int j = 0; j < 2; ++j) {
        const int y = iy + j;
        if (y < r0 || y >= r1) continue;
        float* row = buf.ptr<float>(y);
        for (int i = 0; i < 2; ++i) {
          const int x = ix + i;
          if (x < 0 || x >= W) continue;
          const float c = piece * wx[i] * wy[j];
          float* px = row + 4 * x;
          px[0] += c, px[1] += c * s.tx, px[2] += c * s.ty, px[3] += c * s.tz;
        }
      }
    }
  }
}

// Skin texture: fine (0.4 mm) and medium (2 mm) grain and a faint
// blotchiness, as a relative change of the albedo.
constexpr float kFineScale = 2.5f, kMediumScale = 0.5f, kBlotchScale = 0.08f;
constexpr float kFineAmp = 0.035f, kMediumAmp = 0.03f, kBlotchAmp = 0.02f;

// What shading the scalp needs: the eye relative to the vault's centre, the
// vault's shape, the lights, the skin.
struct ScalpShading {
  Vec3 eye, center;
  double inv_x2, inv_z2, inv_up2, inv_down2;
  Vec3 key, fill;
  double wrap;
  std::array<float, 3> skin;
  std::array<float, 3> stubble_pigmented, stubble_white;  // reflectance of the stubble above the skin
  const ValueNoise *fine, *medium, *blotch;
  double redness_gain;  // kRednessGain times the skin's redness_visibility
};

// The scalp's pixels of one row that no outline crosses, gathered with their
// pigment and redness, and shaded all at once: structure-of-arrays floats in
// loops the compiler turns into vector code (the model of the scalar shading
// in render_prepared, which handles outlines, ears and neck).
struct ScalpRow {
  std::vector<float> px, py, pz, light, sheen, tex;
  std::array<std::vector<float>, 3> od;      // the optical density, a plane a channel
  std::array<std::vector<float>, 3> rgb;     // linear light
  std::array<std::vector<std::uint16_t>, 3> srgb_index;  // of kSrgb8Table
  // Room for w pixels.
  void reserve(std::size_t w) {
    if (px.size() >= w) return;
    for (auto* v : {&px, &py, &pz, &light, &sheen, &tex, &od[0], &od[1], &od[2], &rgb[0], &rgb[1], &rgb[2]}) v->resize(w);
    for (auto& v : srgb_index) v.resize(w);
  }
};
// A row's buffers, read at pixel x: the hit's t along the unnormalised ray,
// optical density (3 floats a pixel), redness, stubble cover (pigmented and
// white hairs) and scar tissue (a float a pixel; a row of zeros if none).
struct ScalpInputs {
  const float *t, *od, *red, *cover_p, *cover_w, *scar;
};

// Compiled twice, for AVX2 and for any x86-64, and chosen when the program
// starts; both give the same floats (no fused multiply-adds in either).
// Shades pixels [x0, x1) of a row into sr at x - base.
[[gnu::target_clones("avx2", "default")]] void shade_scalp_row(const ScalpShading& sh, const ScalpInputs& in, int x0, int x1, int base,
                                                              ScalpRow& sr, Vec3 ka, Vec3 kb) {
  const auto n = static_cast<std::size_t>(x1 - x0);
  const auto at = static_cast<std::size_t>(x0 - base);
  const auto f = [](double v) { return static_cast<float>(v); };
  const float ax = f(ka.x), ay = f(ka.y), az = f(ka.z), bx = f(kb.x), by = f(kb.y), bz = f(kb.z);
  const float ox = f(sh.eye.x), oy = f(sh.eye.y), oz = f(sh.eye.z);
  const float cx = f(sh.center.x), cy = f(sh.center.y), cz = f(sh.center.z);
  const float ix2 = f(sh.inv_x2), iz2 = f(sh.inv_z2), iup = f(sh.inv_up2), idown = f(sh.inv_down2);
  const float kx = f(sh.key.x), ky = f(sh.key.y), kz = f(sh.key.z), fx = f(sh.fill.x), fy = f(sh.fill.y), fz = f(sh.fill.z);
  const float wrap = f(sh.wrap), wrap_div = f(1 + sh.wrap);
  const float* hit_t = in.t + x0;
  float* lo = sr.light.data() + at;
  float* so = sr.sheen.data() + at;
  float* pxo = sr.px.data() + at;
  float* pyo = sr.py.data() + at;
  float* pzo = sr.pz.data() + at;
#pragma GCC ivdep  // the arrays are distinct
  for (std::size_t i = 0; i < n; ++i) {
    const auto xf = static_cast<float>(x0 + static_cast<int>(i));
    const float rx = ax + bx * xf, ry = ay + by * xf, rz = az + bz * xf;
    const float qx = ox + rx * hit_t[i], qy = oy + ry * hit_t[i], qz = oz + rz * hit_t[i];
    pxo[i] = cx + qx, pyo[i] = cy + qy, pzo[i] = cz + qz;
    const float gx = qx * ix2, gy = qy * (qy >= 0 ? iup : idown), gz = qz * iz2;
    const float gi = 1 / std::sqrt(gx * gx + gy * gy + gz * gz), ri = -1 / std::sqrt(rx * rx + ry * ry + rz * rz);
    const float nx = gx * gi, ny = gy * gi, nz = gz * gi, vx = rx * ri, vy = ry * ri, vz = rz * ri;
    const float nk = nx * kx + ny * ky + nz * kz, nv = nx * vx + ny * vy + nz * vz;
    const float dk = std::max(0.0f, (nk + wrap) / wrap_div), df = std::max(0.0f, nx * fx + ny * fy + nz * fz);
    const float amb = 0.16f + 0.08f * (0.5f + 0.5f * ny);
    const float m = 1 - std::max(0.0f, nv), m2 = m * m;
    const float fres = 0.04f + 0.96f * m2 * m2 * m;
    const float h1 = std::max(0.0f, (nk + nv) / std::sqrt(2 + 2 * (kx * vx + ky * vy + kz * vz)));
    const float h2 = h1 * h1, h4 = h2 * h2, h8 = h4 * h4, h16 = h8 * h8;
    lo[i] = 0.95f * dk + 0.25f * df + amb;
    so[i] = 0.10f * fres + 0.05f * h16 * h8;
  }
  float* tex = sr.tex.data() + at;
  std::fill(tex, tex + n, 0.0f);
  sh.fine->add_row(pxo, pyo, pzo, n, kFineScale, kFineAmp, tex);
  sh.medium->add_row(pxo, pyo, pzo, n, kMediumScale, kMediumAmp, tex);
  sh.blotch->add_row(pxo, pyo, pzo, n, kBlotchScale, kBlotchAmp, tex);
  const float* scar = in.scar + x0;
  const float lighter = f(kScarLighter), smoother = f(1 - kScarTexture), shinier = f(kScarSheen - 1);
#pragma GCC ivdep  // the arrays are distinct
  for (std::size_t i = 0; i < n; ++i) {
    const float c = std::min(scar[i], 1.0f);
    tex[i] *= 1 - smoother * c;
    so[i] *= 1 + shinier * c;
  }
  const float* red = in.red + x0;
  float* od0 = sr.od[0].data() + at;
  float* od1 = sr.od[1].data() + at;
  float* od2 = sr.od[2].data() + at;
  for (std::size_t i = 0; i < n; ++i) {
    const float* o = in.od + 3 * (static_cast<std::size_t>(x0) + i);
    od0[i] = o[0], od1[i] = o[1], od2[i] = o[2];
  }
  float* r0 = sr.rgb[0].data() + at;
  float* r1 = sr.rgb[1].data() + at;
  float* r2 = sr.rgb[2].data() + at;
  const float gain = f(sh.redness_gain), loss1 = f(kRednessLoss[1]), loss2 = f(kRednessLoss[2]);
  static_assert(kRednessLoss[0] == 0);  // redness takes nothing from red
  const std::array<float, 3> skin = sh.skin, sp = sh.stubble_pigmented, sw = sh.stubble_white;
  const float* cp = in.cover_p + x0;
  const float* cw = in.cover_w + x0;
#pragma GCC ivdep  // the arrays are distinct
  for (std::size_t i = 0; i < n; ++i) {
    const float rd = std::min(red[i] * gain, 1.0f);
    const float bare = std::max(0.0f, 1 - cp[i] - cw[i]) * (1 + lighter * std::min(scar[i], 1.0f));
    const float a0 = bare * skin[0] * (1 + tex[i]) * transmittance(od0[i]) + cp[i] * sp[0] + cw[i] * sw[0];
    const float a1 = bare * skin[1] * (1 + tex[i] * 1.1f) * (1 - loss1 * rd) * transmittance(od1[i]) + cp[i] * sp[1] + cw[i] * sw[1];
    const float a2 = bare * skin[2] * (1 + tex[i] * 1.2f) * (1 - loss2 * rd) * transmittance(od2[i]) + cp[i] * sp[2] + cw[i] * sw[2];
    r0[i] = a0 * lo[i] + so[i], r1[i] = a1 * lo[i] + so[i], r2[i] = a2 * lo[i] + so[i];
  }
  for (std::size_t k = 0; k < 3; ++k) {
    const float* c = sr.rgb[k].data() + at;
    std::uint16_t* q = sr.srgb_index[k].data() + at;
#pragma GCC ivdep  // the arrays are distinct
    for (std::size_t i = 0; i < n; ++i) q[i] = static_cast<std::uint16_t>(std::clamp(c[i], 0.0f, 1.0f) * 65535 + 0.5f);
  }
}

}  // namespace

namespace {
// Individual typology angle categories of Del Bino & Bernerd (2013), ITA =
// atan((L* - 50) / b*): a representative L*, a*, b* for each type
// (docs/simulate.md).
constexpr double kSkinLab[6][3] = {{77.7, 8, 16}, {67.8, 10, 16}, {61.0, 11, 17}, {55.5, 12, 18}, {47.0, 12, 18}, {37.4, 11, 15}};
}  // namespace

std::array<double, 3> skin_reflectance(int fitzpatrick) {
  const auto& l = kSkinLab[std::clamp(fitzpatrick, 1, 6) - 1];
  return lab_to_linear(l[0], l[1], l[2]);
}

double skin_lightness(int fitzpatrick) { return kSkinLab[std::clamp(fitzpatrick, 1, 6) - 1][0]; }

StageDots dots_for_stage(const std::vector<pattern::Dot>& dots, int sessions, const Stage& stage) {
  StageDots s;
  using K = Stage::Kind;
  if (stage.kind == K::before) return s;
  const int last = stage.kind == K::session ? std::min(stage.n, sessions) : sessions;
  for (const pattern::Dot& d : dots) {
    if (d.session > last) continue;
    const bool fresh = stage.kind == K::fresh ? true : stage.kind == K::session ? d.session == last : false;
    (fresh ? s.fresh : s.healed).push_back(&d);
  }
  return s;
}

namespace {

// The view's camera brought close: looking along the same direction at the
// mean of the dots whose scalp faces it (more than 60 degrees from edge-on),
// or at the middle of the frame when none does, so that `span_mm` fills the
// shorter side of the picture.
Camera close_up_camera(Camera cam, const scalp::Ellipsoid& e, const std::vector<pattern::Dot>& dots, double span_mm, int W, int H) {
  Vec3 sum{0, 0, 0};
  std::size_t n = 0;
  for (const pattern::Dot& dt : dots) {
    const Vec3 p{dt.x_mm, dt.y_mm, dt.z_mm};
    if (dot(vault_normal(e, p), cam.V) < 0.5) continue;
    sum = sum + p;
    ++n;
  }
  Vec3 target = cam.eye - cam.V * kEyeDistanceMm;
  if (n > 0) {
    // The mean lies inside the head: onto the vault along the view.
    const Vec3 mean = sum / static_cast<double>(n);
    if (const auto hit = scalp::hit_vault(e, mean + cam.V * kEyeDistanceMm, -cam.V)) target = *hit;
  }
  cam.eye = target + cam.V * kEyeDistanceMm;
  cam.focal = std::min(W, H) * kEyeDistanceMm / span_mm;
  return cam;
}

Rendered render_scene(const Scene& scene, const std::vector<pattern::Dot>& dots, int sessions, const RenderOptions& o,
                      ThreadPool& pool) {
  const design::Design& d = scene.design();
  const scalp::Anatomy& a = scene.anatomy();
  const int W = o.width, H = o.height;
  const scalp::Ellipsoid& e = a.head().vault();
  const Camera cam = o.close_up_mm > 0 ? close_up_camera(camera_for(o.view, e, W, H), e, dots, o.close_up_mm, W, H)
                                       : camera_for(o.view, e, W, H);
  const scalp::Face face = scalp::make_face(a, design::head_sex(d));
  const std::vector<Part> parts = mannequin(a, face);
  const Occluders occluders(parts, cam, W, H);
  // The vault's part of the face: below the brows' tops, in front.
  const double face_top = a.landmarks().nasion.y + 24 * face.scale, face_front = e.center.z + 0.35 * e.az;
  const auto in_face = [&](Vec3 p) { return p.y < face_top && p.z > face_front; };
  const int fitz = d.pigment.fitzpatrick.value_or(3);
  const Rgb skin = skin_reflectance(fitz);
  const double redness_gain = kRednessGain * redness_visibility(skin_lightness(fitz));
  const auto hs = design::hair_srgb(d.pigment.hair_color);
  const Rgb hair{srgb_to_linear(hs[0]), srgb_to_linear(hs[1]), srgb_to_linear(hs[2])};
  // Parallel loops over many small items go in chunks of this many.
  constexpr std::size_t kChunk = 512;
  const auto chunked = [&](std::size_t n, const std::function<void(std::size_t)>& fn) {
    pool.for_each((n + kChunk - 1) / kChunk, [&](std::size_t c) {
      for (std::size_t i = c * kChunk; i < std::min(n, (c + 1) * kChunk); ++i) fn(i);
    });
  };

  Rendered out;
  out.meta.view = o.view;
  out.meta.stage = o.stage;
  out.meta.width = W;
  out.meta.height = H;
  out.meta.close_up_mm = o.close_up_mm;
  {
    const Vec3 k = cam.ray(cam.cx, cam.cy);
    const Hit centre = trace(e, parts, cam.eye, k);
    const Vec3 at = centre.id >= 0 ? cam.eye + k * centre.t : e.center;
    out.meta.px_per_mm = cam.focal / -dot(at - cam.eye, cam.V);
  }

  // Pigment splats, one per dot in sight, made in parallel into their own slots.
  const bool faded = o.stage.kind == Stage::Kind::years;
  const double years = faded ? o.stage.n : 0.0;
  const double contrast = faded ? contrast_after(years, o.sun, fitz) : 1.0;
  const StageDots sd = dots_for_stage(dots, sessions, o.stage);
  const std::size_t n_dots = sd.healed.size() + sd.fresh.size();
  std::vector<Splat> made(n_dots);
  std::vector<std::uint8_t> state(n_dots, 0);  // 0 out of sight, 1 drawn, 2 drawn with its centre in the image
  chunked(n_dots, [&](std::size_t i) {
    const bool fresh = i >= sd.healed.size();
    const pattern::Dot& dt = fresh ? *sd.fresh[i - sd.healed.size()] : *sd.healed[i];
    const Vec3 p{dt.x_mm, dt.y_mm, dt.z_mm};
    const Vec3 n = vault_normal(e, p);
    if (dot(n, cam.eye - p) <= 0 || occluders.hides(p)) return;
    Splat& s = made[i];
    if (!dot_splat(cam, dt, n, fresh, years, contrast, W, H, s)) return;
    state[i] = s.x >= 0 && s.y >= 0 && s.x < static_cast<float>(W) && s.y < static_cast<float>(H) ? 2 : 1;
  });
  // The session's redness lies over the area it worked: every session goes
  // over the whole treated area, layering and filling in, so after session N
  // the dots of sessions 1 to N are its source (the fresh look of the pigment
  // is the new dots' alone); after the last session, every dot.
  std::vector<Splat> pigment, worked;
  const bool reddened = !sd.fresh.empty();
  for (std::size_t i = 0; i < n_dots; ++i) {
    if (state[i] == 0) continue;
    out.meta.visible_dots += state[i] == 2;
    pigment.push_back(made[i]);
    if (reddened) worked.push_back(made[i]);
  }

  // The client's own hair where it remains: stubble on a shaved head, longer
  // hair for the density look (docs/simulate.md).
  const bool long_hair = d.look == design::Look::density;
  // Shaved: the stubble above the skin and the shafts' shadow under it
  // (docs/simulate.md, "Shaved hair"); the colours of the pigmented and the
  // white hairs in linear light.
  using assess::HairColor;
  const bool greying = d.pigment.hair_color == HairColor::grey || d.pigment.hair_color == HairColor::white;
  const auto linear_hair = [](std::optional<HairColor> c) {
    const auto v = design::hair_srgb(c);
    return Rgb{srgb_to_linear(v[0]), srgb_to_linear(v[1]), srgb_to_linear(v[2])};
  };
  const Rgb pigmented_hair = linear_hair(greying ? std::nullopt : d.pigment.hair_color), white_hair = linear_hair(HairColor::white);
  const double exit = kExitDeg * kPi / 180;
  const double top_area = kShaftMm * kStubbleMm * std::cos(exit) + kPi * kShaftMm * kShaftMm / 4;  // mm^2 a hair
  Rgb shadow_area{};  // absorbing area a pigmented hair's shaft shadows under the skin, mm^2 per channel
  for (std::size_t k = 0; k < 3; ++k)
    shadow_area[k] = kShadowGain * kShaftMm * kSampleDepthMm[k] / std::tan(exit) * std::max(0.0, 1 - pigmented_hair[k] / white_hair[k]);
  std::vector<HairSeg> strands;
  int tall_strand = 0;  // the most rows a strand's segment spans
  std::vector<Splat> cover_p, cover_w;  // the stubble's coverage: pigmented and white hairs
  if (long_hair) {
    strands = hair_segments(d, a, scene.hair_units(), scene.charts().hairs, cam, parts, W, H, pool);
    for (const HairSeg& sg : strands) tall_strand = std::max(tall_strand, sg.r1 - sg.r0);
  } else {
    const std::vector<Vec3>& follicles = scene.hair_units();
    const auto& hairs = scene.charts().hairs;
    const auto& white = scene.charts().white;
    const double shadow_var = kShadowSigmaMm * kShadowSigmaMm;
    const auto& shadow_at = scene.charts().shadow_at;
    // Pigmented stubble darker than the skin in every channel (dark hair) is
    // folded into the shadow's splat: covering c of the skin with reflectance
    // rho takes c (1 - rho / skin) of its light, an absorbing area (the
    // mixing, linear in c, as c is a few percent). Lighter stubble (white
    // hairs; blonde or red on darker skin) is drawn as coverage in its colour.
    bool fold = true;
    Rgb top_absorbed{};
    for (std::size_t k = 0; k < 3; ++k) {
      fold = fold && pigmented_hair[k] < skin[k];
      top_absorbed[k] = top_area * std::max(0.0, 1 - pigmented_hair[k] / skin[k]);
    }
    // The shadow's per-channel amounts for 1-4 pigmented hairs: a Gaussian
    // absorbs 2 pi var Ein(peak), so the peak that absorbs the shafts' area.
    std::array<Rgb, 5> shadow_amount{};
    for (int pig = 1; pig <= 4; ++pig)
      for (std::size_t k = 0; k < 3; ++k) {
        const double area = pig * (shadow_area[k] + (fold ? top_absorbed[k] : 0.0));
        shadow_amount[static_cast<std::size_t>(pig)][k] = area > 0 ? 2 * kPi * shadow_var * ein_inverse(area / (2 * kPi * shadow_var)) : 0;
      }
    struct Made {
      std::vector<Splat> shadow, top_p, top_w;
    };
    constexpr std::size_t kUnits = 512;
    std::vector<Made> made_units((follicles.size() + kUnits - 1) / kUnits);
    pool.for_each(made_units.size(), [&](std::size_t c) {
      Made& m = made_units[c];
      for (std::size_t i = c * kUnits; i < std::min(follicles.size(), (c + 1) * kUnits); ++i) {
        const Vec3 p = follicles[i];
        const Vec3 n = vault_normal(e, p);
        if (dot(n, cam.eye - p) <= 0 || occluders.hides(p)) continue;
        const int pig = hairs[i] - white[i];
        Splat sp;
        if (pig > 0) {
          const Rgb& amount = shadow_amount[static_cast<std::size_t>(std::min(pig, 4))];
          const double most = std::max({amount[0], amount[1], amount[2]});
          if (most > 0 &&
              make_splat(cam, shadow_at[i], n, shadow_var, most, {amount[0] / most, amount[1] / most, amount[2] / most}, W, H, sp))
            m.shadow.push_back(sp);
          if (!fold && make_splat(cam, p, n, pig * top_area / (4 * kPi), 0, {}, W, H, sp)) m.top_p.push_back(sp);
        }
        if (white[i] > 0 && make_splat(cam, p, n, white[i] * top_area / (4 * kPi), 0, {}, W, H, sp)) m.top_w.push_back(sp);
      }
    });
    std::size_t total = pigment.size();
    for (const Made& m : made_units) total += m.shadow.size();
    pigment.reserve(total);
    for (const Made& m : made_units) {
      pigment.insert(pigment.end(), m.shadow.begin(), m.shadow.end());
      cover_p.insert(cover_p.end(), m.top_p.begin(), m.top_p.end());
      cover_w.insert(cover_w.end(), m.top_w.begin(), m.top_w.end());
    }
  }
  // Scar tissue: each linear scar as splats every kScarStepMm along it, a
  // Gaussian across of sigma width / 4 carrying the strip's area; each FUE
  // punch a splat of its disc.
  std::vector<Splat> scar_splats;
  for (const scalp::Scar& sc : d.hair_loss.scars) {
    const auto add = [&](Vec3 p, double var, double area) {
      const Vec3 n = vault_normal(e, p);
      if (dot(n, cam.eye - p) <= 0 || occluders.hides(p)) return;
      Splat sp;
      if (!make_splat(cam, p, n, var, 0, {}, W, H, sp)) return;
      sp.amp *= static_cast<float>(area / (4 * kPi * var));
      scar_splats.push_back(sp);
    };
    const double w = sc.width_mm;
    if (sc.kind == assess::ScarKind::FUE) {
      for (const Vec3& c : sc.path) add(c, w * w / 16, kPi * w * w / 4);
      continue;
    }
    for (std::size_t k = 1; k < sc.path.size(); ++k) {
      const Vec3 a0 = sc.path[k - 1], a1 = sc.path[k];
      const double len = distance(a0, a1);
      const int steps = std::max(1, static_cast<int>(std::ceil(len / kScarStepMm)));
      for (int j = 0; j < steps; ++j) add(onto_vault(e, a0 + (a1 - a0) * ((j + 0.5) / steps)), w * w / 16, w * len / steps);
    }
  }
  const int tall_pigment = sort_by_top(pigment, H), tall_fresh = sort_by_top(worked, H), tall_scar = sort_by_top(scar_splats, H),
            tall_p = sort_by_top(cover_p, H), tall_w = sort_by_top(cover_w, H);

  // The head's box on screen: all that is not backdrop.
  cv::Rect box = screen_rect(cam, e.center - Vec3{e.ax, e.ay_at(kPi), e.az}, e.center + Vec3{e.ax, e.ay, e.az}, W, H);
  std::vector<cv::Rect> part_box;
  for (const Part& p : parts) {
    part_box.push_back(screen_rect(cam, p.c - p.half_extent(), p.c + p.half_extent(), W, H));
    box |= part_box.back();
  }
  for (const HairSeg& sg : strands) {  // hair lying beyond the outline
    const int x0 = static_cast<int>(std::floor(std::min(sg.x0, sg.x1))) - 2, x1 = static_cast<int>(std::ceil(std::max(sg.x0, sg.x1))) + 2;
    box |= cv::Rect(x0, sg.r0, x1 - x0, sg.r1 - sg.r0) & cv::Rect(0, 0, W, H);
  }
  // Buffers are cleared band by band, in parallel, just before their splats;
  // the splats' buffers only where the shading reads them (the box) and the
  // splats reach.
  cv::Rect reached = box;
  for (const std::vector<Splat>* list : {&pigment, &cover_p, &cover_w, &scar_splats})
    for (const Splat& sp : *list) reached |= cv::Rect(sp.x0, sp.y0, sp.x1 - sp.x0 + 1, sp.y1 - sp.y0 + 1);
  cv::Mat od(H, W, CV_32FC3), redness, hair_cover, stubble_p, stubble_w, scar_cover;
  if (!scar_splats.empty()) scar_cover = cv::Mat(H, W, CV_32FC1);
  if (!worked.empty()) redness = cv::Mat(H, W, CV_32FC1);
  if (!cover_p.empty()) stubble_p = cv::Mat(H, W, CV_32FC1);
  if (!cover_w.empty()) stubble_w = cv::Mat(H, W, CV_32FC1);
  if (!strands.empty()) hair_cover = cv::Mat(H, W, CV_32FC4);
  const int band = 32;
  const std::size_t bands = static_cast<std::size_t>((H + band - 1) / band);
  pool.for_each(bands, [&](std::size_t b) {
    const int r0 = static_cast<int>(b) * band, r1 = std::min(H, r0 + band);
    const cv::Rect part = reached & cv::Rect(0, r0, W, r1 - r0);
    for (cv::Mat* m : {&od, &stubble_p, &stubble_w, &scar_cover})
      if (!m->empty() && !part.empty()) (*m)(part).setTo(cv::Scalar::all(0));
    for (cv::Mat* m : {&redness, &hair_cover})  // blurred over the whole picture; hair beyond the box
      if (!m->empty()) m->rowRange(r0, r1).setTo(cv::Scalar::all(0));
    splat_rows(pigment, od, 3, r0, r1, tall_pigment);
    if (!stubble_p.empty()) splat_rows(cover_p, stubble_p, 1, r0, r1, tall_p);
    if (!stubble_w.empty()) splat_rows(cover_w, stubble_w, 1, r0, r1, tall_w);
    if (!scar_cover.empty()) splat_rows(scar_splats, scar_cover, 1, r0, r1, tall_scar);
    if (!redness.empty()) splat_rows(worked, redness, 1, r0, r1, tall_fresh);
    if (!hair_cover.empty()) hair_rows(strands, hair_cover, r0, r1, tall_strand);
  });
  if (!redness.empty()) {
    const double sigma = std::max(0.8, kRednessSigmaMm * out.meta.px_per_mm);
    cv::GaussianBlur(redness, redness, cv::Size(0, 0), sigma);
  }

  // What every pixel's centre ray meets (within the head's box, above).
  // Sub-sample k (0-3) of pixel (x, y): the centres of its quarters; a unit ray.
  const auto sub_ray = [&](int x, int y, std::size_t k) {
    return cam.ray(x + 0.25 + 0.5 * static_cast<double>(k & 1), y + 0.25 + 0.5 * static_cast<double>(k >> 1));
  };
  // The parts a ray through pixel (x, y) cannot meet.
  const auto skip_at = [&](int x, int y) {
    unsigned skip = 0;
    for (std::size_t i = 0; i < part_box.size(); ++i)
      if (!part_box[i].contains({x, y})) skip |= 1u << i;
    return skip;
  };
  cv::Mat ids(H, W, CV_8SC1, cv::Scalar::all(-1)), ts(H, W, CV_32FC1);  // ts is read only where a ray met something
  const RowTracer tracer(e, parts, cam);
  // Of each row, the pixels [met_lo, met_hi) from the first to the last whose ray met something.
  std::vector<int> met_lo(static_cast<std::size_t>(H), W), met_hi(static_cast<std::size_t>(H), 0);
  pool.for_each(static_cast<std::size_t>(box.height), [&](std::size_t r) {
    const int y = box.y + static_cast<int>(r);
    std::int8_t* id_row = ids.ptr<std::int8_t>(y);
    tracer.row(y, box.x, box.x + box.width, id_row, ts.ptr<float>(y),
               [&](int x, int id) { return part_box[static_cast<std::size_t>(id - 1)].contains({x, y}); });
    int lo = box.x, hi = box.x + box.width;
    while (lo < hi && id_row[lo] < 0) ++lo;
    while (hi > lo && id_row[hi - 1] < 0) --hi;
    if (lo < hi) met_lo[static_cast<std::size_t>(y)] = lo, met_hi[static_cast<std::size_t>(y)] = hi;
  });

  // Shading, pixel by pixel.
  const Vec3 key = normalized(cam.R * -0.45 + cam.U * 0.6 + cam.V * 0.66);
  const Vec3 fill = normalized(cam.R * 0.7 + cam.U * 0.1 + cam.V * 0.7);
  const ValueNoise fine(11), medium(12), blotch(13);
  // Surface normals; the vault's is its implicit function's gradient.
  const double inv_x2 = 1 / (e.ax * e.ax), inv_z2 = 1 / (e.az * e.az);
  const double inv_up2 = 1 / (e.ay * e.ay), inv_down2 = 1 / (e.ay_at(kPi) * e.ay_at(kPi));
  const auto vault_gradient = [&](Vec3 p) {
    const Vec3 q = p - e.center;
    return Vec3{q.x * inv_x2, q.y * (q.y >= 0 ? inv_up2 : inv_down2), q.z * inv_z2};
  };
  // Roughly how far p lies outside part i (mm; negative inside), and outside the vault.
  const auto outside_part = [&](std::size_t i, Vec3 p) {
    const Part& pt = parts[i];
    const Vec3 q = pt.local(p);
    return (std::sqrt(dot(q, q)) - 1) * std::min({pt.r.x, pt.r.y, pt.r.z});
  };
  const auto outside_vault = [&](Vec3 p) {
    const Vec3 q = p - e.center;
    const double ay = q.y >= 0 ? e.ay : e.ay_at(kPi);
    return (std::sqrt(q.x * q.x * inv_x2 + q.y * q.y / (ay * ay) + q.z * q.z * inv_z2) - 1) * std::min({e.ax, ay, e.az});
  };
  // The face's parts meet each other and the vault in creases; near one the
  // normals are blended over the smaller part's reach (kFaceSkin), so the
  // light runs smoothly across (the outline keeps its shape).
  constexpr double kVaultBlendMm = 8;
  const auto blend = [&](Vec3 own, Vec3 other, double gap, double reach) {
    const double w = 0.5 * std::clamp(1 - gap / reach, 0.0, 1.0);
    return normalized(own * (1 - w) + other * w);
  };
  const auto skin_reach = [&](int id) {
    for (const auto& [k, reach] : kFaceSkin)
      if (k == id) return reach;
    return 0.0;
  };
  const auto normal = [&](int id, Vec3 p) {
    if (id != 0 && skin_reach(id) == 0) return part_normal(parts[static_cast<std::size_t>(id - 1)], p);
    if (id == 0 && !in_face(p)) {
      const Vec3 g = vault_gradient(p);
      return g * (1 / std::sqrt(dot(g, g)));
    }
    const double own_reach = id == 0 ? kVaultBlendMm : skin_reach(id);
    Vec3 n = id == 0 ? normalized(vault_gradient(p)) : part_normal(parts[static_cast<std::size_t>(id - 1)], p);
    if (id != 0) {
      const double reach = std::min(own_reach, kVaultBlendMm);
      const double gap = std::abs(outside_vault(p));
      if (gap < reach) n = blend(n, normalized(vault_gradient(p)), gap, reach);
    }
    for (const auto& [k, k_reach] : kFaceSkin) {
      if (k == id) continue;
      const double reach = std::min(own_reach, k_reach);
      const double gap = std::abs(outside_part(static_cast<std::size_t>(k - 1), p));
      if (gap < reach) n = blend(n, part_normal(parts[static_cast<std::size_t>(k - 1)], p), gap, reach);
    }
    return n;
  };
  // The creases' shade: skin close outside a part that stands over it (the
  // nose over the cheeks, the chin over the lip's fold, the jaw over the
  // neck, the head over the nape) receives less of the light; the darkening
  // is 1 - sum of strength (1 - gap / reach)^2 over such parts, at most 0.55.
  struct Crease {
    int over, on;  // the part standing over, the one shaded (-1: any of the face's skin)
    double reach_mm, strength;
  };
  constexpr std::array<Crease, 8> kCreases{{{kNoseBridgePart, -1, 6, 0.3},
                                            {kNoseTipPart, -1, 6, 0.25},
                                            {kFirstAlaPart, -1, 5, 0.25},
                                            {kFirstAlaPart + 1, -1, 5, 0.25},
                                            {kChinPart, kLowerFacePart, 5, 0.25},
                                            {kLowerFacePart, kNeckPart, 28, 0.5},
                                            {kChinPart, kNeckPart, 22, 0.4},
                                            {0, kNeckPart, 12, 0.3}}};
  const auto crease_light = [&](int id, Vec3 p) {
    const bool on_skin = id == 0 || skin_reach(id) > 0;
    double occ = 0;
    for (const Crease& c : kCreases) {
      if (c.over == id || (c.on < 0 ? !on_skin : c.on != id)) continue;
      const double gap = c.over == 0 ? outside_vault(p) : outside_part(static_cast<std::size_t>(c.over - 1), p);
      if (gap >= 0 && gap < c.reach_mm) occ += c.strength * (1 - gap / c.reach_mm) * (1 - gap / c.reach_mm);
    }
    return 1 - std::min(occ, 0.55);
  };
  // Soft light: wrapped diffuse key, a weaker fill, sky ambient; a mild sheen.
  // Written once for doubles (outline sub-samples, ears and neck) and once in
  // the scalp's row pass below, in floats; both follow this model.
  constexpr double kWrap = 0.35;
  struct Lit {
    double light, sheen;
  };
  const auto lighting = [&](Vec3 n, Vec3 view) {
    const double nk = dot(n, key), nv = dot(n, view);
    const double dk = std::max(0.0, (nk + kWrap) / (1 + kWrap)), df = std::max(0.0, dot(n, fill));
    const double amb = 0.16 + 0.08 * (0.5 + 0.5 * n.y);
    const double m = 1 - std::max(0.0, nv), m2 = m * m;
    const double fres = 0.04 + 0.96 * m2 * m2 * m;  // Schlick
    // n . h for the half vector h of key and view.
    const double h1 = std::max(0.0, (nk + nv) / std::sqrt(2 + 2 * dot(key, view)));
    const double h2 = h1 * h1, h4 = h2 * h2, h8 = h4 * h4, h16 = h8 * h8;
    return Lit{0.95 * dk + 0.25 * df + amb, 0.10 * fres + 0.05 * h16 * h8};
  };
  const std::array<float, 3> skin_f{static_cast<float>(skin[0]), static_cast<float>(skin[1]), static_cast<float>(skin[2])};
  // The light leaving a surface point p of part `id` (0: the scalp) under
  // pigment density `od` and redness `red`, lit as `lit`.
  const auto f3 = [](const Rgb& c) { return std::array<float, 3>{static_cast<float>(c[0]), static_cast<float>(c[1]), static_cast<float>(c[2])}; };
  const std::array<float, 3> stubble_pf = f3(pigmented_hair), stubble_wf = f3(white_hair);
  // The face (scalp/face.h), painted: brows in the hair's colour, a soft
  // shadow round each eye, the eyes' sclera, iris and pupil, the lips.
  const double fs = face.scale;
  const auto smooth = [](double lo, double hi, double t) {
    const double u = std::clamp((t - lo) / (hi - lo), 0.0, 1.0);
    return u * u * (3 - 2 * u);
  };
  // Brows grey later than the scalp: a grey head's brows a third white.
  const Rgb brow_hair = d.pigment.hair_color == HairColor::grey
                            ? Rgb{(2 * pigmented_hair[0] + white_hair[0]) / 3, (2 * pigmented_hair[1] + white_hair[1]) / 3,
                                  (2 * pigmented_hair[2] + white_hair[2]) / 3}
                        : d.pigment.hair_color == HairColor::white ? white_hair
                                                                   : pigmented_hair;
  const auto paint_face = [&](int id, Vec3 p, std::array<float, 3>& alb, Lit& lit) {
    const auto mix = [&](const Rgb& to, double c) {
      for (std::size_t k = 0; k < 3; ++k) alb[k] = static_cast<float>((1 - c) * alb[k] + c * to[k]);
    };
    const auto dim = [&](const Rgb& by, double c) {
      for (std::size_t k = 0; k < 3; ++k) alb[k] *= static_cast<float>(1 - c * (1 - by[k]));
    };
    if (id == 0 || id == kLowerFacePart) {  // the brows and sockets run on across the lower face's edge
      for (std::size_t side = 0; side < 2; ++side) {
        const Part& eye = face.eyes[side];
        const double u = std::hypot((p.x - eye.c.x) / (eye.r.x + 7 * fs), (p.y - eye.c.y) / (eye.r.y + 8 * fs));
        if (u < 1) dim({0.7, 0.66, 0.66}, 0.9 * (1 - smooth(0.35, 1.0, u)));  // the eye socket in shade
        const scalp::Brow& b = face.brows[side];
        const double ax = std::abs(p.x - e.center.x);
        const double in = std::abs(b.line.front().x - e.center.x), outer = std::abs(b.line.back().x - e.center.x);
        if (ax < in - 3 || ax > outer + 3 || (p.x - e.center.x) * (b.line.back().x - e.center.x) < 0) continue;
        const double t = std::clamp((ax - in) / (outer - in), 0.0, 1.0) * static_cast<double>(b.line.size() - 1);
        const std::size_t k = std::min(static_cast<std::size_t>(t), b.line.size() - 2);
        const double f = t - static_cast<double>(k);
        const double low = (1 - f) * b.line[k].y + f * b.line[k + 1].y, thick = (1 - f) * b.thickness[k] + f * b.thickness[k + 1];
        const double v = (p.y - low) / thick;
        const double ends = smooth(in - 3, in + 2, ax) * (1 - smooth(outer - 4, outer + 3, ax));
        const double strokes = 0.7 + 0.3 * fine(static_cast<float>(p.x * 3), static_cast<float>(p.y * 0.8), static_cast<float>(p.z * 3));
        const double cover = 0.85 * smooth(-0.15, 0.15, v) * (1 - smooth(0.8, 1.15, v)) * ends * strokes;
        if (cover > 0) mix(brow_hair, cover);
      }
    }
    if (id >= kFirstEyePart) {
      const Part& eye = face.eyes[static_cast<std::size_t>(id - kFirstEyePart)];
      const Vec3 pupil = face.pupils[static_cast<std::size_t>(id - kFirstEyePart)];
      const double r = std::hypot(p.x - pupil.x, p.y - pupil.y);
      alb = {0.66f, 0.63f, 0.60f};  // sclera
      mix({0.05, 0.03, 0.018}, 1 - smooth(face.iris_radius_mm - 0.6, face.iris_radius_mm + 0.3, r));
      mix({0.006, 0.006, 0.007}, 1 - smooth(face.pupil_radius_mm - 0.3, face.pupil_radius_mm + 0.3, r));
      // The lash line where the eyeball meets the lids.
      const double rim = (p.z - eye.c.z - face.eye_depth_mm) / (eye.r.z - face.eye_depth_mm);
      dim({0.25, 0.22, 0.22}, 1 - smooth(0.0, 0.15, rim));
      const double opening = eye.r.x * std::sqrt(1 - std::pow(face.eye_depth_mm / eye.r.z, 2));  // the fissure's half-width
      lit.sheen *= 2.5;  // wet
      // The lids over the eyeball, the skin's colour: the upper lid over its
      // top, and at the corners (the canthi), so that from the side only a
      // sliver of the eye shows between them.
      const double lid = std::max(smooth(0.25, 0.4, (p.y - eye.c.y) / eye.r.y), smooth(0.78, 0.95, std::abs(p.x - pupil.x) / opening));
      if (lid > 0) {
        const double tex = 1 + 0.5 * kFineAmp * fine(static_cast<float>(p.x * kFineScale), static_cast<float>(p.y * kFineScale), 0.0f);
        mix({skin[0] * 0.92 * tex, skin[1] * 0.9 * tex, skin[2] * 0.9 * tex}, lid);
        lit.sheen *= static_cast<float>(1 - 0.6 * lid);
      }
    } else if (id == kNoseTipPart || id == kFirstAlaPart || id == kFirstAlaPart + 1) {
      // The nostrils: under the tip, between the columella and the alae.
      const Part& tip = face.nose_tip;
      const double under = 1 - smooth(tip.c.y - 0.5 * tip.r.y, tip.c.y - 0.1 * tip.r.y, p.y);
      const double nx = (std::abs(p.x - tip.c.x) - 0.62 * tip.r.x) / (0.36 * tip.r.x), nz = (p.z - (tip.c.z - 0.1 * tip.r.z)) / (0.55 * tip.r.z);
      dim({0.25, 0.2, 0.2}, under * (1 - smooth(0.6, 1.0, std::hypot(nx, nz))));
    } else if (id == kLowerFacePart) {
      const double dx = p.x - face.stomion.x, dy = p.y - face.stomion.y, w = face.mouth_half_width_mm;
      if (std::abs(dx) < w) {
        const double k = std::sqrt(1 - (dx / w) * (dx / w));
        const double h = dy > 0 ? face.upper_lip_mm * (0.35 + 0.65 * k) : face.lower_lip_mm * (0.3 + 0.7 * k);
        const double lip = (1 - smooth(0.7 * h, h + 0.8, std::abs(dy))) * smooth(0, 0.15, k);
        dim({0.9, 0.62, 0.66}, lip);
        dim({0.45, 0.4, 0.4}, (1 - smooth(0.2, 0.9, std::abs(dy))) * smooth(0, 0.3, k));  // the mouth's line
      }
    }
  };
  // An ear's relief, painted on its outer face as the shade of its folds
  // (the helix's rim, the scapha's groove inside it, the antihelix, and the
  // concha's bowl round the ear canal, which lies at the part's front and
  // below its centre); the lobe below is smooth.
  const auto paint_ear = [&](const Part& ear, Vec3 p, std::array<float, 3>& alb) {
    const Vec3 q = ear.local(p);
    if (q.x * (ear.c.x > e.center.x ? 1 : -1) <= 0) return;
    const double u = q.y, v = q.z, rho = std::hypot(u, v);
    const double lobe = smooth(-0.75, -0.5, u);  // 0 on the lobe
    double shade = 1;
    shade -= 0.22 * lobe * smooth(0.6, 0.7, rho) * (1 - smooth(0.8, 0.88, rho));  // the scapha
    shade += 0.08 * lobe * smooth(0.88, 0.95, rho);                              // the helix catches the light
    const double cu = (u * ear.r.y + 2) / (0.36 * ear.r.y), cv = (v * ear.r.z - 4) / (0.42 * ear.r.z);  // the canal 6 mm below, 6 in front
    const double bowl = 1 - smooth(0.55, 1.0, std::hypot(cu, cv));
    shade -= 0.38 * bowl * (0.6 + 0.4 * (1 - smooth(0, 0.6, std::hypot(cu, cv))));
    for (float& c : alb) c *= static_cast<float>(shade);
  };
  const auto shade = [&](int id, Vec3 p, Lit lit, const float* od_px, float red, float cp, float cw, float scar) {
    const auto px = static_cast<float>(p.x), py = static_cast<float>(p.y), pz = static_cast<float>(p.z);
    scar = id == 0 ? std::min(scar, 1.0f) : 0.0f;
    lit.sheen *= 1 + (kScarSheen - 1) * scar;
    const float tex = (1 - static_cast<float>(1 - kScarTexture) * scar) * (kFineAmp * fine(px * kFineScale, py * kFineScale, pz * kFineScale) +
                      kMediumAmp * medium(px * kMediumScale, py * kMediumScale, pz * kMediumScale) +
                      kBlotchAmp * blotch(px * kBlotchScale, py * kBlotchScale, pz * kBlotchScale));
    std::array<float, 3> alb{skin_f[0] * (1 + tex), skin_f[1] * (1 + tex * 1.1f), skin_f[2] * (1 + tex * 1.2f)};
    if (id != 0 || in_face(p)) lit.light *= crease_light(id, p);
    if ((id == 0 && in_face(p)) || id >= kLowerFacePart) paint_face(id, p, alb, lit);
    if (id == kFirstEarPart || id == kFirstEarPart + 1) paint_ear(parts[static_cast<std::size_t>(id - 1)], p, alb);
    if (id == 0) {  // pigment, hair and redness only on the scalp
      const float r = std::min(red * static_cast<float>(redness_gain), 1.0f);
      const float bare = std::max(0.0f, 1 - cp - cw) * (1 + static_cast<float>(kScarLighter) * scar);
      for (std::size_t k = 0; k < 3; ++k)
        alb[k] = bare * alb[k] * (1 - static_cast<float>(kRednessLoss[k]) * r) * transmittance(od_px[k]) + cp * stubble_pf[k] + cw * stubble_wf[k];
    }
    return Rgb{alb[0] * lit.light + lit.sheen, alb[1] * lit.light + lit.sheen, alb[2] * lit.light + lit.sheen};
  };
  const ScalpShading scalp_shading{
      .eye = cam.eye - e.center,
      .center = e.center,
      .inv_x2 = inv_x2,
      .inv_z2 = inv_z2,
      .inv_up2 = inv_up2,
      .inv_down2 = inv_down2,
      .key = key,
      .fill = fill,
      .wrap = kWrap,
      .skin = skin_f,
      .stubble_pigmented = stubble_pf,
      .stubble_white = stubble_wf,
      .fine = &fine,
      .medium = &medium,
      .blotch = &blotch,
      .redness_gain = redness_gain,
  };
  // Hair over what the pixel shows: coverage 1 - exp(-c) of the shafts' summed
  // coverage c, lit as fibres (Kajiya & Kay 1989: diffuse by the sine of the
  // angle between tangent and light, a highlight by the sine toward the half
  // vector) and shadowed on the side of the head away from the key light; the
  // skin between dense hairs lies in their shade.
  const Vec3 key_half = normalized(key + cam.V);
  const auto over_hair = [&](Rgb c, const float* hc, Vec3 n) {
    const double cover = 1 - std::exp(-static_cast<double>(hc[0]));
    Vec3 t{hc[1], hc[2], hc[3]};
    const double tl = length(t);
    t = tl > 1e-9 ? t / tl : cam.U;
    const double sk = std::sqrt(std::max(0.0, 1 - dot(t, key) * dot(t, key)));
    const double sf = std::sqrt(std::max(0.0, 1 - dot(t, fill) * dot(t, fill)));
    const double shadow = std::clamp(0.55 + 0.6 * dot(n, key), 0.15, 1.0);
    const double th = dot(t, key_half), sh = std::sqrt(std::max(0.0, 1 - th * th));
    const double sh2 = sh * sh, sh4 = sh2 * sh2, sh8 = sh4 * sh4, sh16 = sh8 * sh8, sh32 = sh16 * sh16;
    const double light = (0.8 * sk * shadow + 0.22 * sf + 0.12);
    const double spec = 0.07 * sh32 * sh16 * shadow;
    const double under = 1 - 0.3 * cover;
    Rgb mixed;
    for (std::size_t k = 0; k < 3; ++k) mixed[k] = (1 - cover) * under * c[k] + cover * (hair[k] * light + spec * (0.6 + 0.4 * hair[k]));
    return mixed;
  };
  // The match and the scar's contrast are measured on a grid of about 1 px a
  // mm (every label_step-th pixel each way): its labels and light are kept
  // there; all pixels are labelled only when the label picture is wanted.
  const bool all_labels = o.labels;
  const int label_step = std::max(1, static_cast<int>(out.meta.px_per_mm));
  const int GW = (W + label_step - 1) / label_step, GH = (H + label_step - 1) / label_step;
  cv::Mat img(H, W, CV_8UC3), labels(all_labels ? H : 0, all_labels ? W : 0, CV_8UC1);
  cv::Mat grid_labels(GH, GW, CV_8UC1, cv::Scalar::all(0));
  cv::Mat light(GH, GW, CV_32FC2, cv::Scalar::all(0));  // of the scalp's lone pixels: light and sheen, for the match
  const auto label_of = [&](int id, Vec3 p) {
    if (id != 0) return static_cast<std::uint8_t>(id < 0 ? Label::background : Label::face);
    const std::uint8_t code = scene.label_code(p);
    return code == static_cast<std::uint8_t>(Label::skin) && in_face(p) ? static_cast<std::uint8_t>(Label::face) : code;
  };
  pool.for_each(static_cast<std::size_t>(H), [&](std::size_t yy) {
    const int y = static_cast<int>(yy);
    cv::Vec3b* row = img.ptr<cv::Vec3b>(y);
    // Labels: every pixel when asked for, and always the match's grid.
    const bool on_grid_row = y % label_step == 0;
    std::uint8_t* label_row = all_labels ? labels.ptr<std::uint8_t>(y) : nullptr;
    std::uint8_t* grid_row = on_grid_row ? grid_labels.ptr<std::uint8_t>(y / label_step) : nullptr;
    auto* light_row = on_grid_row ? light.ptr<cv::Vec2f>(y / label_step) : nullptr;
    if (label_row) std::fill(label_row, label_row + W, std::uint8_t{0});
    const auto put_label = [&](int x, auto make) {
      const bool on_grid = on_grid_row && x % label_step == 0;
      if (!label_row && !on_grid) return;
      const std::uint8_t v = make();
      if (label_row) label_row[x] = v;
      if (on_grid) grid_row[x / label_step] = v;
    };
    // Background: a soft studio grey, lighter at the top.
    const double g = 0.50 + 0.18 * (1.0 - static_cast<double>(y) / H);
    const Rgb bg{g * 0.96, g * 0.97, g};
    const cv::Vec3b bg8(to_srgb8(bg[2]), to_srgb8(bg[1]), to_srgb8(bg[0]));
    const bool in_rows = y >= box.y && y < box.y + box.height;
    if (!in_rows) {
      std::fill(row, row + W, bg8);
      return;
    }
    // Past a pixel beyond what this row and its neighbours met lies only the
    // backdrop (unless hair lies over it).
    int bx0 = box.x, bx1 = box.x + box.width;
    if (hair_cover.empty()) {
      int lo = W, hi = 0;
      for (int near = std::max(y - 1, 0); near <= std::min(y + 1, H - 1); ++near)
        lo = std::min(lo, met_lo[static_cast<std::size_t>(near)]), hi = std::max(hi, met_hi[static_cast<std::size_t>(near)]);
      bx0 = std::max(bx0, lo - 1), bx1 = std::max(bx0, std::min(bx1, hi + 1));
    }
    std::fill(row, row + bx0, bg8);
    std::fill(row + bx1, row + W, bg8);
    const float* odr = od.ptr<float>(y);
    const float* red = redness.empty() ? nullptr : redness.ptr<float>(y);
    const float* hair_row = hair_cover.empty() ? nullptr : hair_cover.ptr<float>(y);
    const float* sp_row = stubble_p.empty() ? nullptr : stubble_p.ptr<float>(y);
    const float* sw_row = stubble_w.empty() ? nullptr : stubble_w.ptr<float>(y);
    const float* scar_row = scar_cover.empty() ? nullptr : scar_cover.ptr<float>(y);
    const float* t_row = ts.ptr<float>(y);
    const auto* id_row = ids.ptr<std::int8_t>(y);
    const auto* id_up = ids.ptr<std::int8_t>(std::max(y - 1, 0));
    const auto* id_down = ids.ptr<std::int8_t>(std::min(y + 1, H - 1));
    // The unnormalised ray through pixel centres of this row: ka + x kb.
    const Vec3 ka = cam.ray_dir(0.5, y + 0.5), kb = cam.ray_dir(1.5, y + 0.5) - ka;
    // A pixel whose neighbours' centres meet the same thing is covered by it
    // alone; one on an outline takes four sub-samples. The scalp's lone
    // pixels are lit first, all at once.
    // A pixel whose eight neighbours' centres meet what its own does is
    // alone[x]: col[x + 1] is what the three rows meet at x when they agree
    // (else -2, which no id takes), padded at both ends.
    thread_local std::vector<std::int8_t> col;
    thread_local std::vector<std::uint8_t> alone;
    thread_local ScalpRow sr;
    col.resize(static_cast<std::size_t>(W) + 2);
    alone.resize(static_cast<std::size_t>(W));
    sr.reserve(static_cast<std::size_t>(box.width));
    const int c0 = std::max(bx0 - 1, 0), c1 = std::min(bx1 + 1, W);
    std::int8_t* cl = col.data() + 1;
#pragma GCC ivdep  // the rows are distinct
    for (int x = c0; x < c1; ++x) {
      const bool same = (id_up[x] == id_row[x]) & (id_down[x] == id_row[x]);
      cl[x] = same ? id_row[x] : std::int8_t{-2};
    }
    cl[-1] = cl[0];
    cl[W] = cl[W - 1];
    std::uint8_t* al = alone.data();
#pragma GCC ivdep  // the rows are distinct
    for (int x = bx0; x < bx1; ++x) al[x] = (cl[x] != -2) & (cl[x - 1] == cl[x]) & (cl[x + 1] == cl[x]);
    // A pixel not alone takes four sub-samples; if they all meet what its
    // centre does, it is covered by that alone after all.
    thread_local std::vector<std::array<Hit, 4>> sub;
    sub.resize(static_cast<std::size_t>(W));
    for (int x = bx0; x < bx1; ++x) {
      if (alone[static_cast<std::size_t>(x)]) continue;
      std::array<Hit, 4>& hits = sub[static_cast<std::size_t>(x)];
      const unsigned skip = skip_at(x, y);
      bool same = true;
      for (std::size_t k = 0; k < 4; ++k) {
        hits[k] = trace(e, parts, cam.eye, sub_ray(x, y, k), skip);
        same = same && hits[k].id == id_row[x];
      }
      alone[static_cast<std::size_t>(x)] = same;
    }
    // The scalp's lone pixels shaded at once, run by run of neighbours, and
    // finished; the rest (outlines, the mannequin, the backdrop) one by one after.
    thread_local std::vector<int> rest;
    thread_local std::vector<float> zeros;
    thread_local std::vector<std::pair<int, int>> runs;  // [x0, x1)
    rest.clear();
    runs.clear();
    zeros.assign(static_cast<std::size_t>(W), 0.0f);
    for (int x = bx0; x < bx1; ++x) {
      if (!alone[static_cast<std::size_t>(x)] || id_row[x] != 0) {
        rest.push_back(x);
        continue;
      }
      if (!runs.empty() && runs.back().second == x) ++runs.back().second;
      else runs.emplace_back(x, x + 1);
    }
    const ScalpInputs in{
        .t = t_row,
        .od = odr,
        .red = red ? red : zeros.data(),
        .cover_p = sp_row ? sp_row : zeros.data(),
        .cover_w = sw_row ? sw_row : zeros.data(),
        .scar = scar_row ? scar_row : zeros.data(),
    };
    for (const auto& [x0, x1] : runs) shade_scalp_row(scalp_shading, in, x0, x1, bx0, sr, ka, kb);
    for (const auto& [x0, x1] : runs) {
      for (int x = x0; x < x1; ++x) {
        const auto i = static_cast<std::size_t>(x - bx0);
        const Vec3 p{sr.px[i], sr.py[i], sr.pz[i]};
        const bool haired = hair_row && hair_row[4 * x] > 1e-4f;
        if (in_face(p)) {  // the brows and eye sockets painted
          const Vec3 ray = ka + kb * static_cast<double>(x);
          Rgb c = shade(0, p, lighting(normal(0, p), ray * (-1 / std::sqrt(dot(ray, ray)))), odr + 3 * x, in.red[x], in.cover_p[x],
                        in.cover_w[x], in.scar[x]);
          if (haired) c = over_hair(c, hair_row + 4 * x, normal(0, p));
          row[x] = cv::Vec3b(to_srgb8(c[2]), to_srgb8(c[1]), to_srgb8(c[0]));
        } else if (haired) {
          const Rgb c = over_hair({sr.rgb[0][i], sr.rgb[1][i], sr.rgb[2][i]}, hair_row + 4 * x, normal(0, p));
          row[x] = cv::Vec3b(to_srgb8(c[2]), to_srgb8(c[1]), to_srgb8(c[0]));
        } else {
          row[x] = cv::Vec3b(kSrgb8Table[sr.srgb_index[2][i]], kSrgb8Table[sr.srgb_index[1][i]], kSrgb8Table[sr.srgb_index[0][i]]);
        }
      }
      // Labels where wanted: every pixel, or the grid's.
      const int step = label_row ? 1 : on_grid_row ? label_step : 0;
      if (step == 0) continue;
      for (int x = (x0 + step - 1) / step * step; x < x1; x += step) {
        const auto i = static_cast<std::size_t>(x - bx0);
        put_label(x, [&] { return label_of(0, {sr.px[i], sr.py[i], sr.pz[i]}); });
        if (on_grid_row && x % label_step == 0) light_row[x / label_step] = {sr.light[i], sr.sheen[i]};
      }
    }
    for (const int x : rest) {
      const int id = id_row[x];
      const bool uniform = alone[static_cast<std::size_t>(x)] != 0;
      const float red_px = red ? red[x] : 0.0f, cp_px = sp_row ? sp_row[x] : 0.0f, cw_px = sw_row ? sw_row[x] : 0.0f,
                  scar_px = scar_row ? scar_row[x] : 0.0f;
      const bool haired = hair_row && hair_row[4 * x] > 1e-4f;
      if (id != 0)
        put_label(x, [&] { return id < 0 && haired && hair_row[4 * x] > 0.7f ? static_cast<std::uint8_t>(Label::hair) : label_of(id, {}); });
      else if (!uniform)
        put_label(x, [&] { return label_of(0, cam.eye + (ka + kb * static_cast<double>(x)) * static_cast<double>(t_row[x])); });
      Rgb c{0, 0, 0};
      if (uniform) {
        if (id < 0 && !haired) {
          row[x] = bg8;
          continue;
        }
        if (id < 0) {
          c = over_hair(bg, hair_row + 4 * x, cam.V);
        } else {
          const Vec3 ray = ka + kb * static_cast<double>(x);
          const Vec3 p = cam.eye + ray * static_cast<double>(t_row[x]);
          c = shade(id, p, lighting(normal(id, p), ray * (-1 / std::sqrt(dot(ray, ray)))), odr + 3 * x, red_px, cp_px, cw_px, scar_px);
          if (haired) c = over_hair(c, hair_row + 4 * x, normal(id, p));
        }
      } else {
        // The four sub-samples, each surface met shaded once (at its first
        // sub-sample) and weighted by the share of them that met it.
        const std::array<Hit, 4>& hits = sub[static_cast<std::size_t>(x)];
        for (std::size_t k = 0; k < 4; ++k) {
          bool seen = false;
          for (std::size_t j = 0; j < k; ++j) seen = seen || hits[j].id == hits[k].id;
          if (seen) continue;
          double share = 0;
          for (std::size_t j = k; j < 4; ++j) share += hits[j].id == hits[k].id ? 0.25 : 0.0;
          Rgb s = bg;
          if (hits[k].id >= 0) {
            const Vec3 ray = sub_ray(x, y, k), p = cam.eye + ray * hits[k].t;
            s = shade(hits[k].id, p, lighting(normal(hits[k].id, p), ray * -1.0), odr + 3 * x, red_px, cp_px, cw_px, scar_px);
          }
          for (std::size_t q = 0; q < 3; ++q) c[q] += share * s[q];
        }
        if (haired) c = over_hair(c, hair_row + 4 * x, cam.V);
      }
      row[x] = cv::Vec3b(to_srgb8(c[2]), to_srgb8(c[1]), to_srgb8(c[0]));
    }
  });
  out.image = img;
  {
    // Measured within the head's box (all else is backdrop), on the grid:
    // every label_step-th pixel of the picture and of the scar.
    const int gx0 = (box.x + label_step - 1) / label_step, gy0 = (box.y + label_step - 1) / label_step;
    const cv::Rect in_box(gx0, gy0, std::max(0, (box.x + box.width - 1) / label_step + 1 - gx0),
                          std::max(0, (box.y + box.height - 1) / label_step + 1 - gy0));
    const auto grid = [&]<class T>(const cv::Mat& m, T) {
      cv::Mat g(in_box.height, in_box.width, m.type());
      for (int y = 0; y < g.rows; ++y) {
        const T* from = m.ptr<T>((in_box.y + y) * label_step) + in_box.x * label_step;
        T* to = g.ptr<T>(y);
        for (int x = 0; x < g.cols; ++x) to[x] = from[x * label_step];
      }
      return g;
    };
    const cv::Mat gi = grid(img, cv::Vec3b{}), gl = grid_labels(in_box), glight = light(in_box);
    const cv::Mat gscar = scar_cover.empty() ? cv::Mat() : grid(scar_cover, 0.0f);
    const double ppm = out.meta.px_per_mm / label_step;
    // Only shaved hair is matched: hair worn long (the density look) covers
    // the dots, which lower the contrast where the scalp shows through it.
    if (d.look != design::Look::density) out.meta.match = measure_match(gi, gl, glight, ppm, match_reach_mm(d), &pool);
    if (!gscar.empty()) out.meta.scar = measure_scar(gi, gl, glight, gscar, ppm);
  }
  if (out.meta.match && d.pigment.hair_color &&
      (*d.pigment.hair_color == assess::HairColor::grey || *d.pigment.hair_color == assess::HairColor::white))
    out.meta.match->possible = false;
  if (all_labels) {
    labels &= cv::Scalar::all(static_cast<std::uint8_t>(~kLabelMarks));  // the contract's values only
    out.labels = labels;
  }
  return out;
}

}  // namespace

Scene::Scene(const design::Design& d, const scalp::Anatomy& a, int threads) : design_(&d), anatomy_(&a) {
  ThreadPool pool(std::max(1, threads));
  auto charts = std::make_shared<detail::SceneCharts>();
  charts->hair = hair_raster(d, a, pool);
  charts->treated = treated_raster(d, a, charts->hair, pool);
  charts->hairline_band = hairline_band_raster(d, a, charts->hair, charts->treated, pool);
  units_ = stubble_follicles(d, a, charts->hair, pool);
  // Hairs a unit (kHairsPerUnit) and the white among them (grey and white hair).
  using assess::HairColor;
  const double white_share = d.pigment.hair_color == HairColor::white  ? 1.0
                             : d.pigment.hair_color == HairColor::grey ? kGreyWhiteShare
                                                                        : 0.0;
  charts->hairs.resize(units_.size());
  charts->white.resize(units_.size());
  for (std::size_t i = 0; i < units_.size(); ++i) {
    Rng rng(hash64({d.seed, 0x53484156ull, static_cast<std::uint64_t>(i)}));
    double pick = rng.uniform();
    std::uint8_t hairs = 1;
    for (std::size_t k = 0; k + 1 < kHairsPerUnit.size() && pick >= kHairsPerUnit[k]; ++k) pick -= kHairsPerUnit[k], ++hairs;
    std::uint8_t white = 0;
    for (std::uint8_t h = 0; h < hairs; ++h) white += rng.uniform() < white_share;
    charts->hairs[i] = hairs, charts->white[i] = white;
  }
  // The shafts run under the skin behind the exit point, against the hair's
  // growth, half the green channel's sampling depth along it.
  const scalp::Ellipsoid& e = a.head().vault();
  const Vec3 whorl = a.landmarks().crown_whorl;
  const double behind = 0.5 * kSampleDepthMm[1] / std::tan(kExitDeg * kPi / 180);
  charts->shadow_at.resize(units_.size());
  pool.for_each((units_.size() + 1023) / 1024, [&](std::size_t c) {
    for (std::size_t i = c * 1024; i < std::min(units_.size(), (c + 1) * 1024); ++i) {
      const Vec3 p = units_[i];
      charts->shadow_at[i] = onto_vault(e, p - hair_flow(p, vault_normal(e, p), whorl) * behind);
    }
  });
  charts_ = std::move(charts);
}

std::uint8_t Scene::label_code(Vec3 p) const {
  const Vec2 uv = anatomy_->head().chart_of(p);
  const bool haired = charts_->hair.sample(charts_->hair.hair, uv.x, uv.y) >= 0.5f;
  if (charts_->hair.sample(charts_->treated, uv.x, uv.y) >= 0.5f)
    return static_cast<std::uint8_t>(static_cast<std::uint8_t>(Label::treated) | (haired ? kLabelHaired : 0) |
                                     (charts_->hair.sample(charts_->hairline_band, uv.x, uv.y) >= 0.5f ? kLabelHairlineBand : 0));
  return static_cast<std::uint8_t>(haired ? Label::hair : Label::skin);
}

Label Scene::label_at(Vec3 p) const { return static_cast<Label>(label_code(p) & ~kLabelMarks); }

namespace {

// The mean reflectance of the surface seen at the pixels of `mask`, as CIELAB:
// each pixel's linear light less the sheen, over the light on it; pixels
// without light (outlines, other parts) left out.
struct Surface {
  std::array<double, 3> lab{};
  std::size_t pixels = 0;
};
Surface surface_of(const cv::Mat& bgr, const cv::Mat& light, const cv::Mat& mask) {
  std::array<double, 3> sum{};
  Surface out;
  for (int y = 0; y < bgr.rows; ++y) {
    const auto* m = mask.ptr<std::uint8_t>(y);
    const auto* px = bgr.ptr<cv::Vec3b>(y);
    const auto* lit = light.ptr<cv::Vec2f>(y);
    for (int x = 0; x < bgr.cols; ++x) {
      if (!m[x] || !(lit[x][0] > 0)) continue;
      ++out.pixels;
      for (std::size_t k = 0; k < 3; ++k) sum[k] += (srgb8_to_linear(px[x][static_cast<int>(2 - k)]) - lit[x][1]) / lit[x][0];
    }
  }
  if (out.pixels) {
    for (double& v : sum) v /= static_cast<double>(out.pixels);
    out.lab = linear_to_lab(sum);
  }
  return out;
}

// Distance in pixels from every pixel to the nearest pixel of `mask`.
cv::Mat distance_to(const cv::Mat& mask) {
  cv::Mat out;
  cv::distanceTransform(~mask, out, cv::DIST_L2, cv::DIST_MASK_5);
  return out;
}

// The pixels of `mask` within `reach` pixels (distance map `to`).
cv::Mat within(const cv::Mat& mask, const cv::Mat& to, double reach) {
  cv::Mat near;
  cv::compare(to, reach, near, cv::CMP_LE);
  return mask & near;
}

}  // namespace

std::optional<Match> measure_match(const cv::Mat& bgr, const cv::Mat& labels, const cv::Mat& light, double px_per_mm,
                                   double reach_mm, ThreadPool* pool) {
  CV_Assert(bgr.type() == CV_8UC3 && labels.type() == CV_8UC1 && light.type() == CV_32FC2 && bgr.size() == labels.size() &&
            bgr.size() == light.size());
  const cv::Mat hair = labels == static_cast<int>(Label::hair), treated = labels == static_cast<int>(Label::treated);
  const double reach = reach_mm * px_per_mm;
  Surface t, h;
  const auto measure = [&](std::size_t k) {
    if (k == 0) t = surface_of(bgr, light, within(treated, distance_to(hair), reach));
    else h = surface_of(bgr, light, within(hair, distance_to(treated), reach));
  };
  if (pool) {
    pool->for_each(2, measure);
  } else {
    measure(0);
    measure(1);
  }
  if (t.pixels < 100 || h.pixels < 100) return std::nullopt;
  Match m;
  m.reach_mm = reach_mm;
  m.treated_lab = t.lab, m.hair_lab = h.lab;
  m.treated_pixels = t.pixels, m.hair_pixels = h.pixels;
  m.delta_e00 = delta_e00(t.lab, h.lab);
  return m;
}

std::optional<ScarContrast> measure_scar(const cv::Mat& bgr, const cv::Mat& labels, const cv::Mat& light,
                                         const cv::Mat& scar_cover, double px_per_mm) {
  const cv::Mat scalp = (labels >= static_cast<int>(Label::skin)) & (labels != static_cast<int>(Label::face));
  const cv::Mat scar = (scar_cover >= 0.5f) & scalp, off_scar = (scar_cover < 0.05f) & scalp;
  const Surface on = surface_of(bgr, light, scar);
  const Surface around = surface_of(bgr, light, within(off_scar, distance_to(scar), kScarAroundMm * px_per_mm));
  if (on.pixels < 50 || around.pixels < 50) return std::nullopt;
  ScarContrast c;
  c.scar_lab = on.lab, c.around_lab = around.lab;
  c.delta_e00 = delta_e00(on.lab, around.lab);
  // The blend beyond the scar (treated, hair kept) against the untreated hair past it.
  const cv::Mat unbanded = labels & cv::Scalar::all(static_cast<std::uint8_t>(~kLabelHairlineBand));
  const cv::Mat blend = (unbanded == (static_cast<int>(Label::treated) | kLabelHaired)) & off_scar;
  const cv::Mat hair = labels == static_cast<int>(Label::hair);
  const double reach = kScarAroundMm * px_per_mm;
  const Surface b = surface_of(bgr, light, within(blend, distance_to(hair), reach));
  const Surface h = surface_of(bgr, light, within(hair, distance_to(blend), reach));
  if (b.pixels >= 50 && h.pixels >= 50) c.band_delta_e00 = delta_e00(b.lab, h.lab);
  return c;
}

Rendered render_head(const Scene& scene, const std::vector<pattern::Dot>& dots, int sessions, const RenderOptions& o) {
  ThreadPool pool(std::max(1, o.threads));
  return render_scene(scene, dots, sessions, o, pool);
}

Rendered render_head(const design::Design& d, const scalp::Anatomy& a, const std::vector<pattern::Dot>& dots,
                     int sessions, const RenderOptions& o) {
  return render_head(Scene(d, a, o.threads), dots, sessions, o);
}

io::Json render_meta_json(const RenderMeta& m) {
  io::Json j{{"format", "stipple.render-meta/1"},
             {"view", std::string(to_string(m.view))},
             {"stage", m.stage.name()},
             {"width", m.width},
             {"height", m.height},
             {"px_per_mm", std::round(m.px_per_mm * 1000) / 1000},
             {"visible_dots", m.visible_dots}};
  if (m.close_up_mm > 0) j["close_up_mm"] = m.close_up_mm;
  const auto r = [](double v, double q) { return std::round(v * q) / q; };
  const auto lab = [&](const std::array<double, 3>& c) { return io::Json{{"L", r(c[0], 10)}, {"a", r(c[1], 10)}, {"b", r(c[2], 10)}}; };
  if (m.match) {
    j["match_delta_e00"] = r(m.match->delta_e00, 100);
    io::Json match{{"treated", lab(m.match->treated_lab)},
                   {"hair", lab(m.match->hair_lab)},
                   {"delta_l", r(m.match->treated_lab[0] - m.match->hair_lab[0], 10)},
                   {"treated_pixels", m.match->treated_pixels},
                   {"hair_pixels", m.match->hair_pixels},
                   {"reach_mm", m.match->reach_mm},
                   {"possible", m.match->possible}};
    if (!m.match->possible)
      match["note"] = "grey or white hair: its stubble is lighter than pigment can heal (carbon heals grey, never silver), "
                      "so the dots cannot match it; keep the head shaved clean";
    j["match"] = std::move(match);
  }
  if (m.scar) {
    io::Json scar{{"delta_e00", r(m.scar->delta_e00, 100)}, {"scar", lab(m.scar->scar_lab)}, {"around", lab(m.scar->around_lab)},
                  {"around_mm", kScarAroundMm}};
    if (m.scar->band_delta_e00) scar["band_delta_e00"] = r(*m.scar->band_delta_e00, 100);
    j["scar"] = std::move(scar);
  }
  return j;
}

double match_reach_mm(const design::Design& d) { return std::max(d.blend_mm, d.scar_margin_mm) + 15; }

std::vector<Stage> sheet_stages(Sheet s, int sessions) {
  std::vector<Stage> out;
  if (s == Sheet::progression) {
    out.push_back({Stage::Kind::before, 0});
    for (int k = 1; k <= sessions; ++k) out.push_back({Stage::Kind::session, k});
    out.push_back({Stage::Kind::healed, 0});
  } else {
    out.push_back({Stage::Kind::healed, 0});
    for (int y : {1, 3, 5, 8}) out.push_back({Stage::Kind::years, y});
  }
  return out;
}

Rendered render_sheet(const Scene& scene, const std::vector<pattern::Dot>& dots, int sessions, Sheet sheet,
                      const RenderOptions& o, const std::function<void(int, int)>& progress) {
  const std::vector<Stage> stages = sheet_stages(sheet, sessions);
  const int n = static_cast<int>(stages.size());
  const int cols = n <= 5 ? n : (n + 1) / 2, rows = (n + cols - 1) / cols;
  const int label = std::max(28, o.height / 14);
  Rendered out;
  out.image = cv::Mat(rows * (o.height + label), cols * o.width, CV_8UC3, cv::Scalar(255, 255, 255));
  if (o.labels) out.labels = cv::Mat(out.image.size(), CV_8UC1, cv::Scalar::all(static_cast<int>(Label::background)));
  out.meta.view = o.view;
  out.meta.stage = stages.back();
  out.meta.width = out.image.cols;
  out.meta.height = out.image.rows;
  ThreadPool pool(std::max(1, o.threads));
  for (int k = 0; k < n; ++k) {
    RenderOptions t = o;
    t.stage = stages[static_cast<std::size_t>(k)];
    const Rendered tile = render_scene(scene, dots, sessions, t, pool);
    const int cx = (k % cols) * o.width, cy = (k / cols) * (o.height + label);
    tile.image.copyTo(out.image(cv::Rect(cx, cy + label, o.width, o.height)));
    if (o.labels) tile.labels.copyTo(out.labels(cv::Rect(cx, cy + label, o.width, o.height)));
    std::string text = t.stage.name();
    if (t.stage.kind == Stage::Kind::session) text = fmt::format("after session {}", t.stage.n);
    if (t.stage.kind == Stage::Kind::years) text = fmt::format("{} year{} later", t.stage.n, t.stage.n == 1 ? "" : "s");
    const double scale = label / 40.0;
    int base = 0;
    const cv::Size sz = cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, scale, 2, &base);
    cv::putText(out.image, text, {cx + (o.width - sz.width) / 2, cy + label - (label - sz.height) / 2}, cv::FONT_HERSHEY_SIMPLEX,
                scale, cv::Scalar(40, 40, 40), 2, cv::LINE_AA);
    out.meta.px_per_mm = tile.meta.px_per_mm;
    out.meta.visible_dots = tile.meta.visible_dots;
    out.meta.match = tile.meta.match;
    out.meta.scar = tile.meta.scar;
    if (progress) progress(k + 1, n);
  }
  return out;
}

}  // namespace stipple::simulate
