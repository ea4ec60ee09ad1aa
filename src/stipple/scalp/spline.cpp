#include "stipple/scalp/spline.h"

#include <algorithm>
#include <cmath>

namespace stipple::scalp {

double monotone_cubic(const std::vector<double>& xs, const std::vector<double>& ys, double x, double period) {
  const long n = static_cast<long>(xs.size());
  if (n == 1) return ys[0];
  if (period > 0) {
    x = xs[0] + std::fmod(x - xs[0], period);
    if (x < xs[0]) x += period;
  } else {
    x = std::clamp(x, xs.front(), xs.back());
  }
  // Knot i, continued periodically or, at open ends, by mirroring the slope.
  const auto knot = [&](long i, double& kx, double& ky) {
    if (period > 0) {
      const long j = ((i % n) + n) % n;
      kx = xs[static_cast<std::size_t>(j)] + period * static_cast<double>((i - j) / n);
      ky = ys[static_cast<std::size_t>(j)];
    } else if (i < 0) {
      kx = 2 * xs[0] - xs[1];
      ky = 2 * ys[0] - ys[1];
    } else if (i >= n) {
      kx = 2 * xs[static_cast<std::size_t>(n - 1)] - xs[static_cast<std::size_t>(n - 2)];
      ky = 2 * ys[static_cast<std::size_t>(n - 1)] - ys[static_cast<std::size_t>(n - 2)];
    } else {
      kx = xs[static_cast<std::size_t>(i)];
      ky = ys[static_cast<std::size_t>(i)];
    }
  };
  long i = static_cast<long>(std::upper_bound(xs.begin(), xs.end(), x) - xs.begin()) - 1;
  if (period <= 0) i = std::clamp(i, 0L, n - 2);
  double x0, y0, x1, y1, xm, ym, x2, y2;
  knot(i, x0, y0);
  knot(i + 1, x1, y1);
  knot(i - 1, xm, ym);
  knot(i + 2, x2, y2);
  const double d0 = (y1 - y0) / (x1 - x0), dm = (y0 - ym) / (x0 - xm), d1 = (y2 - y1) / (x2 - x1);
  const auto slope = [](double a, double b) { return a * b <= 0 ? 0.0 : 2.0 / (1.0 / a + 1.0 / b); };
  const double m0 = slope(dm, d0), m1 = slope(d0, d1);
  const double h = x1 - x0, t = (x - x0) / h;
  const double t2 = t * t, t3 = t2 * t;
  return (2 * t3 - 3 * t2 + 1) * y0 + (t3 - 2 * t2 + t) * h * m0 + (-2 * t3 + 3 * t2) * y1 + (t3 - t2) * h * m1;
}

}  // namespace stipple::scalp
