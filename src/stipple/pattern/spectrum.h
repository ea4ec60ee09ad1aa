// stipple/pattern/spectrum.h: how blue a point set is.
//
// The radial power spectrum (periodogram) of points in a square of side L:
// P(f) = |sum_k exp(-2 pi i f . x_k)|^2 / N at the integer frequencies
// f = (a, b) / L of the square's Fourier series, averaged over rings of |f|.
// White noise (uniform random points) has P = 1 at every frequency; blue noise
// has P near 0 at low frequencies, a peak near 1 / spacing, and P -> 1 beyond
// (Ulichney, "Digital Halftoning", 1987; Lagae and Dutre, "A comparison of
// methods for generating Poisson disk distributions", CGF 2008). The pair
// correlation g(r) is the density of neighbours at distance r relative to a
// uniform process: 0 below the disc radius for Poisson-disk samples.
#pragma once

#include <vector>

namespace stipple::pattern {

struct SpectrumBin {
  double frequency = 0;  // cycles per mm (ring centre)
  double power = 0;      // mean periodogram in the ring
};

// Rings of width 1/L from 1/L up to f_max cycles/mm.
std::vector<SpectrumBin> radial_power_spectrum(const std::vector<float>& x, const std::vector<float>& y, double side_mm,
                                               double f_max);

struct PairBin {
  double r_mm = 0;  // ring centre
  double g = 0;
};

// Pair correlation up to r_max with rings of width dr, edges handled by
// keeping only reference points at least r_max inside the square.
std::vector<PairBin> pair_correlation(const std::vector<float>& x, const std::vector<float>& y, double side_mm,
                                      double r_max, double dr);

}  // namespace stipple::pattern
