// tests/test_images.h: photo files made by the tests in every kind a phone or a
// desktop uploads, and the hostile ones (orientation, too many scans).
#pragma once

#include <opencv2/core.hpp>

#include <string>

namespace stipple::testing {

// The picture encoded by OpenCV: ".jpg", ".png" or ".webp" (as bytes).
std::string encode_image(const cv::Mat& bgr, const std::string& ext, int quality = 90);

// The picture as HEIC (libheif with x265), stored with an orientation (1-8,
// the EXIF values) that libheif writes as irot/imir boxes.
std::string encode_heic(const cv::Mat& bgr, int orientation = 1);

// A progressive JPEG of the picture whose last scan is repeated until the file
// has `scans` scans: each repeat costs a pass over the whole picture to decode.
std::string jpeg_with_scans(const cv::Mat& bgr, int scans);

// 60 wide x 30 tall, left half red, right half white: shows any turn or mirror.
cv::Mat half_red_picture();

}  // namespace stipple::testing
