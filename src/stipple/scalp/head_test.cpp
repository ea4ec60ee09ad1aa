#include <gtest/gtest.h>

#include <cmath>

#include "stipple/scalp/anatomy.h"

namespace stipple::scalp {
namespace {

constexpr double kTol = 0.001;  // areas to 0.1%, ten times tighter than the 1% asked of the model

double full_area(const Head& h) {
  return SurfaceIntegrator{}.integrate(h, [](double, double) { return 1.0; });
}

// Exact surface area of a spheroid with equatorial radius a and polar radius c.
double spheroid_area(double a, double c) {
  if (std::abs(a - c) < 1e-12) return 4 * kPi * a * a;
  if (c < a) {  // oblate
    const double e = std::sqrt(1 - c * c / (a * a));
    return 2 * kPi * a * a * (1 + (1 - e * e) / e * std::atanh(e));
  }
  const double e = std::sqrt(1 - a * a / (c * c));  // prolate
  return 2 * kPi * a * a * (1 + c / (a * e) * std::asin(e));
}

TEST(HeadSurface, SphereAndCapAreasAreExact) {
  const double r = 90;
  const Head sphere = Head::from_ellipsoid({{0, 0, 0}, r, r, r});
  EXPECT_NEAR(full_area(sphere), 4 * kPi * r * r, kTol * 4 * kPi * r * r);
  const double cap = 1.0;  // radians
  SurfaceIntegrator g;
  g.theta_max = cap;
  const double want = 2 * kPi * r * r * (1 - std::cos(cap));
  EXPECT_NEAR(g.integrate(sphere, [](double, double) { return 1.0; }), want, kTol * want);
}

TEST(HeadSurface, SpheroidAreasMatchTheClosedForms) {
  for (auto [a, c] : {std::pair{80.0, 100.0}, std::pair{100.0, 70.0}}) {
    const Head h = Head::from_ellipsoid({{3, 20, -5}, a, c, a});
    EXPECT_NEAR(full_area(h), spheroid_area(a, c), kTol * spheroid_area(a, c)) << a << " " << c;
  }
  // Two half-spheroids joined at the equator: half of each whole.
  const Head joined = Head::from_ellipsoid({{0, 0, 0}, 80, 95, 80, 128});
  const double want = 0.5 * spheroid_area(80, 95) + 0.5 * spheroid_area(80, 128);
  EXPECT_NEAR(full_area(joined), want, kTol * want);
}

TEST(HeadSurface, ChartRoundTripsAndMeridianArcs) {
  const Head h = Head::from_ellipsoid({{0, 35, 11}, 80, 95, 101, 128});
  for (double u = -1.2; u <= 1.2; u += 0.3)
    for (double v = -1.2; v <= 1.2; v += 0.3) {
      const Vec2 back = h.chart_of(h.chart_point({u, v}));
      EXPECT_NEAR(back.x, u, 1e-9);
      EXPECT_NEAR(back.y, v, 1e-9);
    }
  const Head sphere = Head::from_ellipsoid({{0, 0, 0}, 90, 90, 90});
  EXPECT_NEAR(sphere.meridian_arc(0.3, 0.2, 1.2), 90.0, 1e-6);  // r * 1 rad
  const double t = sphere.walk_meridian(0.3, 0.2, 45.0);
  EXPECT_NEAR(t, 0.7, 1e-9);
  EXPECT_NEAR(sphere.walk_meridian(0.3, 0.7, -45.0), 0.2, 1e-9);
}

TEST(HeadModel, FitsTheMeasurementsExactly) {
  for (HeadSex sex : {HeadSex::male, HeadSex::female}) {
    const HeadMeasurements m = default_measurements(sex);
    auto h = Head::fit(m);
    ASSERT_TRUE(h) << h.error().message();
    const Ellipsoid& e = h->vault();
    EXPECT_NEAR(ellipse_perimeter(e.ax, e.az), m.circumference_mm, 1e-6);  // the tape's circumference
    EXPECT_NEAR(e.ax / e.az, m.breadth_mm / m.length_mm, 1e-12);           // the head's proportions
    EXPECT_NEAR(e.center.y + e.ay, m.vertex_height_mm, 1e-9);
    const Anatomy a(*h, default_anatomy(sex, default_measurements(sex).circumference_mm));
    const Landmarks& l = a.landmarks();
    EXPECT_NEAR(l.glabella.z, m.ear_canal_depth_mm, 1e-9);
    EXPECT_NEAR(l.glabella.y, m.glabella_height_mm, 1e-9);
    EXPECT_NEAR(l.vertex.y, m.vertex_height_mm, 1e-9);
    // The ear canals: on the surface, symmetric, at the origin's height and depth.
    EXPECT_NEAR(l.ear_canal_right.x, -l.ear_canal_left.x, 1e-9);
    EXPECT_NEAR(l.ear_canal_right.y, 0, 1e-9);
    EXPECT_NEAR(l.ear_canal_right.z, 0, 1e-9);
    const Vec2 ear = h->chart_of(l.ear_canal_right);
    EXPECT_NEAR(distance(h->chart_point(ear), l.ear_canal_right), 0, 1e-6);
  }
}

TEST(HeadModel, LandmarksSitWhereTheirRulesPutThem) {
  const Head h = *Head::fit(default_measurements(HeadSex::male));
  const AnatomyParams p = default_anatomy(HeadSex::male, 570);
  const Anatomy a(h, p);
  const Landmarks& l = a.landmarks();
  const auto theta = [&](Vec3 q) { return std::hypot(h.chart_of(q).x, h.chart_of(q).y); };
  // Forehead height and mature rise are surface distances along the midline.
  EXPECT_NEAR(h.meridian_arc(0, theta(l.trichion_juvenile), theta(l.glabella)), p.forehead_height_mm, 0.01);
  EXPECT_NEAR(h.meridian_arc(0, theta(l.trichion_mature), theta(l.trichion_juvenile)), 15.0, 0.01);  // brief: ~1.5 cm
  EXPECT_NEAR(h.meridian_arc(0, theta(l.glabella), theta(l.nasion)), p.nasion_drop_mm, 0.01);
  EXPECT_NEAR(l.inion.y, h.measurements().inion_height_mm, 1e-9);
  EXPECT_LT(l.inion.z, 0);  // at the back
  EXPECT_LT(l.crown_whorl.z, l.vertex.z);
  EXPECT_GT(l.trichion_mature.y, l.trichion_juvenile.y);
  EXPECT_NEAR(l.frontotemporal_left.x, -l.frontotemporal_right.x, 1e-9);
  EXPECT_NEAR(l.nape.y, p.nape_height_mm, 1e-9);
  // Head breadth at the ears: between the tragions, narrower than the vault.
  EXPECT_LT(l.ear_canal_right.x * 2, h.vault().ax * 2);
}

TEST(Scalp, AreaSpansTheBriefsRangeOverItsCircumferenceRange) {
  const auto area_at = [](double circumference) {
    const Head h = *Head::fit(scaled_to_circumference(default_measurements(HeadSex::male), circumference));
    return scalp_area_cm2(Anatomy(h, default_anatomy(HeadSex::male, circumference)));
  };
  const double average = area_at(570);  // brief, section 3: adult male ~57 cm
  EXPECT_GT(average, 550);              // brief, section 3: hair-bearing scalp 550-800 cm^2
  EXPECT_LT(average, 800);
  EXPECT_NEAR(area_at(530), 550, 0.03 * 550);  // the smallest head of the brief's range
  EXPECT_LT(area_at(620), 800);                // the largest stays inside it
  // Areas scale as lengths squared.
  EXPECT_NEAR(area_at(620) / area_at(530), std::pow(620.0 / 530.0, 2), 0.002);
}

TEST(Scalp, ZonesPartitionTheScalp) {
  for (HeadSex sex : {HeadSex::male, HeadSex::female}) {
    const Anatomy a(*Head::fit(default_measurements(sex)), default_anatomy(sex, default_measurements(sex).circumference_mm));
    const auto zones = zone_areas_cm2(a);
    double sum = 0;
    for (std::size_t i = 0; i < zones.size(); ++i) {
      EXPECT_GT(zones[i], 5.0) << to_string(static_cast<Zone>(i));
      sum += zones[i];
    }
    EXPECT_NEAR(sum, scalp_area_cm2(a), 1e-9 * sum);
    const auto z = [&](Zone zone) { return zones[static_cast<std::size_t>(zone)]; };
    EXPECT_NEAR(z(Zone::temple_left), z(Zone::temple_right), 0.005 * z(Zone::temple_left));
    EXPECT_NEAR(z(Zone::parietal_left), z(Zone::parietal_right), 0.005 * z(Zone::parietal_left));
    // The crown zone is the disc around the whorl: pi r^2 on a gently curved surface.
    EXPECT_NEAR(z(Zone::crown), kPi * 4.0 * 4.0, 0.03 * kPi * 16.0);
    // The hairline band: its width times the frontal hairline's length, roughly.
    EXPECT_GT(z(Zone::hairline), 8.0);
    EXPECT_LT(z(Zone::hairline), 20.0);
  }
}

TEST(Scalp, TheHairBoundaryIsSmoothSymmetricAndPeriodic) {
  const Anatomy a(*Head::fit(default_measurements(HeadSex::male)), default_anatomy(HeadSex::male, 570));
  for (double phi = 0; phi < kPi; phi += 0.05) EXPECT_NEAR(a.boundary_theta(phi), a.boundary_theta(-phi), 1e-12);
  EXPECT_NEAR(a.boundary_theta(kPi - 1e-9), a.boundary_theta(-kPi + 1e-9), 1e-6);
  double prev = a.boundary_theta(-kPi);
  for (double phi = -kPi + 0.001; phi < kPi; phi += 0.001) {  // no jumps
    const double t = a.boundary_theta(phi);
    EXPECT_LT(std::abs(t - prev), 0.01) << phi;
    prev = t;
  }
}

TEST(HeadModel, ArcsOfASphereAreHalfGreatCircles) {
  // A sphere centred on the ear canals' line: both arcs are half a great circle
  // (to the inion at the equator's height).
  const double r = 90;
  HeadMeasurements m{2 * kPi * r, 2 * r, 2 * r, r, 1e-9, r, r, 1e-9};
  const Head h = Head::build(m);
  EXPECT_NEAR(h.sagittal_arc_mm(), kPi * r, 1e-6);
  EXPECT_NEAR(h.coronal_arc_mm(), kPi * r, 1e-6);
}

TEST(HeadModel, FitsTapeArcsExactly) {
  const HeadMeasurements base = default_measurements(HeadSex::male);
  const Head plain = *Head::fit(base);
  // Each arc alone moves the vertex; both together also the proportions.
  for (auto [sagittal, coronal] : {std::pair{0.0, 370.0}, std::pair{350.0, 0.0}, std::pair{355.0, 350.0},
                                   std::pair{345.0, 365.0}}) {
    HeadMeasurements m = base;
    m.sagittal_arc_mm = sagittal;
    m.coronal_arc_mm = coronal;
    auto h = Head::fit(m);
    ASSERT_TRUE(h) << h.error().message();
    if (sagittal > 0) {
      EXPECT_NEAR(h->sagittal_arc_mm(), sagittal, 0.01);
    }
    if (coronal > 0) {
      EXPECT_NEAR(h->coronal_arc_mm(), coronal, 0.01);
    }
    EXPECT_NEAR(ellipse_perimeter(h->vault().ax, h->vault().az), base.circumference_mm, 1e-6);
    EXPECT_NEAR(h->measurements().sagittal_arc_mm, h->sagittal_arc_mm(), 1e-9);
  }
  // A longer sagittal arc at the same coronal arc means a longer, narrower head.
  HeadMeasurements a = base, b = base;
  a.coronal_arc_mm = b.coronal_arc_mm = 355;
  a.sagittal_arc_mm = 340;
  b.sagittal_arc_mm = 355;
  EXPECT_GT(Head::fit(b)->measurements().length_mm, Head::fit(a)->measurements().length_mm);
  // Without arcs, the fit reports the arcs of the default head.
  EXPECT_GT(plain.measurements().sagittal_arc_mm, 0.55 * base.circumference_mm);
  EXPECT_GT(plain.measurements().coronal_arc_mm, 0.55 * base.circumference_mm);
  HeadMeasurements silly = base;
  silly.coronal_arc_mm = 200;
  EXPECT_EQ(Head::fit(silly).error().field, "head.coronal_arc_mm");
  silly = base;
  silly.sagittal_arc_mm = 420;  // in range, but no vertex height of an adult gives it
  silly.coronal_arc_mm = 300;
  EXPECT_FALSE(Head::fit(silly));
}

TEST(HeadModel, ImpossibleMeasurementsAreRefusedByName) {
  HeadMeasurements m = default_measurements(HeadSex::male);
  m.circumference_mm = 300;
  auto r = Head::fit(m);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "head.circumference_mm");
  m = default_measurements(HeadSex::male);
  m.breadth_mm = 250;
  EXPECT_EQ(Head::fit(m).error().field, "head.breadth_mm");
  m = default_measurements(HeadSex::male);
  m.vertex_height_mm = 40;
  EXPECT_EQ(Head::fit(m).error().field, "head.vertex_height_mm");
}

}  // namespace
}  // namespace stipple::scalp
