#include "stipple/simulate/render.h"

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

#include "stipple/core/rng.h"
#include "stipple/core/thread_pool.h"
#include "stipple/scalp/hair_loss.h"

namespace stipple::simulate {

namespace {

using Rgb = std::array<double, 3>;

double srgb_to_linear(double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }
double linear_to_srgb(double c) {
  c = std::clamp(c, 0.0, 1.0);
  return c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1 / 2.4) - 0.055;
}

// CIELAB (D65) to linear sRGB.
Rgb lab_to_linear(double L, double a, double b) {
  const double fy = (L + 16) / 116, fx = fy + a / 500, fz = fy - b / 200;
  const auto finv = [](double t) { return t > 6.0 / 29 ? t * t * t : 3 * (6.0 / 29) * (6.0 / 29) * (t - 4.0 / 29); };
  const double X = 0.95047 * finv(fx), Y = finv(fy), Z = 1.08883 * finv(fz);
  return {std::max(0.0, 3.2406 * X - 1.5372 * Y - 0.4986 * Z), std::max(0.0, -0.9689 * X + 1.8758 * Y + 0.0415 * Z),
          std::max(0.0, 0.0557 * X - 0.2040 * Y + 1.0570 * Z)};
}

// --- Appearance constants (docs/simulate.md; modelling defaults unless cited) ---
// Optical density of a dot's pigment per unit of shade (healed, at its centre).
constexpr double kOdPerShade = 2.5;
// Relative absorption of R, G, B by healed pigment under the skin: a little
// less in blue, so dots look blue-grey (brief section 2).
constexpr Rgb kHealedTint{1.0, 0.96, 0.86};
// Scattering blur of the skin above the pigment (sigma, mm) and its growth with
// depth; beyond kBlowoutDepthMm the pigment spreads and turns blue (blowout).
constexpr double kScatterSigmaMm = 0.03, kScatterPerMmDepth = 0.08, kBlowoutDepthMm = 1.0, kBlowoutSpreadPerMm = 0.45,
                 kBlowoutBluePerMm = 0.5;
// Pigment migration with age: extra blur per year and a bluer cast.
constexpr double kAgeBlurMmPerYear = 0.01, kAgeBluePerYear = 0.01;
// The pixel's own footprint, sigma in pixels (a smooth reconstruction filter).
constexpr double kPixelSigma = 0.42;
// Stubble of the remaining hair on a shaved head: follicular units at the
// brief's 65-85 FU/cm^2 (section 3), each a spot of 0.4 mm (the cut hairs and
// the shafts seen through the skin) as dark as a dot of shade 0.8, absorbing
// in the proportions of the hair's own colour.
constexpr double kFollicleDensityPerMm2 = 0.75, kStubbleDiameterMm = 0.4, kStubbleShade = 0.8;
// Fresh work: erythema around the dots and over the worked area (brief
// section 7: redness for 1-2 days).
constexpr double kRednessSigmaMm = 0.9, kRednessGain = 4.0;
constexpr Rgb kRednessLoss{0.0, 0.34, 0.28};
// Camera: eye 600 mm from the head's centre; the head fills 86% of the frame.
constexpr double kEyeDistanceMm = 600, kFrameFill = 0.86;

struct Camera {
  Vec3 R, U, V;  // image right, image up, toward the viewer
  Vec3 eye;
  double focal = 1;  // px
  double cx = 0, cy = 0;
  // Image position of a point, and its depth along the view.
  bool project(Vec3 p, double& x, double& y) const {
    const Vec3 d = p - eye;
    const double z = -dot(d, V);
    if (z <= 1) return false;
    x = cx + focal * dot(d, R) / z;
    y = cy - focal * dot(d, U) / z;
    return true;
  }
  Vec3 ray(double x, double y) const {
    const Vec3 k = R * (x - cx) - U * (y - cy) - V * focal;
    return k / std::sqrt(dot(k, k));
  }
};

Camera camera_for(View v, const scalp::Ellipsoid& e, int W, int H) {
  Camera c;
  switch (v) {
    case View::top: c.R = {1, 0, 0}, c.U = {0, 0, 1}, c.V = {0, 1, 0}; break;
    case View::front: c.R = {-1, 0, 0}, c.U = {0, 1, 0}, c.V = {0, 0, 1}; break;
    case View::back: c.R = {1, 0, 0}, c.U = {0, 1, 0}, c.V = {0, 0, -1}; break;
    case View::right: c.R = {0, 0, 1}, c.U = {0, 1, 0}, c.V = {1, 0, 0}; break;
    case View::left: c.R = {0, 0, -1}, c.U = {0, 1, 0}, c.V = {-1, 0, 0}; break;
    case View::three_quarter: {
      // From the front right and above, as a consultation photo of the hairline and top.
      Vec3 V{0.55, 0.55, 0.63};
      V = V / std::sqrt(dot(V, V));
      Vec3 U = Vec3{0, 1, 0} - V * V.y;
      U = U / std::sqrt(dot(U, U));
      c.V = V, c.U = U;
      c.R = Vec3{V.y * U.z - V.z * U.y, V.z * U.x - V.x * U.z, V.x * U.y - V.y * U.x};
      break;
    }
  }
  // Frame the scalp: from above the vault's outline, from the sides the head
  // above the ear line (the face and neck run out of the bottom of the frame).
  const bool top = v == View::top;
  const double radius = top ? std::max(e.ax, e.az) : 1.04 * std::max({e.ax, e.az, e.ay});
  const Vec3 target = e.center + Vec3{0, top ? 0.0 : 0.32 * e.ay, 0};
  c.eye = target + c.V * kEyeDistanceMm;
  c.cx = W / 2.0;
  c.cy = H / 2.0;
  c.focal = kFrameFill * 0.5 * std::min(W, H) * std::sqrt(kEyeDistanceMm * kEyeDistanceMm - radius * radius) / radius;
  return c;
}

// Smooth 3D value noise in [-1, 1] (lattice of hashed values, smoothstep weights).
double value_noise(Vec3 p, std::uint64_t seed) {
  const double fx = std::floor(p.x), fy = std::floor(p.y), fz = std::floor(p.z);
  const auto ix = static_cast<std::int64_t>(fx), iy = static_cast<std::int64_t>(fy), iz = static_cast<std::int64_t>(fz);
  const auto s = [](double t) { return t * t * (3 - 2 * t); };
  const double tx = s(p.x - fx), ty = s(p.y - fy), tz = s(p.z - fz);
  const auto h = [&](std::int64_t a, std::int64_t b, std::int64_t c) {
    return 2 * unit_double(hash64({seed, static_cast<std::uint64_t>(a), static_cast<std::uint64_t>(b), static_cast<std::uint64_t>(c)})) - 1;
  };
  const auto lerp = [](double a, double b, double t) { return a + (b - a) * t; };
  return lerp(lerp(lerp(h(ix, iy, iz), h(ix + 1, iy, iz), tx), lerp(h(ix, iy + 1, iz), h(ix + 1, iy + 1, iz), tx), ty),
              lerp(lerp(h(ix, iy, iz + 1), h(ix + 1, iy, iz + 1), tx), lerp(h(ix, iy + 1, iz + 1), h(ix + 1, iy + 1, iz + 1), tx), ty),
              tz);
}

Vec3 vault_normal(const scalp::Ellipsoid& e, Vec3 p) {
  const double ay = p.y >= e.center.y ? e.ay : e.ay_at(kPi);
  const Vec3 d = p - e.center;
  Vec3 n{d.x / (e.ax * e.ax), d.y / (ay * ay), d.z / (e.az * e.az)};
  return n / std::sqrt(dot(n, n));
}

// The neutral mannequin around the scalp: ears and neck as ellipsoids
// (axis-aligned: centre and semi-axes, mm) placed from the head's landmarks.
struct Part {
  Vec3 c, r;
};

std::vector<Part> mannequin(const scalp::Anatomy& a) {
  const scalp::Ellipsoid& e = a.head().vault();
  const scalp::Landmarks& l = a.landmarks();
  std::vector<Part> parts;
  for (const Vec3& ear : {l.ear_canal_left, l.ear_canal_right}) {
    const double out = ear.x > e.center.x ? 7.0 : -7.0;
    parts.push_back({ear + Vec3{out, 6, -6}, {7, 31, 17}});
  }
  const double below = e.ay_at(kPi);
  parts.push_back({e.center + Vec3{0, -0.95 * below, -0.18 * e.az}, {0.56 * e.ax, 0.62 * below, 0.56 * e.az}});
  return parts;
}

// Nearest hit (t > 0) of the ray o + t k with a part, or a negative t.
double hit_part(const Part& p, Vec3 o, Vec3 k) {
  const Vec3 oo{(o.x - p.c.x) / p.r.x, (o.y - p.c.y) / p.r.y, (o.z - p.c.z) / p.r.z};
  const Vec3 kk{k.x / p.r.x, k.y / p.r.y, k.z / p.r.z};
  const double qa = dot(kk, kk), qb = 2 * dot(oo, kk), qc = dot(oo, oo) - 1;
  const double disc = qb * qb - 4 * qa * qc;
  if (disc < 0) return -1;
  const double t0 = (-qb - std::sqrt(disc)) / (2 * qa), t1 = (-qb + std::sqrt(disc)) / (2 * qa);
  return t0 > 0 ? t0 : t1;
}

Vec3 part_normal(const Part& p, Vec3 x) {
  const Vec3 d = x - p.c;
  Vec3 n{d.x / (p.r.x * p.r.x), d.y / (p.r.y * p.r.y), d.z / (p.r.z * p.r.z)};
  return n / std::sqrt(dot(n, n));
}

// What a ray meets first: the scalp's vault or a part of the mannequin.
struct Hit {
  bool any = false, vault = false;
  Vec3 p, n;
};

Hit trace(const scalp::Ellipsoid& e, const std::vector<Part>& parts, Vec3 o, Vec3 k) {
  Hit h;
  double best = 1e30;
  if (const auto v = scalp::hit_vault(e, o, k)) {
    best = dot(*v - o, k);
    h = {true, true, *v, vault_normal(e, *v)};
  }
  for (const Part& part : parts) {
    const double t = hit_part(part, o, k);
    if (t > 0 && t < best) {
      best = t;
      const Vec3 x = o + k * t;
      h = {true, false, x, part_normal(part, x)};
    }
  }
  return h;
}

// True when the surface point p of the vault is hidden from the eye by a part.
bool hidden_by_part(const std::vector<Part>& parts, Vec3 eye, Vec3 p) {
  Vec3 k = p - eye;
  const double len = std::sqrt(dot(k, k));
  k = k / len;
  for (const Part& part : parts) {
    const double t = hit_part(part, eye, k);
    if (t > 0 && t < len - 0.5) return true;
  }
  return false;
}

// One splat: an elliptical Gaussian in the image with its inverse covariance,
// amplitude and the box it is evaluated over.
struct Splat {
  float x, y;
  float ia, ib, ic;  // inverse covariance [[ia, ib], [ib, ic]]
  float amp;         // peak of the spot's coverage (its disc's area spread over the footprint)
  float tr, tg, tb;  // peak optical density per channel
  int x0, x1, y0, y1;
};

// Ein(z) = integral from 0 to z of (1 - e^-t) / t dt: the light a Gaussian
// spot of peak optical density z absorbs, per 2 pi sigma^2 of its area.
double ein(double z) {
  if (z <= 8) {
    double term = z, sum = z;  // series: sum (-1)^(k+1) z^k / (k k!)
    for (int k = 2; k < 60; ++k) {
      term *= -z / k;
      sum += term / k;
      if (std::abs(term) < 1e-14) break;
    }
    return sum;
  }
  // ln z + Euler's gamma + E1(z), with E1(z) ~ e^-z / z (1 - 1/z + 2/z^2).
  return std::log(z) + 0.5772156649015329 + std::exp(-z) / z * (1 - 1 / z + 2 / (z * z));
}

// The peak density whose spot absorbs `target` (in units of Ein). Ein is
// increasing and concave, so Newton's method from z = target (Ein(z) < z)
// climbs to the root from below without overshooting.
double ein_inverse(double target) {
  double z = target;
  for (int k = 0; k < 40; ++k) {
    const double slope = z > 1e-12 ? (1 - std::exp(-z)) / z : 1.0;
    const double step = (target - ein(z)) / slope;
    z += step;
    if (step <= 1e-12 * z) break;
  }
  return z;
}

// The image footprint of a spot of pigment at p (normal n) whose physical
// profile is a Gaussian of variance var_mm2 (mm^2, per axis) and integral
// amount x tint (OD mm^2, per channel). The footprint adds the pixel's own
// blur; its peak is then lowered so that the spot still absorbs the same light
// in total (Ein above): a dot of a tenth of a pixel darkens its pixel by its
// true share, and a resolved dot keeps its true profile.
bool make_splat(const Camera& cam, Vec3 p, Vec3 n, double var_mm2, double amount, Rgb tint, int W, int H, Splat& s) {
  double x, y;
  if (!cam.project(p, x, y)) return false;
  // Tangent frame and the Jacobian of the projection on it (px per mm).
  Vec3 t1 = std::abs(n.y) < 0.9 ? Vec3{n.z, 0, -n.x} : Vec3{0, -n.z, n.y};
  t1 = t1 / std::sqrt(dot(t1, t1));
  const Vec3 t2{n.y * t1.z - n.z * t1.y, n.z * t1.x - n.x * t1.z, n.x * t1.y - n.y * t1.x};
  const double h = 0.05;
  double x1, y1, x2, y2;
  if (!cam.project(p + t1 * h, x1, y1) || !cam.project(p + t2 * h, x2, y2)) return false;
  const double j11 = (x1 - x) / h, j21 = (y1 - y) / h, j12 = (x2 - x) / h, j22 = (y2 - y) / h;
  const double det_j = std::abs(j11 * j22 - j12 * j21);
  // Covariance in the image: J (var I) J^T plus the pixel's own.
  const double a = var_mm2 * (j11 * j11 + j12 * j12) + kPixelSigma * kPixelSigma;
  const double b = var_mm2 * (j11 * j21 + j12 * j22);
  const double c = var_mm2 * (j21 * j21 + j22 * j22) + kPixelSigma * kPixelSigma;
  const double det = a * c - b * b;
  const double rx = 3.3 * std::sqrt(a), ry = 3.3 * std::sqrt(c);
  s.x0 = std::max(0, static_cast<int>(std::floor(x - rx)));
  s.x1 = std::min(W - 1, static_cast<int>(std::ceil(x + rx)));
  s.y0 = std::max(0, static_cast<int>(std::floor(y - ry)));
  s.y1 = std::min(H - 1, static_cast<int>(std::ceil(y + ry)));
  if (s.x0 > s.x1 || s.y0 > s.y1) return false;
  s.x = static_cast<float>(x), s.y = static_cast<float>(y);
  s.ia = static_cast<float>(c / det), s.ib = static_cast<float>(-b / det), s.ic = static_cast<float>(a / det);
  // Physical peak per channel, and the footprint's area against the physical one.
  const double shrink = var_mm2 * det_j / std::sqrt(det);
  float* peak[3] = {&s.tr, &s.tg, &s.tb};
  for (int k = 0; k < 3; ++k) {
    const double phys = amount * tint[static_cast<std::size_t>(k)] / (2 * kPi * var_mm2);
    *peak[k] = phys > 0 ? static_cast<float>(ein_inverse(ein(phys) * shrink)) : 0.0f;
  }
  // The spot's share of the image it covers, for coverage maps (redness).
  s.amp = static_cast<float>(kPi * var_mm2 * 4 * det_j / (2 * kPi * std::sqrt(det)));
  return true;
}

// Adds splats to a float image of `channels` (3: tinted optical density, 1:
// coverage) over rows [r0, r1). Splats are sorted by y0.
void splat_rows(const std::vector<Splat>& splats, cv::Mat& buf, int channels, int r0, int r1) {
  for (const Splat& s : splats) {
    if (s.y0 >= r1) break;
    if (s.y1 < r0) continue;
    for (int y = std::max(r0, s.y0); y <= std::min(r1 - 1, s.y1); ++y) {
      float* row = buf.ptr<float>(y);
      const float dy = static_cast<float>(y) + 0.5f - s.y;
      for (int x = s.x0; x <= s.x1; ++x) {
        const float dx = static_cast<float>(x) + 0.5f - s.x;
        const float q = s.ia * dx * dx + 2 * s.ib * dx * dy + s.ic * dy * dy;
        if (q > 21.8f) continue;
        const float g = std::exp(-0.5f * q);
        if (channels == 3) {
          row[3 * x] += g * s.tr;
          row[3 * x + 1] += g * s.tg;
          row[3 * x + 2] += g * s.tb;
        } else {
          row[x] += s.amp * g;
        }
      }
    }
  }
}

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
  pool.for_each(static_cast<std::size_t>(r.n), [&](std::size_t j) {
    for (int i = 0; i < r.n; ++i) {
      const double u = -r.tm + i * r.step, v = -r.tm + static_cast<double>(j) * r.step;
      const double theta = std::hypot(u, v);
      if (theta > r.tm) continue;
      const std::size_t k = j * static_cast<std::size_t>(r.n) + static_cast<std::size_t>(i);
      r.area[k] = static_cast<float>(a.head().area_element({u, v}));
      const double phi = std::atan2(u, v);
      // Soft edge over one raster step around the hair-bearing boundary.
      const double edge = std::clamp((a.boundary_theta(phi) - theta) / r.step + 0.5, 0.0, 1.0);
      if (edge > 0) r.hair[k] = static_cast<float>(edge * field.remaining({u, v}));
    }
  });
  return r;
}

