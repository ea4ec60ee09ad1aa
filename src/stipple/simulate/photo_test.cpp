// The composite on a client's photo: reading photos safely, the region file,
// and the composite itself on synthetic photos (tests/test_photos.h) and on a
// real photograph from a Debian package when it has been fetched.
#include "stipple/simulate/photo.h"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "stipple/design/design_json.h"
#include "stipple/io/files.h"
#include "test_photos.h"

namespace stipple::simulate {
namespace {

std::string as_string(const std::vector<unsigned char>& v) { return {v.begin(), v.end()}; }

std::string encode(const cv::Mat& m, const std::string& ext) {
  std::vector<unsigned char> buf;
  cv::imencode(ext, m, buf);
  return as_string(buf);
}

TEST(PhotoRead, RefusesOversizedTruncatedAndForeignFilesBeforeDecoding) {
  // A PNG that declares 60,000 x 60,000 pixels (3.6 gigapixels): refused from its header.
  std::string bomb = encode(cv::Mat(8, 8, CV_8UC3, cv::Scalar::all(90)), ".png");
  bomb[16] = 0, bomb[17] = 0, bomb[18] = '\xEA', bomb[19] = '\x60';
  bomb[20] = 0, bomb[21] = 0, bomb[22] = '\xEA', bomb[23] = '\x60';
  auto r = decode_photo(bomb, "bomb.png");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(),
            "bomb.png: image: expected at most 50.0 megapixels and sides of at most 16384 pixels, "
            "found 60000 x 60000 (3600.0 megapixels)");

  cv::Mat noise(300, 400, CV_8UC3);
  cv::randu(noise, 0, 255);
  const std::string jpg = encode(noise, ".jpg"), png = encode(noise, ".png");
  ASSERT_TRUE(decode_photo(jpg, "ok.jpg"));
  ASSERT_TRUE(decode_photo(png, "ok.png"));
  for (const std::size_t keep : {jpg.size() / 2, jpg.size() - 2, std::size_t{200}, std::size_t{5}}) {
    auto t = decode_photo(jpg.substr(0, keep), "cut.jpg");
    ASSERT_FALSE(t) << keep;
    EXPECT_NE(t.error().message().find("cut.jpg: image: expected a complete JPEG file"), std::string::npos)
        << t.error().message();
  }
  auto tp = decode_photo(png.substr(0, png.size() / 2), "cut.png");
  ASSERT_FALSE(tp);
  EXPECT_NE(tp.error().message().find("a complete PNG file"), std::string::npos);
  auto gif = decode_photo("GIF89a....", "x.gif");
  ASSERT_FALSE(gif);
  EXPECT_EQ(gif.error().message(), "x.gif: image: expected a JPEG, PNG, WebP or HEIC photo, found another kind of file");
  // A file with a good header and garbage where the pixels should be.
  std::string garbage = png;
  for (std::size_t i = 60; i < garbage.size() - 12; ++i) garbage[i] = static_cast<char>(i * 31);
  EXPECT_FALSE(decode_photo(garbage, "garbage.png"));
}

// Thousands of damaged photos (bit flips, cuts, inserted and deleted bytes,
// changed dimensions) through the reader: each is decoded within the limits or
// refused with one line, never a crash (this runs under ASan+UBSan in CI).
TEST(PhotoRead, DamagedPhotosAreDecodedOrRefusedNeverCrash) {
  cv::Mat img(48, 64, CV_8UC3);
  cv::randu(img, 0, 255);
  std::vector<unsigned char> jpg;
  cv::imencode(".jpg", img, jpg);
  const std::string seeds[] = {as_string(testing::with_exif_orientation(jpg, 8)), encode(img, ".png")};
  cv::RNG rng(7);
  int decoded = 0, refused = 0;
  for (int round = 0; round < 1500; ++round) {
    std::string b = seeds[round % 2];
    const int edits = 1 + rng.uniform(0, 4);
    for (int e = 0; e < edits && !b.empty(); ++e) {
      const auto at = static_cast<std::size_t>(rng.uniform(0, static_cast<int>(b.size())));
      switch (rng.uniform(0, 5)) {
        case 0: b[at] = static_cast<char>(b[at] ^ (1 << rng.uniform(0, 8))); break;
        case 1: b.resize(at); break;
        case 2: b.insert(at, 1, static_cast<char>(rng.uniform(0, 256))); break;
        case 3: b.erase(at, 1); break;
        case 4: b[std::min(b.size() - 1, std::size_t{16} + at % 8)] = static_cast<char>(0xFF); break;  // dimensions
      }
    }
    const auto r = decode_photo(b, "damaged");
    if (r) {
      ++decoded;
      EXPECT_LE(static_cast<std::int64_t>(r->cols) * r->rows, kMaxPhotoPixels);
    } else {
      ++refused;
      EXPECT_EQ(r.error().message().find('\n'), std::string::npos);
    }
  }
  EXPECT_GT(refused, 300);
  EXPECT_GT(decoded, 50);
}

TEST(PhotoRead, TwentyFourMegapixelsDecode) {
  cv::Mat big(4000, 6000, CV_8UC3, cv::Scalar(120, 140, 180));
  cv::randu(big(cv::Rect(0, 0, 600, 400)), 0, 255);
  const auto r = decode_photo(encode(big, ".jpg"), "24mp.jpg");
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->cols, 6000);
  EXPECT_EQ(r->rows, 4000);
}

