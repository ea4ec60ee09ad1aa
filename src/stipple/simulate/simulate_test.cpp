#include "stipple/simulate/render.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <memory>

#include "stipple/design/design.h"
#include "stipple/pattern/pattern.h"
#include "stipple/scalp/face.h"
#include "stipple/scalp/geodesic.h"
#include "stipple/scalp/hair_loss.h"
#include "stipple/simulate/splat.h"
#include "test_clients.h"

namespace stipple::simulate {
namespace {

using Client = testing::TestClient;

// A Norwood V shaved design and its pattern.
const Client& client() { return testing::test_client(assess::Norwood::V, 42); }

Rendered render(Stage s, View v, int size, Sun sun = Sun::moderate, int threads = 2) {
  RenderOptions o;
  o.stage = s;
  o.view = v;
  o.width = o.height = size;
  o.sun = sun;
  o.threads = threads;
  return render_head(client().d, client().a, client().p.dots, client().p.sessions, o);
}

// Linear-light luminance of an 8-bit BGR image, per pixel.
cv::Mat luminance(const cv::Mat& bgr) {
  cv::Mat out(bgr.size(), CV_64FC1);
  const auto lin = [](double c) { c /= 255; return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); };
  for (int y = 0; y < bgr.rows; ++y)
    for (int x = 0; x < bgr.cols; ++x) {
      const cv::Vec3b p = bgr.at<cv::Vec3b>(y, x);
      out.at<double>(y, x) = 0.0722 * lin(p[0]) + 0.7152 * lin(p[1]) + 0.2126 * lin(p[2]);
    }
  return out;
}

// Mean fraction of light the dots take away over the pixels where they are.
double darkening(const Rendered& before, const Rendered& after) {
  const cv::Mat b = luminance(before.image), a = luminance(after.image);
  double lost = 0, base = 0;
  for (int y = 0; y < b.rows; ++y)
    for (int x = 0; x < b.cols; ++x) {
      lost += b.at<double>(y, x) - a.at<double>(y, x);
      base += b.at<double>(y, x);
    }
  return lost / base;
}

// Ein(z) = gamma + ln z + E1(z) for z > 0 (Abramowitz & Stegun 5.1.39); the
// values below are from that identity and tabulated E1 (A&S table 5.1).
TEST(Splat, EinAndItsInverseMatchTabulatedValues) {
  EXPECT_NEAR(detail::ein(1.0), 0.7965995992970531, 1e-6);
  EXPECT_NEAR(detail::ein(2.0), 1.3192633561695393, 1e-6);
  EXPECT_NEAR(detail::ein(10.0), 2.8798049148645087, 1e-6);
  EXPECT_NEAR(detail::ein(0.01), 0.0099750555, 1e-3 * 0.01);
  EXPECT_NEAR(detail::ein(20.0), 0.5772156649015329 + std::log(20.0) + 9.8355252906498816e-11, 1e-9);
  EXPECT_EQ(detail::ein(0.0), 0.0);
  for (const double z : {0.05, 0.5, 2.0, 6.0})
    EXPECT_NEAR(detail::ein_inverse(detail::ein(z)), z, 1e-4 * z) << z;
}

// e^-x at optical densities from none to far beyond any dot's (the transmittance
// of pigment), against the library's double-precision exponential.
TEST(Splat, TransmittanceIsTheExponentialWithinTwoMillionths) {
  EXPECT_EQ(detail::transmittance(0.0f), 1.0f);
  EXPECT_NEAR(detail::transmittance(1.0f), 0.36787944117144233, 0.36787944117144233 * 2e-6);
  EXPECT_NEAR(detail::transmittance(2.5f), 0.0820849986238988, 0.0820849986238988 * 2e-6);
  double worst = 0;
  for (int i = 0; i <= 40000; ++i) {
    const float x = static_cast<float>(i) * 0.001f;
    const double exact = std::exp(-static_cast<double>(x));
    worst = std::max(worst, std::abs(detail::transmittance(x) - exact) / exact);
  }
  EXPECT_LT(worst, 2e-6);
  // Beyond e^-87 (2^-126, the smallest normal float) it stays there instead of
  // wrapping round.
  EXPECT_GE(detail::transmittance(200.0f), 0.0f);
  EXPECT_LT(detail::transmittance(200.0f), 1.2e-38f);
}

// CIEDE2000 against the supplementary test data of Sharma, Wu and Dalal
// (Color Res Appl 30, 2005, table 1): pairs 1, 7, 13, 15 and 16 (hues either
// side of the half turn; pair 14 sits exactly on it, where rounding decides),
// 17, 25 and 34.
TEST(Colour, Ciede2000MatchesSharmasTestData) {
  struct Pair {
    std::array<double, 3> a, b;
    double de;
  };
  const Pair pairs[] = {{{50, 2.6772, -79.7751}, {50, 0, -82.7485}, 2.0425},
                        {{50, 0, 0}, {50, -1, 2}, 2.3669},
                        {{50, 2.49, -0.001}, {50, -2.49, 0.0009}, 7.1792},
                        {{50, 2.49, -0.001}, {50, -2.49, 0.0011}, 7.2195},
                        {{50, 2.49, -0.001}, {50, -2.49, 0.0012}, 7.2195},
                        {{50, 2.5, 0}, {73, 25, -18}, 27.1492},
                        {{60.2574, -34.0099, 36.2677}, {60.4626, -34.1751, 39.4387}, 1.2644},
                        {{2.0776, 0.0795, -1.1350}, {0.9033, -0.0636, -0.5514}, 0.9082}};
  for (const Pair& p : pairs) {
    EXPECT_NEAR(detail::delta_e00(p.a, p.b), p.de, 1e-4);
    EXPECT_NEAR(detail::delta_e00(p.b, p.a), p.de, 1e-4);  // symmetric
  }
  EXPECT_EQ(detail::delta_e00({40, 10, 10}, {40, 10, 10}), 0.0);
}

TEST(Stage, NamesRoundTripAndBadOnesAreRefused) {
  for (const char* s : {"before", "fresh", "session-1", "session-4", "healed", "years-0", "years-30"})
    EXPECT_EQ(parse_stage(s)->name(), s);
  for (const char* s : {"", "session-0", "session-5", "years--1", "years-31", "years-2x", "Healed", "session-"})
    EXPECT_FALSE(parse_stage(s)) << s;
}

TEST(Fading, TouchUpFallsInTheBriefsThreeToEightYears) {
  // Brief section 7: a touch-up after 3-8 years, earlier with strong sun.
  EXPECT_NEAR(touch_up_years(Sun::moderate, 3), 5.0, 1e-9);
  for (Sun s : {Sun::low, Sun::moderate, Sun::high})
    for (int f = 1; f <= 6; ++f) {
      EXPECT_GE(touch_up_years(s, f), 3.0);
      EXPECT_LE(touch_up_years(s, f), 8.0);
      EXPECT_NEAR(contrast_after(touch_up_years(s, f), s, f), kTouchUpContrast, 1e-9);
    }
  EXPECT_LT(touch_up_years(Sun::high, 3), touch_up_years(Sun::moderate, 3));
  EXPECT_LT(touch_up_years(Sun::moderate, 3), touch_up_years(Sun::low, 3));
}

TEST(Skin, FitzpatrickTypesGetDarkerInOrder) {
  double prev = 2;
  for (int f = 1; f <= 6; ++f) {
    const auto r = skin_reflectance(f);
    const double y = 0.2126 * r[0] + 0.7152 * r[1] + 0.0722 * r[2];
    EXPECT_LT(y, prev) << f;
    EXPECT_GT(r[0], r[2]) << f;  // skin reflects more red than blue
    prev = y;
  }
}

TEST(Render, BeforeShowsNoDotsAndEachStageShowsItsOwn) {
  const Rendered before = render({Stage::Kind::before, 0}, View::top, 400);
  EXPECT_EQ(before.meta.visible_dots, 0u);
  const Rendered s1 = render({Stage::Kind::session, 1}, View::top, 400);
  const Rendered healed = render({Stage::Kind::healed, 0}, View::top, 400);
  std::size_t first = 0;
  for (const pattern::Dot& d : client().p.dots) first += d.session == 1;
  EXPECT_GT(s1.meta.visible_dots, first / 2);
  EXPECT_LE(s1.meta.visible_dots, first);
  EXPECT_GT(healed.meta.visible_dots, s1.meta.visible_dots);
  // Fresh work is darker than the same dots healed.
  EXPECT_GT(darkening(before, render({Stage::Kind::fresh, 0}, View::top, 400)), darkening(before, healed) * 1.2);
  // From the front the crown is out of sight: fewer dots are visible.
  EXPECT_LT(render({Stage::Kind::healed, 0}, View::front, 400).meta.visible_dots, healed.meta.visible_dots);
}

TEST(Render, DotsAreResolvedOneByOneAndCountAsVisibleDots) {
  // At about 12 px/mm every healed dot is a separate dark spot: count the
  // local minima of (healed / before) that are clearly darker.
  const Rendered before = render({Stage::Kind::before, 0}, View::top, 2400);
  const Rendered healed = render({Stage::Kind::healed, 0}, View::top, 2400);
  ASSERT_GT(healed.meta.px_per_mm, 9.0);
  const cv::Mat b = luminance(before.image), a = luminance(healed.image);
  cv::Mat ratio = a / (b + 1e-6);
  std::size_t spots = 0;
  for (int y = 1; y + 1 < ratio.rows; ++y)
    for (int x = 1; x + 1 < ratio.cols; ++x) {
      const double v = ratio.at<double>(y, x);
      if (v > 0.8) continue;
      bool minimum = true;
      for (int dy = -1; dy <= 1 && minimum; ++dy)
        for (int dx = -1; dx <= 1 && minimum; ++dx)
          if ((dx || dy) && ratio.at<double>(y + dy, x + dx) < v) minimum = false;
      spots += minimum;
    }
  const double n = static_cast<double>(healed.meta.visible_dots);
  EXPECT_NEAR(static_cast<double>(spots) / n, 1.0, 0.08) << spots << " spots for " << n << " visible dots";
}

TEST(Render, SubPixelDotsKeepTheirShareOfDarkness) {
  // The same head at 300 and at 1200 pixels: dots of 1-2 px and of 5-6 px take
  // away the same fraction of light (no dot lost between pixels, no aliasing).
  const double small = darkening(render({Stage::Kind::before, 0}, View::top, 300), render({Stage::Kind::healed, 0}, View::top, 300));
  const double large = darkening(render({Stage::Kind::before, 0}, View::top, 1200), render({Stage::Kind::healed, 0}, View::top, 1200));
  EXPECT_GT(large, 0.01);  // of all the light in the picture, background included
  EXPECT_NEAR(small / large, 1.0, 0.04);
}

TEST(Render, ContrastFadesEveryYearAndFasterInTheSun) {
  const Rendered before = render({Stage::Kind::before, 0}, View::top, 300);
  double prev = darkening(before, render({Stage::Kind::healed, 0}, View::top, 300));
  for (int y : {1, 3, 5, 8}) {
    const double now = darkening(before, render({Stage::Kind::years, y}, View::top, 300));
    EXPECT_LT(now, prev) << y;
    prev = now;
  }
  EXPECT_LT(darkening(before, render({Stage::Kind::years, 5}, View::top, 300, Sun::high)),
            darkening(before, render({Stage::Kind::years, 5}, View::top, 300, Sun::low)));
}

TEST(Render, DeepDotsBlowOutLargerAndBluer) {
  // One dot on the vertex of a bald head, placed at 0.7 mm and at 1.5 mm.
  design::DesignOptions bald;
  bald.total_loss = true;
  const design::Design bare = *design::make_design(bald);
  const scalp::Anatomy anatomy = *design::build_anatomy(bare);
  const Vec3 top = anatomy.landmarks().vertex;
  const auto single = [&](float depth) {
    pattern::Dot d;
    d.id = d.unit = 1;
    d.x_mm = static_cast<float>(top.x), d.y_mm = static_cast<float>(top.y), d.z_mm = static_cast<float>(top.z);
    d.diameter_mm = 0.5f, d.shade = 0.7f, d.depth_mm = depth;
    RenderOptions o;
    o.view = View::top;
    o.width = o.height = 800;
    const std::vector<pattern::Dot> one{d};
    return render_head(bare, anatomy, one, 3, o).image;
  };
  const auto measure = [](const cv::Mat& img, const cv::Mat& ref, double& area, double& blue_share) {
    area = 0, blue_share = 0;
    double dr = 0, db = 0;
    for (int y = 0; y < img.rows; ++y)
      for (int x = 0; x < img.cols; ++x) {
        const cv::Vec3b p = img.at<cv::Vec3b>(y, x), q = ref.at<cv::Vec3b>(y, x);
        const int loss = (q[0] + q[1] + q[2]) - (p[0] + p[1] + p[2]);
        if (loss > 6) area += 1;
        dr += q[2] - p[2];
        db += q[0] - p[0];
      }
    blue_share = db / (dr + 1e-9);  // blue lost per red lost: lower is bluer
  };
  RenderOptions o;
  o.view = View::top;
  o.width = o.height = 800;
  o.stage = {Stage::Kind::before, 0};
  const cv::Mat ref = render_head(bare, anatomy, {}, 3, o).image;
  double a1, b1, a2, b2;
  measure(single(0.7f), ref, a1, b1);
  measure(single(1.5f), ref, a2, b2);
  EXPECT_GT(a1, 2);
  EXPECT_GT(a2, a1 * 1.5);
  EXPECT_LT(b2, b1);
}

TEST(Render, SameInputSameBytesForAnyThreads) {
  const Rendered a = render({Stage::Kind::session, 2}, View::three_quarter, 256, Sun::moderate, 1);
  const Rendered b = render({Stage::Kind::session, 2}, View::three_quarter, 256, Sun::moderate, 2);
  EXPECT_EQ(cv::norm(a.image, b.image, cv::NORM_INF), 0.0);
  EXPECT_EQ(a.meta.visible_dots, b.meta.visible_dots);
}

// Scar tissue grows no hair: the "before" picture of a scar client shows the
// scar as a bare line in the stubble, which the dots then camouflage.
TEST(Render, NoStubbleGrowsOnAScar) {
  design::DesignOptions o;
  o.look = design::Look::scar_camouflage;
  o.scars.push_back({assess::ScarKind::FUT, 190.0, 4.0});  // docs/examples/fut-scar.intake.json
  const design::Design d = *design::make_design(o);
  const scalp::Anatomy a = *design::build_anatomy(d);
  ASSERT_EQ(d.hair_loss.scars.size(), 1u);
  const scalp::Scar& scar = d.hair_loss.scars[0];
  const Scene scene(d, a);
  std::size_t on = 0, beside = 0;  // units on the scar, and in equal strips just above and below it
  for (const Vec3& u : scene.hair_units()) {
    const double dist = scalp::distance_to_polyline(u, scar.path, false);
    if (dist < 0.5 * scar.width_mm) ++on;
    else if (dist < 1.5 * scar.width_mm) ++beside;
  }
  EXPECT_EQ(on, 0u);
  // 190 mm x 2 strips of 4 mm at 0.75 units/mm^2 (brief section 3: 65-85 FU/cm^2) is about 1,140.
  EXPECT_GT(beside, 700u);
}

// A Norwood V shaved design of a hair colour on a skin type, its pattern, and
// its top view before and healed at 400 px.
// A design made from options, its pattern and scene, and its pictures
// before and healed from `view` at `size` px, with their labels.
struct Pictured {
  design::Design d;
  scalp::Anatomy a;
  pattern::Pattern p;
  std::unique_ptr<Scene> scene;
  Rendered before, healed;
};
std::unique_ptr<Pictured> pictured(const design::DesignOptions& o, View view, int size) {
  design::Design d = *design::make_design(o);
  scalp::Anatomy a = *design::build_anatomy(d);
  pattern::Pattern p = *pattern::make_pattern(d, a);
  auto out = std::make_unique<Pictured>(Pictured{std::move(d), std::move(a), std::move(p), nullptr, {}, {}});
  out->scene = std::make_unique<Scene>(out->d, out->a);
  RenderOptions ro;
  ro.view = view;
  ro.width = ro.height = size;
  ro.labels = true;
  ro.stage = {Stage::Kind::before, 0};
  out->before = render_head(*out->scene, out->p.dots, out->p.sessions, ro);
  ro.stage = {Stage::Kind::healed, 0};
  out->healed = render_head(*out->scene, out->p.dots, out->p.sessions, ro);
  return out;
}

// A Norwood V shaved design of a hair colour on a skin type, from above at 400 px.
std::unique_ptr<Pictured> shaved_pictures(assess::HairColor hair, int fitzpatrick) {
  design::DesignOptions o;
  o.norwood = assess::Norwood::V;
  o.hair_color = hair;
  o.fitzpatrick = fitzpatrick;
  o.seed = 7;
  return pictured(o, View::top, 400);
}

// Mean linear luminance of the pixels of a picture that carry a label.
double mean_luminance(const Rendered& r, Label l) {
  const cv::Mat y = luminance(r.image);
  double sum = 0;
  std::size_t n = 0;
  for (int i = 0; i < y.rows; ++i)
    for (int j = 0; j < y.cols; ++j)
      if (r.labels.at<std::uint8_t>(i, j) == static_cast<std::uint8_t>(l)) sum += y.at<double>(i, j), ++n;
  return n ? sum / static_cast<double>(n) : 0;
}

// The point of SMP: healed dots read as the client's own shaved hair, for
// dark hair on fair, medium and dark skin (docs/simulate.md, "The match").
TEST(Match, HealedDotsMatchShavedDarkHairOnEverySkin) {
  using assess::HairColor;
  for (const auto& [hair, fitz] : {std::pair{HairColor::black, 1}, {HairColor::dark_brown, 3}, {HairColor::brown, 6}, {HairColor::black, 6}}) {
    SCOPED_TRACE(fmt::format("{} hair, type {}", to_string(hair), fitz));
    const auto pics = shaved_pictures(hair, fitz);
    const Pictured& s = *pics;
    ASSERT_TRUE(s.before.meta.match && s.healed.meta.match);
    const Match& b = *s.before.meta.match;
    const Match& h = *s.healed.meta.match;
    EXPECT_TRUE(h.possible);
    EXPECT_LE(h.delta_e00, 3.0);
    EXPECT_GT(b.delta_e00, h.delta_e00 + 1.0);
    // Shaved dark hair is darker than bald skin, and the dots darken the treated area toward it.
    EXPECT_LT(b.hair_lab[0], b.treated_lab[0] - 2.5);
    EXPECT_LT(h.treated_lab[0], b.treated_lab[0] - 2.0);
    EXPECT_EQ(h.hair_lab, b.hair_lab);  // nothing is drawn on the untreated hair
    // The same from the labels: the treated area's pixels lose light, the hair's do not.
    EXPECT_LT(mean_luminance(s.healed, Label::treated), 0.95 * mean_luminance(s.before, Label::treated));
    EXPECT_DOUBLE_EQ(mean_luminance(s.healed, Label::hair), mean_luminance(s.before, Label::hair));
  }
}

// A session's redness shows less on dark skin, whose melanin hides the blood
// (redness_visibility, splat.h): the fresh picture's green, which redness
// takes, falls against its red half as much on type VI as on type I.
TEST(Stage, RednessShowsHalfAsMuchOnTypeSixAsOnTypeOne) {
  const auto reddening = [](int fitz) {
    auto pics = shaved_pictures(assess::HairColor::black, fitz);
    RenderOptions ro;
    ro.width = ro.height = 400;
    ro.labels = true;
    ro.stage = {Stage::Kind::fresh, 0};
    const Rendered fresh = render_head(*pics->scene, pics->p.dots, pics->p.sessions, ro);
    // ln(R / G) of the treated area's mean linear light, fresh against before.
    const auto red_over_green = [](const Rendered& r) {
      double red = 0, green = 0;
      for (int y = 0; y < r.image.rows; ++y)
        for (int x = 0; x < r.image.cols; ++x)
          if (r.labels.at<std::uint8_t>(y, x) == static_cast<std::uint8_t>(Label::treated)) {
            const cv::Vec3b px = r.image.at<cv::Vec3b>(y, x);
            red += detail::srgb_to_linear(px[2] / 255.0), green += detail::srgb_to_linear(px[1] / 255.0);
          }
      return std::log(red / green);
    };
    return red_over_green(fresh) - red_over_green(pics->before);
  };
  const double fair = reddening(1), dark = reddening(6);
  EXPECT_GT(fair, 0.05) << "fresh work is red";
  EXPECT_GT(dark, 0.3 * fair);
  EXPECT_LT(dark, 0.7 * fair);
  EXPECT_DOUBLE_EQ(detail::redness_visibility(skin_lightness(3)), 1.0);
  EXPECT_DOUBLE_EQ(detail::redness_visibility(skin_lightness(6)), 0.5);
}

// Every session reddens the area it works over, not only its new dots: the
// last session (which adds a tenth of a three-session plan's dots) is nearly as red
// as the `fresh` stage (measured 0.86 of it), and the first is red too.
TEST(Stage, EverySessionReddensTheAreaItWorks) {
  auto pics = shaved_pictures(assess::HairColor::black, 2);
  ASSERT_EQ(pics->p.sessions, 3);
  const auto reddening = [&](Stage st) {
    RenderOptions ro;
    ro.width = ro.height = 400;
    ro.labels = true;
    ro.stage = st;
    const Rendered r = render_head(*pics->scene, pics->p.dots, pics->p.sessions, ro);
    double red = 0, green = 0;
    for (int y = 0; y < r.image.rows; ++y)
      for (int x = 0; x < r.image.cols; ++x)
        if (pics->before.labels.at<std::uint8_t>(y, x) == static_cast<std::uint8_t>(Label::treated)) {
          const cv::Vec3b px = r.image.at<cv::Vec3b>(y, x);
          red += detail::srgb_to_linear(px[2] / 255.0), green += detail::srgb_to_linear(px[1] / 255.0);
        }
    return std::log(red / green);
  };
  const double healed = reddening({Stage::Kind::healed, 0}), fresh = reddening({Stage::Kind::fresh, 0}) - healed;
  const double first = reddening({Stage::Kind::session, 1}) - healed, last = reddening({Stage::Kind::session, 3}) - healed;
  EXPECT_GT(fresh, 0.05);
  EXPECT_GT(last, 0.75 * fresh) << last << " " << fresh;
  EXPECT_GT(first, 0.3 * fresh) << first << " " << fresh;
}

// Grey and white stubble is light, not dark, and no pigment heals that light
// (SMP.md section 11): the meta says so instead of claiming a match.
TEST(Match, GreyAndWhiteStubbleIsLightAndIsNotClaimedAsMatched) {
  using assess::HairColor;
  for (const auto& [hair, fitz] : {std::pair{HairColor::white, 6}, {HairColor::grey, 6}, {HairColor::white, 3}}) {
    SCOPED_TRACE(fmt::format("{} hair, type {}", to_string(hair), fitz));
    const auto pics = shaved_pictures(hair, fitz);
    const Pictured& s = *pics;
    ASSERT_TRUE(s.before.meta.match && s.healed.meta.match);
    EXPECT_FALSE(s.healed.meta.match->possible);
    EXPECT_GT(s.before.meta.match->hair_lab[0], s.before.meta.match->treated_lab[0]);  // lighter than the bald skin
    const io::Json m = render_meta_json(s.healed.meta);
    EXPECT_FALSE(m["match"]["possible"].get<bool>());
    EXPECT_TRUE(m["match"].contains("note"));
  }
}

// A healed scar camouflage lowers the contrast of the scar against the scalp
// around it, and its blend into the hair makes no band of its own
// (docs/simulate.md, "Scars").
TEST(Scar, CamouflageLowersTheScarsContrastAndMakesNoBand) {
  design::DesignOptions o;
  o.look = design::Look::scar_camouflage;
  o.scars.push_back({assess::ScarKind::FUT, 190.0, 4.0});  // docs/examples/fut-scar.intake.json
  const auto pics = pictured(o, View::back, 500);
  const Rendered& before = pics->before;
  const Rendered& healed = pics->healed;
  ASSERT_TRUE(before.meta.scar && healed.meta.scar);
  const ScarContrast& b = *before.meta.scar;
  const ScarContrast& h = *healed.meta.scar;
  // Before: a pale bare line in the shaved hair.
  EXPECT_GT(b.delta_e00, 3.0);
  EXPECT_GT(b.scar_lab[0], b.around_lab[0] + 3.0);
  // Healed: less contrast, the scar still no darker than around it, and no band.
  EXPECT_LT(h.delta_e00, 0.75 * b.delta_e00);
  EXPECT_GE(h.scar_lab[0], h.around_lab[0] - 1.0);
  ASSERT_TRUE(b.band_delta_e00 && h.band_delta_e00);
  EXPECT_LT(*b.band_delta_e00, 0.5);
  EXPECT_LT(*h.band_delta_e00, 1.5);
  // The labels: ears and neck are the mannequin's, the scar lies in the treated area.
  std::size_t face = 0, treated = 0;
  for (int y = 0; y < healed.labels.rows; ++y)
    for (int x = 0; x < healed.labels.cols; ++x) {
      face += healed.labels.at<std::uint8_t>(y, x) == static_cast<std::uint8_t>(Label::face);
      treated += healed.labels.at<std::uint8_t>(y, x) == static_cast<std::uint8_t>(Label::treated);
    }
  EXPECT_GT(face, 1000u);
  EXPECT_GT(treated, 5000u);
}

// The client's head from the front before treatment, 500 px, with its labels.
Rendered front_before(const Client& c) {
  RenderOptions o;
  o.view = View::front;
  o.stage = {Stage::Kind::before, 0};
  o.width = o.height = 500;
  o.labels = true;
  return render_head(c.d, c.a, c.p.dots, c.p.sessions, o);
}

// The face follows the rule of thirds the hairline is designed by, and the
// pictures show it: from the front the eyes, brows and lips are where the
// face puts them, labelled as the face, below the juvenile hairline.
TEST(Face, ProportionedByTheThirdsAndDrawnWhereItSays) {
  const Client& c = client();
  const scalp::Face f = scalp::make_face(c.a, design::head_sex(c.d));
  const scalp::Landmarks& l = c.a.landmarks();
  const double third = c.a.params().forehead_height_mm;
  EXPECT_NEAR(l.glabella.y - f.subnasale.y, third, 1e-9);
  // The lower third against the middle one as the published means (76.4 / 64.8 for men).
  EXPECT_NEAR((f.subnasale.y - f.menton.y) / third, 76.4 / 64.8, 1e-9);
  EXPECT_LT(f.stomion.y, f.subnasale.y);
  EXPECT_GT(f.stomion.y, f.menton.y);
  for (std::size_t side = 0; side < 2; ++side) {
    EXPECT_LT(f.pupils[side].y, f.brows[side].line.front().y);
    EXPECT_LT(f.brows[side].line[6].y + f.brows[side].thickness[6], l.trichion_juvenile.y);
  }
  EXPECT_LT(f.pupils[0].x * f.pupils[1].x, 0);  // one each side of the midline

  const Rendered r = front_before(c);
  const detail::Camera cam = detail::camera_for(View::front, c.a.head().vault(), 500, 500);
  const auto at = [&](Vec3 p) {
    double x = 0, y = 0;
    EXPECT_TRUE(cam.project(p, x, y));
    return cv::Point(static_cast<int>(x), static_cast<int>(y));
  };
  const cv::Mat y = luminance(r.image);
  const auto label = [&](cv::Point q) { return r.labels.at<std::uint8_t>(q); };
  for (std::size_t side = 0; side < 2; ++side) {
    const cv::Point pupil = at(f.pupils[side]);
    EXPECT_EQ(label(pupil), static_cast<std::uint8_t>(Label::face));
    EXPECT_LT(y.at<double>(pupil), 0.05);  // the pupil is dark
  }
  // The lips are redder than the skin beside the mouth.
  const auto redness = [&](cv::Point q) {
    const cv::Vec3b b = r.image.at<cv::Vec3b>(q);
    return static_cast<double>(b[2]) / std::max(1, static_cast<int>(b[1]));
  };
  const Vec3 lip = f.stomion + Vec3{0, 0.5 * f.upper_lip_mm, 0};
  EXPECT_GT(redness(at(lip)), redness(at(lip + Vec3{0, 12, 0})) + 0.05);
  EXPECT_EQ(label(at(f.stomion)), static_cast<std::uint8_t>(Label::face));
  // The forehead below the juvenile hairline is skin, the chin is in the picture.
  EXPECT_EQ(label(at(l.trichion_juvenile - Vec3{0, 10, 0})), static_cast<std::uint8_t>(Label::skin));
  const cv::Point chin = at(f.menton + Vec3{0, 3, 0});
  EXPECT_GT(chin.y, 0);
  EXPECT_LT(chin.y, 500);
}

// The nose and neck as the face says: the tip stands about 20 mm proud of
// subnasale (nasal protrusion, Zankl et al. 2002), the alae al-al apart (43.2
// mm for men, Table 9), the dorsum narrower between the eyes than at its
// base; and from the front the neck, 20 mm under the chin, is as wide as a
// round column of the published girth (40.5 cm for men, Preis et al. 2010)
// at that depth.
TEST(Face, TheNoseAndNeckStandAsPublished) {
  const Client& c = client();
  const scalp::Face f = scalp::make_face(c.a, design::head_sex(c.d));
  const double s = f.scale;
  const double pronasale = std::max(f.nose_tip.c.z + f.nose_tip.half_extent().z, f.nose_bridge.c.z + f.nose_bridge.half_extent().z);
  EXPECT_NEAR(pronasale - f.subnasale.z, 20 * s, 3);
  const double al_al = 2 * (std::abs(f.alae[0].c.x - c.a.head().vault().center.x) + f.alae[0].r.x);
  EXPECT_NEAR(al_al, 43.2 * s, 0.5);
  EXPECT_LT(f.alae[0].c.x * f.alae[1].c.x, 0);
  // The dorsum's width where it stands out of the face (the lower face's
  // part and the vault), at a height.
  const scalp::Ellipsoid& e = c.a.head().vault();
  const auto inside_vault = [&](Vec3 p) {
    const Vec3 q = p - e.center;
    const double ay = q.y >= 0 ? e.ay : e.ay_at(kPi);
    return q.x * q.x / (e.ax * e.ax) + q.y * q.y / (ay * ay) + q.z * q.z / (e.az * e.az) <= 1;
  };
  const auto inside = [](const scalp::FacePart& part, Vec3 p) {
    const Vec3 q = part.local(p);
    return dot(q, q) <= 1;
  };
  const auto width_out_of_face = [&](double y) {
    double half = 0;
    for (double x = 0; x < 30; x += 0.2)
      for (double z = f.nose_bridge.c.z - 40; z < f.nose_bridge.c.z + 40; z += 0.2) {
        const Vec3 p{f.nose_bridge.c.x + x, y, z};
        if (inside(f.nose_bridge, p) && !inside(f.lower_face, p) && !inside_vault(p)) {
          half = x;
          break;
        }
      }
    return 2 * half;
  };
  const double at_nasion = width_out_of_face(c.a.landmarks().nasion.y - 5), lower = width_out_of_face(f.subnasale.y + 15);
  EXPECT_GT(lower, at_nasion);

  const Rendered r = front_before(c);
  const detail::Camera cam = detail::camera_for(View::front, c.a.head().vault(), 500, 500);
  const double y_mm = f.menton.y - 20, girth_r = 405 / (2 * kPi);
  double xl = 0, xr = 0, yl = 0, yr = 0;
  ASSERT_TRUE(cam.project({f.neck.c.x - girth_r, y_mm, f.neck.c.z}, xl, yl));
  ASSERT_TRUE(cam.project({f.neck.c.x + girth_r, y_mm, f.neck.c.z}, xr, yr));
  const int row = static_cast<int>(std::lround(0.5 * (yl + yr)));
  ASSERT_GT(row, 0);
  ASSERT_LT(row, 500);
  int run = 0;
  for (int x = 0; x < 500; ++x) run += r.labels.at<std::uint8_t>(row, x) == static_cast<std::uint8_t>(Label::face);
  EXPECT_NEAR(run, std::abs(xr - xl), 0.08 * std::abs(xr - xl));
}

// Skin of every Fitzpatrick type, as a camera sees it on the lit top of a
// bald head, falls in its individual typology angle category (Del Bino and
// Bernerd 2013: very light above 55 degrees, light 41-55, intermediate 28-41,
// tan 10-28, brown -30 to 10, dark below -30), and its sheen stays a sheen:
// the brightest percent of the skin (texture, shading and sheen together) at
// most 10 L* above its median (measured 6.7 for type I to 8.6 for type VI).
TEST(Skin, EveryTypeReadsInItsItaCategoryWithoutAPlasticSheen) {
  constexpr double kBounds[7] = {90, 55, 41, 28, 10, -30, -90};
  for (int type = 1; type <= 6; ++type) {
    SCOPED_TRACE(fmt::format("type {}", type));
    design::DesignOptions o;
    o.norwood = assess::Norwood::VII;
    o.fitzpatrick = type;
    const design::Design d = *design::make_design(o);
    const scalp::Anatomy a = *design::build_anatomy(d);
    RenderOptions ro;
    ro.width = ro.height = 300;
    ro.labels = true;
    ro.stage = {Stage::Kind::before, 0};
    const Rendered r = render_head(d, a, {}, 3, ro);
    std::vector<double> L, b;
    for (int y = 105; y < 195; ++y)
      for (int x = 105; x < 195; ++x) {
        if (r.labels.at<std::uint8_t>(y, x) == static_cast<std::uint8_t>(Label::hair)) continue;
        const cv::Vec3b p = r.image.at<cv::Vec3b>(y, x);
        const auto lab = detail::linear_to_lab({detail::srgb8_to_linear(p[2]), detail::srgb8_to_linear(p[1]), detail::srgb8_to_linear(p[0])});
        L.push_back(lab[0]), b.push_back(lab[2]);
      }
    ASSERT_GT(L.size(), 1000u);
    const auto quantile = [](std::vector<double> v, double q) {
      std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(q * static_cast<double>(v.size() - 1)), v.end());
      return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
    };
    const double Lm = quantile(L, 0.5), bm = quantile(b, 0.5);
    const double ita = std::atan2(Lm - 50, bm) * 180 / kPi;
    EXPECT_LT(ita, kBounds[type - 1]) << "L* " << Lm << " b* " << bm;
    EXPECT_GT(ita, kBounds[type]) << "L* " << Lm << " b* " << bm;
    EXPECT_LT(quantile(L, 0.99) - Lm, 10.0);
  }
}

