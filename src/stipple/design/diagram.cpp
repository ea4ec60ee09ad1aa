#include "stipple/design/diagram.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>

#include <cairo.h>
#include <pango/pangocairo.h>
#include <fmt/format.h>

#include "stipple/core/thread_pool.h"
#include "stipple/design/measure.h"
#include "stipple/scalp/face.h"

namespace stipple::design {

using scalp::Zone;

namespace {

struct Rgb {
  double r, g, b;
};
Rgb mix(Rgb a, Rgb b, double t) { return {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t}; }

constexpr Rgb kBackground{1.0, 1.0, 1.0};
constexpr Rgb kSkin{0.95, 0.86, 0.78};
constexpr Rgb kTreated{0.0, 0.55, 0.62};
constexpr Rgb kHairline{0.62, 0.10, 0.12};
constexpr Rgb kScar{0.85, 0.05, 0.05};
constexpr Rgb kInk{0.15, 0.16, 0.20};

Rgb hair_tone(std::optional<assess::HairColor> c) {
  const auto t = hair_srgb(c);
  return {t[0], t[1], t[2]};
}

// The camera of a view: image right R and up U, and V toward the viewer.
struct Camera {
  Vec3 R, U, V;
};

Camera camera_for(View v) {
  switch (v) {
    case View::top: return {{1, 0, 0}, {0, 0, 1}, {0, 1, 0}};
    case View::front: return {{-1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    case View::back: return {{1, 0, 0}, {0, 1, 0}, {0, 0, -1}};
    case View::right: return {{0, 0, 1}, {0, 1, 0}, {1, 0, 0}};
    case View::left: return {{0, 0, -1}, {0, 1, 0}, {-1, 0, 0}};
  }
  return {{1, 0, 0}, {0, 0, 1}, {0, 1, 0}};
}

struct Projector {
  Camera cam;
  double scale;  // px per mm
  double cx, cy;  // image position of the head frame's projected origin
  double u(Vec3 p) const { return cx + dot(p, cam.R) * scale; }
  double v(Vec3 p) const { return cy - dot(p, cam.U) * scale; }
};

std::string zone_label(Zone z) {
  std::string s(to_string(z));
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

cairo_status_t append_png(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void set(cairo_t* cr, Rgb c, double alpha = 1) { cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha); }

// Labels with a white box behind them, moved down out of the way of the
// labels already placed so none overlaps another.
class Labeller {
 public:
  explicit Labeller(cairo_t* cr) : cr_(cr) {}
  // Centred at (x, y), or starting at x when left_aligned.
  void place(const std::string& text, double x, double y, double size, bool left_aligned = false) {
    cairo_set_font_size(cr_, size);
    cairo_text_extents_t ext;
    cairo_text_extents(cr_, text.c_str(), &ext);
    const double pad = size * 0.25, w = ext.width + 2 * pad, h = ext.height + 2 * pad;
    Box b{left_aligned ? x - pad : x - w / 2, y - h / 2, w, h};
    for (int tries = 0; tries < 8 && overlaps(b); ++tries) b.y += h + 1;
    placed_.push_back(b);
    cairo_set_source_rgba(cr_, 1, 1, 1, 0.78);
    cairo_rectangle(cr_, b.x, b.y, b.w, b.h);
    cairo_fill(cr_);
    set(cr_, kInk);
    cairo_move_to(cr_, b.x + pad - ext.x_bearing, b.y + pad - ext.y_bearing);
    cairo_show_text(cr_, text.c_str());
  }

 private:
  struct Box {
    double x, y, w, h;
  };
  bool overlaps(const Box& b) const {
    for (const Box& o : placed_)
      if (b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h) return true;
    return false;
  }
  cairo_t* cr_;
  std::vector<Box> placed_;
};

std::string title_of(const Design& d, View view) {
  std::string stage = "no hair loss mapped";
  if (d.norwood) {
    stage = fmt::format("Norwood {}", to_string(*d.norwood));
  } else if (d.ludwig) {
    stage = fmt::format("Ludwig {}", to_string(*d.ludwig));
  } else if (!d.hair_loss.regions.empty()) {
    const std::string& first = d.hair_loss.regions.front().name;
    stage = first == "total" ? "total loss" : first.starts_with("patch ") ? "bald patches" : "mapped loss";
  } else if (!d.hair_loss.scars.empty()) {
    stage = "scars";
  }
  std::string look(to_string(d.look));
  std::replace(look.begin(), look.end(), '_', ' ');
  const std::string line =
      d.hairline.designed() ? fmt::format("{} hairline", to_string(d.hairline.style)) : "own hairline kept";
  return fmt::format("{}{} · {} look · {} · {} view", d.client_name ? *d.client_name + " · " : "", stage, look, line,
                     to_string(view));
}

}  // namespace

Result<std::string> render_diagram(const Design& d, const DiagramOptions& opt) {
  auto built = build_anatomy(d);
  if (!built) return std::unexpected(built.error());
  const scalp::Anatomy& a = *built;
  const scalp::Head& head = a.head();
  const scalp::Ellipsoid& e = head.vault();
  const Coverage cov(d, a);
  const Camera cam = camera_for(opt.view);
  const int W = opt.width, H = opt.height;

  // The picture ends a little below the nape hairline: the face and neck are
  // not part of the design.
  const double clip_y = a.landmarks().nape.y - 20 * d.head.circumference_mm / 570.0;
  // Fit the head's outline in this view between the title and the legend.
  double lo_u = 1e9, hi_u = -1e9, lo_v = 1e9, hi_v = -1e9;
  for (int i = 0; i <= 90; ++i)
    for (int j = 0; j < 180; ++j) {
      const Vec3 p = head.point(kPi * i / 90, 2 * kPi * j / 180);
      if (p.y < clip_y) continue;
      lo_u = std::min(lo_u, dot(p, cam.R)), hi_u = std::max(hi_u, dot(p, cam.R));
      lo_v = std::min(lo_v, dot(p, cam.U)), hi_v = std::max(hi_v, dot(p, cam.U));
    }
  const double top = 64, bottom = 96, side = 40;
  const double scale = std::min((W - 2 * side) / (hi_u - lo_u), (H - top - bottom) / (hi_v - lo_v));
  const Projector pr{cam, scale, W / 2.0 - 0.5 * (lo_u + hi_u) * scale, top + (H - top - bottom) / 2.0 + 0.5 * (lo_v + hi_v) * scale};

  // Per pixel: the surface point, its zone (or -1 off the scalp) and colour.
  std::vector<int> zone(static_cast<std::size_t>(W) * H, -2);  // -2 background, -1 skin
  std::vector<std::uint32_t> px(static_cast<std::size_t>(W) * H);
  std::array<double, kZoneCount> zu{}, zv{}, zn{};
  const Rgb hair = hair_tone(d.pigment.hair_color);
  const Vec3 light = normalized(cam.V + cam.U * 0.6 - cam.R * 0.4);
  // Rows in parallel; each keeps its own sums of the zones' pixels (for the
  // labels), added up in row order afterwards.
  struct ZoneSums {
    std::array<double, kZoneCount> u{}, v{}, n{};
  };
  std::vector<ZoneSums> row_sums(static_cast<std::size_t>(H));
  ThreadPool pool(std::max(1, opt.threads));
  pool.for_each(static_cast<std::size_t>(H), [&](std::size_t row) {
    const int j = static_cast<int>(row);
    ZoneSums& sums = row_sums[row];
    for (int i = 0; i < W; ++i) {
      const double mu = (i + 0.5 - pr.cx) / scale, mv = (pr.cy - (j + 0.5)) / scale;
      const Vec3 origin = cam.R * mu + cam.U * mv + cam.V * 1000.0;
      Rgb c = kBackground;
      const std::size_t k = static_cast<std::size_t>(j) * W + i;
      if (auto hit = scalp::hit_vault(e, origin, -cam.V); hit && hit->y >= clip_y) {
        const Vec2 uv = head.chart_of(*hit);
        const double theta = std::hypot(uv.x, uv.y), phi = std::atan2(uv.x, uv.y);
        const double lambert = std::max(0.0, dot(head.normal(uv), light));
        c = kSkin;
        zone[k] = -1;
        if (a.hair_bearing(theta, phi)) {
          const Zone z = a.zone_of(theta, phi);
          zone[k] = static_cast<int>(z);
          const double rem = cov.remaining(theta, phi);
          c = mix(kSkin, hair, 0.72 * rem);
          if (cov.pigmented(theta, phi, z)) {
            c = mix(c, kTreated, 0.12);
            if ((i + j) % 10 == 0) c = mix(c, kTreated, 0.7);  // hatching
          }
          const std::size_t zi = static_cast<std::size_t>(z);
          sums.u[zi] += i, sums.v[zi] += j, sums.n[zi] += 1;
        }
        const double shade = 0.45 + 0.55 * lambert;
        c = {c.r * shade, c.g * shade, c.b * shade};
      }
      const auto byte = [](double x) { return static_cast<std::uint32_t>(std::lround(std::clamp(x, 0.0, 1.0) * 255)); };
      px[k] = 0xFF000000u | byte(c.r) << 16 | byte(c.g) << 8 | byte(c.b);
    }
  });
  for (const ZoneSums& s : row_sums)
    for (std::size_t z = 0; z < kZoneCount; ++z) zu[z] += s.u[z], zv[z] += s.v[z], zn[z] += s.n[z];
  // Zone borders and the hair boundary: darken pixels whose neighbour differs.
  for (int j = 1; j + 1 < H; ++j)
    for (int i = 1; i + 1 < W; ++i) {
      const std::size_t k = static_cast<std::size_t>(j) * W + i;
      if (zone[k] < -1) continue;
      const bool edge = (zone[k] != zone[k + 1] && zone[k + 1] >= -1) || (zone[k] != zone[k + W] && zone[k + W] >= -1);
      if (!edge) continue;
      const std::uint32_t p = px[k];
      const auto dim = [&](int shift) { return ((p >> shift & 0xFF) * 2 / 5) << shift; };
      px[k] = 0xFF000000u | dim(16) | dim(8) | dim(0);
    }

  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H), cairo_surface_destroy);
  cairo_surface_flush(surface.get());
  unsigned char* data = cairo_image_surface_get_data(surface.get());
  const int stride = cairo_image_surface_get_stride(surface.get());
  for (int j = 0; j < H; ++j)
    std::copy_n(px.data() + static_cast<std::size_t>(j) * W, W, reinterpret_cast<std::uint32_t*>(data + j * stride));
  cairo_surface_mark_dirty(surface.get());
  std::unique_ptr<cairo_t, decltype(&cairo_destroy)> ctx(cairo_create(surface.get()), cairo_destroy);
  cairo_t* cr = ctx.get();
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);

