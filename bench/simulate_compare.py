#!/usr/bin/env python3
"""Times the renderer and the photo composite and prints the figures and ratios.

Runs bench/simulate_bench (Google Benchmark) once, five repetitions of every
benchmark in random interleaved order so that a slow spell of a shared
machine falls on all of them alike, and takes the medians; then the whole
command (`stipple simulate`, reading a dot file and writing a PNG) for the
same view. All in one run on this machine: the ratios are what matters.

usage: simulate_compare.py SIMULATE_BENCH STIPPLE
"""
import json
import os
import subprocess
import sys
import tempfile
import time

bench, stipple = sys.argv[1], sys.argv[2]
out = subprocess.run([bench, "--benchmark_format=json", "--benchmark_min_time=0.2", "--benchmark_repetitions=5",
                      "--benchmark_enable_random_interleaving=true", "--benchmark_report_aggregates_only=true"],
                     check=True, capture_output=True, text=True).stdout
rows = {b["run_name"]: b for b in json.loads(out)["benchmarks"] if b.get("aggregate_name") == "median"}


def ms(name):
    return rows[name]["real_time"]


top2 = ms("BM_RenderTop/w:1920/h:1080/threads:2/real_time")
top1 = ms("BM_RenderTop/w:1920/h:1080/threads:1/real_time")
cold2 = ms("BM_RenderTopCold/w:1920/h:1080/threads:2/real_time")
cold1 = ms("BM_RenderTopCold/w:1920/h:1080/threads:1/real_time")
naive = ms("BM_NaiveOpenCV/real_time")
dots = rows["BM_RenderTop/w:1920/h:1080/threads:2/real_time"]["dots"]
print(f"render, Norwood VII top view 1920x1080 healed ({dots:,.0f} dots in view):")
print(f"  Stipple, 2 cores      {top2:7.1f} ms   (target 50 ms)")
print(f"  Stipple, 1 core       {top1:7.1f} ms   (2 cores / 1 core {top1 / top2:.2f}x)")
print(f"  with the scene made too (the remaining hair's follicles, once per client): "
      f"{cold2:.1f} ms on 2 cores, {cold1:.1f} ms on 1")
print(f"  naive OpenCV circles+blur, 1 core {naive:7.1f} ms   (no head, light, hair, sub-pixel dots or blowout)")
print(f"  ratio naive / Stipple (2 cores) {naive / top2:.2f}x, per core {naive / top1:.2f}x")
print("  time per megapixel (1 core), 0.5 / 2.1 / 8.3 MP: " + " / ".join(
    f"{ms(f'BM_RenderTop/w:{w}/h:{h}/threads:1/real_time') / (w * h / 1e6):.1f} ms"
    for w, h in [(960, 540), (1920, 1080), (3840, 2160)]))
print("  time with 0 / 5k / 10k / 20k dots (1 core): " + " / ".join(
    f"{ms(f'BM_RenderTopDots/dots:{n}/real_time'):.1f} ms" for n in [0, 5000, 10000, 20000]))
c2 = ms("BM_Composite12MP/threads:2/real_time")
c1 = ms("BM_Composite12MP/threads:1/real_time")
dec, enc = ms("BM_DecodeJpeg12MP/real_time"), ms("BM_EncodeJpeg12MP/real_time")
print(f"photo composite, 12 MP (4000x3000), {rows['BM_Composite12MP/threads:2/real_time']['dots']:,.0f} dots:")
print(f"  composite {c2:.1f} ms on 2 cores, {c1:.1f} ms on 1; JPEG decode {dec:.1f} ms, encode {enc:.1f} ms; "
      f"all together {c2 + dec + enc:.0f} ms (target 500 ms)")

with tempfile.TemporaryDirectory() as tmp:
    design = os.path.join(tmp, "n7.design.json")
    dots_file = os.path.join(tmp, "n7.dots.bin")
    subprocess.run([stipple, "design", "new", "--norwood", "VII", "-o", design], check=True)
    subprocess.run([stipple, "pattern", design, "-o", dots_file], check=True)
    best = None
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([stipple, "simulate", design, "--dots", dots_file, "--size", "1920x1080",
                        "-o", os.path.join(tmp, "n7.png")], check=True)
        dt = time.perf_counter() - t0
        best = dt if best is None or dt < best else best
    print(f"whole command, stipple simulate 1920x1080 PNG from a dot file: {best * 1000:.0f} ms (target 500 ms)")
