// bench/pattern_spectrum.cpp: the blue-noise figure of docs/pattern.md.
//
// Samples a flat 64 mm patch at 1 mm with Stipple's sampler, with the Bridson
// baseline and with uniform random points (white noise), and draws a 64 mm
// patch of Stipple's points, the radial power spectra and the pair
// correlations into one PNG. usage: pattern_spectrum OUT.png
#include <cairo.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "bridson.h"
#include "stipple/core/geometry.h"
#include "stipple/core/rng.h"
#include "stipple/pattern/poisson.h"
#include "stipple/pattern/spectrum.h"

using namespace stipple;

namespace {

struct Series {
  std::string name;
  double r, g, b;
  std::vector<float> x, y;
};

void axes(cairo_t* cr, double x0, double y0, double w, double h, const char* title, const char* xlabel, double xmax,
          double ymax) {
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 1);
  cairo_rectangle(cr, x0, y0, w, h);
  cairo_stroke(cr);
  cairo_set_font_size(cr, 14);
  cairo_move_to(cr, x0, y0 - 8);
  cairo_show_text(cr, title);
  cairo_set_font_size(cr, 11);
  cairo_move_to(cr, x0 + w / 2 - 40, y0 + h + 30);
  cairo_show_text(cr, xlabel);
  for (int k = 0; k <= 4; ++k) {
    char t[32];
    std::snprintf(t, sizeof t, "%.1f", xmax * k / 4);
    cairo_move_to(cr, x0 + w * k / 4 - 8, y0 + h + 14);
    cairo_show_text(cr, t);
    std::snprintf(t, sizeof t, "%.1f", ymax * k / 4);
    cairo_move_to(cr, x0 - 28, y0 + h - h * k / 4 + 4);
    cairo_show_text(cr, t);
  }
  // The white-noise level, 1.
  cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
  cairo_move_to(cr, x0, y0 + h - h / ymax);
  cairo_line_to(cr, x0 + w, y0 + h - h / ymax);
  cairo_stroke(cr);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: pattern_spectrum OUT.png\n");
    return 2;
  }
  const double side = 64;
  std::vector<Series> all;
  ThreadPool pool(1);
  pattern::SamplerOptions o;
  o.radii_mm = {1.0};
  o.seed = 11;
  const pattern::PointSet p = pattern::sample_progressive(pattern::FlatDomain{side, side}, o, pool);
  all.push_back({"Stipple", 0.8, 0.1, 0.1, p.x, p.y});
  Series br{"Bridson k=30", 0.1, 0.3, 0.8, {}, {}};
  for (const auto& q : stipple::bench::bridson(side, side, 1.0, 11)) br.x.push_back(q.x), br.y.push_back(q.y);
  all.push_back(br);
  Series white{"white noise", 0.4, 0.4, 0.4, {}, {}};
  Rng rng(5);
  for (std::size_t i = 0; i < p.size(); ++i)
    white.x.push_back(static_cast<float>(side * rng.uniform())), white.y.push_back(static_cast<float>(side * rng.uniform()));
  all.push_back(white);

  const int W = 1500, H = 520;
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
  cairo_t* cr = cairo_create(s);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  // The patch: a 20 mm corner of Stipple's points, dots of 0.5 mm.
  const double px0 = 40, py0 = 50, box = 420, shown = 20;
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_font_size(cr, 14);
  cairo_move_to(cr, px0, py0 - 8);
  cairo_show_text(cr, "Stipple, 20 x 20 mm at 1 mm spacing");
  cairo_rectangle(cr, px0, py0, box, box);
  cairo_stroke(cr);
  for (std::size_t i = 0; i < p.size(); ++i)
    if (p.x[i] < shown && p.y[i] < shown) {
      cairo_arc(cr, px0 + p.x[i] / shown * box, py0 + p.y[i] / shown * box, 0.25 / shown * box, 0, 2 * kPi);
      cairo_fill(cr);
    }
  // Spectra.
  const double sx = 540, sy = 50, sw = 420, sh = 420, fmax = 2.0, pmax = 2.0;
  axes(cr, sx, sy, sw, sh, "radial power spectrum", "frequency, cycles per mm", fmax, pmax);
  const double gx = 1040, gy = 50, gw = 420, gh = 420, rmax = 4.0, gmax = 2.0;
  axes(cr, gx, gy, gw, gh, "pair correlation g(r)", "distance r, mm", rmax, gmax);
  int legend = 0;
  for (const Series& se : all) {
    const auto spec = pattern::radial_power_spectrum(se.x, se.y, side, fmax);
    cairo_set_source_rgb(cr, se.r, se.g, se.b);
    cairo_set_line_width(cr, 1.6);
    for (std::size_t k = 0; k < spec.size(); ++k) {
      const double X = sx + spec[k].frequency / fmax * sw, Y = sy + sh - std::min(spec[k].power, pmax) / pmax * sh;
      k == 0 ? cairo_move_to(cr, X, Y) : cairo_line_to(cr, X, Y);
    }
    cairo_stroke(cr);
    const auto g = pattern::pair_correlation(se.x, se.y, side, rmax, 0.05);
    for (std::size_t k = 0; k < g.size(); ++k) {
      const double X = gx + g[k].r_mm / rmax * gw, Y = gy + gh - std::min(g[k].g, gmax) / gmax * gh;
      k == 0 ? cairo_move_to(cr, X, Y) : cairo_line_to(cr, X, Y);
    }
    cairo_stroke(cr);
    cairo_rectangle(cr, sx + sw - 150, sy + 12 + 18 * legend, 14, 4);
    cairo_fill(cr);
    cairo_move_to(cr, sx + sw - 130, sy + 18 + 18 * legend++);
    cairo_set_font_size(cr, 12);
    cairo_show_text(cr, se.name.c_str());
  }
  cairo_destroy(cr);
  const bool ok = cairo_surface_write_to_png(s, argv[1]) == CAIRO_STATUS_SUCCESS;
  cairo_surface_destroy(s);
  return ok ? 0 : 1;
}