  const auto visible = [&](Vec3 p) { return p.y >= clip_y && dot(head.normal(head.chart_of(p)), cam.V) > 0.05; };

  // Ears, for orientation: an outline about 62 x 32 mm around each ear canal
  // (drawing only; they are not part of the model).
  for (const Vec3& ear : {a.landmarks().ear_canal_left, a.landmarks().ear_canal_right}) {
    const double side_on = dot(normalized(ear), cam.V);
    if (opt.view == View::top || side_on < -0.5) continue;
    const Vec3 centre = ear + Vec3{0, 6, -6};
    const Vec3 out = normalized(Vec3{ear.x, 0, 0});
    // Seen from the side the ear is an oval; from the front or back, a thin
    // shell standing out from the head.
    const bool side_view = std::abs(side_on) > 0.5;
    const Vec3 c = side_view ? centre : centre + out * 9.0;
    const double rx = side_view ? 16 * scale : 7 * scale, ry = 31 * scale;
    cairo_save(cr);
    cairo_translate(cr, pr.u(c), pr.v(c));
    cairo_scale(cr, rx, ry);
    cairo_arc(cr, 0, 0, 1, 0, 2 * kPi);
    cairo_restore(cr);
    set(cr, mix(kSkin, kInk, 0.12));
    cairo_fill_preserve(cr);
    set(cr, kInk, 0.7);
    cairo_set_line_width(cr, 1.2);
    cairo_stroke(cr);
  }
  // The face (scalp/face.h), in line: brows, eyes, the nose's base and the
  // mouth, so the hairline's height reads against them (drawing only).
  if (opt.view != View::top && opt.view != View::back) {
    const scalp::Face face = scalp::make_face(a, head_sex(d));
    const auto faces = [&](Vec3 p) {
      const Vec3 q = p - e.center;
      const double ay = q.y >= 0 ? e.ay : e.ay_at(kPi);
      return dot(normalized(Vec3{q.x / (e.ax * e.ax), q.y / (ay * ay), q.z / (e.az * e.az)}), cam.V) > 0.15;
    };
    const auto path = [&](const std::vector<Vec3>& pts) {
      for (std::size_t k = 0; k < pts.size(); ++k)
        k == 0 ? cairo_move_to(cr, pr.u(pts[k]), pr.v(pts[k])) : cairo_line_to(cr, pr.u(pts[k]), pr.v(pts[k]));
    };
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (std::size_t eye_side = 0; eye_side < 2; ++eye_side) {
      const scalp::Brow& b = face.brows[eye_side];
      std::vector<Vec3> mid;
      double thick = 0;
      for (std::size_t k = 0; k < b.line.size(); ++k)
        if (faces(b.line[k])) mid.push_back(b.line[k] + Vec3{0, 0.5 * b.thickness[k], 0}), thick += b.thickness[k];
      if (mid.size() >= 2) {
        path(mid);
        set(cr, mix(hair, kInk, 0.3), 0.85);
        cairo_set_line_width(cr, 0.8 * thick / static_cast<double>(mid.size()) * scale);
        cairo_stroke(cr);
      }
      const Vec3 pupil = face.pupils[eye_side];
      if (!faces(pupil)) continue;
      const scalp::FacePart& eye = face.eyes[eye_side];
      const double w = 0.5 * std::abs(b.line.back().x - b.line.front().x) * 0.8, h = 0.45 * eye.r.y;
      std::vector<Vec3> lid;
      for (int k = 0; k <= 32; ++k) {
        const double t = 2 * kPi * k / 32;
        lid.push_back(pupil + Vec3{w * std::cos(t), h * std::sin(t) * (std::sin(t) > 0 ? 1.0 : 0.8), 0});
      }
      path(lid);
      set(cr, kBackground);
      cairo_fill_preserve(cr);
      set(cr, kInk, 0.8);
      cairo_set_line_width(cr, 1.2);
      cairo_stroke(cr);
      cairo_arc(cr, pr.u(pupil), pr.v(pupil), 0.8 * h * scale, 0, 2 * kPi);
      set(cr, mix(kInk, hair, 0.3));
      cairo_fill(cr);
    }
    // The nose: the wings of its base either side of the tip (two short
    // arcs, not one curve, which would read as a second mouth), and the
    // mouth between the cheilia.
    if (faces(face.subnasale)) {
      for (const scalp::FacePart& ala : face.alae) {
        const double wing_side = ala.c.x > face.subnasale.x ? 1.0 : -1.0;
        std::vector<Vec3> wing;
        for (int k = 0; k <= 10; ++k) {
          const double t = kPi * (0.92 + 0.38 * k / 10.0);  // the ala's outer side, round under it toward the tip
          wing.push_back({ala.c.x + wing_side * ala.r.x * std::abs(std::cos(t)), ala.c.y + 0.8 * ala.r.y * std::sin(t), ala.c.z + ala.r.z});
        }
        path(wing);
        set(cr, kInk, 0.6);
        cairo_set_line_width(cr, 1.1);
        cairo_stroke(cr);
      }
    }
    if (faces(face.stomion) && face.stomion.y > clip_y) {
      std::vector<Vec3> mouth;
      const double mw = face.mouth_half_width_mm;
      for (int k = 0; k <= 16; ++k) {
        const double x = -mw + 2 * mw * k / 16.0;
        mouth.push_back(face.stomion + Vec3{x, 0.6 * (1 - std::cos(kPi * x / mw)), 0});  // the corners a little up
      }
      path(mouth);
      set(cr, kInk, 0.7);
      cairo_set_line_width(cr, 1.4);
      cairo_stroke(cr);
    }
  }
  // The cut below the nape.
  {
    set(cr, kInk, 0.35);
    cairo_set_line_width(cr, 1);
    const double v = pr.cy - clip_y * scale;
    if (opt.view != View::top) {
      cairo_move_to(cr, pr.cx + lo_u * scale, v);
      cairo_line_to(cr, pr.cx + hi_u * scale, v);
      cairo_stroke(cr);
    }
  }
  // A polyline of surface points, drawn where it faces the viewer.
  const auto stroke_surface = [&](const std::vector<Vec3>& pts, Rgb color, double width, bool dashed) {
    set(cr, color);
    cairo_set_line_width(cr, width);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    if (dashed) {
      const double dash[] = {6, 5};
      cairo_set_dash(cr, dash, 2, 0);
    }
    bool drawing = false;
    for (const Vec3& p : pts) {
      if (!visible(p)) {
        drawing = false;
        continue;
      }
      if (drawing) {
        cairo_line_to(cr, pr.u(p), pr.v(p));
      } else {
        cairo_move_to(cr, pr.u(p), pr.v(p));
        drawing = true;
      }
    }
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
  };

