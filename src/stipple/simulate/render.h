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
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stipple/core/geometry.h"
#include "stipple/design/design.h"
#include "stipple/io/json_document.h"
#include "stipple/pattern/pattern.h"
#include "stipple/scalp/anatomy.h"
#include "stipple/simulate/stage.h"

namespace stipple {
class ThreadPool;
}

namespace stipple::simulate {

enum class View { top, front, back, left, right, three_quarter };

struct RenderOptions {
  View view = View::top;
  Stage stage;
  int width = 1200, height = 1200;
  Sun sun = Sun::moderate;
  int threads = 2;
  bool labels = false;  // fill Rendered::labels (the label picture)
  // A close-up: when > 0, the picture's shorter side spans this many mm of
  // the scalp round the middle of the treated area in view (the mean of the
  // dots facing the camera), seen along the view's direction; 0: the whole head.
  double close_up_mm = 0;
};

// What a pixel shows: the values of the contract's `--labels` picture.
enum class Label : std::uint8_t { background = 0, skin = 1, hair = 2, treated = 3, face = 4 };

// A renderer's own marks on Label::treated: the treated pixel still has at
// least half its hair (the blend into the remaining hair); it lies in the
// hairline's transition, where the design ramps its density up from the line
// (Hairline::transition_mm behind it, lighter by design, as a natural hairline
// is). The pictures written out carry the contract's values only.
inline constexpr std::uint8_t kLabelHaired = 0x80, kLabelHairlineBand = 0x40, kLabelMarks = kLabelHaired | kLabelHairlineBand;

// How the treated area compares with the client's remaining hair in one
// picture (docs/simulate.md, "The match"): the mean colour of the treated
// pixels where the hair is gone, past the hairline's transition (Label::treated
// without marks) within
// the reach of the remaining hair (Label::hair), and of the hair's pixels
// within the reach of them, each averaged in linear light and taken to CIELAB
// (D65), and their CIEDE2000 difference.
struct Match {
  double delta_e00 = 0;
  std::array<double, 3> treated_lab{}, hair_lab{};
  std::size_t treated_pixels = 0, hair_pixels = 0;
  double reach_mm = 0;
  // False when the remaining hair is grey or white: its stubble is lighter
  // than the dots can ever heal (SMP.md section 11: diluted carbon heals grey,
  // never silver), so no shade makes them match.
  bool possible = true;
};

// How a scar stands out in one picture (docs/simulate.md, "Scars"): the scar
// tissue's mean colour against the scalp within kScarAroundMm of it, and the
// blend beyond it (treated, hair kept) against the untreated hair within
// kScarAroundMm of the blend, compared as Match compares.
inline constexpr double kScarAroundMm = 6;
struct ScarContrast {
  double delta_e00 = 0;
  std::array<double, 3> scar_lab{}, around_lab{};
  std::optional<double> band_delta_e00;  // absent when the blend or the hair past it is not in view
};

struct RenderMeta {
  View view = View::top;
  Stage stage;
  int width = 0, height = 0;
  double px_per_mm = 0;         // at the image centre (on the head when it is there)
  double close_up_mm = 0;       // RenderOptions::close_up_mm (0: the whole head)
  std::size_t visible_dots = 0; // dots drawn: on the side facing the camera and inside the image
  std::optional<Match> match;   // absent when the treated area or the remaining hair is not in view, and for the density look (its hair is long, not shaved)
  std::optional<ScarContrast> scar;  // absent without a scar in view
};

struct Rendered {
  cv::Mat image;   // 8-bit, 3 channels, OpenCV's BGR order
  cv::Mat labels;  // 8-bit, 1 channel, a Label a pixel; empty unless RenderOptions::labels
  RenderMeta meta;
};

// The match of an 8-bit BGR picture and its labels at px_per_mm, comparing
// pixels within reach_mm of each other, as surfaces: each pixel's linear
// light less the sheen, over the light falling on it (`light`, 2 floats a
// pixel: diffuse light and sheen; 0 where unknown, and such pixels are left
// out), so the head's shading does not count. Nothing when fewer than 100
// pixels of either region are in reach. The two regions are measured side by
// side on `pool` when one is given.
std::optional<Match> measure_match(const cv::Mat& bgr, const cv::Mat& labels, const cv::Mat& light, double px_per_mm,
                                   double reach_mm, ThreadPool* pool = nullptr);
// The contrast of the scar tissue (`scar_cover`, a float a pixel, 1 on scar
// tissue) in a picture; nothing when too little of it is in view.
std::optional<ScarContrast> measure_scar(const cv::Mat& bgr, const cv::Mat& labels, const cv::Mat& light,
                                         const cv::Mat& scar_cover, double px_per_mm);
// The reach of a design's match: beyond its blend into the hair (the shaved
// look's blend, a scar's margin) by 15 mm.
double match_reach_mm(const design::Design& d);

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
namespace detail {
struct SceneCharts;
}
class Scene {
 public:
  Scene(const design::Design& d, const scalp::Anatomy& a, int threads = 2);
  const design::Design& design() const { return *design_; }
  const scalp::Anatomy& anatomy() const { return *anatomy_; }
  // The follicular units of the remaining hair, points on the vault (mm).
  const std::vector<Vec3>& hair_units() const { return units_; }
  // What the chart holds at a point of the vault: the design's treated
  // (pigmented) area, the remaining hair (at least half the normal density)
  // or bare skin; Label::treated, hair or skin.
  Label label_at(Vec3 p) const;
  // The same, with kLabelHaired on treated points that keep at least half
  // their hair and kLabelHairlineBand on those in the hairline's transition.
  std::uint8_t label_code(Vec3 p) const;
  const detail::SceneCharts& charts() const { return *charts_; }

 private:
  const design::Design* design_;
  const scalp::Anatomy* anatomy_;
  std::vector<Vec3> units_;
  std::shared_ptr<const detail::SceneCharts> charts_;
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
// The CIELAB L* of that skin (the same table).
double skin_lightness(int fitzpatrick);

}  // namespace stipple::simulate

namespace stipple {
template <>
inline constexpr auto enum_names<simulate::View> =
    std::array<std::string_view, 6>{"top", "front", "back", "left", "right", "three_quarter"};
template <>
inline constexpr auto enum_names<simulate::Sheet> = std::array<std::string_view, 2>{"progression", "timeline"};
}
