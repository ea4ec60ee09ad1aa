#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "stipple/scalp/geodesic.h"
#include "stipple/scalp/hair_loss.h"

namespace stipple::scalp {
namespace {

using assess::Ludwig;
using assess::Norwood;

Anatomy male_head(double circumference = 570) {
  const Head h = *Head::fit(scaled_to_circumference(default_measurements(HeadSex::male), circumference));
  return Anatomy(h, default_anatomy(HeadSex::male, circumference));
}

// Equivalent fully bald area of a map, cm^2.
double bald_cm2(const Anatomy& a, const HairLossMap& map) {
  const LossField f(a.head(), map);
  double sum = 0;
  for_each_scalp_cell(a, {360, 720}, [&](double t, double p, double area) {
    sum += (1 - f.remaining({t * std::sin(p), t * std::cos(p)})) * area;
  });
  return sum / 100;
}

Vec2 chart(double theta, double phi) { return {theta * std::sin(phi), theta * std::cos(phi)}; }

TEST(Geodesic, GreatCirclesOnASphere) {
  const double r = 90;
  const Head sphere = Head::from_ellipsoid({{0, 0, 0}, r, r, r});
  for (auto [a, b] : {std::pair{chart(0.3, 0.2), chart(1.4, 2.5)}, std::pair{chart(1.2, -1.0), chart(1.2, 1.0)},
                      std::pair{chart(0.1, 0.0), chart(0.1, kPi)}}) {
    const Vec3 p = sphere.chart_point(a) / r, q = sphere.chart_point(b) / r;
    const double exact = r * std::acos(std::clamp(dot(p, q), -1.0, 1.0));
    EXPECT_NEAR(geodesic_distance(sphere, a, b), exact, 1e-3 * exact);
    // Shorter than the chord? Never; longer than the straight chart line? Never.
    EXPECT_GE(geodesic_distance(sphere, a, b), r * length(p - q) - 1e-9);
  }
}

TEST(Geodesic, AMeridianOfTheHeadIsAGeodesic) {
  // Principal sections of an ellipsoid are geodesics: the midline arc from
  // the vertex to glabella must match the meridian's length.
  const Anatomy a = male_head();
  const Head& h = a.head();
  const double along = h.meridian_arc(0, 0, kPi / 2);
  EXPECT_NEAR(geodesic_distance(h, chart(1e-6, 0), chart(kPi / 2, 0)), along, 1e-3 * along);
  // Between two points off the midline: no longer than going up over the
  // meridians and around, and the same both ways.
  const Vec2 p = chart(0.9, 0.5), q = chart(1.1, -0.7);
  const double d = geodesic_distance(h, p, q);
  EXPECT_NEAR(d, geodesic_distance(h, q, p), 1e-3 * d);
  EXPECT_LT(d, h.meridian_arc(0.5, 0, 0.9) + h.meridian_arc(-0.7, 0, 1.1));
}

TEST(NorwoodMaps, BaldAreasFallInTheBriefsBandsAndGrowClassByClass) {
  const Anatomy a = male_head();
  std::array<double, enum_count<Norwood>()> areas{};
  for (std::size_t i = 0; i < areas.size(); ++i) areas[i] = bald_cm2(a, norwood_map(a, static_cast<Norwood>(i)));
  const auto area = [&](Norwood n) { return areas[static_cast<std::size_t>(n)]; };
  // Brief, section 4: default plausibility bands on an average adult man.
  const struct {
    Norwood n;
    double lo, hi;
  } bands[] = {{Norwood::III, 20, 60}, {Norwood::IV, 60, 120}, {Norwood::V, 100, 170}, {Norwood::VI, 150, 250},
               {Norwood::VII, 200, 320}};
  for (const auto& b : bands) {
    const double got = area(b.n);
    EXPECT_GT(got, b.lo) << to_string(b.n);
    EXPECT_LT(got, b.hi) << to_string(b.n);
  }
  EXPECT_EQ(area(Norwood::I), 0.0);
  const Norwood order[] = {Norwood::I, Norwood::II, Norwood::III, Norwood::IV, Norwood::V, Norwood::VI, Norwood::VII};
  for (std::size_t i = 1; i < std::size(order); ++i)
    EXPECT_GT(area(order[i]), area(order[i - 1])) << to_string(order[i]);
  // The a variants grow too, and each stays in its class's band.
  EXPECT_LT(area(Norwood::IIa), area(Norwood::IIIa));
  EXPECT_LT(area(Norwood::IIIa), area(Norwood::IVa));
  EXPECT_LT(area(Norwood::IVa), area(Norwood::Va));
  EXPECT_GT(area(Norwood::IIIa), 20);
  EXPECT_LT(area(Norwood::IIIa), 60);
  EXPECT_GT(area(Norwood::IVa), 60);
  EXPECT_LT(area(Norwood::IVa), 120);
  EXPECT_GT(area(Norwood::Va), 100);
  EXPECT_LT(area(Norwood::Va), 170);
  // III-vertex adds the crown to III.
  EXPECT_GT(area(Norwood::III_vertex), area(Norwood::III) + 10);
  EXPECT_LT(area(Norwood::III_vertex), area(Norwood::IV));
}

TEST(NorwoodMaps, AreasScaleWithTheSquareOfHeadSize) {
  const Anatomy small = male_head(530), large = male_head(620);
  for (Norwood n : {Norwood::III, Norwood::V, Norwood::VII}) {
    const double ratio = bald_cm2(large, norwood_map(large, n)) / bald_cm2(small, norwood_map(small, n));
    EXPECT_NEAR(ratio, std::pow(620.0 / 530.0, 2), 0.03) << to_string(n);
  }
}

// The lowest z (distance in front of the ear-canal line) where hair is mostly
// gone, over the top of the head in front of the crown.
double deepest_frontal_loss_z(const Anatomy& a, const HairLossMap& map) {
  const LossField f(a.head(), map);
  double deepest = 1e9;
  for_each_scalp_cell(a, {180, 360}, [&](double t, double p, double) {
    const Vec3 q = a.head().point(t, p);
    if (q.z > -5 && f.remaining(chart(t, p)) < 0.5) deepest = std::min(deepest, q.z);
  });
  return deepest;
}

TEST(NorwoodMaps, FollowTheBriefsAnatomicalAnchors) {
  const Anatomy a = male_head();
  const Head& h = a.head();
  // II: the loss stays at least 2 cm in front of the ear-canal line.
  EXPECT_GE(deepest_frontal_loss_z(a, norwood_map(a, Norwood::II)), 20);
  // III: deep temple recession, reaching the 2 cm line but not the ear-canal line.
  const double z3 = deepest_frontal_loss_z(a, norwood_map(a, Norwood::III));
  EXPECT_LT(z3, 35);
  EXPECT_GT(z3, 0);
  // IV: frontal loss and a bald vertex separated by a band of moderately dense
  // hair over the top; V: the band sparser; VI: no band.
  const auto midline_max = [&](Norwood n) {
    const LossField f(h, norwood_map(a, n));
    double best = 0;
    for (double z = -5; z <= 25; z += 1) {
      const double theta = std::asin(std::clamp((z - h.vault().center.z) / h.vault().az, -1.0, 1.0));
      best = std::max(best, f.remaining(chart(std::abs(theta), theta >= 0 ? 0 : kPi)));
    }
    return best;
  };
  EXPECT_GT(midline_max(Norwood::IV), 0.7);
  EXPECT_LT(midline_max(Norwood::V), midline_max(Norwood::IV));
  EXPECT_GT(midline_max(Norwood::V), 0.4);
  EXPECT_LT(midline_max(Norwood::VI), 0.2);
  // The vertex: bald at the crown whorl from IV on, hair there in III.
  const Vec2 whorl = h.chart_of(a.landmarks().crown_whorl);
  EXPECT_GT(LossField(h, norwood_map(a, Norwood::III)).remaining(whorl), 0.99);
  EXPECT_LT(LossField(h, norwood_map(a, Norwood::III_vertex)).remaining(whorl), 0.2);
  EXPECT_LT(LossField(h, norwood_map(a, Norwood::IV)).remaining(whorl), 0.2);
  // a variants: no separate vertex spot.
  EXPECT_GT(LossField(h, norwood_map(a, Norwood::IVa)).remaining(whorl), 0.99);
  // VII: a horseshoe fringe: hair above the ears and at the back, even at VII.
  const LossField seven(h, norwood_map(a, Norwood::VII));
  for (double phi_deg : {90.0, 135.0, 180.0, -135.0, -90.0}) {
    const double phi = phi_deg * kPi / 180;
    const double theta = h.walk_meridian(phi, a.boundary_theta(phi), -20);  // 2 cm above the fringe's lower edge
    EXPECT_GT(seven.remaining(chart(theta, phi)), 0.9) << phi_deg;
  }
  // ...and only there: the top is bald.
  EXPECT_LT(seven.remaining(h.chart_of(a.landmarks().vertex)), 0.1);
}

TEST(LudwigMaps, ThinTheTopAndKeepTheFrontalHairline) {
  const Anatomy a = male_head();
  const Head& h = a.head();
  double previous = 0;
  for (Ludwig g : {Ludwig::I, Ludwig::II, Ludwig::III}) {
    const HairLossMap map = ludwig_map(a, g);
    const LossField f(h, map);
    // The hairline itself keeps its hair...
    const double theta = h.walk_meridian(0, a.boundary_theta(0), -5);
    EXPECT_GT(f.remaining(chart(theta, 0)), 0.99) << to_string(g);
    // ...the top thins, more with every grade, and is never bald.
    const double top = f.remaining(h.chart_of(a.landmarks().vertex));
    EXPECT_LT(top, 0.8);
    EXPECT_GT(top, 0.2);
    const double area = bald_cm2(a, map);
    EXPECT_GT(area, previous);
    previous = area;
  }
}

TEST(Scars, FutStripHasItsLengthAndLiesAcrossTheBack) {
  const Anatomy a = male_head();
  const Scar s = fut_scar(a, 200, 2);
  EXPECT_NEAR(s.length_mm(), 200, 2);
  EXPECT_NEAR(s.area_mm2(), 400, 5);
  const std::size_t mid = s.path.size() / 2;
  for (std::size_t i = 0; i < s.path.size(); ++i) {
    const Vec3& p = s.path[i];
    EXPECT_LT(p.z, 0);  // behind the ear canals
    EXPECT_TRUE(std::abs(p.x) < a.head().vault().ax);
    // Lowest on the midline, rising toward the ears along the occipital curve.
    if (i > mid) { EXPECT_GE(p.y, s.path[i - 1].y - 1e-9); }
    if (i < mid) { EXPECT_GE(p.y, s.path[i + 1].y - 1e-9); }
  }
  EXPECT_GT(s.path.back().y, s.path[mid].y + 15);
  EXPECT_NEAR(s.path.front().x, -s.path.back().x, 1e-9);  // centred on the midline
  EXPECT_NEAR(s.path.front().y, s.path.back().y, 1e-9);
}

TEST(Scars, FuePunchesAreSpacedDeterministicAndInTheDonorBand) {
  const Anatomy a = male_head();
  const Scar s = fue_scars(a, 1500, 0.9, 7);
  ASSERT_EQ(s.path.size(), 1500u);
  EXPECT_NEAR(s.area_mm2(), 1500 * kPi * 0.45 * 0.45, 1e-6);
  const double inion = a.head().measurements().inion_height_mm;
  for (std::size_t i = 0; i < s.path.size(); ++i) {
    EXPECT_GT(s.path[i].y, inion - 20.01);
    EXPECT_LT(s.path[i].y, inion + 45.01);
    const Vec2 uv = a.head().chart_of(s.path[i]);
    EXPECT_TRUE(a.hair_bearing(std::hypot(uv.x, uv.y), std::atan2(uv.x, uv.y)));
    for (std::size_t j = i + 1; j < s.path.size(); j += 37)  // a sample of pairs
      EXPECT_GE(distance(s.path[i], s.path[j]), 1.35 - 1e-9);
  }
  const Scar again = fue_scars(a, 1500, 0.9, 7), other = fue_scars(a, 1500, 0.9, 8);
  EXPECT_EQ(distance(again.path[999], s.path[999]), 0.0);
  EXPECT_GT(distance(other.path[0], s.path[0]), 0.0);
}

}  // namespace
}  // namespace stipple::scalp
