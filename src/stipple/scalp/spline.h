// stipple/scalp/spline.h: monotone cubic interpolation (Fritsch-Carlson).
//
// Smooth through its knots and never overshooting between them, so a hairline
// or a hair boundary drawn through a few points cannot bulge where no point
// says so.
#pragma once

#include <vector>

namespace stipple::scalp {

// The interpolant through (xs[i], ys[i]), xs strictly increasing, at x. With
// period > 0 the knots repeat every `period` (xs must span less than one
// period); without, x is clamped to [xs.front(), xs.back()].
double monotone_cubic(const std::vector<double>& xs, const std::vector<double>& ys, double x, double period = 0);

}  // namespace stipple::scalp
