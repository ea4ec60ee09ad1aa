#include "test_images.h"

#include <libheif/heif.h>
#include <opencv2/imgcodecs.hpp>

#include <stdexcept>
#include <vector>

namespace stipple::testing {

std::string encode_image(const cv::Mat& bgr, const std::string& ext, int quality) {
  std::vector<unsigned char> out;
  std::vector<int> params;
  if (ext == ".jpg") params = {cv::IMWRITE_JPEG_QUALITY, quality};
  if (ext == ".webp") params = {cv::IMWRITE_WEBP_QUALITY, quality};
  if (!cv::imencode(ext, bgr, out, params)) throw std::runtime_error("imencode " + ext);
  return {out.begin(), out.end()};
}

std::string encode_heic(const cv::Mat& bgr, int orientation) {
  heif_context* ctx = heif_context_alloc();
  heif_encoder* encoder = nullptr;
  heif_image* image = nullptr;
  std::string out;
  const auto check = [&](heif_error e) {
    if (e.code != heif_error_Ok) throw std::runtime_error(std::string("libheif: ") + e.message);
  };
  check(heif_context_get_encoder_for_format(ctx, heif_compression_HEVC, &encoder));
  heif_encoder_set_lossy_quality(encoder, 90);
  check(heif_image_create(bgr.cols, bgr.rows, heif_colorspace_RGB, heif_chroma_interleaved_RGB, &image));
  check(heif_image_add_plane(image, heif_channel_interleaved, bgr.cols, bgr.rows, 8));
  int stride = 0;
  std::uint8_t* plane = heif_image_get_plane(image, heif_channel_interleaved, &stride);
  for (int y = 0; y < bgr.rows; ++y)
    for (int x = 0; x < bgr.cols; ++x) {
      const cv::Vec3b p = bgr.at<cv::Vec3b>(y, x);
      std::uint8_t* q = plane + static_cast<std::ptrdiff_t>(y) * stride + 3 * x;
      q[0] = p[2];
      q[1] = p[1];
      q[2] = p[0];
    }
  heif_encoding_options* options = heif_encoding_options_alloc();
  options->image_orientation = static_cast<heif_orientation>(orientation);
  check(heif_context_encode_image(ctx, image, encoder, options, nullptr));
  heif_encoding_options_free(options);
  heif_writer writer{};
  writer.writer_api_version = 1;
  writer.write = [](heif_context*, const void* data, size_t size, void* user) -> heif_error {
    static_cast<std::string*>(user)->append(static_cast<const char*>(data), size);
    return heif_error{heif_error_Ok, heif_suberror_Unspecified, "ok"};
  };
  check(heif_context_write(ctx, &writer, &out));
  heif_image_release(image);
  heif_encoder_release(encoder);
  heif_context_free(ctx);
  return out;
}

std::string jpeg_with_scans(const cv::Mat& bgr, int scans) {
  std::vector<unsigned char> jpg;
  cv::imencode(".jpg", bgr, jpg, {cv::IMWRITE_JPEG_PROGRESSIVE, 1});
  const std::string s(jpg.begin(), jpg.end());
  // The last start-of-scan marker, through to the end-of-image marker.
  const std::size_t last = s.rfind("\xFF\xDA");
  const std::size_t eoi = s.size() - 2;
  std::size_t have = 0;
  for (std::size_t at = s.find("\xFF\xDA"); at != std::string::npos; at = s.find("\xFF\xDA", at + 2)) ++have;
  std::string out = s.substr(0, eoi);
  const std::string scan = s.substr(last, eoi - last);
  for (int i = static_cast<int>(have); i < scans; ++i) out += scan;
  return out + "\xFF\xD9";
}

cv::Mat half_red_picture() {
  cv::Mat img(30, 60, CV_8UC3, cv::Scalar(255, 255, 255));
  img(cv::Rect(0, 0, 30, 30)).setTo(cv::Scalar(0, 0, 255));
  return img;
}

}  // namespace stipple::testing
