// stipple/studio/photos.h: what the studio stores of an uploaded photo.
#pragma once

#include <opencv2/core.hpp>

#include <cstddef>
#include <string>

#include "stipple/photo/image.h"

namespace stipple::studio {

// An upload's bytes: a 24-megapixel camera JPEG is 8-15 MB, a HEIC half that.
inline constexpr std::size_t kMaxPhotoUploadBytes = std::size_t{32} << 20;
// The longest side of a photo's thumbnail, in pixels: a timeline tile at twice a phone's density.
inline constexpr int kThumbnailSide = 480;

struct NormalisedPhoto {
  std::string image;         // the picture as stored: PNG when the upload was a PNG, otherwise a JPEG (quality 92)
  std::string content_type;  // image/png or image/jpeg
  bool lossless = false;
  int width = 0, height = 0;
  std::string thumbnail;     // a JPEG (quality 80) of at most kThumbnailSide pixels a side
};

// The stored forms of a decoded, upright picture. Nothing of the upload's
// metadata can survive: only pixels go in. Empty strings when encoding failed.
NormalisedPhoto normalise_photo(const cv::Mat& upright, photo::ImageKind source);

}  // namespace stipple::studio