// Stubble: follicular units by stratified sampling of the chart. Cells are
// small enough that the densest place expects one unit a cell; each cell holds
// one unit, jittered in it, kept with probability density x area x hair left.
// The result is even like real follicles, without rows.
std::vector<Vec3> stubble_follicles(const design::Design& d, const scalp::Anatomy& a, const HairRaster& r) {
  std::vector<Vec3> out;
  const float max_area = *std::max_element(r.area.begin(), r.area.end());
  const double h = 1.0 / std::sqrt(kFollicleDensityPerMm2 * static_cast<double>(max_area));
  const int n = static_cast<int>(std::ceil(2 * r.tm / h));
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) {
      const double u = -r.tm + (i + 0.5) * h, v = -r.tm + (j + 0.5) * h;
      if (std::hypot(u, v) > r.tm) continue;
      const float hair = r.sample(r.hair, u, v);
      if (hair <= 0.01f) continue;
      const double keep = kFollicleDensityPerMm2 * static_cast<double>(r.sample(r.area, u, v)) * h * h * hair;
      Rng rng(hash64({d.seed, 0x53545542ull, static_cast<std::uint64_t>(i), static_cast<std::uint64_t>(j)}));
      if (rng.uniform() >= keep) continue;
      const double uu = u + (rng.uniform() - 0.5) * h, vv = v + (rng.uniform() - 0.5) * h;
      if (std::hypot(uu, vv) < r.tm) out.push_back(a.head().chart_point({uu, vv}));
    }
  return out;
}

}  // namespace