TEST(PhotoRead, ExifOrientationIsHonoured) {
  // 60 wide x 30 tall, left half red. Orientation 6: shown turned 90 degrees
  // clockwise, so the picture is 30 wide x 60 tall with red at the top.
  cv::Mat img(30, 60, CV_8UC3, cv::Scalar(255, 255, 255));
  img(cv::Rect(0, 0, 30, 30)).setTo(cv::Scalar(0, 0, 255));
  std::vector<unsigned char> jpg;
  cv::imencode(".jpg", img, jpg);
  const auto r = decode_photo(as_string(testing::with_exif_orientation(jpg, 6)), "turned.jpg");
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_EQ(r->cols, 30);
  ASSERT_EQ(r->rows, 60);
  const cv::Vec3b top = r->at<cv::Vec3b>(10, 15), bottom = r->at<cv::Vec3b>(50, 15);
  EXPECT_GT(top[2], 200);
  EXPECT_LT(top[1], 60);
  EXPECT_GT(bottom[1], 200);
  // Without the tag the picture stays as stored.
  const auto plain = decode_photo(as_string(jpg), "plain.jpg");
  EXPECT_EQ(plain->cols, 60);
}

TEST(PhotoRegion, ReadsTheFileAndNamesEveryBadField) {
  const std::string good = R"({"format": "stipple.photo-region/1", "view": "front",
    "polygon": [[10, 10], [200, 12], [190, 150], [20, 140]], "mask": "m.png",
    "head": [[5, 80], [300, 82]], "scale": {"from": [0, 0], "to": [100, 0], "mm": 25}})";
  const auto r = parse_photo_region(good, "r.json");
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->view, View::front);
  EXPECT_EQ(r->polygon.size(), 4u);
  EXPECT_EQ(r->mask, "m.png");
  EXPECT_DOUBLE_EQ(*r->scale_mm, 25);
  const std::pair<std::string, std::string> bad[] = {
      {R"({"format": "x"})", "r.json: format: expected \"stipple.photo-region/1\", found \"x\""},
      {R"({"format": "stipple.photo-region/1", "polygon": [[0, 0], [5, 5]], "head": [[0, 0], [50, 0]]})",
       "r.json: polygon: expected an array of 3 to 10,000 points [x, y], found an array"},
      {R"({"format": "stipple.photo-region/1", "polygon": [[0, 0], [50, 0], [50, "a"]], "head": [[0, 0], [50, 0]]})",
       "r.json: polygon[2]: expected a point [x, y] in photo pixels, found an array"},
      {R"({"format": "stipple.photo-region/1", "polygon": [[0, 0], [50, 0], [50, 50]]})",
       "r.json: head: expected two points [[x, y], [x, y]]: the ends of the head's outline across the picture (or landmarks), found nothing"},
      {R"({"format": "stipple.photo-region/1", "polygon": [[0, 0], [50, 0], [50, 50]], "head": [[0, 0], [50, 0]], "polygn": 1})",
       "r.json: polygn: expected a known field (did you mean \"polygon\"?), found an unknown field"},
      {R"({"format": "stipple.photo-region/1", "polygon": [[0, 0], [50, 0], [50, 50]], "head": [[0, 0], [50, 0]],
          "scale": {"from": [0, 0], "to": [100, 0], "mm": 0}})",
       "r.json: scale.mm: expected the distance between the points, 5 to 500 mm, found 0"},
      {R"({"format": "stipple.photo-region/1", "view": "above", "polygon": [[0, 0], [50, 0], [50, 50]], "head": [[0, 0], [50, 0]]})",
       "r.json: view: expected top, front, back, left, right or three_quarter, found \"above\""},
  };
  for (const auto& [text, message] : bad) {
    const auto e = parse_photo_region(text, "r.json");
    ASSERT_FALSE(e) << text;
    EXPECT_EQ(e.error().message(), message);
  }
}

