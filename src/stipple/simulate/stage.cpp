#include "stipple/simulate/stage.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace stipple::simulate {

std::string Stage::name() const {
  switch (kind) {
    case Kind::before: return "before";
    case Kind::fresh: return "fresh";
    case Kind::session: return fmt::format("session-{}", n);
    case Kind::healed: return "healed";
    case Kind::years: return fmt::format("years-{}", n);
  }
  return "healed";
}

std::optional<Stage> parse_stage(std::string_view text) {
  if (text == "before") return Stage{Stage::Kind::before, 0};
  if (text == "fresh") return Stage{Stage::Kind::fresh, 0};
  if (text == "healed") return Stage{Stage::Kind::healed, 0};
  const auto numbered = [&](std::string_view prefix, int lo, int hi) -> std::optional<int> {
    if (!text.starts_with(prefix)) return std::nullopt;
    const std::string_view digits = text.substr(prefix.size());
    int n = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc() || end != digits.data() + digits.size() || n < lo || n > hi) return std::nullopt;
    return n;
  };
  if (auto n = numbered("session-", 1, 4)) return Stage{Stage::Kind::session, *n};
  if (auto n = numbered("years-", 0, 30)) return Stage{Stage::Kind::years, *n};
  return std::nullopt;
}

// Model defaults (docs/simulate.md): moderate sun and Fitzpatrick III-IV reach
// the touch-up point at 5 years, the middle of the brief's 3-8; strong sun
// brings it forward by 30%, little sun pushes it back by 45%; types I-II fade
// 10% faster, V-VI 10% slower.
double fading_time_constant_years(Sun sun, int fitzpatrick) {
  constexpr double kModerateTouchUpYears = 5.0;
  const double base = kModerateTouchUpYears / std::log(1.0 / kTouchUpContrast);
  const double s = sun == Sun::high ? 0.7 : sun == Sun::low ? 1.45 : 1.0;
  const int f = std::clamp(fitzpatrick, 1, 6);
  const double k = f <= 2 ? 0.9 : f >= 5 ? 1.1 : 1.0;
  return base * s * k;
}

double contrast_after(double years, Sun sun, int fitzpatrick) {
  return std::exp(-std::max(0.0, years) / fading_time_constant_years(sun, fitzpatrick));
}

double touch_up_years(Sun sun, int fitzpatrick) {
  return fading_time_constant_years(sun, fitzpatrick) * std::log(1.0 / kTouchUpContrast);
}

}  // namespace stipple::simulate