std::array<double, 3> skin_reflectance(int fitzpatrick) {
  // Individual typology angle categories of Del Bino & Bernerd (2013), ITA =
  // atan((L* - 50) / b*): a representative L*, a*, b* for each type
  // (docs/simulate.md).
  static constexpr double kLab[6][3] = {{77.7, 8, 16}, {67.8, 10, 16}, {61.0, 11, 17},
                                        {55.5, 12, 18}, {47.0, 12, 18}, {37.4, 11, 15}};
  const auto& l = kLab[std::clamp(fitzpatrick, 1, 6) - 1];
  return lab_to_linear(l[0], l[1], l[2]);
}

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

Rendered render_head(const design::Design& d, const scalp::Anatomy& a, const std::vector<pattern::Dot>& dots,
                     int sessions, const RenderOptions& o) {
  const int W = o.width, H = o.height;
  const scalp::Ellipsoid& e = a.head().vault();
  const Camera cam = camera_for(o.view, e, W, H);
  const std::vector<Part> parts = mannequin(a);
  ThreadPool pool(std::max(1, o.threads));
  const int fitz = d.pigment.fitzpatrick.value_or(3);
  const Rgb skin = skin_reflectance(fitz);
  const auto hs = design::hair_srgb(d.pigment.hair_color);
  const Rgb hair{srgb_to_linear(hs[0]), srgb_to_linear(hs[1]), srgb_to_linear(hs[2])};

  Rendered out;
  out.meta.view = o.view;
  out.meta.stage = o.stage;
  out.meta.width = W;
  out.meta.height = H;
  {
    const Hit centre = trace(e, parts, cam.eye, cam.ray(cam.cx, cam.cy));
    const Vec3 at = centre.any ? centre.p : e.center;
    out.meta.px_per_mm = cam.focal / -dot(at - cam.eye, cam.V);
  }

  // Pigment splats.
  const bool faded = o.stage.kind == Stage::Kind::years;
  const double years = faded ? o.stage.n : 0.0;
  const double contrast = faded ? contrast_after(years, o.sun, fitz) : 1.0;
  const StageDots sd = dots_for_stage(dots, sessions, o.stage);
  std::vector<Splat> pigment, fresh_only;
  const auto add_dot = [&](const pattern::Dot& dt, bool fresh) {
    const Vec3 p{dt.x_mm, dt.y_mm, dt.z_mm};
    const Vec3 n = vault_normal(e, p);
    if (dot(n, cam.eye - p) <= 0 || hidden_by_part(parts, cam.eye, p)) return false;  // out of sight
    const double depth = dt.depth_mm;
    const double blow = std::max(0.0, depth - kBlowoutDepthMm);
    const double radius = 0.5 * dt.diameter_mm * (fresh ? kFreshLarger : 1.0) + kBlowoutSpreadPerMm * blow;
    const double scatter = kScatterSigmaMm + kScatterPerMmDepth * std::max(0.0, depth - 0.5) + kAgeBlurMmPerYear * years;
    const double var = radius * radius / 4 + scatter * scatter;
    const double amount = dt.shade * kOdPerShade * (fresh ? kFreshDarker : 1.0) * contrast * kPi * radius * radius /
                          (1 + 2 * blow);  // the same pigment spread wider
    const double blue = std::min(0.5, kBlowoutBluePerMm * blow + kAgeBluePerYear * years);
    const Rgb tint = fresh ? Rgb{1.0, 1.0, 1.0} : Rgb{kHealedTint[0], kHealedTint[1] * (1 - 0.3 * blue), kHealedTint[2] * (1 - blue)};
    Splat s;
    if (!make_splat(cam, p, n, var, amount, tint, W, H, s)) return false;
    pigment.push_back(s);
    if (fresh) fresh_only.push_back(s);
    return s.x >= 0 && s.y >= 0 && s.x < static_cast<float>(W) && s.y < static_cast<float>(H);
  };
  for (const pattern::Dot* p : sd.healed) out.meta.visible_dots += add_dot(*p, false);
  for (const pattern::Dot* p : sd.fresh) out.meta.visible_dots += add_dot(*p, true);

  // The client's own hair: stubble where hair remains (all looks keep it short
  // in this picture; docs/simulate.md).
  const HairRaster hr = hair_raster(d, a, pool);
  // Hair absorbs in proportion to -ln(reflectance); dark hair fully, grey and
  // white hair less.
  Rgb hair_tint{-std::log(std::max(hair[0], 1e-3)), -std::log(std::max(hair[1], 1e-3)), -std::log(std::max(hair[2], 1e-3))};
  const double darkest = std::max({hair_tint[0], hair_tint[1], hair_tint[2]});
  const double hair_strength = std::min(1.0, darkest / 3.0);
  for (double& t : hair_tint) t /= darkest;
  for (const Vec3& p : stubble_follicles(d, a, hr)) {
    const Vec3 n = vault_normal(e, p);
    if (dot(n, cam.eye - p) <= 0 || hidden_by_part(parts, cam.eye, p)) continue;
    const double r = 0.5 * kStubbleDiameterMm;
    Splat s;
    const double amount = kStubbleShade * kOdPerShade * hair_strength * kPi * r * r;
    if (make_splat(cam, p, n, r * r / 4 + kScatterSigmaMm * kScatterSigmaMm, amount, hair_tint, W, H, s)) pigment.push_back(s);
  }
  const auto by_top = [](const Splat& x, const Splat& y) { return x.y0 < y.y0; };
  std::sort(pigment.begin(), pigment.end(), by_top);
  std::sort(fresh_only.begin(), fresh_only.end(), by_top);

  cv::Mat od(H, W, CV_32FC3, cv::Scalar::all(0)), redness(H, W, CV_32FC1, cv::Scalar::all(0));
  const int band = 32;
  const std::size_t bands = static_cast<std::size_t>((H + band - 1) / band);
  pool.for_each(bands, [&](std::size_t b) {
    const int r0 = static_cast<int>(b) * band, r1 = std::min(H, r0 + band);
    splat_rows(pigment, od, 3, r0, r1);
    splat_rows(fresh_only, redness, 1, r0, r1);
  });
  if (!fresh_only.empty()) {
    const double sigma = std::max(0.8, kRednessSigmaMm * out.meta.px_per_mm);
    cv::GaussianBlur(redness, redness, cv::Size(0, 0), sigma);
  }

  // Shading, pixel by pixel.
  const Vec3 key = [&] {
    Vec3 l = cam.R * -0.45 + cam.U * 0.6 + cam.V * 0.66;
    return l / std::sqrt(dot(l, l));
  }();
  const Vec3 fill = [&] {
    Vec3 l = cam.R * 0.7 + cam.U * 0.1 + cam.V * 0.7;
    return l / std::sqrt(dot(l, l));
  }();
  cv::Mat img(H, W, CV_8UC3);
  pool.for_each(static_cast<std::size_t>(H), [&](std::size_t yy) {
    const int y = static_cast<int>(yy);
    cv::Vec3b* row = img.ptr<cv::Vec3b>(y);
    const float* odr = od.ptr<float>(y);
    const float* red = redness.ptr<float>(y);
    for (int x = 0; x < W; ++x) {
      // Background: a soft studio grey, lighter at the top.
      const double bg = 0.50 + 0.18 * (1.0 - static_cast<double>(y) / H);
      Rgb c{bg * 0.96, bg * 0.97, bg};
      // Coverage of the pixel by the head: four sub-samples.
      int hits = 0;
      Hit centre_hit;
      for (int k = 0; k < 4; ++k) {
        const double sx = x + 0.25 + 0.5 * (k & 1), sy = y + 0.25 + 0.5 * (k >> 1);
        const Hit h = trace(e, parts, cam.eye, cam.ray(sx, sy));
        if (h.any) {
          ++hits;
          if (!centre_hit.any) centre_hit = h;
        }
      }
      if (hits > 0) {
        const Vec3 p = centre_hit.p;
        const Vec3 n = centre_hit.n;
        Vec3 view = cam.eye - p;
        view = view / std::sqrt(dot(view, view));
        // Skin: tone, fine texture (0.4 mm and 2 mm) and a faint blotchiness.
        const double tex = 0.035 * value_noise(p * 2.5, 11) + 0.03 * value_noise(p * 0.5, 12) + 0.02 * value_noise(p * 0.08, 13);
        Rgb alb{skin[0] * (1 + tex), skin[1] * (1 + tex * 1.1), skin[2] * (1 + tex * 1.2)};
        const double on = centre_hit.vault ? 1.0 : 0.0;  // pigment and hair only on the scalp
        const double r = on * std::clamp(static_cast<double>(red[x]) * kRednessGain, 0.0, 1.0);
        for (int k = 0; k < 3; ++k) alb[static_cast<std::size_t>(k)] *= 1 - kRednessLoss[static_cast<std::size_t>(k)] * r;
        // Pigment and hair absorb.
        for (int k = 0; k < 3; ++k) alb[static_cast<std::size_t>(k)] *= std::exp(-on * static_cast<double>(odr[3 * x + k]));
        // Soft light: wrapped diffuse key, a weaker fill, sky ambient; a mild sheen.
        const double wrap = 0.35;
        const double dk = std::max(0.0, (dot(n, key) + wrap) / (1 + wrap)), df = std::max(0.0, dot(n, fill));
        const double amb = 0.16 + 0.08 * (0.5 + 0.5 * n.y);
        const double light = 0.95 * dk + 0.25 * df + amb;
        Vec3 half = key + view;
        half = half / std::sqrt(dot(half, half));
        const double fres = 0.04 + 0.96 * std::pow(1 - std::max(0.0, dot(n, view)), 5);
        const double sheen = 0.10 * fres + 0.05 * std::pow(std::max(0.0, dot(n, half)), 24);
        const double cover = hits / 4.0;
        for (int k = 0; k < 3; ++k) {
          const auto kk = static_cast<std::size_t>(k);
          c[kk] = c[kk] * (1 - cover) + (alb[kk] * light + sheen) * cover;
        }
      }
      row[x] = cv::Vec3b(static_cast<std::uint8_t>(std::lround(255 * linear_to_srgb(c[2]))),
                         static_cast<std::uint8_t>(std::lround(255 * linear_to_srgb(c[1]))),
                         static_cast<std::uint8_t>(std::lround(255 * linear_to_srgb(c[0]))));
    }
  });
  out.image = img;
  return out;
}

