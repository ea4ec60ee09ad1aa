// stipple/scalp/geodesic.h: shortest paths and distances along the scalp.
//
// The hairline transition and the dot pattern measure distances along the skin,
// not through the skull. A geodesic between two surface points is found by
// curve shortening: a polyline on the surface whose interior vertices move, in
// turn, to the surface point over the midpoint of their neighbours until it
// stops getting shorter; the polyline is refined coarse to fine (4 to 256
// segments), so the result converges in a few dozen sweeps per level.
#pragma once

#include <vector>

#include "stipple/scalp/head.h"

namespace stipple::scalp {

struct GeodesicPath {
  std::vector<Vec3> points;  // from a to b, on the surface
  double length_mm = 0;
};

// Shortest path along the surface between the chart points a and b (they must
// not be antipodal through the centre; a scalp never spans that far).
GeodesicPath geodesic(const Head& head, Vec2 a, Vec2 b);
inline double geodesic_distance(const Head& head, Vec2 a, Vec2 b) { return geodesic(head, a, b).length_mm; }

// Distance in millimetres from the surface point p to the nearest point of the
// polyline through `pts` (surface points a few millimetres apart), measured
// along straight chords: within 0.1% of the surface distance up to 20 mm away
// on a head (the chord of a 20 mm arc of a 90 mm radius differs by 0.04%).
double distance_to_polyline(Vec3 p, const std::vector<Vec3>& pts, bool closed);

}  // namespace stipple::scalp