// A scene made once gives every picture exactly what making it each time does.
TEST(Render, ASceneMadeOnceGivesTheSamePictures) {
  const Scene scene(client().d, client().a);
  EXPECT_FALSE(scene.hair_units().empty());  // a Norwood V keeps hair at the sides and back
  for (const View v : {View::top, View::back}) {
    RenderOptions o;
    o.view = v;
    o.stage = {Stage::Kind::session, 1};
    o.width = o.height = 200;
    const Rendered shared = render_head(scene, client().p.dots, client().p.sessions, o);
    const Rendered own = render_head(client().d, client().a, client().p.dots, client().p.sessions, o);
    EXPECT_EQ(cv::norm(shared.image, own.image, cv::NORM_INF), 0.0) << to_string(v);
    EXPECT_EQ(shared.meta.visible_dots, own.meta.visible_dots);
  }
}

TEST(Render, SheetsHaveATileForEveryStage) {
  EXPECT_EQ(sheet_stages(Sheet::progression, 3).size(), 5u);
  EXPECT_EQ(sheet_stages(Sheet::timeline, 3).back().name(), "years-8");
  RenderOptions o;
  o.width = 128, o.height = 96;
  int calls = 0;
  const Rendered s = render_sheet(Scene(client().d, client().a), client().p.dots, 3, Sheet::timeline, o, [&](int, int) { ++calls; });
  EXPECT_EQ(calls, 5);
  EXPECT_EQ(s.image.cols, 5 * 128);
  EXPECT_GT(s.image.rows, 96);
}