struct Client {
  design::Design design;
  std::unique_ptr<scalp::Anatomy> anatomy;
  pattern::Pattern pattern;
};

const Client& sample_client() {
  static const Client c = [] {
    Client k;
    const auto text = io::read_input(std::string(STIPPLE_SOURCE_DIR) + "/docs/examples/sample-client.design.json", 1 << 20, std::cin);
    k.design = *design::read_design(*text, "sample-client.design.json");
    k.anatomy = std::make_unique<scalp::Anatomy>(*design::build_anatomy(k.design));
    k.pattern = *pattern::make_pattern(k.design, *k.anatomy, {});
    return k;
  }();
  return c;
}

PhotoRegion region_for(const testing::TestPhoto& t, View v) {
  PhotoRegion r;
  r.view = v;
  r.polygon = t.scalp;
  r.head = std::pair{t.head_from, t.head_to};
  return r;
}

double mean_luma(const cv::Mat& img, const cv::Mat& mask) {
  cv::Mat grey;
  cv::cvtColor(img, grey, cv::COLOR_BGR2GRAY);
  return cv::mean(grey, mask)[0];
}

TEST(PhotoComposite, SyntheticPhotosKeepEveryPixelOutsideTheRegionAndDarkenInside) {
  const Client& c = sample_client();
  for (int variant = 0; variant < 3; ++variant) {
    SCOPED_TRACE(variant);
    const testing::TestPhoto t = testing::synthetic_photo(c.design, *c.anatomy, View::top, 900, 700, variant);
    const PhotoRegion region = region_for(t, View::top);
    PhotoOptions o;
    o.stage = {Stage::Kind::healed, 0};
    const auto r = composite_photo(c.design, *c.anatomy, c.pattern.dots, c.pattern.sessions, t.image, region, {}, "r.json", o);
    ASSERT_TRUE(r) << r.error().message();
    if (const char* dir = std::getenv("STIPPLE_TEST_PICTURES"))
      cv::imwrite(std::string(dir) + "/photo-synthetic-" + std::to_string(variant) + ".png", r->image);
    ASSERT_EQ(r->image.size(), t.image.size());
    cv::Mat inside(t.image.size(), CV_8UC1, cv::Scalar::all(0));
    std::vector<cv::Point> pts;
    for (const auto& p : t.scalp) pts.emplace_back(cvRound(p.x * 16), cvRound(p.y * 16));
    cv::fillPoly(inside, std::vector<std::vector<cv::Point>>{pts}, cv::Scalar(255), cv::LINE_8, 4);
    // Outside the region: every byte as it was.
    cv::Mat diff;
    cv::absdiff(r->image, t.image, diff);
    cv::Mat changed;
    cv::cvtColor(diff, changed, cv::COLOR_BGR2GRAY);
    changed.setTo(0, inside);
    EXPECT_EQ(cv::countNonZero(changed), 0);
    // Inside: darker by the dots, and many dots (the top of a Norwood V).
    EXPECT_LT(mean_luma(r->image, inside), mean_luma(t.image, inside) - 3);
    EXPECT_GT(r->meta.visible_dots, 2000u);
    // The skin is the design's type III, whatever the camera did (within one type).
    ASSERT_TRUE(r->skin);
    EXPECT_NEAR(r->skin->fitzpatrick, 3, 1) << r->skin->category << " ITA " << r->skin->ita_deg;
    EXPECT_GT(r->suggested.water_percent, 0);
  }
}

