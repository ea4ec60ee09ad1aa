#include "stipple/pattern/spectrum.h"

#include <cmath>
#include <complex>

#include "stipple/core/geometry.h"

namespace stipple::pattern {

std::vector<SpectrumBin> radial_power_spectrum(const std::vector<float>& x, const std::vector<float>& y, double side_mm,
                                               double f_max) {
  const int kmax = static_cast<int>(std::floor(f_max * side_mm));
  const std::size_t n = x.size();
  std::vector<double> sum(static_cast<std::size_t>(kmax) + 1, 0.0);
  std::vector<int> count(static_cast<std::size_t>(kmax) + 1, 0);
  // Per point, exp(-2 pi i a x / L) for a = 0..kmax by repeated multiplication
  // (and its conjugate for negative a), then every (a, b) with b >= 0 (the
  // periodogram is symmetric under f -> -f).
  std::vector<std::complex<double>> ex(static_cast<std::size_t>(2 * kmax + 1)), ey(static_cast<std::size_t>(kmax) + 1);
  std::vector<std::complex<double>> acc(static_cast<std::size_t>((2 * kmax + 1) * (kmax + 1)), 0.0);
  for (std::size_t k = 0; k < n; ++k) {
    const std::complex<double> wx = std::polar(1.0, -2 * kPi * x[k] / side_mm), wy = std::polar(1.0, -2 * kPi * y[k] / side_mm);
    std::complex<double> p = 1.0;
    for (int a = 0; a <= kmax; ++a) {
      ex[static_cast<std::size_t>(kmax + a)] = p;
      ex[static_cast<std::size_t>(kmax - a)] = std::conj(p);
      p *= wx;
    }
    p = 1.0;
    for (int b = 0; b <= kmax; ++b) {
      ey[static_cast<std::size_t>(b)] = p;
      p *= wy;
    }
    for (int b = 0; b <= kmax; ++b)
      for (int a = -kmax; a <= kmax; ++a)
        acc[static_cast<std::size_t>(b * (2 * kmax + 1) + (a + kmax))] += ex[static_cast<std::size_t>(a + kmax)] * ey[static_cast<std::size_t>(b)];
  }
  for (int b = 0; b <= kmax; ++b)
    for (int a = -kmax; a <= kmax; ++a) {
      if (b == 0 && a <= 0) continue;  // the DC term and the mirrored half-axis
      const double f = std::hypot(a, b);
      const int ring = static_cast<int>(std::lround(f));
      if (ring < 1 || ring > kmax) continue;
      sum[static_cast<std::size_t>(ring)] += std::norm(acc[static_cast<std::size_t>(b * (2 * kmax + 1) + (a + kmax))]) / static_cast<double>(n);
      ++count[static_cast<std::size_t>(ring)];
    }
  std::vector<SpectrumBin> out;
  for (int r = 1; r <= kmax; ++r)
    if (count[static_cast<std::size_t>(r)] > 0)
      out.push_back({r / side_mm, sum[static_cast<std::size_t>(r)] / count[static_cast<std::size_t>(r)]});
  return out;
}

std::vector<PairBin> pair_correlation(const std::vector<float>& x, const std::vector<float>& y, double side_mm,
                                      double r_max, double dr) {
  const std::size_t bins = static_cast<std::size_t>(std::ceil(r_max / dr));
  std::vector<double> hist(bins, 0.0);
  const double density = static_cast<double>(x.size()) / (side_mm * side_mm);
  std::size_t refs = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i] < r_max || y[i] < r_max || x[i] > side_mm - r_max || y[i] > side_mm - r_max) continue;
    ++refs;
    for (std::size_t j = 0; j < x.size(); ++j) {
      if (i == j) continue;
      const double d = std::hypot(x[j] - x[i], y[j] - y[i]);
      if (d < r_max) hist[static_cast<std::size_t>(d / dr)] += 1;
    }
  }
  std::vector<PairBin> out;
  for (std::size_t b = 0; b < bins; ++b) {
    const double r0 = static_cast<double>(b) * dr, r1 = r0 + dr;
    const double expected = static_cast<double>(refs) * density * kPi * (r1 * r1 - r0 * r0);
    out.push_back({r0 + dr / 2, expected > 0 ? hist[b] / expected : 0.0});
  }
  return out;
}

}  // namespace stipple::pattern
