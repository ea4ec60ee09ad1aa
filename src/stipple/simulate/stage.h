// stipple/simulate/stage.h: what a picture shows (stage) and how dots age.
//
// Stages of the contract: before, fresh (just after the last session),
// session-N (sessions 1..N done, the last one fresh), healed, years-N (healed
// N years ago, faded). The appearance rules and their sources are in
// docs/simulate.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "stipple/core/enum_names.h"
#include "stipple/core/error.h"

namespace stipple::simulate {

enum class Sun { low, moderate, high };

struct Stage {
  enum class Kind { before, fresh, session, healed, years };
  Kind kind = Kind::healed;
  int n = 0;  // the session (session-N) or the years (years-N)

  std::string name() const;
};

// "before", "fresh", "session-2", "healed", "years-5". Sessions 1-4, years 0-30.
std::optional<Stage> parse_stage(std::string_view text);

// Fresh dots against healed ones (brief section 2, default: healing leaves a
// dot about 30% lighter and 15% smaller).
inline constexpr double kFreshDarker = 1.0 / 0.7, kFreshLarger = 1.0 / 0.85;

// Fading: the dots' contrast after `years` as a fraction of the healed
// contrast, exp(-years / tau), tau from sun exposure and Fitzpatrick type
// (docs/simulate.md). A touch-up is due when it falls to kTouchUpContrast.
inline constexpr double kTouchUpContrast = 0.65;
double fading_time_constant_years(Sun sun, int fitzpatrick);
double contrast_after(double years, Sun sun, int fitzpatrick);
// Years until the contrast reaches kTouchUpContrast (3-8 years across the
// model's range, as the brief's section 7).
double touch_up_years(Sun sun, int fitzpatrick);

}  // namespace stipple::simulate

namespace stipple {
template <>
inline constexpr auto enum_names<simulate::Sun> = std::array<std::string_view, 3>{"low", "moderate", "high"};
}