// A Norwood IV design for the density look (the client keeps longer hair).
const Client& density_client() { return testing::test_client(assess::Norwood::IV, 7, design::Look::density); }

// Mean luminance of 5 x 5 pixel patches round the top-view image of chart
// points on the upper scalp, grouped by the hair left there: [0] where at most
// 15% is left, [1] where all of it is.
std::array<double, 2> by_hair_left(const Client& c, const design::Design& d, const cv::Mat& lum) {
  const scalp::LossField field(c.a.head(), d.hair_loss);
  const detail::Camera cam = detail::camera_for(View::top, c.a.head().vault(), lum.cols, lum.rows);
  std::array<double, 2> sum{}, n{};
  for (double u = -1.0; u <= 1.0; u += 0.05)
    for (double v = -1.0; v <= 1.0; v += 0.05) {
      if (std::hypot(u, v) > 1.0 || c.a.boundary_theta(std::atan2(u, v)) - std::hypot(u, v) < 0.15) continue;
      const double left = field.remaining({u, v});
      const int g = left <= 0.15 ? 0 : left >= 0.999 ? 1 : -1;
      if (g < 0) continue;
      double x, y;
      if (!cam.project(c.a.head().chart_point({u, v}), x, y)) continue;
      const cv::Rect r(static_cast<int>(x) - 2, static_cast<int>(y) - 2, 5, 5);
      if ((r & cv::Rect(0, 0, lum.cols, lum.rows)) != r) continue;
      sum[static_cast<std::size_t>(g)] += cv::mean(lum(r))[0];
      n[static_cast<std::size_t>(g)] += 1;
    }
  EXPECT_GT(n[0], 20);
  EXPECT_GT(n[1], 20);
  return {sum[0] / n[0], sum[1] / n[1]};
}

