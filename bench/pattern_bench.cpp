// bench/pattern_bench.cpp: speed of the pattern engine.
//
// Flat task (the peers' common ground): fill a square with points at least
// 1 mm apart. Stipple's sampler against a straightforward Bridson sampler
// (bench/bridson.h); scipy's qmc.PoissonDisk is timed by bench/compare.py on
// the same task. Then the whole pattern of a full Norwood VII shaved design,
// including the surface work. Counters: points per second and bytes per point.
#include <benchmark/benchmark.h>

#include <cmath>

#include "bridson.h"
#include "stipple/design/design.h"
#include "stipple/pattern/pattern.h"
#include "stipple/pattern/poisson.h"

namespace {

using namespace stipple;

// The side of a square holding about n points at 1 mm (maximal packing 0.6966 / r^2).
double side_for(double n) { return std::sqrt(n / 0.6966); }

void BM_StippleFlat(benchmark::State& state) {
  const double side = side_for(static_cast<double>(state.range(0)));
  ThreadPool pool(static_cast<int>(state.range(1)));
  pattern::SamplerOptions o;
  o.radii_mm = {1.0};
  std::size_t n = 0, bytes = 0;
  std::uint64_t seed = 1;
  for (auto _ : state) {
    o.seed = seed++;
    const pattern::PointSet p = pattern::sample_progressive(pattern::FlatDomain{side, side}, o, pool);
    n = p.size();
    bytes = p.bytes();
    benchmark::DoNotOptimize(p.x.data());
  }
  state.counters["points"] = static_cast<double>(n);
  state.counters["per_r2"] = static_cast<double>(n) / (side * side);
  state.counters["bytes_per_point"] = static_cast<double>(bytes) / static_cast<double>(n);
  state.counters["points_per_s"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_StippleFlat)
    ->ArgNames({"points", "threads"})
    ->Args({10'000, 1})
    ->Args({100'000, 1})
    ->Args({1'000'000, 1})
    ->Args({10'000'000, 1})
    ->Args({1'000'000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_BridsonFlat(benchmark::State& state) {
  const double side = side_for(static_cast<double>(state.range(0)));
  std::size_t n = 0;
  std::uint32_t seed = 1;
  for (auto _ : state) {
    const auto p = stipple::bench::bridson(side, side, 1.0, seed++);
    n = p.size();
    benchmark::DoNotOptimize(p.data());
  }
  state.counters["points"] = static_cast<double>(n);
  state.counters["per_r2"] = static_cast<double>(n) / (side * side);
  state.counters["points_per_s"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_BridsonFlat)->ArgNames({"points"})->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_PatternNorwoodVII(benchmark::State& state) {
  design::DesignOptions o;
  o.norwood = assess::Norwood::VII;
  const design::Design d = *design::make_design(o);
  const scalp::Anatomy a = *design::build_anatomy(d);
  pattern::PatternOptions opt;
  opt.threads = static_cast<int>(state.range(0));
  std::size_t dots = 0, base = 0;
  for (auto _ : state) {
    const auto p = pattern::make_pattern(d, a, opt);
    dots = p->dots.size();
    base = p->base_points;
    benchmark::DoNotOptimize(p->dots.data());
  }
  state.counters["dots"] = static_cast<double>(dots);
  state.counters["base_points"] = static_cast<double>(base);
  state.counters["bytes_per_dot"] = static_cast<double>(sizeof(pattern::Dot));
  state.counters["dots_per_s"] = benchmark::Counter(static_cast<double>(dots), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_PatternNorwoodVII)->ArgNames({"threads"})->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
