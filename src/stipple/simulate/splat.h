// stipple/simulate/splat.h: the optics shared by the pictures of the head and
// the composite on a client's photo: colour conversions, the camera, and each
// dot of pigment as an elliptical Gaussian splat that conserves the light it
// absorbs at any pixel scale (docs/simulate.md).
#pragma once

#include <opencv2/core.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "stipple/core/geometry.h"
#include "stipple/pattern/pattern.h"
#include "stipple/scalp/head.h"
#include "stipple/simulate/render.h"
#include "stipple/simulate/stage.h"

namespace stipple::simulate::detail {

using Rgb = std::array<double, 3>;

double srgb_to_linear(double c);
double linear_to_srgb(double c);
// Linear light (0..1) to an 8-bit sRGB value through a table of 65,536 steps
// (within 0.05 of a level of the exact curve). The table is built before main.
extern const std::array<std::uint8_t, 65536> kSrgb8Table;
inline std::uint8_t to_srgb8(double c) {
  return kSrgb8Table[static_cast<std::size_t>((c > 0 ? (c < 1 ? c : 1.0) : 0.0) * 65535 + 0.5)];
}
// The transmittance e^-x of an optical density x >= 0, in floats, within
// 2e-6 of it (relative) for x up to 40: e^-x = 2^v with v = -x log2(e) split
// into the nearest integer n, made from the exponent bits, and |f| <= 1/2,
// whose 2^f is its Taylor series to the sixth power (the rest is below 2e-7;
// the rounding of v in floats makes most of the error). Branch-free and
// inline, so that loops over a row of pixels become vector code; exact at 0.
inline float transmittance(float x) {
  const float v = std::clamp(-x * 1.44269504f, -126.0f, 0.0f);
  const int n = static_cast<int>(v - 0.5f);  // truncation toward zero: the nearest integer to v <= 0
  const float f = (v - static_cast<float>(n)) * 0.693147181f;
  const float p = 1 + f * (1 + f * (0.5f + f * (1 / 6.0f + f * (1 / 24.0f + f * (1 / 120.0f + f * (1 / 720.0f))))));
  return p * std::bit_cast<float>((n + 127) << 23);
}
// An 8-bit sRGB value to linear light, from a table.
float srgb8_to_linear(std::uint8_t v);
// CIELAB (D65) to linear sRGB, and back.
Rgb lab_to_linear(double L, double a, double b);
std::array<double, 3> linear_to_lab(Rgb c);
// The CIEDE2000 colour difference of two CIELAB colours (CIE 142-2001; the
// formulas as Sharma, Wu and Dalal write them out, "The CIEDE2000
// color-difference formula: implementation notes, supplementary test data,
// and mathematical observations", Color Res Appl 30 (2005) 21-30), with the
// parametric factors kL = kC = kH = 1. Symmetric; 0 for equal colours.
double delta_e00(const std::array<double, 3>& lab1, const std::array<double, 3>& lab2);

// --- Appearance constants (docs/simulate.md; modelling defaults unless cited) ---
// Optical density of a dot's pigment per unit of shade (healed, at its centre).
inline constexpr double kOdPerShade = 2.5;
// Relative absorption of R, G, B by healed pigment under the skin: a little
// less in blue, so dots look blue-grey (brief section 2).
inline constexpr Rgb kHealedTint{1.0, 0.96, 0.86};
// Scattering blur of the skin above the pigment (sigma, mm) and its growth with
// depth; beyond kBlowoutDepthMm the pigment spreads and turns blue (blowout).
// 0.15 mm makes a 0.5 mm body dot's half-maximum width its healed diameter
// (the brief's section 2 diameters are the dots as seen, soft-edged), about as
// soft as the shaved hair's shadow under the same skin (docs/simulate.md).
inline constexpr double kScatterSigmaMm = 0.15, kScatterPerMmDepth = 0.08, kBlowoutDepthMm = 1.0, kBlowoutSpreadPerMm = 0.45,
                 kBlowoutBluePerMm = 0.5;
// Pigment migration with age: extra blur per year and a bluer cast.
inline constexpr double kAgeBlurMmPerYear = 0.01, kAgeBluePerYear = 0.01;
// The pixel's own footprint, sigma in pixels (a smooth reconstruction filter).
inline constexpr double kPixelSigma = 0.42;
// Fresh work: erythema around the dots and over the worked area (brief
// section 7: redness for 1-2 days).
inline constexpr double kRednessSigmaMm = 0.9, kRednessGain = 4.0;
// How much of a session's redness shows on skin of lightness L* (CIELAB):
// the epidermis's melanin hides the blood beneath it. Fair skin shows all of
// it: over the range of Caucasian skin pigmentation made no difference to
// when erythema is seen, while through a filter of dark brown skin's
// absorbance it was seen only at about twice the dose (Photodermatol
// Photoimmunol Photomed 1992;9(2):45-7); reflectance finds a mild erythema
// only on skin of ITA 40 degrees or more (Skin Res Technol 2007, PMID
// 17610644). So: all of it at type III's L* (61) and above, half at type
// VI's (37.4), linear between (a modelling default).
inline double redness_visibility(double skin_l) { return std::clamp(0.5 + 0.5 * (skin_l - 37.4) / (61.0 - 37.4), 0.5, 1.0); }
inline constexpr Rgb kRednessLoss{0.0, 0.34, 0.28};
// Camera: eye 600 mm from the head's centre; the head fills 86% of the frame.
inline constexpr double kEyeDistanceMm = 600, kFrameFill = 0.86;


struct Camera {
  Vec3 R, U, V;  // image right, image up, toward the viewer
  Vec3 eye;
  double focal = 1;  // px
  double cx = 0, cy = 0;
  // A similarity of the image plane after projection (scale and roll sa, sb;
  // shift tx, ty): how a head fitted to a photo sits in it. Identity by default.
  double sa = 1, sb = 0, tx = 0, ty = 0;
  // Image position of a point; false behind the eye.
  bool project(Vec3 p, double& x, double& y) const {
    const Vec3 d = p - eye;
    const double z = -dot(d, V);
    if (z <= 1) return false;
    const double x0 = cx + focal * dot(d, R) / z, y0 = cy - focal * dot(d, U) / z;
    x = sa * x0 - sb * y0 + tx;
    y = sb * x0 + sa * y0 + ty;
    return true;
  }
  // The ray through image position (x, y), not normalised: affine in x and y,
  // so it can be stepped along a row.
  Vec3 ray_dir(double x, double y) const {
    const double det = sa * sa + sb * sb, ux = x - tx, uy = y - ty;
    const double x0 = (sa * ux + sb * uy) / det, y0 = (-sb * ux + sa * uy) / det;
    return R * (x0 - cx) - U * (y0 - cy) - V * focal;
  }
  // The unit ray through image position (x, y).
  Vec3 ray(double x, double y) const {
    const Vec3 k = ray_dir(x, y);
    return k / std::sqrt(dot(k, k));
  }
};

// The camera of a contract view, framing the head in W x H pixels.
Camera camera_for(View v, const scalp::Ellipsoid& e, int W, int H);

// The outward normal of the vault (upper and lower half-ellipsoids) at p.
Vec3 vault_normal(const scalp::Ellipsoid& e, Vec3 p);

// One splat: an elliptical Gaussian in the image with its inverse covariance,
// amplitude and the box it is evaluated over.
struct Splat {
  float x, y;
  float ia, ib, ic;  // inverse covariance [[ia, ib], [ib, ic]]
  float amp;         // peak of the spot's coverage (its disc's area spread over the footprint)
  float tr, tg, tb;  // peak optical density per channel
  int x0, x1, y0, y1;
};

// Ein(z) = integral from 0 to z of (1 - e^-t) / t dt, and its inverse.
double ein(double z);
double ein_inverse(double target);

// The image footprint of a spot of pigment at p (normal n) whose physical
// profile is a Gaussian of variance var_mm2 (mm^2, per axis) and integral
// amount x tint (OD mm^2, per channel). False when it falls outside W x H.
bool make_splat(const Camera& cam, Vec3 p, Vec3 n, double var_mm2, double amount, Rgb tint, int W, int H, Splat& s);

// The splat of a dot of the pattern: its size, blur, darkness and tint from
// its diameter, depth and shade; fresh (darker, larger, untinted) or healed,
// `years` after healing with `contrast` left (1 when new).
bool dot_splat(const Camera& cam, const pattern::Dot& d, Vec3 n, bool fresh, double years, double contrast, int W, int H,
               Splat& s);

// Orders splats by their top row y0 (0 <= y0 < H), keeping the order of those
// on the same row: a counting sort, linear in their number. Returns the most
// rows below its top any splat reaches (max y1 - y0; 0 for none).
int sort_by_top(std::vector<Splat>& splats, int H);

// Adds splats to a float image of `channels` (3: tinted optical density, 1:
// coverage) over rows [r0, r1). Splats are sorted by y0 and reach at most
// `tallest` rows below it (sort_by_top), so a band starts at the first that
// can reach it.
void splat_rows(const std::vector<Splat>& splats, cv::Mat& buf, int channels, int r0, int r1, int tallest);

}  // namespace stipple::simulate::detail