io::Json render_meta_json(const RenderMeta& m) {
  return {{"format", "stipple.render-meta/1"},
          {"view", std::string(to_string(m.view))},
          {"stage", m.stage.name()},
          {"width", m.width},
          {"height", m.height},
          {"px_per_mm", std::round(m.px_per_mm * 1000) / 1000},
          {"visible_dots", m.visible_dots}};
}

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

Rendered render_sheet(const design::Design& d, const scalp::Anatomy& a, const std::vector<pattern::Dot>& dots,
                      int sessions, Sheet sheet, const RenderOptions& o, const std::function<void(int, int)>& progress) {
  const std::vector<Stage> stages = sheet_stages(sheet, sessions);
  const int n = static_cast<int>(stages.size());
  const int cols = n <= 5 ? n : (n + 1) / 2, rows = (n + cols - 1) / cols;
  const int label = std::max(28, o.height / 14);
  Rendered out;
  out.image = cv::Mat(rows * (o.height + label), cols * o.width, CV_8UC3, cv::Scalar(255, 255, 255));
  out.meta.view = o.view;
  out.meta.stage = stages.back();
  out.meta.width = out.image.cols;
  out.meta.height = out.image.rows;
  for (int k = 0; k < n; ++k) {
    RenderOptions t = o;
    t.stage = stages[static_cast<std::size_t>(k)];
    const Rendered tile = render_head(d, a, dots, sessions, t);
    const int cx = (k % cols) * o.width, cy = (k / cols) * (o.height + label);
    tile.image.copyTo(out.image(cv::Rect(cx, cy + label, o.width, o.height)));
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
    if (progress) progress(k + 1, n);
  }
  return out;
}

}  // namespace stipple::simulate
