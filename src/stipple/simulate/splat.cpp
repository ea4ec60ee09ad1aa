#include "stipple/simulate/splat.h"

#include <algorithm>
#include <cmath>

namespace stipple::simulate::detail {

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

const std::array<std::uint8_t, 65536> kSrgb8Table = [] {
  std::array<std::uint8_t, 65536> t{};
  for (std::size_t i = 0; i < t.size(); ++i)
    t[i] = static_cast<std::uint8_t>(std::lround(255 * linear_to_srgb(static_cast<double>(i) / 65535)));
  return t;
}();

float srgb8_to_linear(std::uint8_t v) {
  static const std::array<float, 256> table = [] {
    std::array<float, 256> t{};
    for (std::size_t i = 0; i < 256; ++i) t[i] = static_cast<float>(srgb_to_linear(static_cast<double>(i) / 255));
    return t;
  }();
  return table[v];
}

std::array<double, 3> linear_to_lab(Rgb c) {
  const double X = (0.4124 * c[0] + 0.3576 * c[1] + 0.1805 * c[2]) / 0.95047;
  const double Y = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  const double Z = (0.0193 * c[0] + 0.1192 * c[1] + 0.9505 * c[2]) / 1.08883;
  const auto f = [](double t) { return t > 216.0 / 24389 ? std::cbrt(t) : (24389.0 / 27 * t + 16) / 116; };
  return {116 * f(Y) - 16, 500 * (f(X) - f(Y)), 200 * (f(Y) - f(Z))};
}

double delta_e00(const std::array<double, 3>& lab1, const std::array<double, 3>& lab2) {
  const auto deg = [](double r) { return r * 180 / kPi; };
  const auto rad = [](double d) { return d * kPi / 180; };
  const double c1 = std::hypot(lab1[1], lab1[2]), c2 = std::hypot(lab2[1], lab2[2]);
  const double cbar7 = std::pow(0.5 * (c1 + c2), 7);
  const double g = 0.5 * (1 - std::sqrt(cbar7 / (cbar7 + std::pow(25.0, 7))));
  const double a1 = (1 + g) * lab1[1], a2 = (1 + g) * lab2[1];
  const double cp1 = std::hypot(a1, lab1[2]), cp2 = std::hypot(a2, lab2[2]);
  // Hue angles in degrees, 0 for a neutral colour.
  const auto hue = [&](double b, double a) {
    if (a == 0 && b == 0) return 0.0;
    const double h = deg(std::atan2(b, a));
    return h < 0 ? h + 360 : h;
  };
  const double h1 = hue(lab1[2], a1), h2 = hue(lab2[2], a2);
  const double dL = lab2[0] - lab1[0], dC = cp2 - cp1;
  double dh = 0;
  if (cp1 * cp2 != 0) {
    dh = h2 - h1;
    if (dh > 180) dh -= 360;
    if (dh < -180) dh += 360;
  }
  const double dH = 2 * std::sqrt(cp1 * cp2) * std::sin(rad(dh / 2));
  const double Lbar = 0.5 * (lab1[0] + lab2[0]), Cbar = 0.5 * (cp1 + cp2);
  double hbar = h1 + h2;
  if (cp1 * cp2 != 0) {
    if (std::abs(h1 - h2) <= 180) hbar = 0.5 * (h1 + h2);
    else hbar = h1 + h2 < 360 ? 0.5 * (h1 + h2 + 360) : 0.5 * (h1 + h2 - 360);
  }
  const double t = 1 - 0.17 * std::cos(rad(hbar - 30)) + 0.24 * std::cos(rad(2 * hbar)) + 0.32 * std::cos(rad(3 * hbar + 6)) -
                   0.20 * std::cos(rad(4 * hbar - 63));
  const double dtheta = 30 * std::exp(-((hbar - 275) / 25) * ((hbar - 275) / 25));
  const double cbar7p = std::pow(Cbar, 7);
  const double rc = 2 * std::sqrt(cbar7p / (cbar7p + std::pow(25.0, 7)));
  const double l50 = (Lbar - 50) * (Lbar - 50);
  const double sl = 1 + 0.015 * l50 / std::sqrt(20 + l50), sc = 1 + 0.045 * Cbar, sh = 1 + 0.015 * Cbar * t;
  const double rt = -std::sin(rad(2 * dtheta)) * rc;
  const double tl = dL / sl, tc = dC / sc, th = dH / sh;
  return std::sqrt(tl * tl + tc * tc + th * th + rt * tc * th);
}

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
  // Frame the scalp: from above the vault's outline; from behind the head
  // above the ear line (the neck runs out of the bottom of the frame); from
  // the front, the sides and three-quarter the whole head down to the chin,
  // so the face shows where the hairline sits on it.
  const bool top = v == View::top, back = v == View::back;
  double radius = 1.04 * std::max({e.ax, e.az, e.ay});
  Vec3 target = e.center + Vec3{0, 0.32 * e.ay, 0};
  if (top) {
    radius = std::max(e.ax, e.az);
    target = e.center;
  } else if (!back) {
    const double high = e.center.y + e.ay, low = e.center.y - 1.05 * e.ay_at(kPi);
    radius = 1.04 * std::max({0.5 * (high - low), e.ax, e.az});
    target = {e.center.x, 0.5 * (high + low), e.center.z};
  }
  c.eye = target + c.V * kEyeDistanceMm;
  c.cx = W / 2.0;
  c.cy = H / 2.0;
  c.focal = kFrameFill * 0.5 * std::min(W, H) * std::sqrt(kEyeDistanceMm * kEyeDistanceMm - radius * radius) / radius;
  return c;
}

