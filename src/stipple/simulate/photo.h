// stipple/simulate/photo.h: the result on the client's own photo.
//
// The photo is read with hard limits (size, pixels, complete files) so a
// large or damaged file is refused before it is decoded. The practitioner
// outlines the treatment region on the photo (a polygon, optionally narrowed
// by a mask image) and marks the two ends of the head's outline across the
// picture; the design's head is fitted to those points (position, roll and
// scale, or a scale from two points a known distance apart), and the
// design's dots are projected through that fitted head, so they foreshorten
// as the scalp turns away. Pigment is composited in linear light as a
// transmission over the photo's own pixels: its lighting, shading and skin
// texture show through, and every pixel outside the region keeps its exact
// value. The skin inside the region is measured in CIELAB and a pigment
// dilution suggested from it. docs/simulate.md gives the rules.
#pragma once

#include <opencv2/core.hpp>

#include <cstddef>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stipple/core/error.h"
#include "stipple/design/design.h"
#include "stipple/io/json_document.h"
#include "stipple/io/known_fields.h"
#include "stipple/pattern/pattern.h"
#include "stipple/photo/image.h"
#include "stipple/scalp/anatomy.h"
#include "stipple/simulate/render.h"
#include "stipple/simulate/splat.h"
#include "stipple/simulate/stage.h"

