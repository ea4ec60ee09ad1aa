// bench/pattern_units.cpp: the follicular-unit figure of docs/pattern.md.
//
// Patterns a Norwood V shaved design (default head, seed 42) with
// single dots and with 30% of the body dots grouped into follicular units,
// and draws the same 24 x 24 mm patch of the crown from above for each: every
// dot at its healed diameter and shade on a light skin tone.
// usage: pattern_units OUT.png
#include <cairo.h>

#include <cstdio>
#include <string>
#include <vector>

#include "stipple/core/geometry.h"
#include "stipple/design/design.h"
#include "stipple/pattern/pattern.h"

using namespace stipple;

namespace {

pattern::Pattern pattern_with(double units) {
  design::DesignOptions o;
  o.norwood = assess::Norwood::V;
  o.seed = 42;
  o.follicular_units = units;
  const design::Design d = *design::make_design(o);
  return *pattern::make_pattern(d, *design::build_anatomy(d));
}

void panel(cairo_t* cr, const pattern::Pattern& p, Vec3 centre, double x0, double y0, double box, double shown,
           const std::string& title) {
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_font_size(cr, 15);
  cairo_move_to(cr, x0, y0 - 10);
  cairo_show_text(cr, title.c_str());
  cairo_save(cr);
  cairo_rectangle(cr, x0, y0, box, box);
  cairo_clip_preserve(cr);
  cairo_set_source_rgb(cr, 0.93, 0.80, 0.70);
  cairo_fill(cr);
  const double k = box / shown;
  for (const pattern::Dot& d : p.dots) {
    const double dx = d.x_mm - centre.x, dz = d.z_mm - centre.z;
    if (std::abs(dx) > shown / 2 + 1 || std::abs(dz) > shown / 2 + 1 || d.y_mm < centre.y - 10) continue;
    const double g = 0.93 * (1 - 0.9 * d.shade);
    cairo_set_source_rgb(cr, g, g * 0.95, g * 0.95);
    cairo_arc(cr, x0 + box / 2 + dx * k, y0 + box / 2 + dz * k, 0.5 * d.diameter_mm * k, 0, 2 * kPi);
    cairo_fill(cr);
  }
  cairo_restore(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 1);
  cairo_rectangle(cr, x0, y0, box, box);
  cairo_stroke(cr);
  // A 5 mm scale bar.
  cairo_set_line_width(cr, 3);
  cairo_move_to(cr, x0 + 12, y0 + box - 14);
  cairo_line_to(cr, x0 + 12 + 5 * k, y0 + box - 14);
  cairo_stroke(cr);
  cairo_set_font_size(cr, 12);
  cairo_move_to(cr, x0 + 12, y0 + box - 20);
  cairo_show_text(cr, "5 mm");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: pattern_units OUT.png\n");
    return 2;
  }
  const pattern::Pattern single = pattern_with(0), units = pattern_with(0.3);
  // The crown's middle: the mean of the single pattern's crown dots, lifted to the top.
  Vec3 c{0, 0, 0};
  double n = 0, top = -1e9;
  for (const pattern::Dot& d : single.dots)
    if (d.zone == scalp::Zone::crown) c = c + Vec3{d.x_mm, d.y_mm, d.z_mm}, n += 1;
  c = c / n;
  for (const pattern::Dot& d : single.dots)
    if (std::abs(d.x_mm - c.x) < 2 && std::abs(d.z_mm - c.z) < 2) top = std::max(top, static_cast<double>(d.y_mm));
  c.y = top;
  const int W = 1060, H = 560;
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
  cairo_t* cr = cairo_create(s);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  panel(cr, single, c, 30, 50, 480, 24, "single dots (crown, 24 x 24 mm, from above)");
  panel(cr, units, c, 550, 50, 480, 24, "follicular units 0.3: pairs and triples");
  cairo_destroy(cr);
  const bool ok = cairo_surface_write_to_png(s, argv[1]) == CAIRO_STATUS_SUCCESS;
  cairo_surface_destroy(s);
  return ok ? 0 : 1;
}
