#include "test_photos.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace stipple::testing {

TestPhoto synthetic_photo(const design::Design& d, const scalp::Anatomy& a, simulate::View view, int width, int height,
                          int variant) {
  simulate::RenderOptions o;
  o.view = view;
  o.stage = {simulate::Stage::Kind::before, 0};
  o.width = width;
  o.height = height;
  const cv::Mat clean = simulate::render_head(d, a, {}, 3, o).image;

  // The camera and the room, in linear light.
  struct Look {
    double exposure, r, g, b, falloff, noise, grain;
  };
  static constexpr Look kLooks[] = {{1.0, 1.0, 1.0, 1.0, 0.1, 0.006, 0.0},
                                    {0.8, 1.08, 1.0, 0.88, 0.35, 0.02, 0.01},
                                    {1.15, 0.94, 1.0, 1.08, 0.2, 0.008, 0.03}};
  const Look& look = kLooks[variant % 3];
  cv::RNG rng(static_cast<std::uint64_t>(1000 + variant));
  cv::Mat grain(height / 2 + 1, width / 2 + 1, CV_32F);
  rng.fill(grain, cv::RNG::NORMAL, 0, 1);
  cv::resize(grain, grain, {width, height}, 0, 0, cv::INTER_CUBIC);
  TestPhoto t;
  t.image = cv::Mat(height, width, CV_8UC3);
  const auto lin = [](double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); };
  const auto enc = [](double c) {
    c = std::clamp(c, 0.0, 1.0);
    return 255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1 / 2.4) - 0.055);
  };
  const double gains[3] = {look.b, look.g, look.r};
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const double dx = (x - 0.3 * width) / width, dy = (y - 0.2 * height) / height;
      const double light = look.exposure * (1 - look.falloff * std::min(1.0, dx * dx + dy * dy));
      const double g = 1 + look.grain * grain.at<float>(y, x);
      for (int k = 0; k < 3; ++k) {
        const double v = lin(clean.at<cv::Vec3b>(y, x)[k] / 255.0) * light * gains[k] * g + rng.gaussian(look.noise);
        t.image.at<cv::Vec3b>(y, x)[k] = cv::saturate_cast<std::uint8_t>(enc(v));
      }
    }

  // The head in the picture: skin is warmer than the grey backdrop. The
  // widest row of that mask gives the ends; an ellipse inside it the scalp.
  cv::Mat skin(height, width, CV_8UC1);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const cv::Vec3b p = t.image.at<cv::Vec3b>(y, x);
      skin.at<std::uint8_t>(y, x) = (p[2] - p[0]) * 1.0 / std::max(1, static_cast<int>(p[2])) > 0.2 ? 255 : 0;
    }
  cv::morphologyEx(skin, skin, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_ELLIPSE, {5, 5}));
  // The outline: an ellipse fitted to the silhouette, refitted without the
  // points that stray from it (the ears), and its ends across the picture.
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(skin, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_NONE);
  const auto largest = std::max_element(contours.begin(), contours.end(),
                                        [](const auto& p, const auto& q) { return cv::contourArea(p) < cv::contourArea(q); });
  std::vector<cv::Point2f> pts(largest->begin(), largest->end());
  cv::RotatedRect e = cv::fitEllipse(pts);
  for (int round = 0; round < 3; ++round) {
    const double th = e.angle * CV_PI / 180, ea = e.size.width / 2.0, eb = e.size.height / 2.0;
    std::vector<cv::Point2f> kept;
    for (const cv::Point2f& p : pts) {
      const double dx = p.x - e.center.x, dy = p.y - e.center.y;
      const double u = dx * std::cos(th) + dy * std::sin(th), v = -dx * std::sin(th) + dy * std::cos(th);
      if (std::abs(std::hypot(u / ea, v / eb) - 1) < 0.015) kept.push_back(p);
    }
    if (kept.size() < 20) break;
    e = cv::fitEllipse(kept);
  }
  {
    const double th = e.angle * CV_PI / 180, ea = e.size.width / 2.0, eb = e.size.height / 2.0;
    const double t0 = std::atan2(-eb * std::sin(th), ea * std::cos(th));
    const cv::Point2d half(ea * std::cos(th) * std::cos(t0) - eb * std::sin(th) * std::sin(t0),
                           ea * std::sin(th) * std::cos(t0) + eb * std::cos(th) * std::sin(t0));
    const cv::Point2d c(e.center.x, e.center.y);
    t.head_from = half.x < 0 ? c + half : c - half;
    t.head_to = half.x < 0 ? c - half : c + half;
  }
  const cv::Rect box = cv::boundingRect(skin);
  const cv::Point2d c(box.x + box.width / 2.0, box.y + box.height / 2.0);
  for (int k = 0; k < 48; ++k) {
    const double t_ = 2 * CV_PI * k / 48;
    t.scalp.emplace_back(c.x + 0.36 * box.width * std::cos(t_), c.y + 0.36 * box.height * std::sin(t_));
  }
  return t;
}

std::vector<unsigned char> with_exif_orientation(const std::vector<unsigned char>& jpeg, int orientation) {
  // APP1 "Exif\0\0", a little-endian TIFF header and one IFD entry: tag 0x0112
  // (Orientation), type SHORT, count 1, the value; no next IFD.
  const std::vector<unsigned char> tiff = {'I', 'I', 42, 0, 8, 0, 0, 0,  // header, IFD at offset 8
                                           1, 0,                         // one entry
                                           0x12, 0x01, 3, 0, 1, 0, 0, 0,
                                           static_cast<unsigned char>(orientation), 0, 0, 0,
                                           0, 0, 0, 0};  // no next IFD
  std::vector<unsigned char> out;
  out.reserve(jpeg.size() + tiff.size() + 12);
  out.push_back(jpeg[0]);  // SOI
  out.push_back(jpeg[1]);
  const std::size_t len = 2 + 6 + tiff.size();
  for (const unsigned char b : {std::uint8_t{0xFF}, std::uint8_t{0xE1}, static_cast<std::uint8_t>(len >> 8),
                                static_cast<std::uint8_t>(len & 0xFF), std::uint8_t{'E'}, std::uint8_t{'x'},
                                std::uint8_t{'i'}, std::uint8_t{'f'}, std::uint8_t{0}, std::uint8_t{0}})
    out.push_back(b);
  for (const unsigned char b : tiff) out.push_back(b);
  for (std::size_t i = 2; i < jpeg.size(); ++i) out.push_back(jpeg[i]);
  return out;
}

}  // namespace stipple::testing