TEST(Render, DensityLookGrowsLongerHairThatFollowsTheHairLossMap) {
  const Client& c = density_client();
  RenderOptions o;
  o.stage = {Stage::Kind::before, 0};
  o.width = o.height = 700;
  o.threads = 2;
  const cv::Mat hair = luminance(render_head(c.d, c.a, c.p.dots, c.p.sessions, o).image);
  design::Design shaved = c.d;
  shaved.look = design::Look::shaved;
  const cv::Mat stubble = luminance(render_head(shaved, c.a, c.p.dots, c.p.sessions, o).image);
  const auto [hair_thin, hair_full] = by_hair_left(c, c.d, hair);
  const auto [stubble_thin, stubble_full] = by_hair_left(c, shaved, stubble);
  // Against the same head shaved (stubble only, the same light): full hair
  // hides most of the skin, as dark brown hair reflects a few percent; where
  // 15% or less is left the skin shows through between the hairs, though
  // locks from the fuller hair around lie over it.
  EXPECT_LT(hair_full, 0.5 * stubble_full) << hair_full << " " << stubble_full;
  EXPECT_GT(hair_thin, 0.6 * stubble_thin) << hair_thin << " " << stubble_thin;
  EXPECT_GT(hair_thin, 1.2 * hair_full) << hair_thin << " " << hair_full;
}