Vec3 vault_normal(const scalp::Ellipsoid& e, Vec3 p) {
  const double ay = p.y >= e.center.y ? e.ay : e.ay_at(kPi);
  const Vec3 d = p - e.center;
  Vec3 n{d.x / (e.ax * e.ax), d.y / (ay * ay), d.z / (e.az * e.az)};
  return n / std::sqrt(dot(n, n));
}

namespace {

// Ein(z) = integral from 0 to z of (1 - e^-t) / t dt: the light a Gaussian
// spot of peak optical density z absorbs, per 2 pi sigma^2 of its area.
double ein_series(double z) {
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
}  // namespace

// Every splat needs Ein for each channel: below z = 12 (an optical density no
// dot reaches) it is read from a table of 4096 steps, linearly interpolated.
// Ein is smooth and concave (|Ein''| <= 1/2), so the error is below h^2/16,
// 5e-7, and below 0.1% of the value near 0.
double ein(double z) {
  constexpr double kMax = 12;
  constexpr std::size_t kSteps = 4096;
  static const std::vector<double> table = [] {
    std::vector<double> t(kSteps + 1);
    for (std::size_t i = 0; i <= kSteps; ++i) t[i] = ein_series(kMax * static_cast<double>(i) / kSteps);
    return t;
  }();
  if (!(z < kMax)) return ein_series(z);
  if (z <= 0) return 0;
  const double f = z / kMax * kSteps;
  const auto i = static_cast<std::size_t>(f);
  return table[i] + (table[i + 1] - table[i]) * (f - static_cast<double>(i));
}

double ein_inverse_newton(double target) {
  double z = target;
  for (int k = 0; k < 40; ++k) {
    const double slope = z > 1e-12 ? (1 - std::exp(-z)) / z : 1.0;
    const double step = (target - ein_series(z)) / slope;
    z += step;
    if (step <= 1e-12 * z) break;
  }
  return z;
}

// The same from a table of 4,096 steps over the targets of densities up to
// 12 (every dot and hair; linear interpolation of a smooth convex curve,
// relative error below 1e-5), by Newton's method beyond.
double ein_inverse(double target) {
  constexpr double kMaxTarget = 3.2;  // Ein(12) is 3.0560; the table reaches a little beyond
  constexpr std::size_t kSteps = 4096;
  static const std::vector<double> table = [] {
    std::vector<double> t(kSteps + 1);
    for (std::size_t i = 0; i <= kSteps; ++i) t[i] = ein_inverse_newton(kMaxTarget * static_cast<double>(i) / kSteps);
    return t;
  }();
  if (target >= kMaxTarget) return ein_inverse_newton(target);
  const double f = target / kMaxTarget * kSteps;
  const auto i = static_cast<std::size_t>(f);
  return table[i] + (table[i + 1] - table[i]) * (f - static_cast<double>(i));
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

int sort_by_top(std::vector<Splat>& splats, int H) {
  std::vector<std::size_t> start(static_cast<std::size_t>(H) + 1, 0);
  int tallest = 0;
  for (const Splat& s : splats) {
    ++start[static_cast<std::size_t>(s.y0) + 1];
    tallest = std::max(tallest, s.y1 - s.y0);
  }
  for (std::size_t r = 1; r < start.size(); ++r) start[r] += start[r - 1];
  std::vector<Splat> sorted(splats.size());
  for (const Splat& s : splats) sorted[start[static_cast<std::size_t>(s.y0)]++] = s;
  splats = std::move(sorted);
  return tallest;
}

// Along a row the
// Gaussian is stepped by multiplication: with q(dx) quadratic in dx, the
// ratio g(dx + 1) / g(dx) is itself multiplied by exp(-ia) each step, so a
// row costs three exponentials whatever its length.
void splat_rows(const std::vector<Splat>& splats, cv::Mat& buf, int channels, int r0, int r1, int tallest) {
  // The Gaussian exp(-q/2), q = ia dx^2 + 2 ib dx dy + ic dy^2, by ratios: along
  // a row g(x + 1) = g(x) r, r taking a factor exp(-ia) a pixel; down the first
  // column the row's start and its r likewise, so a splat costs six
  // exponentials, not two a row.
  const auto from = std::lower_bound(splats.begin(), splats.end(), r0 - tallest, [](const Splat& s, int row) { return s.y0 < row; });
  for (auto it = from; it != splats.end(); ++it) {
    const Splat& s = *it;
    if (s.y0 >= r1) break;
    if (s.y1 < r0) continue;
    const int y0 = std::max(r0, s.y0), y1 = std::min(r1 - 1, s.y1);
    const float dx0 = static_cast<float>(s.x0) + 0.5f - s.x, dy0 = static_cast<float>(y0) + 0.5f - s.y;
    const float step = std::exp(-s.ia), step_down = std::exp(-s.ic), ratio_down = std::exp(-s.ib);
    float start = std::exp(-0.5f * (s.ia * dx0 * dx0 + 2 * s.ib * dx0 * dy0 + s.ic * dy0 * dy0));
    float start_ratio = std::exp(-0.5f * (2 * s.ib * dx0 + s.ic * (2 * dy0 + 1)));
    float row_ratio = std::exp(-0.5f * s.ia * (2 * dx0 + 1) - s.ib * dy0);
    for (int y = y0; y <= y1; ++y) {
      float* row = buf.ptr<float>(y);
      float g = start, ratio = row_ratio;
      if (channels == 3) {
        for (int x = s.x0; x <= s.x1; ++x) {
          row[3 * x] += g * s.tr;
          row[3 * x + 1] += g * s.tg;
          row[3 * x + 2] += g * s.tb;
          g *= ratio;
          ratio *= step;
        }
      } else {
        for (int x = s.x0; x <= s.x1; ++x) {
          row[x] += s.amp * g;
          g *= ratio;
          ratio *= step;
        }
      }
      start *= start_ratio, start_ratio *= step_down, row_ratio *= ratio_down;
    }
  }
}

bool dot_splat(const Camera& cam, const pattern::Dot& d, Vec3 n, bool fresh, double years, double contrast, int W, int H,
               Splat& s) {
  const double depth = d.depth_mm;
  const double blow = std::max(0.0, depth - kBlowoutDepthMm);
  const double radius = 0.5 * d.diameter_mm * (fresh ? kFreshLarger : 1.0) + kBlowoutSpreadPerMm * blow;
  const double scatter = kScatterSigmaMm + kScatterPerMmDepth * std::max(0.0, depth - 0.5) + kAgeBlurMmPerYear * years;
  const double var = radius * radius / 4 + scatter * scatter;
  const double amount = d.shade * kOdPerShade * (fresh ? kFreshDarker : 1.0) * contrast * kPi * radius * radius /
                        (1 + 2 * blow);  // the same pigment spread wider
  const double blue = std::min(0.5, kBlowoutBluePerMm * blow + kAgeBluePerYear * years);
  const Rgb tint = fresh ? Rgb{1.0, 1.0, 1.0} : Rgb{kHealedTint[0], kHealedTint[1] * (1 - 0.3 * blue), kHealedTint[2] * (1 - blue)};
  return make_splat(cam, {d.x_mm, d.y_mm, d.z_mm}, n, var, amount, tint, W, H, s);
}

}  // namespace stipple::simulate::detail
