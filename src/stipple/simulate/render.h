// stipple/simulate/render.h: pictures of the result on the 3D head.
//
// A perspective camera at consultation distance looks at the head from one of
// the contract's views. Every pixel is a ray against the head: skin with its
// tone (Fitzpatrick type, as CIELAB), fine texture, soft key and fill light and
// a mild sheen; the client's remaining hair as stubble; and every visible dot
// of the pattern as pigment under a thin scattering layer of skin. Dots are
// splatted as elliptical Gaussians in the image (the dot's disc, its
// scattering blur and the pixel's own footprint combined; Heckbert's EWA
// splatting), so a dot smaller than a pixel still adds its share of optical
// density and nothing aliases. Pigment absorbs in linear light, a little less
// in blue (healed dots look blue-grey), more so for deep dots (blowout).
// docs/simulate.md gives every rule and its source.
#pragma once

#include <opencv2/core.hpp>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "stipple/core/geometry.h"
#include "stipple/design/design.h"
#include "stipple/io/json_document.h"
#include "stipple/pattern/pattern.h"
#include "stipple/scalp/anatomy.h"
#include "stipple/simulate/stage.h"

namespace stipple::simulate {

enum class View { top, front, back, left, right, three_quarter };

struct RenderOptions {
  View view = View::top;
  Stage stage;
  int width = 1200, height = 1200;
  Sun sun = Sun::moderate;
  int threads = 2;
};

struct RenderMeta {
  View view = View::top;
  Stage stage;
  int width = 0, height = 0;
  double px_per_mm = 0;         // at the image centre (on the head when it is there)
  std::size_t visible_dots = 0; // dots drawn: on the side facing the camera and inside the image
};

struct Rendered {
  cv::Mat image;  // 8-bit, 3 channels, OpenCV's BGR order
  RenderMeta meta;
};

// The dots a stage shows and how: healed (0), fresh (1).
struct StageDots {
  std::vector<const pattern::Dot*> healed, fresh;
};
StageDots dots_for_stage(const std::vector<pattern::Dot>& dots, int sessions, const Stage& stage);

// What every picture of one design shares whatever the view and stage: the
// design, its anatomy and the follicular units of the hair it keeps. Made
// once and kept while the consultation shows the same head again and again
// (views, stages, sheets). It refers to the design and the anatomy, which
// must outlive it.
class Scene {
 public:
  Scene(const design::Design& d, const scalp::Anatomy& a, int threads = 2);
  const design::Design& design() const { return *design_; }
  const scalp::Anatomy& anatomy() const { return *anatomy_; }
  // The follicular units of the remaining hair, points on the vault (mm).
  const std::vector<Vec3>& hair_units() const { return units_; }

 private:
  const design::Design* design_;
  const scalp::Anatomy* anatomy_;
  std::vector<Vec3> units_;
};

Rendered render_head(const Scene& scene, const std::vector<pattern::Dot>& dots, int sessions, const RenderOptions& o);
// The same, making the scene first.
Rendered render_head(const design::Design& d, const scalp::Anatomy& a, const std::vector<pattern::Dot>& dots,
                     int sessions, const RenderOptions& o);

// `stipple.render-meta/1`.
io::Json render_meta_json(const RenderMeta& m);

// The stages of a sheet: progression (before, each session, healed) or
// timeline (healed, 1, 3, 5 and 8 years).
enum class Sheet { progression, timeline };
std::vector<Stage> sheet_stages(Sheet s, int sessions);

// A labelled contact sheet of tiles of o.width x o.height, one per stage;
// `progress(done, total)` is called after each tile.
Rendered render_sheet(const Scene& scene, const std::vector<pattern::Dot>& dots, int sessions, Sheet sheet,
                      const RenderOptions& o, const std::function<void(int, int)>& progress = {});

// The skin's linear-light reflectance (R, G, B) of a Fitzpatrick type 1-6.
std::array<double, 3> skin_reflectance(int fitzpatrick);

}  // namespace stipple::simulate

namespace stipple {
template <>
inline constexpr auto enum_names<simulate::View> =
    std::array<std::string_view, 6>{"top", "front", "back", "left", "right", "three_quarter"};
template <>
inline constexpr auto enum_names<simulate::Sheet> = std::array<std::string_view, 2>{"progression", "timeline"};
}
