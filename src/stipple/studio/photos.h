// stipple/studio/photos.h: what the studio stores of an uploaded photo.
#pragma once

#include <opencv2/core.hpp>

#include <cstddef>
#include <string>

#include "stipple/photo/image.h"
#include "stipple/store/database.h"
#include "stipple/store/photos.h"

#include <expected>
#include <optional>
#include <string_view>

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

struct PhotoUpload {
  std::string client_id;
  std::string kind, view;  // store::kPhotoKinds, kPhotoViews (checked by the caller)
  int session = 0;         // 0 for none
  std::string taken_on;    // YYYY-MM-DD or ""
  std::string created_by;  // a user id
  store::TimeMs now = 0;
};

struct PhotoRefusal {
  int status = 500;        // 404 no such client, 422 not a photo or over the limits, 500 storing failed
  std::string message;     // 422: "expected ..., found ..." for the field image
  std::optional<store::StoreError> store;
};

// Reads, normalises and stores one photo of a client: its files in `data_dir`
// (written whole, removed again when the row cannot be written), then its row.
std::expected<store::Photo, PhotoRefusal> save_photo(store::Database& db, const std::string& data_dir, std::string_view bytes,
                                                     const PhotoUpload& upload);

}  // namespace stipple::studio