namespace stipple::simulate {

// Limits on an input photo: a 24-megapixel camera photo passes with room to
// spare; anything larger is refused before decoding (decompression bombs, and
// JPEGs of more scans than any encoder writes: photo/image.h).
inline constexpr std::size_t kMaxPhotoBytes = std::size_t{128} << 20;
inline constexpr std::int64_t kMaxPhotoPixels = 50'000'000;
inline constexpr int kMaxPhotoSide = 16384;
inline constexpr photo::ImageLimits kPhotoLimits{kMaxPhotoBytes, kMaxPhotoPixels, kMaxPhotoSide, 100};

// Decodes a JPEG, PNG, WebP or HEIC photo within the limits, its orientation
// applied (photo/image.h): 8-bit, 3 channels, BGR.
Result<cv::Mat> decode_photo(std::string_view bytes, const std::string& file);

// Landmarks a person can click on a photo, by their anatomical names: the
// glabella (between the brows, on the forehead crease a raised brow makes),
// the nasion, the left and right ear canals (the tragus), the vertex (the top
// of the head), the crown whorl, the inion (the bump at the back).
enum class PhotoLandmark { glabella, nasion, ear_left, ear_right, vertex, crown, inion };

// The region file, `stipple.photo-region/1` (docs/simulate.md).
struct PhotoRegion {
  View view = View::top;
  std::vector<cv::Point2d> polygon;  // photo pixels, after EXIF orientation
  std::string mask;                  // mask image path as written (relative to the region file), or empty
  std::optional<std::pair<cv::Point2d, cv::Point2d>> head;  // the ends of the head's outline across the picture, at its widest
  std::vector<std::pair<PhotoLandmark, cv::Point2d>> landmarks;  // clicked landmarks, each once
  std::optional<double> scale_mm;    // a known distance between scale_from and scale_to
  cv::Point2d scale_from, scale_to;
};
// The fields a region file may have, at the top and in "scale"; anything else
// is refused naming the nearest of these (io/known_fields.h), or ignored with a
// warning when `options.lenient`.
inline constexpr std::array<std::string_view, 7> kRegionFields{"format", "view", "polygon", "mask", "head", "landmarks", "scale"};
inline constexpr std::array<std::string_view, 3> kRegionScaleFields{"from", "to", "mm"};
Result<PhotoRegion> parse_photo_region(std::string_view text, const std::string& file,
                                       const io::ReadOptions& options = {});

// The skin measured inside the region.
struct SkinTone {
  double L = 0, a = 0, b = 0;  // CIELAB (D65), medians of the skin pixels
  double ita_deg = 0;          // individual typology angle, atan((L* - 50) / b*)
  std::string category;        // very_light, light, intermediate, tan, brown, dark
  int fitzpatrick = 3;         // the type the category corresponds to (approximate)
  std::size_t pixels = 0;      // pixels measured
};
// Skin is measured on skin only (docs/simulate.md, "Skin tone and dilution"):
// pixels of L* at least kSkinMinL, chroma at least kSkinMinChroma and a CIELAB
// hue within kSkinHueDeg (skin's warm hues), so a grey backdrop, grey or black
// hair, a cap and deep shadow are left out; then the darkest fifth and the
// brightest tenth of those. Nothing is measured from a photo without colour
// (under kMinColouredShare of its pixels with channels more than 6 levels
// apart: black and white, or a grey scan) or where skin is under kMinSkinShare
// of the region.
inline constexpr double kSkinMinL = 20, kSkinMinChroma = 4, kMinColouredShare = 0.02, kMinSkinShare = 0.05;
inline constexpr std::array<double, 2> kSkinHueDeg{10, 100};
// Below this scale a dot of 0.7 mm is under 2 pixels: the composite warns that
// it shows the treatment's shade rather than its dots.
inline constexpr double kMinDotPxPerMm = 2.5;
bool has_colour(const cv::Mat& photo);
std::optional<SkinTone> measure_skin(const cv::Mat& photo, const cv::Mat& region_mask);

// The head fitted to clicked landmarks: the region view's camera turned by
// yaw and pitch about the head's centre (searched over +-45 and +-30 degrees)
// and carried by the least-squares similarity (scale, roll, shift) that puts
// the landmarks of the design's head on the clicked points. A turn costs
// kTurnCost per square radian against the rms error over the landmarks'
// spread, so two landmarks (which any turn fits) keep the contract view.
struct LandmarkFit {
  detail::Camera camera;
  double yaw_deg = 0, pitch_deg = 0;
  double rms_px = 0;   // how far the fitted landmarks are from the clicked ones
  double head_px = 1;  // the clicked landmarks' spread, for scale
};
inline constexpr double kTurnCost = 0.02;
// The camera turned about point c (mm): yaw (radians) about the vertical, then
// pitch about the turned camera's right axis; its similarity is kept.
detail::Camera turned_camera(const detail::Camera& cam, Vec3 c, double yaw, double pitch);
// The composite warns when the landmarks miss by more than this share of their spread.
inline constexpr double kLandmarkMisfit = 0.08;
LandmarkFit fit_landmarks(const scalp::Anatomy& a, const detail::Camera& view,
                          const std::vector<std::pair<PhotoLandmark, cv::Point2d>>& marks, std::optional<double> px_per_mm);

struct PhotoComposite {
  cv::Mat image;  // the photo with the treatment, same size
  std::optional<LandmarkFit> fit;  // when the head was fitted to landmarks
  std::size_t fit_landmarks = 0;   // how many
  RenderMeta meta;
  std::optional<SkinTone> skin;  // absent when it cannot be measured
  design::Pigment suggested;     // the pigment the measured skin (else the design's skin type) suggests
  std::vector<std::string> warnings;  // one line each: what the picture cannot show or claim
};

struct PhotoOptions {
  Stage stage;
  Sun sun = Sun::moderate;
  int threads = 2;
};

// Composites the dots of `stage` onto `photo` inside `region` (and `mask`, an
// 8-bit single-channel image of the photo's size where non-zero means
// treated; empty for none). `region_file` names the region in errors.
Result<PhotoComposite> composite_photo(const design::Design& d, const scalp::Anatomy& a,
                                       const std::vector<pattern::Dot>& dots, int sessions, const cv::Mat& photo,
                                       const PhotoRegion& region, const cv::Mat& mask, const std::string& region_file,
                                       const PhotoOptions& o);

// render-meta/1 with the photo's extra fields (skin, suggested_pigment).
io::Json photo_meta_json(const PhotoComposite& c);

}  // namespace stipple::simulate

namespace stipple {
template <>
inline constexpr auto enum_names<simulate::PhotoLandmark> =
    std::array<std::string_view, 7>{"glabella", "nasion", "ear_left", "ear_right", "vertex", "crown", "inion"};
}
