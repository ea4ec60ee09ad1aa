// stipple/pattern/pattern.h: every pigment dot of a design (`stipple pattern`).
//
// The engine first covers everything the design could ever pigment with a
// progressive Poisson-disk sample on the curved scalp (poisson.h; distances
// are 3D chords on the surface, equal to surface distances to 1e-5 at dot
// spacings). It depends on the head, the hair-loss map, the look, the hairline
// and the seed only, never on zone targets or on which zones are treated. Each
// point then carries a rank in dots/cm^2, and a dot is kept where its rank is
// below the density the design asks for at that point: the zone's target times
// a factor in [0, 1] for the hairline ramp, the remaining hair and the blend.
// Because the sample is progressive, the kept dots are blue noise at every
// density, sessions are rank bands (session 1 the lowest ranks, so a sparse,
// well spread foundation), and editing one zone changes that zone's dots only.
// Units: mm, cm^2, dots/cm^2. docs/pattern.md gives every rule and its source.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stipple/core/thread_pool.h"
#include "stipple/design/design.h"
#include "stipple/io/json_document.h"
#include "stipple/scalp/anatomy.h"

namespace stipple::pattern {

enum class Needle : std::uint8_t { single_point, three_point };

// One pigment dot. Ids are stable: a dot keeps its id when other zones are
// edited (ids are unique, increasing in placement order, not contiguous).
struct Dot {
  std::uint32_t id = 0;
  std::uint32_t unit = 0;    // id of the dot heading its follicular unit (its own id when single)
  std::uint8_t session = 1;  // 1..sessions
  scalp::Zone zone = scalp::Zone::hairline;
  Needle needle = Needle::three_point;
  bool hairline = false;     // in the hairline's transition
  bool scar = false;         // on scar tissue
  float x_mm = 0, y_mm = 0, z_mm = 0;
  float diameter_mm = 0;     // healed
  float shade = 0;           // pigment strength 0..1
  float depth_mm = 0;
};

// Session plan: cumulative fraction of the final density reached after each
// session (docs/pattern.md): 2 sessions 50/100%, 3 sessions 45/90/100%,
// 4 sessions 40/75/90/100%.
std::vector<double> session_fractions(int sessions);

// The nearest-neighbour spacing a density allows (maximal Poisson-disk
// packing, about 0.69 / r^2), mm for dots/cm^2.
double spacing_for_density_mm(double per_cm2);

// Smallest gap between the edges of two dots (mm): dots never merge.
inline constexpr double kMinEdgeGapMm = 0.1;

// Follicular-unit grouping (docs/pattern.md): of the grouped units, a third
// are triples and the rest pairs, so a grouped unit adds this many dots on average.
inline constexpr double kTripleShare = 1.0 / 3.0;
inline constexpr double kSatellitesPerGroup = 1.0 + kTripleShare;

struct PatternOptions {
  int threads = 1;
  bool keep_base = false;  // keep the whole progressive sample (tests, docs)
};

struct ZoneStats {
  scalp::Zone zone;
  double area_cm2 = 0;          // pigmented area of the zone
  double planned_dots = 0;      // the design's density integrated over that area
  std::size_t dots = 0;
  double target_per_cm2 = 0;    // the design's target (full density)
};

struct Pattern {
  std::vector<Dot> dots;  // ordered by id
  int sessions = 3;
  std::vector<ZoneStats> zones;  // treated zones, contract order
  std::size_t grouped_units = 0;        // follicular units of two or three dots
  std::size_t unplaced_satellites = 0;  // satellites with no free spot beside their centre
  // The progressive sample (kept when PatternOptions::keep_base).
  std::size_t base_points = 0;
  std::vector<double> level_radius_mm, level_density_per_cm2;
};

// Every dot of design `d` on `anatomy` (built from d). Errors name the design
// field when the design cannot be patterned.
Result<Pattern> make_pattern(const design::Design& d, const scalp::Anatomy& anatomy, const PatternOptions& opt = {});

// `stipple.pattern-stats/1`, measured from the dots.
io::Json pattern_stats(const Pattern& p);

// How well `dots` fit design `d`, both ways, each 0..1:
//  - on_design: the share of the dots that lie where the design wants dots
//    (design::Coverage::wanted);
//  - design_covered: the share of the core of the design's pigmented area
//    (where at most half the hair is left, in treated zones; sampled every
//    2 mm) with a dot within kCoverRadiusMm.
// Both are 1 for a design's own pattern, up to the hairline's irregular edge
// and the follicular units' satellites; another design's dots fall short on
// one side or the other (a smaller design's dots on a larger one leave part
// uncovered). An empty design and no dots give 1 and 1.
struct DotsFit {
  double on_design = 1, design_covered = 1;
};
DotsFit dots_fit(const design::Design& d, const scalp::Anatomy& anatomy, const std::vector<Dot>& dots);

// The least share of each, for dots to count as the design's (plan refuses others).
inline constexpr double kMinDotsFit = 0.9;
// The nearest dot of a design's own pattern is always closer than this: its
// sparsest body density (docs/pattern.md) leaves under 3 mm between dots.
inline constexpr double kCoverRadiusMm = 4.0;

// Nearest-neighbour distance of every dot (3D, mm), same order as p.dots.
std::vector<float> nearest_neighbour_mm(const std::vector<Dot>& dots);

}  // namespace stipple::pattern

namespace stipple {
template <>
inline constexpr auto enum_names<pattern::Needle> = std::array<std::string_view, 2>{"1RL", "3RL"};
}