// Skin is measured on skin only, and a photo without colour claims no skin
// type (contract: the photo's skin is absent when it cannot be measured).
TEST(PhotoComposite, SkinOnSkinOnlyAndNoSkinTypeFromABlackAndWhitePhoto) {
  const Client& c = sample_client();
  const testing::TestPhoto t = testing::synthetic_photo(c.design, *c.anatomy, View::top, 640, 480, 0);
  PhotoRegion region;
  region.view = View::top;
  region.polygon = t.scalp;
  region.head = std::pair{t.head_from, t.head_to};
  PhotoOptions o;
  o.stage = {Stage::Kind::healed, 0};
  const auto colour = composite_photo(c.design, *c.anatomy, c.pattern.dots, c.pattern.sessions, t.image, region, {}, "r.json", o);
  ASSERT_TRUE(colour && colour->skin);
  // A grey cap over half the region changes nothing: grey is not skin.
  cv::Mat capped = t.image.clone();
  std::vector<cv::Point> outline;
  for (const cv::Point2d& q : t.scalp) outline.emplace_back(cvRound(q.x), cvRound(q.y));
  const cv::Rect box = cv::boundingRect(outline);
  capped(cv::Rect(box.x, box.y, box.width / 2, box.height)).setTo(cv::Scalar(128, 128, 128));
  const auto cap = composite_photo(c.design, *c.anatomy, c.pattern.dots, c.pattern.sessions, capped, region, {}, "r.json", o);
  ASSERT_TRUE(cap && cap->skin);
  EXPECT_NEAR(cap->skin->L, colour->skin->L, 2.0);
  EXPECT_NEAR(cap->skin->b, colour->skin->b, 2.0);
  EXPECT_EQ(cap->skin->fitzpatrick, colour->skin->fitzpatrick);
  // The same photo in black and white: no skin, a warning, the design's pigment.
  cv::Mat grey, bw;
  cv::cvtColor(t.image, grey, cv::COLOR_BGR2GRAY);
  cv::cvtColor(grey, bw, cv::COLOR_GRAY2BGR);
  const auto mono = composite_photo(c.design, *c.anatomy, c.pattern.dots, c.pattern.sessions, bw, region, {}, "r.json", o);
  ASSERT_TRUE(mono);
  EXPECT_FALSE(mono->skin);
  ASSERT_FALSE(mono->warnings.empty());
  EXPECT_NE(mono->warnings.front().find("no colour"), std::string::npos);
  EXPECT_EQ(mono->suggested.shade, design::pigment_for(c.design.pigment.hair_color, c.design.pigment.fitzpatrick).shade);
  const io::Json m = photo_meta_json(*mono);
  EXPECT_FALSE(m.contains("skin"));
  EXPECT_TRUE(m.contains("warnings"));
}