TEST(Render, DensityLookShowsTheDotsBetweenTheHairs) {
  const Client& c = density_client();
  RenderOptions o;
  o.width = o.height = 700;
  o.threads = 2;
  o.stage = {Stage::Kind::before, 0};
  const cv::Mat before = luminance(render_head(c.d, c.a, c.p.dots, c.p.sessions, o).image);
  o.stage = {Stage::Kind::healed, 0};
  const cv::Mat healed = luminance(render_head(c.d, c.a, c.p.dots, c.p.sessions, o).image);
  const auto [b_thin, b_full] = by_hair_left(c, c.d, before);
  const auto [h_thin, h_full] = by_hair_left(c, c.d, healed);
  // Where hair thinned the dots darken the scalp between the hairs.
  EXPECT_LT(h_thin, 0.93 * b_thin) << h_thin << " " << b_thin;
  EXPECT_LE(h_full, b_full * 1.001);
}

// Visits the treated pixels of `before` where the scalp shows through (the
// brightest quarter of the treated area's luminance: the skin between the
// hairs) with their luminance before and in `after`; returns how many treated
// pixels there are.
template <class Visit>
std::size_t scalp_showing(const Rendered& before, const Rendered& after, Visit visit) {
  const cv::Mat yb = luminance(before.image), ya = luminance(after.image);
  const auto treated_at = [&](int i, int j) { return before.labels.at<std::uint8_t>(i, j) == static_cast<std::uint8_t>(Label::treated); };
  std::vector<double> treated;
  for (int i = 0; i < yb.rows; ++i)
    for (int j = 0; j < yb.cols; ++j)
      if (treated_at(i, j)) treated.push_back(yb.at<double>(i, j));
  if (treated.empty()) return 0;
  std::nth_element(treated.begin(), treated.begin() + static_cast<std::ptrdiff_t>(3 * treated.size() / 4), treated.end());
  const double bright = treated[3 * treated.size() / 4];
  for (int i = 0; i < yb.rows; ++i)
    for (int j = 0; j < yb.cols; ++j)
      if (treated_at(i, j) && yb.at<double>(i, j) >= bright) visit(yb.at<double>(i, j), ya.at<double>(i, j));
  return treated.size();
}

