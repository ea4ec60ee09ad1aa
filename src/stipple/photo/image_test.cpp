#include "stipple/photo/image.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "test_images.h"

namespace stipple::photo {
namespace {

using testing::encode_heic;
using testing::encode_image;
using testing::half_red_picture;

// Red at the top half, white below: half_red_picture() turned 90 degrees clockwise.
void expect_turned_clockwise(const cv::Mat& m) {
  ASSERT_EQ(m.cols, 30);
  ASSERT_EQ(m.rows, 60);
  const cv::Vec3b top = m.at<cv::Vec3b>(12, 15), bottom = m.at<cv::Vec3b>(48, 15);
  EXPECT_GT(top[2], 180);
  EXPECT_LT(top[1], 90);
  EXPECT_GT(bottom[1], 180);
}

TEST(PhotoImage, EveryKindAPhoneOrADesktopSendsDecodesToTheSamePicture) {
  const cv::Mat picture = half_red_picture();
  const std::pair<const char*, std::string> files[] = {{"jpeg", encode_image(picture, ".jpg")},
                                                       {"png", encode_image(picture, ".png")},
                                                       {"webp lossy", encode_image(picture, ".webp", 90)},
                                                       {"webp lossless", encode_image(picture, ".webp", 101)},
                                                       {"heic", encode_heic(picture)}};
  const ImageKind kinds[] = {ImageKind::jpeg, ImageKind::png, ImageKind::webp, ImageKind::webp, ImageKind::heic};
  for (std::size_t i = 0; i < std::size(files); ++i) {
    SCOPED_TRACE(files[i].first);
    const auto h = read_image_header(files[i].second, "photo");
    ASSERT_TRUE(h) << h.error().message();
    EXPECT_EQ(h->kind, kinds[i]);
    EXPECT_EQ(h->width, 60);
    EXPECT_EQ(h->height, 30);
    const auto m = decode_image(files[i].second, "photo");
    ASSERT_TRUE(m) << m.error().message();
    ASSERT_EQ(m->cols, 60);
    ASSERT_EQ(m->rows, 30);
    EXPECT_EQ(m->type(), CV_8UC3);
    const cv::Vec3b left = m->at<cv::Vec3b>(15, 10), right = m->at<cv::Vec3b>(15, 50);
    EXPECT_GT(left[2], 180) << "red on the left (BGR order)";
    EXPECT_LT(left[0], 90);
    EXPECT_GT(right[0], 180) << "white on the right";
  }
  EXPECT_EQ(mime_type(ImageKind::heic), "image/heic");
  EXPECT_EQ(mime_type(ImageKind::webp), "image/webp");
}

TEST(PhotoImage, AHeicsRotationIsApplied) {
  // Stored 60 x 30 with orientation 6 (90 degrees clockwise): shown 30 x 60, red on top.
  const std::string heic = encode_heic(half_red_picture(), 6);
  const auto m = decode_image(heic, "turned.heic");
  ASSERT_TRUE(m) << m.error().message();
  expect_turned_clockwise(*m);
}

TEST(PhotoImage, TheKindComesFromTheBytesAndOnlyAcceptedKindsPass) {
  const std::string png = encode_image(half_red_picture(), ".png");
  EXPECT_TRUE(decode_image(png, "misnamed.jpg")) << "a PNG named .jpg is a PNG";
  EXPECT_EQ(decode_image("GIF89a......", "x.gif").error().message(),
            "x.gif: image: expected a JPEG, PNG, WebP or HEIC photo, found another kind of file");
  EXPECT_EQ(read_image_header(png, "x.png", {}, kind_bit(ImageKind::jpeg) | kind_bit(ImageKind::heic)).error().message(),
            "x.png: image: expected a JPEG or HEIC photo, found another kind of file");
}

TEST(PhotoImage, SizesOverTheLimitsAreRefusedFromTheHeader) {
  // A PNG header that declares 60,000 x 60,000 pixels, and nothing behind it.
  std::string png = encode_image(half_red_picture(), ".png");
  for (int at : {16, 20}) {
    png[at] = 0;
    png[at + 1] = 0;
    png[at + 2] = static_cast<char>(0xEA);
    png[at + 3] = 0x60;
  }
  const auto big = read_image_header(png, "bomb.png");
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().message(), "bomb.png: image: expected at most 50.0 megapixels and sides of at most 16384 pixels, "
                                   "found 60000 x 60000 (3600.0 megapixels)");
  ImageLimits small;
  small.max_side = 40;
  for (const std::string& file : {encode_image(half_red_picture(), ".webp"), encode_heic(half_red_picture()),
                                  encode_image(half_red_picture(), ".jpg")})
    EXPECT_FALSE(decode_image(file, "wide", small)) << "60 px wide is over a 40 px limit";
  small = {};
  small.max_bytes = 100;
  const auto bytes = decode_image(encode_image(half_red_picture(), ".png"), "x.png", small);
  EXPECT_NE(bytes.error().message().find("expected a file of at most 0 MiB"), std::string::npos) << bytes.error().message();
}

TEST(PhotoImage, TruncatedFilesOfEveryKindAreRefused) {
  for (const std::string& whole : {encode_image(half_red_picture(), ".jpg"), encode_image(half_red_picture(), ".png"),
                                   encode_image(half_red_picture(), ".webp"), encode_heic(half_red_picture())}) {
    const auto cut = decode_image(whole.substr(0, whole.size() * 2 / 3), "cut");
    ASSERT_FALSE(cut);
    EXPECT_EQ(cut.error().file, "cut");
    EXPECT_EQ(cut.error().field, "image");
  }
  // A HEIF brand in front of noise.
  std::string fake = encode_heic(half_red_picture()).substr(0, 32);
  fake.append(4000, 'x');
  EXPECT_NE(decode_image(fake, "fake.heic").error().message().find("libheif refused"), std::string::npos);
}

// A progressive JPEG is decoded scan by scan over the whole picture: a file of
// many scans is slow however small. shared/cases: jpeg-many-scans.
TEST(PhotoImage, AJpegOfMoreScansThanAnyEncoderWritesIsRefusedFromItsHeader) {
  cv::Mat picture(64, 64, CV_8UC3);
  cv::randu(picture, 0, 255);
  const std::string normal = testing::jpeg_with_scans(picture, 0);  // as the encoder wrote it
  const auto h = read_image_header(normal, "progressive.jpg");
  ASSERT_TRUE(h) << h.error().message();
  EXPECT_GE(h->scans, 6) << "libjpeg's progressive script has several scans";
  EXPECT_LE(h->scans, 12);
  EXPECT_TRUE(decode_image(normal, "progressive.jpg"));
  const std::string at_limit = testing::jpeg_with_scans(picture, 100);
  EXPECT_EQ(read_image_header(at_limit, "100.jpg")->scans, 100);
  EXPECT_TRUE(decode_image(at_limit, "100.jpg")) << "repeated refinement scans are valid, only slow";
  const std::string bomb = testing::jpeg_with_scans(picture, 30000);
  const auto refused = decode_image(bomb, "scans.jpg");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message(), "scans.jpg: image: expected a JPEG of at most 100 scans (slow to decode beyond), found more than 100 scans");
}

}  // namespace
}  // namespace stipple::photo