// Clicked landmarks fit the head however it is turned: a head 20 degrees off
// the front and tipped forward is found again, and its hairline lands where it
// belongs; two landmarks (which any turn fits) keep the contract view.
TEST(PhotoComposite, LandmarksFitAHeadTurnedBetweenViews) {
  const Client& c = sample_client();
  const scalp::Anatomy& a = *c.anatomy;
  const scalp::Ellipsoid& e = a.head().vault();
  const detail::Camera view = detail::camera_for(View::front, e, 1600, 1200);
  detail::Camera truth = turned_camera(view, e.center, 20 * kPi / 180, -8 * kPi / 180);
  truth.sa = 0.8 * std::cos(0.1), truth.sb = 0.8 * std::sin(0.1), truth.tx = 30, truth.ty = -15;
  const scalp::Landmarks& l = a.landmarks();
  const auto seen = [&](const detail::Camera& cam, Vec3 p) {
    double x = 0, y = 0;
    EXPECT_TRUE(cam.project(p, x, y));
    return cv::Point2d(x, y);
  };
  std::vector<std::pair<PhotoLandmark, cv::Point2d>> marks{{PhotoLandmark::glabella, seen(truth, l.glabella)},
                                                           {PhotoLandmark::nasion, seen(truth, l.nasion)},
                                                           {PhotoLandmark::ear_right, seen(truth, l.ear_canal_right)},
                                                           {PhotoLandmark::vertex, seen(truth, l.vertex)}};
  const LandmarkFit fit = fit_landmarks(a, view, marks, std::nullopt);
  EXPECT_NEAR(fit.yaw_deg, 20, 1.5);
  EXPECT_NEAR(fit.pitch_deg, -8, 1.5);
  EXPECT_LT(fit.rms_px, 2.0);
  const cv::Point2d hairline = seen(fit.camera, l.trichion_juvenile), true_hairline = seen(truth, l.trichion_juvenile);
  EXPECT_LT(cv::norm(hairline - true_hairline), 3.0) << hairline << " " << true_hairline;
  // The old two-point fit cannot know the turn; two landmarks keep the view and fit exactly.
  const LandmarkFit two = fit_landmarks(a, view, {marks[0], marks[3]}, std::nullopt);
  EXPECT_EQ(two.yaw_deg, 0);
  EXPECT_EQ(two.pitch_deg, 0);
  EXPECT_LT(two.rms_px, 0.5);
  // The region file: landmarks by name, at least two, no misspelt ones.
  const auto region = parse_photo_region(R"({"format": "stipple.photo-region/1", "view": "front",
      "polygon": [[100, 100], [300, 100], [300, 300]], "landmarks": {"glabella": [200, 400], "vertex": [210, 80]}})", "r.json");
  ASSERT_TRUE(region) << region.error().message();
  EXPECT_FALSE(region->head);
  EXPECT_EQ(region->landmarks.size(), 2u);
  const auto misspelt = parse_photo_region(R"({"format": "stipple.photo-region/1",
      "polygon": [[100, 100], [300, 100], [300, 300]], "landmarks": {"glabela": [200, 400], "vertex": [210, 80]}})", "r.json");
  ASSERT_FALSE(misspelt);
  EXPECT_NE(misspelt.error().message().find("landmarks.glabela"), std::string::npos) << misspelt.error().message();
  EXPECT_NE(misspelt.error().message().find("glabella"), std::string::npos);
  const auto one = parse_photo_region(R"({"format": "stipple.photo-region/1",
      "polygon": [[100, 100], [300, 100], [300, 300]], "landmarks": {"vertex": [210, 80]}})", "r.json");
  ASSERT_FALSE(one);
  EXPECT_EQ(one.error().message(), "r.json: landmarks: expected at least two landmarks, found an object");
}