// A woman with Ludwig II thinning keeps her hair long: it is parted and
// falls, the parting and the thin top show the scalp, and the healed dots
// there take light away where nothing else changes.
TEST(Render, LongHairOfADensityLookShowsTheThinningAndTheDotsReduceIt) {
  design::DesignOptions o;
  o.sex = assess::Sex::female;
  o.ludwig = assess::Ludwig::II;
  o.look = design::Look::density;
  o.seed = 5;
  const auto pics = pictured(o, View::top, 500);
  const Rendered& before = pics->before;
  const Rendered& healed = pics->healed;
  const scalp::Anatomy& a = pics->a;
  // Where the scalp shows through in the treated area (its brightest quarter
  // before, the skin between the hairs), the healed dots take light away.
  double sb = 0, sh = 0;
  ASSERT_GT(scalp_showing(before, healed, [&](double b, double h) { sb += b, sh += h; }), 5000u);
  // The density look puts dots at the target times the hair lost (docs/pattern.md),
  // so they give back the shadow of the lost follicles: 5.4% of the light here.
  EXPECT_LT(sh, 0.97 * sb) << sh << " " << sb;
  // The untreated full hair is all but the same before and after.
  EXPECT_NEAR(mean_luminance(healed, Label::hair), mean_luminance(before, Label::hair), 0.02 * mean_luminance(before, Label::hair));
  // The hair falls past the head's outline at the sides in a front view: long, not a crop.
  RenderOptions ro;
  ro.width = ro.height = 500;
  ro.labels = true;
  ro.view = View::front;
  ro.stage = {Stage::Kind::healed, 0};
  const Rendered front = render_head(*pics->scene, pics->p.dots, pics->p.sessions, ro);
  const detail::Camera cam = detail::camera_for(View::front, a.head().vault(), 500, 500);
  double x, y;
  ASSERT_TRUE(cam.project(a.landmarks().ear_canal_left + Vec3{0, -40, 0}, x, y));
  const int row = static_cast<int>(y);
  std::size_t haired_background = 0;
  for (int col = 0; col < 500; ++col)
    if (front.labels.at<std::uint8_t>(row, col) == static_cast<std::uint8_t>(Label::hair)) ++haired_background;
  EXPECT_GT(haired_background, 10u);
}

