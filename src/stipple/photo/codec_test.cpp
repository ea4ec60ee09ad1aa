#include "stipple/photo/codec.h"

#include <gtest/gtest.h>

#include <jpeglib.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "test_photos.h"

// The codecs are held to OpenCV's imgcodecs, a second and independent reader
// and writer of the same formats.
namespace stipple::photo {
namespace {

// A picture with no symmetry, so that every turn and mirror shows: a smooth
// ramp each way and a dark corner block at the top left.
cv::Mat asymmetric(int w = 48, int h = 32) {
  cv::Mat m(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) m.at<cv::Vec3b>(y, x) = {static_cast<unsigned char>(40 + 180 * x / w), static_cast<unsigned char>(60 + 160 * y / h), 160};
  m(cv::Rect(0, 0, w / 4, h / 4)).setTo(cv::Scalar(20, 20, 20));
  return m;
}

std::string as_string(const std::vector<unsigned char>& v) { return {v.begin(), v.end()}; }
std::vector<unsigned char> as_bytes(const std::string& s) { return {s.begin(), s.end()}; }

double max_difference(const cv::Mat& a, const cv::Mat& b) {
  if (a.size() != b.size() || a.type() != b.type()) return 1e9;
  return cv::norm(a, b, cv::NORM_INF);
}

TEST(Codec, PngIsLosslessBothWaysAgainstOpenCv) {
  cv::Mat noise(23, 37, CV_8UC3), grey(23, 37, CV_8UC1);
  cv::randu(noise, 0, 256);
  cv::randu(grey, 0, 256);
  for (const bool fast : {true, false}) {
    const std::string png = encode_png(noise, fast);
    ASSERT_FALSE(png.empty());
    EXPECT_EQ(max_difference(cv::imdecode(as_bytes(png), cv::IMREAD_COLOR), noise), 0) << "fast " << fast;
    EXPECT_EQ(max_difference(cv::imdecode(as_bytes(encode_png(grey, fast)), cv::IMREAD_GRAYSCALE), grey), 0);
  }
  EXPECT_GT(encode_png(noise, true).size(), 0u);
  std::vector<unsigned char> theirs;
  cv::imencode(".png", noise, theirs);
  EXPECT_EQ(max_difference(decode_png(as_string(theirs), false), noise), 0);
  // Grey and 16-bit files come out as 8-bit BGR.
  cv::imencode(".png", grey, theirs);
  cv::Mat grey_bgr;
  cv::cvtColor(grey, grey_bgr, cv::COLOR_GRAY2BGR);
  EXPECT_EQ(max_difference(decode_png(as_string(theirs), false), grey_bgr), 0);
  cv::Mat deep;
  noise.convertTo(deep, CV_16U, 257);
  cv::imencode(".png", deep, theirs);
  EXPECT_LE(max_difference(decode_png(as_string(theirs), false), noise), 1);
  // With alpha kept, a fourth channel.
  cv::Mat bgra;
  cv::cvtColor(noise, bgra, cv::COLOR_BGR2BGRA);
  bgra.col(3).setTo(cv::Scalar::all(7));
  cv::imencode(".png", bgra, theirs);
  const cv::Mat back = decode_png(as_string(theirs), true);
  ASSERT_EQ(back.type(), CV_8UC4);
  EXPECT_EQ(back.at<cv::Vec4b>(5, 3)[3], 7);
  EXPECT_TRUE(decode_png("not a png", false).empty());
}

TEST(Codec, JpegReadsAsOpenCvDoesInEveryExifOrientation) {
  std::vector<unsigned char> jpeg;
  cv::imencode(".jpg", asymmetric(), jpeg, {cv::IMWRITE_JPEG_QUALITY, 95});
  for (int o = 1; o <= 8; ++o) {
    const std::vector<unsigned char> turned = testing::with_exif_orientation(jpeg, o);
    const cv::Mat mine = decode_jpeg(as_string(turned)), theirs = cv::imdecode(turned, cv::IMREAD_COLOR);
    ASSERT_FALSE(mine.empty()) << o;
    EXPECT_EQ(mine.size(), theirs.size()) << "orientation " << o;
    EXPECT_LE(max_difference(mine, theirs), 1) << "orientation " << o;
    EXPECT_EQ(mine.cols, o >= 5 ? 32 : 48) << "orientations 5-8 swap the sides";
  }
  EXPECT_TRUE(decode_jpeg("\xFF\xD8\xFF broken").empty());
}

TEST(Codec, ExifOrientationIsReadInBothByteOrdersAndOneWhenUnreadable) {
  const auto app1 = [](bool big, int value) {
    std::string s("Exif\0\0", 6);
    const auto u16 = [&](int v) { s += big ? std::string{static_cast<char>(v >> 8), static_cast<char>(v & 0xFF)}
                                           : std::string{static_cast<char>(v & 0xFF), static_cast<char>(v >> 8)}; };
    s += big ? "MM" : "II";
    u16(42);
    s += big ? std::string("\0\0\0\x08", 4) : std::string("\x08\0\0\0", 4);
    u16(2);                                         // two entries: ImageWidth, then Orientation
    u16(256), u16(3), u16(1), u16(0), u16(640), u16(0);
    u16(274), u16(3), u16(1), u16(0), u16(value), u16(0);
    return s;
  };
  EXPECT_EQ(exif_orientation(app1(true, 6)), 6);
  EXPECT_EQ(exif_orientation(app1(false, 8)), 8);
  EXPECT_EQ(exif_orientation(app1(false, 9)), 1) << "no such orientation";
  EXPECT_EQ(exif_orientation(app1(true, 3).substr(0, 20)), 1) << "cut short";
  EXPECT_EQ(exif_orientation("http://ns.adobe.com/xap/1.0/"), 1) << "XMP, not Exif";
}

TEST(Codec, JpegAndWebpEncodeWhatOpenCvReadsBackClose) {
  const cv::Mat picture = asymmetric(160, 120);
  const std::string plain = encode_jpeg(picture, 92), optimized = encode_jpeg(picture, 92, true);
  ASSERT_FALSE(plain.empty());
  EXPECT_LE(optimized.size(), plain.size()) << "optimised Huffman tables are never larger";
  // As close to the picture as OpenCV's own files at the same quality.
  std::vector<unsigned char> jpeg, webp;
  cv::imencode(".jpg", picture, jpeg, {cv::IMWRITE_JPEG_QUALITY, 92});
  cv::imencode(".webp", picture, webp, {cv::IMWRITE_WEBP_QUALITY, 90});
  const double jpeg_db = cv::PSNR(cv::imdecode(jpeg, cv::IMREAD_COLOR), picture), webp_db = cv::PSNR(cv::imdecode(webp, cv::IMREAD_COLOR), picture);
  EXPECT_GT(jpeg_db, 35);
  for (const auto& [file, db] : {std::pair{plain, jpeg_db}, std::pair{optimized, jpeg_db}, std::pair{encode_webp(picture, 90), webp_db}}) {
    const cv::Mat back = cv::imdecode(as_bytes(file), cv::IMREAD_COLOR);
    ASSERT_EQ(back.size(), picture.size());
    EXPECT_GT(cv::PSNR(back, picture), db - 0.5) << "dB";
  }
  cv::Mat grey;
  cv::cvtColor(picture, grey, cv::COLOR_BGR2GRAY);
  EXPECT_GT(cv::PSNR(cv::imdecode(as_bytes(encode_jpeg(grey, 92)), cv::IMREAD_GRAYSCALE), grey), 35);
  EXPECT_LE(max_difference(decode_webp(as_string(webp), false), cv::imdecode(webp, cv::IMREAD_COLOR)), 1);
  EXPECT_TRUE(encode_png(cv::Mat(4, 4, CV_32FC3)).empty()) << "8-bit only";
}

// libjpeg writes CMYK with Adobe's APP14 marker and the values as given; as
// Adobe's software writes them inverted (255 - ink), 255 everywhere is white.
std::string cmyk_jpeg(const cv::Vec4b& value) {
  jpeg_compress_struct c{};
  jpeg_error_mgr err{};
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&c, &buf, &size);
  c.image_width = 16, c.image_height = 16, c.input_components = 4, c.in_color_space = JCS_CMYK;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, 95, TRUE);
  jpeg_start_compress(&c, TRUE);
  std::vector<unsigned char> row(16 * 4);
  for (int x = 0; x < 16; ++x)
    for (int k = 0; k < 4; ++k) row[static_cast<std::size_t>(4 * x + k)] = value[k];
  while (c.next_scanline < c.image_height) {
    JSAMPROW r = row.data();
    jpeg_write_scanlines(&c, &r, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  std::string out(reinterpret_cast<const char*>(buf), size);
  std::free(buf);
  return out;
}

TEST(Codec, AdobeCmykJpegsBecomeTheirColours) {
  const cv::Mat white = decode_jpeg(cmyk_jpeg({255, 255, 255, 255})), cyan = decode_jpeg(cmyk_jpeg({0, 255, 255, 255}));
  ASSERT_EQ(white.type(), CV_8UC3);
  const cv::Vec3b w = white.at<cv::Vec3b>(8, 8), c = cyan.at<cv::Vec3b>(8, 8);
  for (int k = 0; k < 3; ++k) EXPECT_GT(w[k], 245) << k;
  EXPECT_LT(c[2], 10) << "full cyan ink takes the red";
  EXPECT_GT(c[0], 245);
  EXPECT_GT(c[1], 245);
}

}  // namespace
}  // namespace stipple::photo
