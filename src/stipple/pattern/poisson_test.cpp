#include "stipple/pattern/poisson.h"

#include <gtest/gtest.h>

#include <cmath>

#include "stipple/pattern/spectrum.h"

namespace stipple::pattern {
namespace {

PointSet flat(double side, std::vector<double> radii, std::uint64_t seed = 7, int threads = 1) {
  ThreadPool pool(threads);
  SamplerOptions o;
  o.radii_mm = std::move(radii);
  o.seed = seed;
  return sample_progressive(FlatDomain{side, side}, o, pool);
}

// Smallest distance between points [0, end), brute force on a coarse grid.
double min_distance(const PointSet& p, std::size_t end) {
  double best = 1e9;
  for (std::size_t i = 0; i < end; ++i)
    for (std::size_t j = i + 1; j < end; ++j) {
      const double dx = p.x[i] - p.x[j];
      if (std::abs(dx) >= best) continue;
      best = std::min(best, std::hypot(dx, static_cast<double>(p.y[i] - p.y[j])));
    }
  return best;
}

TEST(Poisson, NoTwoPointsCloserThanTheRadiusAndTheSquareIsFull) {
  const PointSet p = flat(60, {1.0});
  EXPECT_GE(min_distance(p, p.size()), 1.0 - 1e-5);
  // Maximal Poisson-disk sampling packs 0.6966 points per r^2 (Feder 1980);
  // dart throwing with 30 candidates (Bridson) reaches about 0.65.
  const double density = static_cast<double>(p.size()) / (60.0 * 60.0);
  EXPECT_GT(density, 0.64);
  EXPECT_LT(density, 0.72);
  for (std::size_t i = 0; i < p.size(); ++i) {
    EXPECT_GE(p.x[i], 0);
    EXPECT_LT(p.x[i], 60);
  }
}

TEST(Poisson, EveryPrefixOfLevelsIsAPoissonDiskSampleOfItsRadius) {
  const std::vector<double> radii{3.0, 2.1, 1.5, 1.05};
  const PointSet p = flat(50, radii);
  ASSERT_EQ(p.level_end.size(), radii.size());
  for (std::size_t l = 0; l < radii.size(); ++l) {
    EXPECT_GE(min_distance(p, p.level_end[l]), radii[l] - 1e-5) << "level " << l;
    // Each prefix is also nearly full at its own radius.
    const double per_r2 = static_cast<double>(p.level_end[l]) * radii[l] * radii[l] / (50.0 * 50.0);
    EXPECT_GT(per_r2, 0.6) << "level " << l;
  }
}

TEST(Poisson, SameSeedSamePointsForAnyThreadCount) {
  const PointSet a = flat(80, {1.5, 1.0}, 3, 1), b = flat(80, {1.5, 1.0}, 3, 2), c = flat(80, {1.5, 1.0}, 4, 1);
  EXPECT_EQ(a.x, b.x);
  EXPECT_EQ(a.y, b.y);
  EXPECT_EQ(a.level, b.level);
  EXPECT_NE(a.x, c.x);
}

// Blue noise: little energy at low frequencies, against white noise as the
// control (which the same measure must call white, or the test proves nothing).
TEST(Poisson, FlatPatchIsBlueNoise) {
  const double side = 64;
  const PointSet p = flat(side, {1.0}, 11);
  const auto spec = radial_power_spectrum(p.x, p.y, side, 1.6);
  Rng rng(5);
  std::vector<float> wx(p.size()), wy(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) wx[i] = static_cast<float>(side * rng.uniform()), wy[i] = static_cast<float>(side * rng.uniform());
  const auto white = radial_power_spectrum(wx, wy, side, 1.6);
  const auto band = [](const std::vector<SpectrumBin>& s, double lo, double hi) {
    double sum = 0;
    int n = 0;
    for (const SpectrumBin& b : s)
      if (b.frequency >= lo && b.frequency < hi) sum += b.power, ++n;
    return sum / n;
  };
  // Below half the principal frequency (about 1 / (1.1 mm)), a Poisson-disk
  // spectrum is nearly empty; white noise stays at 1.
  EXPECT_LT(band(spec, 0.05, 0.45), 0.15);
  EXPECT_GT(band(white, 0.05, 0.45), 0.8);
  // The principal ring (just under 1 / r) rises well above 1.
  double peak = 0, peak_f = 0;
  for (const SpectrumBin& b : spec)
    if (b.power > peak) peak = b.power, peak_f = b.frequency;
  EXPECT_GT(peak, 1.3);
  EXPECT_GT(peak_f, 0.8);
  EXPECT_LT(peak_f, 1.3);

  // Pair correlation: no neighbour under r, a crowded first ring just past it.
  const auto g = pair_correlation(p.x, p.y, side, 4.0, 0.1);
  for (const PairBin& b : g)
    if (b.r_mm < 0.95) {
      EXPECT_EQ(b.g, 0.0) << b.r_mm;
    }
  double ring = 0;
  for (const PairBin& b : g)
    if (b.r_mm > 1.0 && b.r_mm < 1.3) ring = std::max(ring, b.g);
  EXPECT_GT(ring, 1.5);
}

}  // namespace
}  // namespace stipple::pattern
