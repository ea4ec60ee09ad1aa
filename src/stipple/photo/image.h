// stipple/photo/image.h: a client's photo read safely, from the bytes a phone or
// a desktop sends, in JPEG, PNG, WebP or HEIC.
//
// Every file is checked from its header before anything is decoded, so a
// decompression bomb costs nothing: its kind from its first bytes (never its
// name), its width and height (at most `max_pixels` and `max_side`), that it is
// complete, and for a JPEG how many scans it holds. A progressive JPEG decodes
// every scan over the whole picture, so its decoding time grows with the number
// of scans, not the pixels (a 0.8 MB file whose one scan repeats 30,000 times
// takes half a minute): more than `max_jpeg_scans` is refused, as libjpeg-turbo's
// own tools do (`djpeg -maxscans`, TurboJPEG's scan limit). Real encoders write
// 1 (baseline) to about 10 scans (libjpeg's progressive script has 10 for a
// colour picture).
//
// Decoding applies the picture's orientation: a JPEG's EXIF Orientation
// (photo/codec.h), a HEIC's rotation and mirroring boxes (libheif applies
// irot/imir, as ISO/IEC 23008-12 asks). The decoded picture carries no metadata
// at all.
#pragma once

#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "stipple/core/error.h"

namespace stipple::photo {

enum class ImageKind { jpeg, png, webp, heic };

// The MIME type of a kind: image/jpeg, image/png, image/webp, image/heic.
std::string_view mime_type(ImageKind kind);

struct ImageLimits {
  std::size_t max_bytes = std::size_t{128} << 20;
  std::int64_t max_pixels = 50'000'000;  // a 24-megapixel camera passes with room to spare
  int max_side = 16384;
  int max_jpeg_scans = 100;              // ten times what encoders write
};

// What a header declares, without decoding.
struct ImageHeader {
  ImageKind kind = ImageKind::jpeg;
  int width = 0, height = 0;  // as stored (before the orientation is applied)
  int scans = 1;              // JPEG: the number of scans (start-of-scan markers); 1 for the others
};

// Reads the header of `bytes`, one of `accepted` kinds (a bit set of 1 << ImageKind).
// Errors name `file` and the field "image": another kind of file, a truncated
// file, a size over the limits, too many scans. The messages say what was
// expected and found, in the CLI's words.
inline constexpr unsigned kAllKinds = 0xF;
inline constexpr unsigned kind_bit(ImageKind k) { return 1u << static_cast<unsigned>(k); }
Result<ImageHeader> read_image_header(std::string_view bytes, const std::string& file, const ImageLimits& limits = {},
                                      unsigned accepted = kAllKinds);

// Decodes a photo within the limits, its orientation applied: 8-bit, 3
// channels, BGR (OpenCV's order). The header is checked first; errors as above,
// and "a photo that decodes" when the decoder refuses the data.
Result<cv::Mat> decode_image(std::string_view bytes, const std::string& file, const ImageLimits& limits = {},
                             unsigned accepted = kAllKinds);

}  // namespace stipple::photo
