// stipple/photo/codec.h: PNG, JPEG and WebP in and out, by the formats' own
// libraries: libpng's simplified API, libjpeg-turbo's libjpeg API and libwebp.
//
// OpenCV's imgcodecs would do the same, but it links GDAL and some 140 shared
// libraries, whose loading and symbol binding cost every `stipple` process
// about 80 ms before it does anything (README, "Libraries").
//
// These are the codecs alone: a photo from outside is read through
// decode_image (photo/image.h), which checks its header and limits first.
// Pictures are 8-bit OpenCV matrices: BGR (3 channels), BGRA (4) or grey (1).
#pragma once

#include <opencv2/core.hpp>

#include <string>
#include <string_view>

namespace stipple::photo {

// PNG of an 8-bit grey or BGR picture; `fast` trades size for speed (zlib's
// level 1 with run-length matches and the Sub filter, as OpenCV writes by
// default), for pictures made to be looked at, not archived; else zlib's
// default level and libpng's filter choice. Empty when it cannot be encoded.
std::string encode_png(const cv::Mat& image, bool fast = true);
// Baseline JPEG of an 8-bit BGR or grey picture at `quality` (1-100), 4:2:0,
// with optimised Huffman tables when `optimize`. Empty when it cannot be encoded.
std::string encode_jpeg(const cv::Mat& image, int quality, bool optimize = false);
// Lossy WebP of an 8-bit BGR picture at `quality` (0-100). Empty when it cannot be encoded.
std::string encode_webp(const cv::Mat& image, float quality);

// Decoders: empty on data the library refuses. PNG and WebP give BGR, or BGRA
// when `keep_alpha`; any bit depth, palette or grey PNG becomes 8-bit, a gAMA
// chunk applied (libpng's simplified API; a PNG with an ICC profile should come
// without its gAMA and cHRM, which the profile overrides), 16-bit values without
// one taken as sRGB. JPEG gives BGR with
// its EXIF Orientation applied (the eight TIFF orientations); CMYK (Adobe's
// inverted) is converted naively.
cv::Mat decode_png(std::string_view bytes, bool keep_alpha);
cv::Mat decode_jpeg(std::string_view bytes);
cv::Mat decode_webp(std::string_view bytes, bool keep_alpha);

// The EXIF Orientation (TIFF tag 274, 1-8) of an APP1 Exif segment's payload
// (from "Exif\0\0" on), 1 when absent or unreadable.
int exif_orientation(std::string_view app1);
// The picture as it is meant to be seen under EXIF orientation 1-8.
cv::Mat apply_orientation(const cv::Mat& stored, int orientation);

}  // namespace stipple::photo
