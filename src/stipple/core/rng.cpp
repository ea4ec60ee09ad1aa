#include "stipple/core/rng.h"

#include <cmath>

#include "stipple/core/geometry.h"

namespace stipple {

double Rng::normal() {
  const double u1 = 1.0 - uniform();  // (0, 1]: the logarithm stays finite
  const double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2 * kPi * u2);
}

}  // namespace stipple