  // The hairline and the end of its transition band.
  if (d.hairline.control_points.size() >= 2) {
    const HairlineCurve& curve = cov.hairline();
    const Vec2 first = head.chart_of(d.hairline.control_points.front());
    const Vec2 last = head.chart_of(d.hairline.control_points.back());
    const double p0 = std::atan2(first.x, first.y), p1 = std::atan2(last.x, last.y);
    std::vector<Vec3> line, band;
    for (int s = 0; s <= 200; ++s) {
      const double phi = p0 + (p1 - p0) * s / 200;
      const double th = curve.theta_at(phi);
      line.push_back(head.point(th, phi));
      band.push_back(head.point(head.walk_meridian(phi, th, -d.hairline.transition_mm), phi));
    }
    stroke_surface(band, kHairline, 1.5, true);
    stroke_surface(line, kHairline, 3.0, false);
  }
  // Scars: lines at their width (never thinner than 2 px), punches as dots.
  for (const scalp::Scar& s : d.hair_loss.scars) {
    if (s.kind == assess::ScarKind::FUE) {
      set(cr, kScar, 0.9);
      for (const Vec3& p : s.path)
        if (visible(p)) {
          cairo_arc(cr, pr.u(p), pr.v(p), std::max(1.2, 0.5 * s.width_mm * scale), 0, 2 * kPi);
          cairo_fill(cr);
        }
    } else {
      stroke_surface(s.path, kScar, std::max(2.5, s.width_mm * scale), false);
    }
  }
  // Landmarks that face the viewer.
  const scalp::Landmarks& l = a.landmarks();
  const struct {
    Vec3 p;
    const char* name;
  } marks[] = {{l.glabella, "glabella"}, {l.vertex, "vertex"}, {l.crown_whorl, "crown whorl"}, {l.inion, "inion"},
               {l.ear_canal_left, "ear canal"}, {l.ear_canal_right, "ear canal"}, {l.trichion_juvenile, "juvenile hairline"}};
  const double font = std::clamp(std::min(W, H) / 900.0, 0.6, 1.6);
  Labeller labels(cr);
  for (const auto& m : marks) {
    if (!visible(m.p)) continue;
    set(cr, kInk);
    cairo_arc(cr, pr.u(m.p), pr.v(m.p), 3.5 * font, 0, 2 * kPi);
    cairo_fill(cr);
    labels.place(m.name, pr.u(m.p) + 7 * font, pr.v(m.p), 11 * font, true);
  }
  // Zone names at the middle of what is seen of each zone.
  const double min_pixels = 900 * (static_cast<double>(W) * H) / (900.0 * 900.0);
  for (std::size_t z = 0; z < kZoneCount; ++z) {
    if (zn[z] < min_pixels) continue;  // too little of it in this view to label
    labels.place(zone_label(static_cast<Zone>(z)), zu[z] / zn[z], zv[z] / zn[z], 14 * font);
  }

