// bench/bridson.h: the reference point for the flat sampling benchmark.
//
// Bridson's "Fast Poisson disk sampling in arbitrary dimensions" (SIGGRAPH
// 2007 sketch) written the straightforward way: a background grid of cell
// r / sqrt(2) holding point indices, an active list, k = 30 candidates drawn
// uniformly from the annulus [r, 2r] around a random active point, std::mt19937.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace stipple::bench {

struct Point2 {
  float x, y;
};

inline std::vector<Point2> bridson(double width, double height, double r, std::uint32_t seed, int k = 30) {
  const double cell = r / std::sqrt(2.0);
  const int gw = static_cast<int>(std::ceil(width / cell)), gh = static_cast<int>(std::ceil(height / cell));
  std::vector<int> grid(static_cast<std::size_t>(gw) * static_cast<std::size_t>(gh), -1);
  std::vector<Point2> points;
  std::vector<int> active;
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const auto insert = [&](double x, double y) {
    points.push_back({static_cast<float>(x), static_cast<float>(y)});
    const int id = static_cast<int>(points.size()) - 1;
    grid[static_cast<std::size_t>(static_cast<int>(y / cell) * gw + static_cast<int>(x / cell))] = id;
    active.push_back(id);
  };
  insert(unit(rng) * width, unit(rng) * height);
  while (!active.empty()) {
    const std::size_t pick = static_cast<std::size_t>(unit(rng) * static_cast<double>(active.size()));
    const Point2 p = points[static_cast<std::size_t>(active[pick])];
    bool found = false;
    for (int t = 0; t < k && !found; ++t) {
      const double a = 2 * 3.14159265358979323846 * unit(rng);
      const double d = r * std::sqrt(1 + 3 * unit(rng));  // uniform by area in [r, 2r]
      const double x = p.x + d * std::cos(a), y = p.y + d * std::sin(a);
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      const int cx = static_cast<int>(x / cell), cy = static_cast<int>(y / cell);
      bool ok = true;
      for (int j = std::max(0, cy - 2); j <= std::min(gh - 1, cy + 2) && ok; ++j)
        for (int i = std::max(0, cx - 2); i <= std::min(gw - 1, cx + 2) && ok; ++i) {
          const int q = grid[static_cast<std::size_t>(j * gw + i)];
          if (q < 0) continue;
          const double dx = points[static_cast<std::size_t>(q)].x - x, dy = points[static_cast<std::size_t>(q)].y - y;
          if (dx * dx + dy * dy < r * r) ok = false;
        }
      if (ok) {
        insert(x, y);
        found = true;
      }
    }
    if (!found) {
      active[pick] = active.back();
      active.pop_back();
    }
  }
  return points;
}

}  // namespace stipple::bench
