// stipple/photo/colour.h: a photo's colours as sRGB, whatever profile its
// camera or phone gave it.
//
// Phones save in wide-gamut spaces (an iPhone's Display P3, a camera's Adobe
// RGB) and say so in an embedded ICC profile: a PNG's iCCP chunk, a JPEG's
// APP2 ICC_PROFILE segments (ICC.1:2022 annex B.4), a WebP's ICCP chunk, a
// HEIC's colr box (an ICC profile, or nclx colour primaries as ITU-T H.273
// numbers them). Read as sRGB such a photo's skin comes out duller than it is,
// and its measured skin tone wrong. The pixels are converted to sRGB with
// Little CMS 2 (lcms2), relative colorimetric intent with black point
// compensation, so colours inside sRGB keep their measured values and those
// outside are clipped to its gamut.
#pragma once

#include <opencv2/core.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace stipple::photo {

enum class ImageKind;

// The ICC profile embedded in the bytes of a PNG, JPEG or WebP, or empty when
// there is none (or it is damaged: a PNG profile that does not inflate, or
// inflates past kMaxProfileBytes).
inline constexpr std::size_t kMaxProfileBytes = std::size_t{4} << 20;
std::string embedded_icc_profile(std::string_view bytes, ImageKind kind);

// An RGB profile from CIE xy chromaticities of the red, green and blue
// primaries and the white point, with the sRGB tone curve (IEC 61966-2-1):
// what a HEIC's nclx box describes. Empty if lcms2 cannot make it.
std::string rgb_profile(const std::array<double, 8>& xy_rgbw);

// What converting did.
enum class ProfileUse { none, converted, unreadable };

// Converts an 8-bit BGR picture from `icc` to sRGB in place. `none` when there
// is no profile; `unreadable` (the picture left as it is, taken as sRGB) when
// lcms2 cannot read it or it is not an RGB profile.
ProfileUse convert_to_srgb(cv::Mat& bgr, std::string_view icc);

}  // namespace stipple::photo
