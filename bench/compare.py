#!/usr/bin/env python3
"""Times the pattern engine against its peers side by side and prints ratios.

Flat task: fill a square with points at least 1 mm apart. Peers: scipy's
qmc.PoissonDisk (Debian's python3-scipy) and a straightforward Bridson sampler
(bench/bridson.h, in pattern_bench). All in one run on this machine; the
ratios are what matters, the machines are small and noisy.

usage: compare.py PATTERN_BENCH
"""
import json
import math
import subprocess
import sys
import time

bench = sys.argv[1]
out = subprocess.run([bench, "--benchmark_format=json", "--benchmark_min_time=0.2"],
                     check=True, capture_output=True, text=True).stdout
rows = {b["name"]: b for b in json.loads(out)["benchmarks"]}


def rate(name):
    return rows[name]["points_per_s"] if "points_per_s" in rows[name] else rows[name]["dots_per_s"]


from scipy.stats import qmc  # noqa: E402

# scipy on the unit square with radius r / side: the same task at 10,000 points.
n_target = 10_000
side = math.sqrt(n_target / 0.6966)
best = None
for seed in range(3):
    t0 = time.perf_counter()
    pts = qmc.PoissonDisk(d=2, radius=1.0 / side, seed=seed).fill_space()
    dt = time.perf_counter() - t0
    best = dt if best is None or dt < best else best
scipy_rate = len(pts) / best
scipy_density = len(pts) / (side * side)

flat1 = rate("BM_StippleFlat/points:1000000/threads:1/real_time")
flat2 = rate("BM_StippleFlat/points:1000000/threads:2/real_time")
bridson = rate("BM_BridsonFlat/points:1000000/real_time")
print("flat task: fill a square, points at least 1 mm apart (points per second, one run)")
print(f"  scipy qmc.PoissonDisk  {scipy_rate:12,.0f}   density {scipy_density:.3f}/r^2  (10k points)")
print(f"  Bridson, k=30          {bridson:12,.0f}   density {rows['BM_BridsonFlat/points:1000000/real_time']['per_r2']:.3f}/r^2")
print(f"  Stipple, 1 core        {flat1:12,.0f}   density {rows['BM_StippleFlat/points:1000000/threads:1/real_time']['per_r2']:.3f}/r^2")
print(f"  Stipple, 2 cores       {flat2:12,.0f}")
print(f"  ratios: Stipple / scipy {flat1 / scipy_rate:,.0f}x   Stipple / Bridson {flat1 / bridson:.1f}x   "
      f"2 cores / 1 core {flat2 / flat1:.2f}x")
sizes = [10_000, 100_000, 1_000_000, 10_000_000]
per = [1e9 / rate(f"BM_StippleFlat/points:{n}/threads:1/real_time") for n in sizes]
print("  time per point, 10k / 100k / 1M / 10M points: " + " / ".join(f"{p:.0f} ns" for p in per))
print(f"  memory: {rows['BM_StippleFlat/points:1000000/threads:1/real_time']['bytes_per_point']:.0f} bytes per sampled point")
n7 = rows["BM_PatternNorwoodVII/threads:1/real_time"]
n72 = rows["BM_PatternNorwoodVII/threads:2/real_time"]
print(f"Norwood VII shaved, whole pattern: {n7['real_time']:.0f} ms on 1 core, {n72['real_time']:.0f} ms on 2 "
      f"({n7['dots']:.0f} dots from {n7['base_points']:.0f} sampled points; {n7['bytes_per_dot']:.0f} bytes a dot "
      f"in memory, 30 in the binary file: {n7['dots'] * 30 / 1e6:.2f} MB)")
