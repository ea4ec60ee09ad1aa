// stipple/pattern/poisson.h: progressive Poisson-disk sampling on a chart.
//
// The sampler fills a domain with points no two of which are closer than a
// radius, level after level with a shrinking radius r_0 > r_1 > ... (a
// "progressive" sample, McCool and Fiume 1992): every point remembers the level
// that placed it, and the points of levels 0..l alone are a Poisson-disk sample
// of radius r_l. Thinning the sample by level therefore leaves blue noise at any
// density, which is how the pattern engine sets density point by point without
// ever moving a point (docs/pattern.md).
//
// How a level is filled: the domain's 2D chart is cut into square cells small
// enough that a cell holds at most one point (cell diagonal <= r_l / largest
// chart stretch), grouped into tiles of `tile_cells` x `tile_cells`. Tiles are
// filled in four phases by the parity of their tile coordinates; tiles of one
// phase never touch each other's neighbourhoods, so they run in parallel, and
// because each tile draws from its own random stream (seed, level, tile) the
// result is identical for any number of threads. Inside a tile the cells are
// visited in a random order and each empty cell receives up to
// `darts_per_cell` uniform darts per pass (cell-based dart throwing, as in
// Ebeida et al., "Efficient maximal Poisson-disk sampling", SIGGRAPH 2011,
// phase one). A dart is accepted when no point within the radius exists; the
// test reads the positions stored in the cells of a window around it, in the
// domain's own distance (on the head, the 3D chord on the surface: equal to the
// surface distance within 1e-5 at these radii).
//
// A Domain provides: kDims (2 or 3 position components), chart bounds
// (u_min/v_min/u_max/v_max), max_stretch() (largest surface length per chart
// unit), window(u, v, r, cell, wu, wv) (half-widths in cells of a window that
// holds every point within r), max_window(r, cell), inside(u, v), map(u, v) ->
// position, cell_may_hold(u, v, cell) (false when no dart in the cell
// centred at (u, v) can be inside) and region_may_hold(u0, v0, u1, v1) (the
// same for a whole rectangle of the chart, to skip empty tiles). Units: chart units for u and v, mm for
// positions and radii.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

#include "stipple/core/rng.h"
#include "stipple/core/thread_pool.h"

namespace stipple::pattern {

struct SamplerOptions {
  std::vector<double> radii_mm;  // one per level, strictly decreasing
  std::uint64_t seed = 1;
  int passes = 4;                // rounds of phase two (sub-cell refinement)
  int tile_cells = 32;
};

// The sample, as flat arrays (structure of arrays), in placement order: level
// by level, phase by phase, tile by tile.
struct PointSet {
  std::vector<float> u, v;        // chart coordinates
  std::vector<float> x, y, z;     // position in mm (z = 0 on a flat domain)
  std::vector<std::uint8_t> level;
  std::vector<std::size_t> level_end;  // points of levels 0..l are [0, level_end[l])

  std::size_t size() const { return level.size(); }
  std::size_t bytes() const { return size() * (5 * sizeof(float) + sizeof(std::uint8_t)); }
};

// A square or rectangle of the plane, chart = millimetres.
struct FlatDomain {
  static constexpr int kDims = 2;
  double width_mm = 0, height_mm = 0;

