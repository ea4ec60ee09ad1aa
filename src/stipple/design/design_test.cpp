#include <gtest/gtest.h>

#include <cmath>

#include "stipple/design/design_json.h"
#include "stipple/design/diagram.h"
#include "stipple/design/measure.h"

namespace stipple::design {
namespace {

using assess::Norwood;
using assess::Sex;
using scalp::Zone;

Design make(DesignOptions o) {
  auto d = make_design(o);
  EXPECT_TRUE(d) << (d ? "" : d.error().message());
  return *d;
}

DesignOptions norwood(Norwood n) {
  DesignOptions o;
  o.norwood = n;
  return o;
}

// Surface distance along the midline from the juvenile hairline up to the
// design's hairline (its middle control point), and the same at the
// frontotemporal angle.
std::pair<double, double> hairline_rise(const Design& d) {
  const scalp::Anatomy a = *build_anatomy(d);
  const scalp::Head& h = a.head();
  const HairlineCurve c(h, d.hairline);
  const double ft = a.params().frontotemporal_azimuth_deg * kPi / 180;
  const double mid = h.meridian_arc(0, c.theta_at(0), a.boundary_theta(0));
  const double temple = h.meridian_arc(ft, c.theta_at(ft), a.boundary_theta(ft));
  return {mid, temple};
}

TEST(Hairline, MenAtTheMaturePositionWomenOnTheJuvenileLine) {
  const auto [mid, temple] = hairline_rise(make(norwood(Norwood::IV)));
  EXPECT_NEAR(mid, 15.0, 0.5);  // brief, section 4: the mature hairline ~1.5 cm above the juvenile
  EXPECT_GT(temple, mid);       // a slight temple recession
  DesignOptions f;
  f.sex = Sex::female;
  f.ludwig = assess::Ludwig::II;
  const auto [fmid, ftemple] = hairline_rise(make(f));
  EXPECT_NEAR(fmid, 0.0, 0.5);     // rounded, on the juvenile line
  EXPECT_NEAR(ftemple, 0.0, 0.5);  // no temple recession
}

TEST(Hairline, MatureStyleIsHigherAndRecededAndChosenWhenYoungOrProgressing) {
  DesignOptions o = norwood(Norwood::IV);
  o.hairline = HairlineStyle::mature;
  const auto [mid, temple] = hairline_rise(make(o));
  const auto [nmid, ntemple] = hairline_rise(make(norwood(Norwood::IV)));
  EXPECT_GT(mid, nmid + 5);
  EXPECT_GT(temple - mid, ntemple - nmid);  // receded more at the temples than at the middle
  DesignOptions young = norwood(Norwood::III);
  young.age = 22;
  EXPECT_EQ(make(young).hairline.style, HairlineStyle::mature);  // CI-PROGRESSING
  DesignOptions progressing = norwood(Norwood::III);
  progressing.progressing = true;
  EXPECT_EQ(make(progressing).hairline.style, HairlineStyle::mature);
  EXPECT_EQ(make(norwood(Norwood::III)).hairline.style, HairlineStyle::natural);
  // The defined style has the crisp edge; the transition defaults to 8 mm.
  EXPECT_EQ(make(norwood(Norwood::III)).hairline.transition_mm, 8.0);
  DesignOptions defined = norwood(Norwood::III);
  defined.hairline = HairlineStyle::defined;
  EXPECT_LT(make(defined).hairline.transition_mm, 8.0);
}

TEST(Defaults, TargetsComeFromTheBriefsFollicleFigures) {
  const ZoneValues t = default_targets();
  // Brief, section 3: 65-85 FU/cm^2 on average, 80-120 at the back, 40-80 at the temples.
  for (std::size_t z = 0; z < kZoneCount; ++z) {
    EXPECT_GE(t[z], 40);
    EXPECT_LE(t[z], 120);
  }
  EXPECT_GE(t[static_cast<std::size_t>(Zone::occipital)], 80);
  EXPECT_LE(t[static_cast<std::size_t>(Zone::temple_left)], 80);
  EXPECT_GE(t[static_cast<std::size_t>(Zone::crown)], 65);
  EXPECT_LE(t[static_cast<std::size_t>(Zone::crown)], 85);
}

TEST(Defaults, PigmentFollowsHairColourAndSkin) {
  using assess::HairColor;
  EXPECT_GT(pigment_for(HairColor::black, 3).shade, pigment_for(HairColor::brown, 3).shade);
  EXPECT_GT(pigment_for(HairColor::brown, 3).shade, pigment_for(HairColor::blonde, 3).shade);
  // Lighter skin needs more dilution (brief, section 2).
  EXPECT_GT(pigment_for(HairColor::dark_brown, 1).water_percent, pigment_for(HairColor::dark_brown, 6).water_percent);
  const Pigment p = pigment_for(HairColor::dark_brown, 2);
  EXPECT_EQ(p.water_percent, static_cast<int>(std::lround((1 - p.shade) * 100)));
}

TEST(Defaults, LookFollowsTheGoalsOrTheCase) {
  EXPECT_EQ(make(norwood(Norwood::V)).look, Look::shaved);
  DesignOptions f;
  f.sex = Sex::female;
  f.ludwig = assess::Ludwig::I;
  EXPECT_EQ(make(f).look, Look::density);
  DesignOptions scar;
  scar.scars.push_back({assess::ScarKind::FUT, 180.0, 3.0});
  const Design s = make(scar);
  EXPECT_EQ(s.look, Look::scar_camouflage);
  ASSERT_EQ(s.hair_loss.scars.size(), 1u);
  EXPECT_NEAR(s.hair_loss.scars[0].length_mm(), 180, 2);
  DesignOptions surgical;
  surgical.scars.push_back({assess::ScarKind::surgical, 60.0, std::nullopt});
  EXPECT_EQ(make(surgical).notes.size(), 1u);  // no position: the practitioner must draw it
}

TEST(Measure, ZonesAddUpAndTheShavedLookCoversTheLoss) {
  const Design d = make(norwood(Norwood::IV));
  const scalp::Anatomy a = *build_anatomy(d);
  const Measurement m = measure(d, a);
  double area = 0, bald = 0, treated = 0;
  for (const ZoneMeasurement& z : m.zones) {
    area += z.area_cm2;
    bald += z.bald_fraction * z.area_cm2;
    treated += z.treatment_area_cm2;
    EXPECT_LE(z.treatment_area_cm2, z.area_cm2 + 1e-9);
  }
  EXPECT_NEAR(area, m.scalp_area_cm2, 1e-9);
  EXPECT_NEAR(area, scalp::scalp_area_cm2(a), 0.002 * area);  // the coarser grid agrees to 0.2%
  EXPECT_NEAR(bald, m.bald_area_cm2, 1e-6);
  EXPECT_NEAR(treated, m.treatment_area_cm2, 1e-9);
  EXPECT_GT(m.bald_area_cm2, 60);   // brief, section 4: Norwood IV 60-120 cm^2
  EXPECT_LT(m.bald_area_cm2, 120);
  // A shaved look pigments the loss and blends into the remaining hair.
  EXPECT_GT(m.treatment_area_cm2, m.bald_area_cm2);
  const auto zone = [&](Zone z) { return m.zones[static_cast<std::size_t>(z)]; };
  EXPECT_TRUE(zone(Zone::crown).treated);
  EXPECT_TRUE(zone(Zone::front).treated);
  EXPECT_FALSE(zone(Zone::nape).treated);
  EXPECT_GT(zone(Zone::crown).bald_fraction, 0.5);
  EXPECT_LT(zone(Zone::nape).bald_fraction, 0.01);
  // Nothing in front of the planned hairline: the hairline band lies before
  // the mature line of an adult man.
  EXPECT_LT(zone(Zone::hairline).treatment_area_cm2, 1.0);
}

TEST(Measure, ScarCamouflageCoversTheScarAndItsMargin) {
  DesignOptions o;
  o.scars.push_back({assess::ScarKind::FUT, 200.0, 2.0});
  const Design d = make(o);
  const Measurement m = measure(d, *build_anatomy(d));
  EXPECT_NEAR(m.scar_area_cm2, 4.0, 0.1);  // 200 mm x 2 mm
  // 200 mm long, 2 + 2 x 3 mm wide, plus the rounded ends.
  const double want = (200 * 8 + kPi * 16) / 100;
  EXPECT_NEAR(m.treatment_area_cm2, want, 0.08 * want);
}

TEST(DesignFile, RoundTripsByteForByte) {
  DesignOptions scarred = norwood(Norwood::III_vertex);
  scarred.scars.push_back({assess::ScarKind::FUE, std::nullopt, std::nullopt});
  scarred.scars.push_back({assess::ScarKind::FUT, 150.0, 1.5});
  scarred.hair_color = assess::HairColor::black;
  scarred.fitzpatrick = 5;
  scarred.client_name = "A. Client";
  DesignOptions woman;
  woman.sex = Sex::female;
  woman.ludwig = assess::Ludwig::III;
  woman.head_circumference_mm = 541;
  for (const DesignOptions& o : {norwood(Norwood::VII), scarred, woman}) {
    const std::string first = io::dump_document(design_to_json(make(o)));
    auto back = read_design(first, "d.json");
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ(io::dump_document(design_to_json(*back)), first);
  }
}

// Bad design files: each edit must be refused, naming exactly this field.
TEST(DesignFile, BadFilesAreRefusedWithTheFieldPath) {
  const io::Json good = design_to_json(make(norwood(Norwood::IV)));
  ASSERT_TRUE(design_from_json(good, "d.json"));
  const struct {
    const char* pointer;
    io::Json value;
    const char* field;
  } cases[] = {
      {"/schema", "stipple.design/2", "schema"},
      {"/client/sex", "robot", "client.sex"},
      {"/client/age", 130, "client.age"},
      {"/seed", -1, "seed"},
      {"/head/circumference_mm", 300, "head.circumference_mm"},
      {"/head/coronal_arc_mm", 100, "head.coronal_arc_mm"},
      {"/anatomy/forehead_height_mm", "tall", "anatomy.forehead_height_mm"},
      {"/look", "mohawk", "look"},
      {"/hair_loss/norwood", "VIII", "hair_loss.norwood"},
      {"/hair_loss/ludwig", "II", "hair_loss.ludwig"},
      {"/hair_loss/regions/0/remaining", 1.5, "hair_loss.regions[0].remaining"},
      {"/hair_loss/regions/1/outline_mm/3", io::Json::array({0, 0, 0}), "hair_loss.regions[1].outline_mm[3]"},
      {"/hair_loss/regions/0/outline_mm/2", io::Json::array({1, 2}), "hair_loss.regions[0].outline_mm[2]"},
      {"/hair_loss/regions/0/colour", "red", "hair_loss.regions[0].colour"},
      {"/hair_loss/scars", io::Json::array({{{"kind", "FUT"}, {"width_mm", 2}}}), "hair_loss.scars[0].path_mm"},
      {"/hairline/style", "wavy", "hairline.style"},
      {"/hairline/transition_mm", 80, "hairline.transition_mm"},
      {"/hairline/control_points_mm/0", io::Json::array({0, 0, 0}), "hairline.control_points_mm[0]"},
      {"/treatment/zones/0", "ear", "treatment.zones[0]"},
      {"/treatment/zones/1", "temple_left", "treatment.zones[1]"},
      {"/target_per_cm2/crown", 0, "target_per_cm2.crown"},
      {"/pigment/shade", 2, "pigment.shade"},
      {"/pigment/fitzpatrick", 7, "pigment.fitzpatrick"},
      {"/extra", true, "extra"},
  };
  for (const auto& c : cases) {
    io::Json bad = good;
    bad[io::Json::json_pointer(c.pointer)] = c.value;
    auto r = design_from_json(bad, "d.json");
    ASSERT_FALSE(r) << c.pointer;
    EXPECT_EQ(r.error().field, c.field) << c.pointer << ": " << r.error().message();
    EXPECT_EQ(r.error().file, "d.json");
  }
  // Hairline points out of order (right to left) are refused too.
  io::Json reversed = good;
  auto& pts = reversed["hairline"]["control_points_mm"];
  std::reverse(pts.begin(), pts.end());
  EXPECT_EQ(design_from_json(reversed, "d.json").error().field, "hairline.control_points_mm[1]");
  // A missing required field.
  io::Json missing = good;
  missing.erase("pigment");
  EXPECT_EQ(design_from_json(missing, "d.json").error().field, "pigment");
}

TEST(Diagram, DrawsEveryViewAsAPng) {
  DesignOptions o = norwood(Norwood::V);
  o.scars.push_back({assess::ScarKind::FUT, std::nullopt, std::nullopt});
  const Design d = make(o);
  for (View v : {View::top, View::front, View::left, View::right, View::back}) {
    auto png = render_diagram(d, {v, 400, 400});
    ASSERT_TRUE(png);
    ASSERT_GT(png->size(), 1000u);
    EXPECT_EQ(png->substr(1, 3), "PNG");
    // Same design, same bytes.
    EXPECT_EQ(*render_diagram(d, {v, 400, 400}), *png);
  }
}

}  // namespace
}  // namespace stipple::design