  // Title, scale bar and legend.
  set(cr, kInk);
  // The title holds the client's name, in any script: laid out by Pango, which
  // shapes it and takes each letter from a font that has it (the report's
  // fonts, docs/plan.md). It shrinks to fit the width.
  const std::string title = title_of(d, opt.view);
  double title_size = 18;
  {
    std::unique_ptr<PangoLayout, void (*)(gpointer)> layout(pango_cairo_create_layout(cr), g_object_unref);
    pango_cairo_context_set_resolution(pango_layout_get_context(layout.get()), 72);
    pango_layout_context_changed(layout.get());
    pango_layout_set_text(layout.get(), title.c_str(), -1);
    for (;; title_size -= 0.5) {
      PangoFontDescription* fd = pango_font_description_from_string("DejaVu Sans Bold");
      pango_font_description_set_absolute_size(fd, title_size * PANGO_SCALE);
      pango_layout_set_font_description(layout.get(), fd);
      pango_font_description_free(fd);
      int w = 0, h = 0;
      pango_layout_get_pixel_size(layout.get(), &w, &h);
      if (w < W - 40 || title_size <= 9) break;
    }
    // Baseline at y = 32, as the rest of the diagram's text.
    cairo_move_to(cr, 20, 32 - static_cast<double>(pango_layout_get_baseline(layout.get())) / PANGO_SCALE);
    pango_cairo_show_layout(cr, layout.get());
  }
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, std::min(13.0, title_size * 0.75));
  const std::string sub =
      opt.for_client
          ? fmt::format("head circumference {:.0f} mm · {} pigment tone", d.head.circumference_mm, to_string(d.pigment.tone))
          : fmt::format("head circumference {:.0f} mm · pigment shade {:.2f} ({}% water), {} tone · seed {}",
                        d.head.circumference_mm, d.pigment.shade, d.pigment.water_percent, to_string(d.pigment.tone), d.seed);
  cairo_move_to(cr, 20, 52);
  cairo_show_text(cr, sub.c_str());
  const double bar = 50 * scale;  // 5 cm
  const double by = H - 66;
  cairo_set_line_width(cr, 2);
  cairo_move_to(cr, 20, by);
  cairo_line_to(cr, 20 + bar, by);
  cairo_move_to(cr, 20, by - 5);
  cairo_line_to(cr, 20, by + 5);
  cairo_move_to(cr, 20 + bar, by - 5);
  cairo_line_to(cr, 20 + bar, by + 5);
  cairo_stroke(cr);
  cairo_move_to(cr, 20 + bar + 8, by + 4);
  cairo_show_text(cr, "5 cm");
  struct Key {
    Rgb color;
    const char* text;
    int kind;  // 0 swatch, 1 line, 2 dashed line
  };
  const Key keys[] = {{mix(kSkin, hair, 0.72), "hair", 0},
                      {kSkin, "hair lost", 0},
                      {mix(kSkin, kTreated, 0.45), "to be pigmented (hatched)", 0},
                      {kHairline, "planned hairline", 1},
                      {kHairline, "end of transition", 2},
                      {kScar, "scar", 1}};
  double x = 20;
  double ky = H - 36;
  for (const Key& k : keys) {
    // Only what the picture shows: no hairline keys without a designed line, no scar key without scars.
    const std::string_view text = k.text;
    if ((text == "planned hairline" || text == "end of transition") && !d.hairline.designed()) continue;
    if (text == "scar" && d.hair_loss.scars.empty()) continue;
    cairo_text_extents_t kext;
    cairo_text_extents(cr, k.text, &kext);
    if (x + 24 + kext.x_advance > W - 10) {  // wrap onto a second row
      x = 20;
      ky += 20;
    }
    set(cr, k.color);
    if (k.kind == 0) {
      cairo_rectangle(cr, x, ky - 10, 18, 14);
      cairo_fill_preserve(cr);
      set(cr, kInk);
      cairo_set_line_width(cr, 0.8);
      cairo_stroke(cr);
    } else {
      if (k.kind == 2) {
        const double dash[] = {5, 4};
        cairo_set_dash(cr, dash, 2, 0);
      }
      cairo_set_line_width(cr, k.kind == 1 ? 3 : 1.5);
      cairo_move_to(cr, x, ky - 3);
      cairo_line_to(cr, x + 18, ky - 3);
      cairo_stroke(cr);
      cairo_set_dash(cr, nullptr, 0, 0);
    }
    set(cr, kInk);
    cairo_move_to(cr, x + 24, ky + 2);
    cairo_show_text(cr, k.text);
    cairo_text_extents_t ext;
    cairo_text_extents(cr, k.text, &ext);
    x += 24 + ext.x_advance + 22;
  }

  cairo_surface_flush(surface.get());
  std::string png;
  if (cairo_surface_write_to_png_stream(surface.get(), append_png, &png) != CAIRO_STATUS_SUCCESS)
    return input_error("", "diagram", "a PNG that Cairo can encode", "an encoding failure");
  return png;
}

}  // namespace stipple::design