  double u_min() const { return 0; }
  double v_min() const { return 0; }
  double u_max() const { return width_mm; }
  double v_max() const { return height_mm; }
  double max_stretch() const { return 1; }
  int max_window(double r, double cell) const { return static_cast<int>(std::ceil(r / cell)); }
  void window(double, double, double r, double cell, int& wu, int& wv) const { wu = wv = max_window(r, cell); }
  bool inside(double u, double v) const { return u >= 0 && v >= 0 && u < width_mm && v < height_mm; }
  bool cell_may_hold(double, double, double) const { return true; }
  bool region_may_hold(double, double, double, double) const { return true; }
  std::array<float, 2> map(double u, double v) const { return {static_cast<float>(u), static_cast<float>(v)}; }
};

namespace detail {

template <int D>
struct Cell {
  std::array<float, D> p;
};

// An empty cell's coordinates: far from everything, squared distances stay finite.
inline constexpr float kEmpty = 1e15f;

template <int D>
inline float dist2(const std::array<float, D>& a, const std::array<float, D>& b) {
  float s = 0;
  for (int k = 0; k < D; ++k) {
    const float d = a[k] - b[k];
    s += d * d;
  }
  return s;
}

// True when a point of the window of half-widths (wu, wv) around `centre` (the
// window's middle cell, in a grid with `stride` cells per row) lies closer to p
// than sqrt(limit2). Rows go from the middle outward: most hits are close by.
template <int D>
inline bool any_within(const Cell<D>* centre, std::ptrdiff_t stride, int wu, int wv, const std::array<float, D>& p,
                       float limit2) {
#if defined(__SSE2__)
  if constexpr (D == 2) {
    if (wu == 2) {
      // Five cells of a row are ten floats: three overlapping 4-float loads.
      const __m128 pp = _mm_setr_ps(p[0], p[1], p[0], p[1]);
      const __m128 lim = _mm_set1_ps(limit2);
      for (int k = 0; k <= 2 * wv; ++k) {
        const int dj = (k & 1) ? -((k + 1) / 2) : k / 2;
        const float* row = &centre[dj * stride - 2].p[0];
        const auto pair_d2 = [&](const float* at) {
          const __m128 d = _mm_sub_ps(_mm_loadu_ps(at), pp);
          const __m128 sq = _mm_mul_ps(d, d);
          return _mm_add_ps(sq, _mm_shuffle_ps(sq, sq, _MM_SHUFFLE(2, 3, 0, 1)));
        };
        const __m128 hit = _mm_or_ps(_mm_or_ps(_mm_cmplt_ps(pair_d2(row), lim), _mm_cmplt_ps(pair_d2(row + 4), lim)),
                                     _mm_cmplt_ps(pair_d2(row + 6), lim));
        if (_mm_movemask_ps(hit) != 0) return true;
      }
      return false;
    }
  }
#endif
  for (int k = 0; k <= 2 * wv; ++k) {
    const int dj = (k & 1) ? -((k + 1) / 2) : k / 2;
    const Cell<D>* row = centre + dj * stride - wu;
    bool hit = false;
    for (int di = 0; di <= 2 * wu; ++di) hit |= dist2<D>(row[di].p, p) < limit2;
    if (hit) return true;
  }
  return false;
}

// True when one of n8 points (structure of arrays: nc[k][i] is coordinate k
// of point i; n8 a multiple of 8, padding far away) lies closer to p than
// sqrt(limit2). Eight points a step, with an early exit.
template <int D>
inline bool any_closer(const float* const* nc, int n8, const std::array<float, D>& p, float limit2) {
#if defined(__SSE2__)
  const __m128 lim = _mm_set1_ps(limit2);
  __m128 pk[D];
  for (int k = 0; k < D; ++k) pk[k] = _mm_set1_ps(p[k]);
  for (int i = 0; i < n8; i += 8) {
    __m128 a = _mm_setzero_ps(), b = _mm_setzero_ps();
    for (int k = 0; k < D; ++k) {
      const __m128 da = _mm_sub_ps(_mm_loadu_ps(nc[k] + i), pk[k]), db = _mm_sub_ps(_mm_loadu_ps(nc[k] + i + 4), pk[k]);
      a = _mm_add_ps(a, _mm_mul_ps(da, da));
      b = _mm_add_ps(b, _mm_mul_ps(db, db));
    }
    if (_mm_movemask_ps(_mm_or_ps(_mm_cmplt_ps(a, lim), _mm_cmplt_ps(b, lim))) != 0) return true;
  }
  return false;
#else
  for (int i = 0; i < n8; ++i) {
    float d2 = 0;
    for (int k = 0; k < D; ++k) {
      const float d = nc[k][i] - p[k];
      d2 += d * d;
    }
    if (d2 < limit2) return true;
  }
  return false;
#endif
}

}  // namespace detail

template <class Domain>
PointSet sample_progressive(const Domain& dom, const SamplerOptions& opt, ThreadPool& pool) {
  constexpr int D = Domain::kDims;
  using CellT = detail::Cell<D>;
  PointSet out;
  const double u0 = dom.u_min(), v0 = dom.v_min();
  const double span_u = dom.u_max() - u0, span_v = dom.v_max() - v0;
  const int T = std::max(8, opt.tile_cells);

  struct Local {
    float u, v;
    std::array<float, D> p;
  };
  std::vector<std::vector<Local>> per_tile;
  std::vector<CellT> grid;

  for (std::size_t level = 0; level < opt.radii_mm.size(); ++level) {
    const double r = opt.radii_mm[level];
    const float r2 = static_cast<float>(r * r);
    // A cell's diagonal, stretched by the chart, stays below r: at most one point per cell.
    const double cell = r / (std::sqrt(2.0) * dom.max_stretch()) * (1 - 1e-6);
    const int pad = dom.max_window(r, cell);
    const int nu = std::max(1, static_cast<int>(std::ceil(span_u / cell)));
    const int nv = std::max(1, static_cast<int>(std::ceil(span_v / cell)));
    const int stride = nu + 2 * pad;
    grid.assign(static_cast<std::size_t>(stride) * static_cast<std::size_t>(nv + 2 * pad), CellT{});
    for (CellT& c : grid) c.p.fill(detail::kEmpty);
    const auto cell_index = [&](float u, float v) {
      const int i = std::clamp(static_cast<int>((u - u0) / cell), 0, nu - 1);
      const int j = std::clamp(static_cast<int>((v - v0) / cell), 0, nv - 1);
      return static_cast<std::size_t>(j + pad) * static_cast<std::size_t>(stride) + static_cast<std::size_t>(i + pad);
    };
    for (std::size_t k = 0; k < out.size(); ++k) {
      CellT& c = grid[cell_index(out.u[k], out.v[k])];
      if constexpr (D == 2) c.p = {out.x[k], out.y[k]};
      else c.p = {out.x[k], out.y[k], out.z[k]};
    }

    const int tiles_u = (nu + T - 1) / T, tiles_v = (nv + T - 1) / T;
    per_tile.assign(static_cast<std::size_t>(tiles_u) * static_cast<std::size_t>(tiles_v), {});
    for (int phase = 0; phase < 4; ++phase) {
      std::vector<std::size_t> tiles;
      for (int tj = phase / 2; tj < tiles_v; tj += 2)
        for (int ti = phase % 2; ti < tiles_u; ti += 2)
          tiles.push_back(static_cast<std::size_t>(tj) * static_cast<std::size_t>(tiles_u) + static_cast<std::size_t>(ti));
      pool.for_each(tiles.size(), [&](std::size_t n) {
        const std::size_t tile = tiles[n];
        const int ti = static_cast<int>(tile % static_cast<std::size_t>(tiles_u));
        const int tj = static_cast<int>(tile / static_cast<std::size_t>(tiles_u));
        const int ci0 = ti * T, cj0 = tj * T;
        const int ci1 = std::min(nu, ci0 + T), cj1 = std::min(nv, cj0 + T);
        if (!dom.region_may_hold(u0 + ci0 * cell, v0 + cj0 * cell, u0 + ci1 * cell, v0 + cj1 * cell)) return;
        Rng rng(hash64({opt.seed, level, tile}));
        std::vector<std::uint32_t> order;
        order.reserve(static_cast<std::size_t>(T * T));
        for (int cj = cj0; cj < cj1; ++cj)
          for (int ci = ci0; ci < ci1; ++ci)
            if (dom.cell_may_hold(u0 + (ci + 0.5) * cell, v0 + (cj + 0.5) * cell, cell))
              order.push_back(static_cast<std::uint32_t>((cj - cj0) * T + (ci - ci0)));
        for (std::size_t k = order.size(); k > 1; --k) std::swap(order[k - 1], order[rng.below(static_cast<std::uint32_t>(k))]);
        std::vector<Local>& found = per_tile[tile];
        const auto cell_at = [&](int ci, int cj) -> CellT& {
          return grid[static_cast<std::size_t>(cj + pad) * static_cast<std::size_t>(stride) + static_cast<std::size_t>(ci + pad)];
        };
        const auto blocked_at = [&](int ci, int cj, int wu, int wv, const std::array<float, D>& p) {
          return detail::any_within<D>(&cell_at(ci, cj), stride, wu, wv, p, r2);
        };
        // Phase one: one dart per cell, cells in random order (nearly all land early on).
        struct Void {
          int ci, cj;
          float su, sv;  // corner of the sub-cell, chart units
        };
        std::vector<Void> voids;
        for (std::uint32_t o : order) {
          const int ci = ci0 + static_cast<int>(o % static_cast<std::uint32_t>(T));
          const int cj = cj0 + static_cast<int>(o / static_cast<std::uint32_t>(T));
          CellT& home = cell_at(ci, cj);
          if (home.p[0] != detail::kEmpty) continue;
          const std::uint64_t bits = rng.next();
          const double u = u0 + (ci + static_cast<double>(unit_float(bits))) * cell;
          const double v = v0 + (cj + static_cast<double>(unit_float(bits << 24))) * cell;
          bool placed = false;
          if (dom.inside(u, v)) {
            const std::array<float, D> p = dom.map(u, v);
            int wu, wv;
            dom.window(u, v, r, cell, wu, wv);
            if (!blocked_at(ci, cj, wu, wv, p)) {
              home.p = p;
              found.push_back({static_cast<float>(u), static_cast<float>(v), p});
              placed = true;
            }
          }
          if (!placed) voids.push_back({ci, cj, static_cast<float>(u0 + ci * cell), static_cast<float>(v0 + cj * cell)});
        }
        // Phase two (after Ebeida et al.), cell by cell in random order: gather
        // the points around an empty cell once, then split the cell into
        // quarters, drop quarters that one point covers whole (its centre within
        // r minus the quarter's stretched half-diagonal: a disc is convex), throw
        // one dart into each remaining quarter, and repeat on the quarters still
        // open, `passes` times.
        for (std::size_t k = voids.size(); k > 1; --k) std::swap(voids[k - 1], voids[rng.below(static_cast<std::uint32_t>(k))]);
        // The points around one empty cell, as flat arrays padded to a multiple
        // of 8 with far-away entries so the distance loops vectorise.
        const int window_cells = (2 * pad + 1) * (2 * pad + 1) + 8;
        std::vector<float> near(static_cast<std::size_t>(D * window_cells));
        std::vector<std::array<float, 2>> open, children;
        for (const Void& vd : opt.passes > 0 ? voids : std::vector<Void>{}) {
          CellT& home = cell_at(vd.ci, vd.cj);
          int wu, wv;
          dom.window(vd.su + 0.5 * cell, vd.sv + 0.5 * cell, r, cell, wu, wv);
          float* nc[3] = {near.data(), near.data() + window_cells, near.data() + (D == 3 ? 2 * window_cells : 0)};
          int count = 0;
          for (int dj = -wv; dj <= wv; ++dj) {
            const CellT* row = &cell_at(vd.ci - wu, vd.cj + dj);
            for (int di = 0; di <= 2 * wu; ++di) {
              for (int k = 0; k < D; ++k) nc[k][count] = row[di].p[k];
              count += row[di].p[0] != detail::kEmpty;
            }
          }
          const int n8 = (count + 7) & ~7;
          for (int i = count; i < n8; ++i)
            for (int k = 0; k < D; ++k) nc[k][i] = detail::kEmpty;
          const auto closer_than = [&](const std::array<float, D>& p, float limit2) {
            return detail::any_closer<D>(nc, n8, p, limit2);
          };
          open.assign(1, {vd.su, vd.sv});
          double side = cell;
          bool placed = false;
          for (int depth = 0; depth < opt.passes && !placed && !open.empty(); ++depth) {
            side *= 0.5;
            const double reach = r - 0.7072 * side * dom.max_stretch();
            const float reach2 = reach > 0 ? static_cast<float>(reach * reach) : -1.0f;
            children.clear();
            for (const auto& o : open)
              for (int q = 0; q < 4; ++q) {
                const double su = o[0] + (q & 1) * side, sv = o[1] + (q >> 1) * side;
                if (!dom.cell_may_hold(su + 0.5 * side, sv + 0.5 * side, side)) continue;
                if (closer_than(dom.map(su + 0.5 * side, sv + 0.5 * side), reach2)) continue;
                children.push_back({static_cast<float>(su), static_cast<float>(sv)});
              }
            for (std::size_t k = children.size(); k > 1; --k)
              std::swap(children[k - 1], children[rng.below(static_cast<std::uint32_t>(k))]);
            open.clear();
            for (const auto& ch : children) {
              const std::uint64_t bits = rng.next();
              const double u = ch[0] + static_cast<double>(unit_float(bits)) * side;
              const double v = ch[1] + static_cast<double>(unit_float(bits << 24)) * side;
              if (dom.inside(u, v)) {
                const std::array<float, D> p = dom.map(u, v);
                if (!closer_than(p, r2)) {
                  home.p = p;
                  found.push_back({static_cast<float>(u), static_cast<float>(v), p});
                  placed = true;
                  break;
                }
              }
              open.push_back(ch);
            }
          }
        }
      });
      for (std::size_t tile : tiles) {
        for (const Local& l : per_tile[tile]) {
          out.u.push_back(l.u);
          out.v.push_back(l.v);
          out.x.push_back(l.p[0]);
          out.y.push_back(l.p[1]);
          if constexpr (D == 3) out.z.push_back(l.p[2]);
          else out.z.push_back(0.0f);
          out.level.push_back(static_cast<std::uint8_t>(level));
        }
        per_tile[tile].clear();
        per_tile[tile].shrink_to_fit();
      }
    }
    out.level_end.push_back(out.size());
  }
  return out;
}

}  // namespace stipple::pattern
