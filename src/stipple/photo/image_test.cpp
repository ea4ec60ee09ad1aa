#include "stipple/photo/image.h"

#include <gtest/gtest.h>

#include <lcms2.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <zlib.h>

#include <cmath>

#include "stipple/photo/colour.h"

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

namespace stipple::photo {
namespace {

// A PNG of `bgr` with `icc` in an iCCP chunk right after IHDR (PNG spec 11.3.3.3).
std::string png_with_profile(const cv::Mat& bgr, const std::string& icc) {
  std::vector<unsigned char> png;
  cv::imencode(".png", bgr, png);
  std::string b(png.begin(), png.end());
  uLongf n = compressBound(static_cast<uLong>(icc.size()));
  std::string z(n, '\0');
  compress(reinterpret_cast<Bytef*>(z.data()), &n, reinterpret_cast<const Bytef*>(icc.data()), static_cast<uLong>(icc.size()));
  z.resize(n);
  const std::string data = std::string("P3\0\0", 4) + z;
  std::string chunk(4, '\0');
  for (int k = 0; k < 4; ++k) chunk[static_cast<std::size_t>(k)] = static_cast<char>(data.size() >> (24 - 8 * k) & 0xFF);
  std::string body = "iCCP" + data;
  const uLong crc = crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()));
  chunk += body;
  for (int k = 0; k < 4; ++k) chunk += static_cast<char>(crc >> (24 - 8 * k) & 0xFF);
  b.insert(33, chunk);  // after the signature (8) and IHDR (25)
  return b;
}

// A JPEG of `bgr` with `icc` in one APP2 ICC_PROFILE segment after SOI (ICC.1 annex B.4).
std::string jpeg_with_profile(const cv::Mat& bgr, const std::string& icc) {
  std::vector<unsigned char> jpg;
  cv::imencode(".jpg", bgr, jpg, {cv::IMWRITE_JPEG_QUALITY, 100});
  std::string b(jpg.begin(), jpg.end());
  const std::string payload = std::string("ICC_PROFILE\0", 12) + "\x01\x01" + icc;
  const std::size_t len = payload.size() + 2;
  std::string seg = "\xFF\xE2";
  seg += static_cast<char>(len >> 8), seg += static_cast<char>(len & 0xFF);
  b.insert(2, seg + payload);
  return b;
}

// Display P3 (SMPTE EG 432-1 primaries, D65 white, the sRGB curve) to sRGB,
// by the published linear-light matrix (e.g. W3C CSS Color 4, "display-p3").
cv::Vec3b p3_to_srgb(cv::Vec3b bgr) {
  const auto lin = [](double v) { v /= 255; return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
  const auto enc = [](double v) {
    v = std::clamp(v, 0.0, 1.0);
    return static_cast<unsigned char>(std::lround(255 * (v <= 0.0031308 ? 12.92 * v : 1.055 * std::pow(v, 1 / 2.4) - 0.055)));
  };
  const double r = lin(bgr[2]), g = lin(bgr[1]), b = lin(bgr[0]);
  return {enc(-0.0197 * r - 0.0786 * g + 1.0983 * b), enc(-0.0420 * r + 1.0419 * g + 0.0001 * b), enc(1.2249 * r - 0.2247 * g)};
}

const std::array<double, 8> kDisplayP3{0.680, 0.320, 0.265, 0.690, 0.150, 0.060, 0.3127, 0.3290};

TEST(PhotoColour, ADisplayP3PhotoIsConvertedToSrgbAsThePublishedMatrixSays) {
  const std::string p3 = rgb_profile(kDisplayP3);
  ASSERT_FALSE(p3.empty());
  for (const cv::Vec3b& c : {cv::Vec3b(90, 120, 180), cv::Vec3b(60, 140, 90), cv::Vec3b(128, 128, 128), cv::Vec3b(255, 255, 255)}) {
    const cv::Mat pic(8, 8, CV_8UC3, cv::Scalar(c[0], c[1], c[2]));
    const cv::Vec3b want = p3_to_srgb(c);
    for (const auto& [bytes, tolerance] : {std::pair{png_with_profile(pic, p3), 1}, {jpeg_with_profile(pic, p3), 3}}) {
      const auto got = decode_image(bytes, "p3");
      ASSERT_TRUE(got) << got.error().message();
      const cv::Vec3b g = got->at<cv::Vec3b>(4, 4);
      for (int k = 0; k < 3; ++k) EXPECT_NEAR(g[k], want[k], tolerance) << "channel " << k << " of " << c;
    }
  }
  // A skin tone in P3 is more saturated once read right: its red up, its blue down.
  const cv::Mat skin(8, 8, CV_8UC3, cv::Scalar(120, 150, 200));
  const cv::Vec3b s = decode_image(png_with_profile(skin, p3), "p3")->at<cv::Vec3b>(0, 0);
  EXPECT_GT(s[2], 205);
  EXPECT_LT(s[0], 118);
}

TEST(PhotoColour, SrgbAndDamagedProfilesLeaveThePixelsAsTheyAre) {
  const cv::Mat pic(8, 8, CV_8UC3, cv::Scalar(90, 120, 180));
  cmsHPROFILE srgb = cmsCreate_sRGBProfile();
  cmsUInt32Number size = 0;
  cmsSaveProfileToMem(srgb, nullptr, &size);
  std::string icc(size, '\0');
  cmsSaveProfileToMem(srgb, icc.data(), &size);
  cmsCloseProfile(srgb);
  const std::string damaged = "not a colour profile at all, but 48 bytes long...";
  for (const std::string& profile : {icc, damaged}) {
    const auto got = decode_image(png_with_profile(pic, profile), "s");
    ASSERT_TRUE(got);
    const cv::Vec3b g = got->at<cv::Vec3b>(4, 4);
    EXPECT_NEAR(g[0], 90, 1);
    EXPECT_NEAR(g[1], 120, 1);
    EXPECT_NEAR(g[2], 180, 1);
  }
}

TEST(PhotoColour, TransparencyIsRefusedWithAMessageAndAnOpaqueAlphaIsDropped) {
  cv::Mat bgra(16, 16, CV_8UC4, cv::Scalar(90, 120, 180, 255));
  std::vector<unsigned char> png;
  cv::imencode(".png", bgra, png);
  const auto opaque = decode_image(std::string(png.begin(), png.end()), "opaque.png");
  ASSERT_TRUE(opaque) << opaque.error().message();
  EXPECT_EQ(opaque->type(), CV_8UC3);
  EXPECT_EQ(opaque->at<cv::Vec3b>(3, 3), cv::Vec3b(90, 120, 180));
  bgra(cv::Rect(0, 0, 8, 8)).setTo(cv::Scalar(0, 0, 0, 0));
  png.clear();
  cv::imencode(".png", bgra, png);
  const auto seethrough = decode_image(std::string(png.begin(), png.end()), "cutout.png");
  ASSERT_FALSE(seethrough);
  EXPECT_EQ(seethrough.error().message(),
            "cutout.png: image: expected a photo without transparency (flatten it onto a background first), "
            "found see-through pixels (25.0% of the picture)");
  // The same in a WebP with alpha.
  std::vector<unsigned char> webp;
  cv::imencode(".webp", bgra, webp, {cv::IMWRITE_WEBP_QUALITY, 101});
  EXPECT_FALSE(decode_image(std::string(webp.begin(), webp.end()), "cutout.webp"));
}

}  // namespace
}  // namespace stipple::photo