TEST(PhotoComposite, DotsLandWhereTheRenderPutsThemAndScaleFromTwoPointsAgrees) {
  // On a photo made by the renderer itself the fitted head is the renderer's:
  // the composite's dots must darken the same pixels the render darkens.
  const Client& c = sample_client();
  const testing::TestPhoto t = testing::synthetic_photo(c.design, *c.anatomy, View::top, 800, 800, 0);
  PhotoRegion region = region_for(t, View::top);
  PhotoOptions o;
  o.stage = {Stage::Kind::healed, 0};
  const auto r = composite_photo(c.design, *c.anatomy, c.pattern.dots, c.pattern.sessions, t.image, region, {}, "r.json", o);
  ASSERT_TRUE(r);
  RenderOptions ro;
  ro.view = View::top;
  ro.width = ro.height = 800;
  ro.stage = o.stage;
  const Rendered healed = render_head(c.design, *c.anatomy, c.pattern.dots, c.pattern.sessions, ro);
  ro.stage = {Stage::Kind::before, 0};
  const Rendered before = render_head(c.design, *c.anatomy, c.pattern.dots, c.pattern.sessions, ro);
  cv::Mat a, b, ga, gb;
  cv::absdiff(healed.image, before.image, a);
  cv::absdiff(r->image, t.image, b);
  cv::cvtColor(a, ga, cv::COLOR_BGR2GRAY);
  cv::cvtColor(b, gb, cv::COLOR_BGR2GRAY);
  cv::Mat inside(t.image.size(), CV_8UC1, cv::Scalar::all(0));
  std::vector<cv::Point> pts;
  for (const auto& p : t.scalp) pts.emplace_back(cvRound(p.x), cvRound(p.y));
  cv::fillPoly(inside, std::vector<std::vector<cv::Point>>{pts}, cv::Scalar(255));
  cv::erode(inside, inside, cv::Mat(), {-1, -1}, 3);
  // Compared at the scale of a dot (1 mm): the fitted head sits within a
  // pixel or two of the true one, not exactly on it.
  cv::Mat fa, fb;
  ga.convertTo(fa, CV_32F);
  gb.convertTo(fb, CV_32F);
  const double sigma = r->meta.px_per_mm;
  cv::GaussianBlur(fa, fa, {0, 0}, sigma);
  cv::GaussianBlur(fb, fb, {0, 0}, sigma);
  cv::Mat w;
  inside.convertTo(w, CV_32F, 1.0 / 255);
  const double corr = cv::sum(fa.mul(fb).mul(w))[0] / std::sqrt(cv::sum(fa.mul(fa).mul(w))[0] * cv::sum(fb.mul(fb).mul(w))[0]);
  EXPECT_GT(corr, 0.8) << "the composite's dots and the render's dots should coincide; head "
                        << t.head_from << " " << t.head_to << " px/mm " << r->meta.px_per_mm << " " << healed.meta.px_per_mm;
  // A scale given by two points 100 mm apart at the render's own scale gives the same picture scale.
  region.scale_mm = 100;
  region.scale_from = {100, 100};
  region.scale_to = {100 + 100 * r->meta.px_per_mm, 100};
  const auto s = composite_photo(c.design, *c.anatomy, c.pattern.dots, c.pattern.sessions, t.image, region, {}, "r.json", o);
  ASSERT_TRUE(s);
  EXPECT_NEAR(s->meta.px_per_mm, r->meta.px_per_mm, 0.01 * r->meta.px_per_mm);
  EXPECT_NEAR(static_cast<double>(s->meta.visible_dots), static_cast<double>(r->meta.visible_dots), 0.02 * static_cast<double>(r->meta.visible_dots));
}

TEST(PhotoComposite, MaskNarrowsTheRegionAndBeforeChangesNothing) {
  const Client& c = sample_client();
  const testing::TestPhoto t = testing::synthetic_photo(c.design, *c.anatomy, View::top, 600, 600, 1);
  const PhotoRegion region = region_for(t, View::top);
  PhotoOptions o;
  o.stage = {Stage::Kind::before, 0};
  const auto before = composite_photo(c.design, *c.anatomy, c.pattern.dots, c.pattern.sessions, t.image, region, {}, "r.json", o);
  ASSERT_TRUE(before);
  EXPECT_EQ(cv::norm(before->image, t.image, cv::NORM_INF), 0);
  EXPECT_EQ(before->meta.visible_dots, 0u);
  // A mask keeping only the left half of the picture.
  cv::Mat mask(t.image.size(), CV_8UC1, cv::Scalar::all(0));
  mask(cv::Rect(0, 0, 300, 600)).setTo(255);
  o.stage = {Stage::Kind::healed, 0};
  const auto half = composite_photo(c.design, *c.anatomy, c.pattern.dots, c.pattern.sessions, t.image, region, mask, "r.json", o);
  const auto whole = composite_photo(c.design, *c.anatomy, c.pattern.dots, c.pattern.sessions, t.image, region, {}, "r.json", o);
  ASSERT_TRUE(half && whole);
  EXPECT_EQ(cv::norm(half->image(cv::Rect(300, 0, 300, 600)), t.image(cv::Rect(300, 0, 300, 600)), cv::NORM_INF), 0);
  EXPECT_NEAR(static_cast<double>(half->meta.visible_dots), 0.5 * static_cast<double>(whole->meta.visible_dots),
              0.15 * static_cast<double>(whole->meta.visible_dots));
  // A mask of another size is refused, naming the field.
  const auto bad = composite_photo(c.design, *c.anatomy, c.pattern.dots, c.pattern.sessions, t.image, region,
                                   cv::Mat(10, 10, CV_8UC1), "r.json", o);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message(), "r.json: mask: expected an image of the photo's size, 600 x 600, found 10 x 10");
}

}  // namespace
}  // namespace stipple::simulate