// The close-up of the same head: 60 mm of the scalp across the picture, round
// the middle of the treated area in view. The dots darken the scalp showing
// between the hairs as the same physics says in both pictures (about the same
// share of its pixels a quarter or more darker), but the close-up spreads
// each dot over about four pixels where the whole head at report size (420
// px) gives it about one, so the difference reads.
TEST(Render, ACloseUpOfTheDensityLookShowsWhatTheDotsChange) {
  design::DesignOptions o;
  o.sex = assess::Sex::female;
  o.ludwig = assess::Ludwig::II;
  o.look = design::Look::density;
  o.seed = 5;
  const auto pics = pictured(o, View::top, 500);
  RenderOptions ro;
  ro.width = ro.height = 500;
  ro.labels = true;
  ro.view = View::top;
  ro.close_up_mm = 60;
  ro.stage = {Stage::Kind::before, 0};
  const Rendered before = render_head(*pics->scene, pics->p.dots, pics->p.sessions, ro);
  ro.stage = {Stage::Kind::healed, 0};
  const Rendered healed = render_head(*pics->scene, pics->p.dots, pics->p.sessions, ro);
  EXPECT_NEAR(healed.meta.px_per_mm, 500.0 / 60, 0.02 * 500 / 60);
  EXPECT_EQ(healed.meta.close_up_mm, 60);
  EXPECT_EQ(healed.labels.at<std::uint8_t>(250, 250) & ~kLabelMarks, static_cast<std::uint8_t>(Label::treated));
  // Of the treated pixels where the scalp shows (the brightest quarter
  // before), the share a quarter or more darker healed.
  const auto darkened = [](const Rendered& b, const Rendered& h) {
    double n = 0, dark = 0;
    EXPECT_GT(scalp_showing(b, h, [&](double yb, double yh) { n += 1, dark += yh <= 0.75 * yb ? 1 : 0; }), 5000u);
    return dark / std::max(1.0, n);
  };
  const double close = darkened(before, healed), whole = darkened(pics->before, pics->healed);
  EXPECT_GT(close, 0.05);
  EXPECT_NEAR(close, whole, 0.5 * whole);
  double diameter = 0;
  for (const pattern::Dot& dt : pics->p.dots) diameter += dt.diameter_mm;
  diameter /= static_cast<double>(pics->p.dots.size());
  EXPECT_GT(diameter * healed.meta.px_per_mm, 3.5);
  EXPECT_LT(diameter * pics->healed.meta.px_per_mm * 420 / 500, 1.5);
}

}  // namespace
}  // namespace stipple::simulate
