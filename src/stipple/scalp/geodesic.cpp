#include "stipple/scalp/geodesic.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace stipple::scalp {

namespace {

double polyline_length(const std::vector<Vec3>& pts) {
  double sum = 0;
  for (std::size_t i = 1; i < pts.size(); ++i) sum += distance(pts[i - 1], pts[i]);
  return sum;
}

}  // namespace

GeodesicPath geodesic(const Head& head, Vec2 a, Vec2 b) {
  // Start from the straight chart line, 4 segments; refine to 256.
  std::vector<Vec2> uv;
  for (int i = 0; i <= 4; ++i) {
    const double t = i / 4.0;
    uv.push_back({a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t});
  }
  std::vector<Vec3> pts(uv.size());
  for (std::size_t i = 0; i < uv.size(); ++i) pts[i] = head.chart_point(uv[i]);
  for (;;) {
    double previous = std::numeric_limits<double>::infinity();
    for (int sweep = 0; sweep < 500; ++sweep) {
      for (std::size_t i = 1; i + 1 < pts.size(); ++i) {
        const Vec3 mid = (pts[i - 1] + pts[i + 1]) * 0.5;
        pts[i] = head.chart_point(head.chart_of(mid));
      }
      const double len = polyline_length(pts);
      if (previous - len < 1e-10 * len) break;
      previous = len;
    }
    if (pts.size() > 256) break;
    std::vector<Vec3> finer;
    finer.reserve(2 * pts.size() - 1);
    for (std::size_t i = 0; i + 1 < pts.size(); ++i) {
      finer.push_back(pts[i]);
      finer.push_back(head.chart_point(head.chart_of((pts[i] + pts[i + 1]) * 0.5)));
    }
    finer.push_back(pts.back());
    pts = std::move(finer);
  }
  GeodesicPath path;
  path.length_mm = polyline_length(pts);
  path.points = std::move(pts);
  return path;
}

double distance_to_polyline(Vec3 p, const std::vector<Vec3>& pts, bool closed) {
  const std::size_t n = pts.size();
  if (n == 1) return distance(p, pts[0]);
  // The nearest squared distance over the segments, one square root at the end.
  double best = std::numeric_limits<double>::infinity();
  const auto segment = [&](Vec3 a, Vec3 b) {
    const Vec3 ab = b - a, ap = p - a;
    const double len2 = dot(ab, ab);
    const double t = len2 > 0 ? std::clamp(dot(ap, ab) / len2, 0.0, 1.0) : 0.0;
    const Vec3 q = ap - ab * t;
    best = std::min(best, dot(q, q));
  };
  for (std::size_t i = 0; i + 1 < n; ++i) segment(pts[i], pts[i + 1]);
  if (closed && n > 1) segment(pts[n - 1], pts[0]);
  return std::sqrt(best);
}

}  // namespace stipple::scalp
