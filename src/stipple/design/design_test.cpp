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

// The designed mid-frontal point's height above the glabella landmark, mm
// along the forehead (the midline), as a practitioner measures it with a tape
// or four fingerbreadths.
double mid_frontal_above_glabella(const Design& d) {
  const scalp::Anatomy a = *build_anatomy(d);
  const scalp::Head& h = a.head();
  const Vec2 g = h.chart_of(a.landmarks().glabella);
  return h.meridian_arc(0, HairlineCurve(h, d.hairline).theta_at(0), std::hypot(g.x, g.y));
}

DesignOptions client(int age, Norwood n) {
  DesignOptions o = norwood(n);
  o.age = age;
  return o;
}

TEST(Hairline, MidFrontalPointAtThePublishedHeightAndHigherWithAge) {
  // Brief section 11: the mid-frontal point about 8 cm above the glabella
  // (Garg, JCAS, four fingerbreadths); a mature line 1.5-2 cm above the
  // juvenile one, which sits a third of the face above glabella.
  const Design young = make(client(36, Norwood::III));
  const Design old = make(client(61, Norwood::Va));  // case grey-anticoagulant-high-sun
  const double h36 = mid_frontal_above_glabella(young), h61 = mid_frontal_above_glabella(old);
  for (double mm : {h36, h61}) {
    EXPECT_GE(mm, 70.0);
    EXPECT_LE(mm, 90.0);
  }
  EXPECT_NEAR(h61, 80.0, 2.0);
  EXPECT_GT(h61, h36 + 3.0);  // older clients get higher lines
  for (const Design* d : {&young, &old}) {
    const double rise = hairline_rise(*d).first;
    EXPECT_GE(rise, 15.0 - 0.3);
    EXPECT_LE(rise, 20.0 + 0.3);
  }
  // No longer the same control points: the middle one moved up the forehead.
  EXPECT_GT(distance(young.hairline.control_points[6], old.hairline.control_points[6]), 3.0);
  // Older: softer (a deeper transition zone), within the brief's 0.5-1 cm.
  EXPECT_GT(old.hairline.transition_mm, young.hairline.transition_mm);
  for (const Design* d : {&young, &old}) {
    EXPECT_GE(d->hairline.transition_mm, 5.0);
    EXPECT_LE(d->hairline.transition_mm, 10.0);
  }
}

TEST(Hairline, TemporalPointsAboveTheOuterEyeCorners) {
  for (Norwood n : {Norwood::III, Norwood::V, Norwood::VII}) {
    const Design d = make(client(45, n));
    const scalp::Anatomy a = *build_anatomy(d);
    // The temporal points: the 3rd and the 3rd from last control point.
    const auto& cp = d.hairline.control_points;
    ASSERT_EQ(cp.size(), 13u);
    const double cx = a.head().vault().center.x;
    EXPECT_NEAR(cp[2].x - cx, -outer_canthus_mm(Sex::male), 0.5);
    EXPECT_NEAR(cp[10].x - cx, outer_canthus_mm(Sex::male), 0.5);
    // Receded there: the temporal points sit higher above the juvenile line than the middle.
    const auto [mid, temple] = hairline_rise(d);
    EXPECT_GT(temple, mid);
  }
}

TEST(Hairline, ConservativeWhenYoungOrProgressingSkinSetsTheEdge) {
  DesignOptions young = client(22, Norwood::III);
  const Design y = make(young);
  EXPECT_EQ(y.hairline.style, HairlineStyle::mature);  // CI-PROGRESSING
  EXPECT_NEAR(hairline_rise(y).first, 20.0, 0.3);      // the top of the brief's 1.5-2 cm
  DesignOptions progressing = client(40, Norwood::III);
  progressing.progressing = true;
  EXPECT_EQ(make(progressing).hairline.style, HairlineStyle::mature);
  EXPECT_EQ(make(client(40, Norwood::III)).hairline.style, HairlineStyle::natural);
  // Darker skin a more defined line, lighter skin a softer one (brief section 11).
  DesignOptions dark = client(40, Norwood::III), light = client(40, Norwood::III);
  dark.fitzpatrick = 6;
  light.fitzpatrick = 1;
  EXPECT_LT(make(dark).hairline.transition_mm, make(light).hairline.transition_mm);
  // The styles keep to the 0.5-1 cm transition zone.
  for (HairlineStyle s : {HairlineStyle::natural, HairlineStyle::soft, HairlineStyle::defined, HairlineStyle::mature}) {
    DesignOptions o = client(40, Norwood::IV);
    o.hairline = s;
    const Design d = make(o);
    EXPECT_GE(d.hairline.transition_mm, 5.0) << to_string(s);
    EXPECT_LE(d.hairline.transition_mm, 10.0) << to_string(s);
  }
  // Women keep a rounded line on the juvenile hairline.
  DesignOptions f;
  f.sex = Sex::female;
  f.ludwig = assess::Ludwig::II;
  const auto [fmid, ftemple] = hairline_rise(make(f));
  EXPECT_NEAR(fmid, 0.0, 0.5);
  EXPECT_NEAR(ftemple, 0.0, 1.0);
  // A measured face places the juvenile line a third of the face above glabella.
  DesignOptions tall = client(40, Norwood::III);
  tall.face_third_mm = 68;
  EXPECT_NEAR(mid_frontal_above_glabella(make(tall)) - mid_frontal_above_glabella(make(client(40, Norwood::III))), 8.0,
              0.5);
}

