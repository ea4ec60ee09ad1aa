// tests/test_photos.h: client photos for the composite's tests, made here.
//
// No photo of a bald head ships with Debian, so the tests make their own: the
// head rendered before treatment, then what a camera and a room add: exposure
// and white-balance shifts, light falling off across the frame, sensor noise
// and film-like grain. The head's outline is then found in the picture itself
// (skin against the grey backdrop), as a practitioner would mark it.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

#include "stipple/design/design.h"
#include "stipple/scalp/anatomy.h"
#include "stipple/simulate/render.h"

namespace stipple::testing {

struct TestPhoto {
  cv::Mat image;                      // 8-bit BGR
  cv::Point2d head_from, head_to;     // the widest span of the head, found in the picture
  std::vector<cv::Point2d> scalp;     // an outline well inside the head's silhouette
};

// variant 0: studio light; 1: warm, darker, strong falloff and noise; 2: cool,
// brighter, heavy grain.
TestPhoto synthetic_photo(const design::Design& d, const scalp::Anatomy& a, simulate::View view, int width, int height,
                          int variant);

// A JPEG with an EXIF orientation tag (1-8) inserted after its start marker.
std::vector<unsigned char> with_exif_orientation(const std::vector<unsigned char>& jpeg, int orientation);

}  // namespace stipple::testing
