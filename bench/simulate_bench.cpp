// bench/simulate_bench.cpp: speed of the renderer.
//
// A full Norwood VII shaved design (about 20,000 dots), healed, seen from the
// top at 1920x1080: Stipple's renderer (head traced per pixel, skin, light,
// stubble, every dot as a light-conserving splat) against the naive way a
// developer would draw the same dots with OpenCV: project each dot, fill an
// anti-aliased circle of its size and shade on a skin-coloured picture, blur
// the picture. Then scaling in pixels and in dots. Counters: megapixels and
// dots per second.
#include <benchmark/benchmark.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <memory>

#include "stipple/design/design.h"
#include "stipple/pattern/pattern.h"
#include "stipple/photo/codec.h"
#include "stipple/simulate/photo.h"
#include "stipple/simulate/render.h"
#include "test_photos.h"

namespace {

using namespace stipple;

struct Client {
  design::Design design;
  std::unique_ptr<scalp::Anatomy> anatomy;
  pattern::Pattern pattern;
};

const Client& norwood_vii() {
  static const Client c = [] {
    Client k;
    design::DesignOptions o;
    o.norwood = assess::Norwood::VII;
    k.design = *design::make_design(o);
    k.anatomy = std::make_unique<scalp::Anatomy>(*design::build_anatomy(k.design));
    k.pattern = *pattern::make_pattern(k.design, *k.anatomy, {});
    return k;
  }();
  return c;
}

// Its scene, made once like its anatomy.
const simulate::Scene& norwood_vii_scene() {
  static const simulate::Scene s(norwood_vii().design, *norwood_vii().anatomy);
  return s;
}

simulate::RenderOptions options(int w, int h, int threads) {
  simulate::RenderOptions o;
  o.view = simulate::View::top;
  o.stage = {simulate::Stage::Kind::healed, 0};
  o.width = w;
  o.height = h;
  o.threads = threads;
  return o;
}

// The render: the scene of the design (its anatomy and the follicular units of
// its remaining hair) is made once per client, as the anatomy is, and shared
// by every picture of the consultation. BM_RenderTopCold makes it each time.
void render_top(benchmark::State& state, bool cold) {
  const Client& c = norwood_vii();
  const simulate::RenderOptions o =
      options(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)), static_cast<int>(state.range(2)));
  std::size_t visible = 0;
  for (auto _ : state) {
    const simulate::Rendered r = cold ? simulate::render_head(c.design, *c.anatomy, c.pattern.dots, c.pattern.sessions, o)
                                         : simulate::render_head(norwood_vii_scene(), c.pattern.dots, c.pattern.sessions, o);
    visible = r.meta.visible_dots;
    benchmark::DoNotOptimize(r.image.data);
  }
  state.counters["dots"] = static_cast<double>(visible);
  state.counters["megapixels"] = static_cast<double>(o.width) * o.height / 1e6;
  state.counters["mpix_per_s"] =
      benchmark::Counter(static_cast<double>(o.width) * o.height / 1e6, benchmark::Counter::kIsIterationInvariantRate);
}
void BM_RenderTop(benchmark::State& state) { render_top(state, false); }
void BM_RenderTopCold(benchmark::State& state) { render_top(state, true); }
BENCHMARK(BM_RenderTop)
    ->ArgNames({"w", "h", "threads"})
    ->Args({1920, 1080, 2})
    ->Args({1920, 1080, 1})
    ->Args({960, 540, 1})
    ->Args({3840, 2160, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_RenderTopCold)
    ->ArgNames({"w", "h", "threads"})
    ->Args({1920, 1080, 2})
    ->Args({1920, 1080, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Linearity in dots: the same 1920x1080 view with the first k dots of the
// pattern (every k-th kept, so they still cover the head).
void BM_RenderTopDots(benchmark::State& state) {
  const Client& c = norwood_vii();
  const auto keep = static_cast<std::size_t>(state.range(0));
  std::vector<pattern::Dot> dots;
  for (std::size_t i = 0; i < c.pattern.dots.size(); ++i)
    if (i * keep / c.pattern.dots.size() != (i + 1) * keep / c.pattern.dots.size()) dots.push_back(c.pattern.dots[i]);
  const simulate::RenderOptions o = options(1920, 1080, 1);
  for (auto _ : state) {
    const simulate::Rendered r = simulate::render_head(norwood_vii_scene(), dots, c.pattern.sessions, o);
    benchmark::DoNotOptimize(r.image.data);
  }
  state.counters["dots"] = static_cast<double>(dots.size());
}
BENCHMARK(BM_RenderTopDots)->ArgNames({"dots"})->Arg(0)->Arg(5'000)->Arg(10'000)->Arg(20'000)->Unit(benchmark::kMillisecond)->UseRealTime();

// The naive way: the same dots seen from above, orthographic at the same
// scale, as filled anti-aliased circles of their diameter and a grey of their
// shade on a flat skin colour, then a Gaussian blur of 1 px for softness. No
// head, no light, no stubble, no sub-pixel conservation, no blowout.
void BM_NaiveOpenCV(benchmark::State& state) {
  const Client& c = norwood_vii();
  const int W = 1920, H = 1080;
  const double px_per_mm = 0.86 * H / (2 * std::max(c.anatomy->head().vault().ax, c.anatomy->head().vault().az));
  const Vec3 centre = c.anatomy->head().vault().center;
  for (auto _ : state) {
    cv::Mat img(H, W, CV_8UC3, cv::Scalar(150, 170, 205));
    for (const pattern::Dot& d : c.pattern.dots) {
      if (d.y_mm < centre.y) continue;  // the upper half faces the camera
      const cv::Point p(static_cast<int>(std::lround((W / 2.0 + (d.x_mm - centre.x) * px_per_mm) * 16)),
                        static_cast<int>(std::lround((H / 2.0 - (d.z_mm - centre.z) * px_per_mm) * 16)));
      const int r = std::max(1, static_cast<int>(std::lround(0.5 * d.diameter_mm * px_per_mm * 16)));
      const double g = 150 * (1 - d.shade);
      cv::circle(img, p, r, cv::Scalar(g + 10, g, g), cv::FILLED, cv::LINE_AA, 4);
    }
    cv::GaussianBlur(img, img, cv::Size(0, 0), 1.0);
    benchmark::DoNotOptimize(img.data);
  }
  state.counters["dots"] = static_cast<double>(c.pattern.dots.size());
}
BENCHMARK(BM_NaiveOpenCV)->Unit(benchmark::kMillisecond)->UseRealTime();

// The composite on a 12-megapixel photo (4000 x 3000) of the Norwood VII head
// from above, its scalp outlined: fitting, projecting and splatting every dot
// at about 17 px/mm, and the linear-light transmission over the region.
// Decoding and encoding the photo are timed on their own.
struct Photo12 {
  testing::TestPhoto photo;
  simulate::PhotoRegion region;
  std::string jpeg;
};

const Photo12& photo_12mp() {
  static const Photo12 p = [] {
    const Client& c = norwood_vii();
    Photo12 k;
    k.photo = testing::synthetic_photo(c.design, *c.anatomy, simulate::View::top, 4000, 3000, 0);
    k.region.view = simulate::View::top;
    k.region.polygon = k.photo.scalp;
    k.region.head = std::pair{k.photo.head_from, k.photo.head_to};
    std::vector<unsigned char> buf;
    cv::imencode(".jpg", k.photo.image, buf, {cv::IMWRITE_JPEG_QUALITY, 92});
    k.jpeg.assign(buf.begin(), buf.end());
    return k;
  }();
  return p;
}

void BM_Composite12MP(benchmark::State& state) {
  const Client& c = norwood_vii();
  const Photo12& p = photo_12mp();
  simulate::PhotoOptions o;
  o.stage = {simulate::Stage::Kind::healed, 0};
  o.threads = static_cast<int>(state.range(0));
  std::size_t dots = 0;
  for (auto _ : state) {
    const auto r = simulate::composite_photo(c.design, *c.anatomy, c.pattern.dots, c.pattern.sessions, p.photo.image,
                                             p.region, {}, "bench", o);
    dots = r->meta.visible_dots;
    benchmark::DoNotOptimize(r->image.data);
  }
  state.counters["dots"] = static_cast<double>(dots);
}
BENCHMARK(BM_Composite12MP)->ArgNames({"threads"})->Arg(2)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_DecodeJpeg12MP(benchmark::State& state) {
  const Photo12& p = photo_12mp();
  for (auto _ : state) {
    const auto img = simulate::decode_photo(p.jpeg, "bench.jpg");
    benchmark::DoNotOptimize(img->data);
  }
}
BENCHMARK(BM_DecodeJpeg12MP)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_EncodeJpeg12MP(benchmark::State& state) {
  const Photo12& p = photo_12mp();
  for (auto _ : state) {
    const std::string jpeg = photo::encode_jpeg(p.photo.image, 92);  // as simulate writes .jpg
    benchmark::DoNotOptimize(jpeg.data());
  }
}
BENCHMARK(BM_EncodeJpeg12MP)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