TEST(Hairline, NoHairInFrontOfTheDesignedLineForEveryNorwoodClass) {
  // Case nw6-poor-donor-high-sun: the forehead kept specks of "remaining hair".
  for (std::size_t k = 0; k < enum_names<Norwood>.size(); ++k) {
    for (int age : {30, 61}) {
      const Norwood n = static_cast<Norwood>(k);
      const Design d = make(client(age, n));
      if (n == Norwood::I) {  // no recession: the client's own juvenile line stays, none is designed
        EXPECT_FALSE(d.hairline.designed());
        continue;
      }
      const scalp::Anatomy a = *build_anatomy(d);
      const scalp::LossField field(a.head(), d.hair_loss);
      const HairlineCurve curve(a.head(), d.hairline);
      int checked = 0;
      for (int j = 0; j < 240; ++j)
        for (int i = 0; i < 160; ++i) {
          const double phi = -kPi / 2 + kPi * (j + 0.5) / 240, theta = 0.2 + 1.4 * (i + 0.5) / 160;
          if (!a.hair_bearing(theta, phi) || !curve.in_front(theta, phi)) continue;
          ++checked;
          ASSERT_EQ(field.remaining({theta * std::sin(phi), theta * std::cos(phi)}), 0.0)
              << to_string(n) << " age " << age << " at theta " << theta << " phi " << phi;
        }
      EXPECT_GT(checked, 100) << to_string(n);
    }
  }
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

TEST(Measure, ScarCamouflageCoversTheScarAndItsBlend) {
  DesignOptions o;
  o.scars.push_back({assess::ScarKind::FUT, 200.0, 2.0});
  const Design d = make(o);
  EXPECT_EQ(d.scar_margin_mm, 10.0);  // brief section 11: default blend 10 mm each side
  const Measurement m = measure(d, *build_anatomy(d));
  EXPECT_NEAR(m.scar_area_cm2, 4.0, 0.1);  // 200 mm x 2 mm
  // 200 mm long, 2 + 2 x 10 mm wide, plus the rounded ends.
  const double want = (200 * 22 + kPi * 121) / 100;
  EXPECT_NEAR(m.treatment_area_cm2, want, 0.08 * want);
}

TEST(Scars, BlendWidensWithTheScar) {
  // Brief section 11: default 10 mm each side, wider for wider scars.
  EXPECT_EQ(scar_blend_mm(1), 10.0);
  EXPECT_EQ(scar_blend_mm(5), 10.0);
  EXPECT_EQ(scar_blend_mm(7), 14.0);
  EXPECT_EQ(scar_blend_mm(20), 40.0);  // "sometimes over 2 cm": a blend of several cm
  // Case fut-scar: a 230 x 7 mm strip.
  DesignOptions o;
  o.age = 52;
  o.scars.push_back({assess::ScarKind::FUT, 230.0, 7.0});
  const Design d = make(o);
  EXPECT_EQ(d.look, Look::scar_camouflage);
  EXPECT_EQ(d.scar_margin_mm, 14.0);
  EXPECT_FALSE(d.hairline.designed());  // scar camouflage keeps the client's own hairline
  EXPECT_TRUE(d.hair_loss.regions.empty());
}

TEST(Scars, FutStripFollowsTheCurveOfTheBackEarToEar) {
  DesignOptions o;
  o.scars.push_back({assess::ScarKind::FUT, std::nullopt, std::nullopt});
  const Design d = make(o);
  const scalp::Anatomy a = *build_anatomy(d);
  ASSERT_EQ(d.hair_loss.scars.size(), 1u);
  const scalp::Scar& s = d.hair_loss.scars[0];
  EXPECT_NEAR(s.length_mm(), 200, 2);  // brief: about 20 cm
  const Vec3 mid = s.path[s.path.size() / 2], end = s.path.back();
  EXPECT_LT(mid.z, -50);             // at the back of the head
  EXPECT_GT(end.y, mid.y + 15);      // rising toward the ears along the occipital curve
  const Vec2 e = a.head().chart_of(end);
  EXPECT_GT(std::abs(std::atan2(e.x, e.y)) * 180 / kPi, 90);  // reaching round behind the ears
  EXPECT_LT(std::abs(std::atan2(e.x, e.y)) * 180 / kPi, 125);
  // On hair-bearing skin all along, with room for its blend.
  for (const Vec3& p : s.path) {
    const Vec2 uv = a.head().chart_of(p);
    const double th = std::hypot(uv.x, uv.y), ph = std::atan2(uv.x, uv.y);
    EXPECT_LT(th + (d.scar_margin_mm + s.width_mm / 2) / 80, a.boundary_theta(ph));
  }
}

TEST(Pigment, ToneIsWarmForDarkSkinAndRoundTrips) {
  EXPECT_EQ(pigment_for(assess::HairColor::black, 6).tone, PigmentTone::warm);  // brief section 11
  EXPECT_EQ(pigment_for(assess::HairColor::black, 5).tone, PigmentTone::warm);
  EXPECT_EQ(pigment_for(assess::HairColor::black, 3).tone, PigmentTone::neutral);
  DesignOptions o = norwood(Norwood::III);
  o.pigment_tone = PigmentTone::cool;
  const io::Json j = design_to_json(make(o));
  EXPECT_EQ(j["pigment"]["tone"], "cool");
  EXPECT_EQ(design_from_json(j, "d.json")->pigment.tone, PigmentTone::cool);
  // Optional: a file without it reads as neutral.
  io::Json old = j;
  old["pigment"].erase("tone");
  EXPECT_EQ(design_from_json(old, "d.json")->pigment.tone, PigmentTone::neutral);
  io::Json bad = j;
  bad["pigment"]["tone"] = "blue";
  EXPECT_EQ(design_from_json(bad, "d.json").error().field, "pigment.tone");
}

TEST(Patches, PlacedByZoneClockAndSize) {
  ASSERT_TRUE(parse_patch("crown:2:30", "--patch"));
  const Patch p = *parse_patch("crown:2:30", "--patch");
  EXPECT_EQ(p.zone, Zone::crown);
  EXPECT_EQ(p.clock, 2);
  EXPECT_EQ(p.diameter_mm, 30);
  for (const char* bad : {"crown", "crown:2", "ear:2:30", "crown:13:30", "crown:2:300", "crown:2:3", "crown:x:30",
                          "crown:2:30:1", "crown:-1:30", ":2:30"})
    EXPECT_FALSE(parse_patch(bad, "--patch")) << bad;
  EXPECT_EQ(parse_patch("crown:2", "--patch").error().field, "--patch");

  DesignOptions o;
  o.sex = Sex::female;
  o.patches = {{Zone::crown, 2, 30}, {Zone::occipital, 12, 20}, {Zone::occipital, 6, 20}, {Zone::crown, 0, 40}};
  const Design d = make(o);
  EXPECT_EQ(d.look, Look::patch_camouflage);
  EXPECT_FALSE(d.hairline.designed());
  ASSERT_EQ(d.hair_loss.regions.size(), 4u);
  const scalp::Anatomy a = *build_anatomy(d);
  const auto centre = [](const scalp::LossRegion& r) {
    Vec3 c{0, 0, 0};
    for (const Vec3& q : r.outline) c = c + q;
    return c / static_cast<double>(r.outline.size());
  };
  const auto zone_at = [&](Vec3 q) {
    const Vec2 uv = a.head().chart_of(q);
    return a.zone_of(std::hypot(uv.x, uv.y), std::atan2(uv.x, uv.y));
  };
  for (const scalp::LossRegion& r : d.hair_loss.regions) {
    EXPECT_EQ(r.remaining, 0.0);
    // Round, of the asked diameter: every outline point half of it from the middle.
    const Vec3 c = centre(r);
    double mean = 0;
    for (const Vec3& q : r.outline) mean += distance(q, c) / static_cast<double>(r.outline.size());
    const double want = r.name.ends_with(":20") ? 10 : r.name.ends_with(":30") ? 15 : 20;
    EXPECT_NEAR(mean, want, 1.0) << r.name;
  }
  // crown:2 lies right of and in front of the crown's middle (crown:0).
  const Vec3 c2 = centre(d.hair_loss.regions[0]), c0 = centre(d.hair_loss.regions[3]);
  EXPECT_GT(c2.x, c0.x + 5);
  EXPECT_GT(c2.z, c0.z + 2);
  EXPECT_EQ(zone_at(c2), Zone::crown);
  // Occipital, seen from behind: 12 higher than 6, both in the zone.
  EXPECT_GT(centre(d.hair_loss.regions[1]).y, centre(d.hair_loss.regions[2]).y + 10);
  EXPECT_EQ(zone_at(centre(d.hair_loss.regions[1])), Zone::occipital);
  EXPECT_EQ(zone_at(centre(d.hair_loss.regions[2])), Zone::occipital);
  // Something to pigment: the patches and their edge.
  const Measurement m = measure(d, a);
  const double patches_cm2 = kPi * (15 * 15 + 2 * 10 * 10 + 20 * 20) / 100;
  EXPECT_GT(m.treatment_area_cm2, 0.9 * patches_cm2);
  EXPECT_LT(m.treatment_area_cm2, 1.8 * patches_cm2);
  // The file reads back.
  const std::string text = io::dump_document(design_to_json(d));
  auto back = read_design(text, "d.json");
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(io::dump_document(design_to_json(*back)), text);
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