namespace stipple::simulate {
namespace {

// A real photograph: NASA's portrait of astronaut Eileen Collins (public
// domain), shipped in Debian's python3-skimage as scikit-image sample data and
// fetched by tools/test-photo.sh. A front view at about 0.6 px/mm, so single
// dots are below a pixel: the test is that the composite behaves on a real
// camera file (profile chunk, real skin, real light), not that dots resolve.
TEST(PhotoComposite, RealPhotographFromADebianPackage) {
  const std::string path = std::string(STIPPLE_SOURCE_DIR) + "/.cache/test-data/astronaut.png";
  const auto bytes = io::read_input(path, kMaxPhotoBytes, std::cin);
  if (!bytes) GTEST_SKIP() << "no " << path << " (tools/test-photo.sh fetches it from Debian's python3-skimage)";
  const auto photo = decode_photo(*bytes, path);
  ASSERT_TRUE(photo) << photo.error().message();
  ASSERT_EQ(photo->size(), cv::Size(512, 512));
  const auto region = parse_photo_region(R"({"format": "stipple.photo-region/1", "view": "front",
    "polygon": [[178, 118], [180, 80], [196, 58], [222, 48], [250, 52], [270, 68], [278, 110], [272, 122],
                [250, 116], [225, 113], [200, 116]],
    "head": [[178, 125], [272, 125]]})", "astronaut.region.json");
  ASSERT_TRUE(region) << region.error().message();
  const Client& c = sample_client();
  PhotoOptions o;
  o.stage = {Stage::Kind::healed, 0};
  const auto r = composite_photo(c.design, *c.anatomy, c.pattern.dots, c.pattern.sessions, *photo, *region, {}, "astronaut.region.json", o);
  ASSERT_TRUE(r) << r.error().message();
  if (const char* dir = std::getenv("STIPPLE_TEST_PICTURES")) {
    cv::Mat pair, a = (*photo)(cv::Rect(140, 20, 200, 160)), b = r->image(cv::Rect(140, 20, 200, 160));
    cv::hconcat(a, b, pair);
    cv::resize(pair, pair, {}, 3, 3, cv::INTER_NEAREST);
    cv::imwrite(std::string(dir) + "/photo-astronaut.png", pair);
  }
  EXPECT_GT(r->meta.visible_dots, 1000u);
  EXPECT_NEAR(r->meta.px_per_mm, 0.6, 0.1);
  // Her skin (with some hair in the region): light to intermediate. At 0.6
  // px/mm the composite says it shows the shade, not the dots.
  ASSERT_TRUE(r->skin);
  EXPECT_GT(r->skin->ita_deg, 10);
  EXPECT_LT(r->skin->ita_deg, 55);
  ASSERT_FALSE(r->warnings.empty());
  EXPECT_NE(r->warnings.back().find("px/mm"), std::string::npos);
  cv::Mat inside(512, 512, CV_8UC1, cv::Scalar::all(0));
  std::vector<cv::Point> pts;
  for (const auto& p : region->polygon) pts.emplace_back(cvRound(p.x * 16), cvRound(p.y * 16));
  cv::fillPoly(inside, std::vector<std::vector<cv::Point>>{pts}, cv::Scalar(255), cv::LINE_8, 4);
  cv::Mat diff, grey;
  cv::absdiff(r->image, *photo, diff);
  cv::cvtColor(diff, grey, cv::COLOR_BGR2GRAY);
  grey.setTo(0, inside);
  EXPECT_EQ(cv::countNonZero(grey), 0);
  // The treated top of a Norwood V seen from the front is steeply inclined:
  // its dots crowd into the upper band of the region and darken it a little.
  EXPECT_LT(mean_luma(r->image, inside), mean_luma(*photo, inside) - 0.5);
  cv::Mat changed;
  cv::absdiff(r->image, *photo, diff);
  cv::cvtColor(diff, changed, cv::COLOR_BGR2GRAY);
  EXPECT_GT(cv::countNonZero(changed), 500);
}

}  // namespace
}  // namespace stipple::simulate
