#include "stipple/pattern/pattern.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <unordered_map>

#include "stipple/core/rng.h"
#include "stipple/design/design.h"
#include "stipple/design/measure.h"
#include "stipple/pattern/dots_io.h"

namespace stipple::pattern {
namespace {

using design::Design;
using scalp::Zone;

Design design_of(design::DesignOptions o) {
  auto d = design::make_design(o);
  EXPECT_TRUE(d) << (d ? "" : d.error().message());
  return *d;
}

design::DesignOptions norwood(assess::Norwood n) {
  design::DesignOptions o;
  o.norwood = n;
  o.seed = 42;
  return o;
}

Pattern pattern_of(const Design& d, int threads = 1) {
  const scalp::Anatomy a = *design::build_anatomy(d);
  PatternOptions opt;
  opt.threads = threads;
  auto p = make_pattern(d, a, opt);
  EXPECT_TRUE(p) << (p ? "" : p.error().message());
  return *p;
}

Vec3 pos(const Dot& d) { return {d.x_mm, d.y_mm, d.z_mm}; }

// A Norwood V shaved design: the brief's sample client's stage.
const Design& norwood_v() {
  static const Design d = design_of(norwood(assess::Norwood::V));
  return d;
}
const Pattern& norwood_v_pattern() {
  static const Pattern p = pattern_of(norwood_v());
  return p;
}

TEST(Pattern, DotsKeepTheirSpacingAndNeverMerge) {
  const Pattern& p = norwood_v_pattern();
  ASSERT_GT(p.dots.size(), 10000u);
  const std::vector<float> nn = nearest_neighbour_mm(p.dots);
  // No dot comes closer than the finest level's radius (the level above the
  // highest target, 100/cm^2 at the occiput).
  const double finest = p.level_radius_mm.back();
  EXPECT_GT(finest, spacing_for_density_mm(100) / 1.19 - 1e-9);
  for (std::size_t i = 0; i < nn.size(); ++i) ASSERT_GE(nn[i], finest * 0.999) << "dot " << p.dots[i].id;
  // Edges of any two dots stay 0.1 mm apart (no helmet look).
  for (std::size_t i = 0; i < nn.size(); ++i) ASSERT_LE(p.dots[i].diameter_mm, nn[i] - kMinEdgeGapMm + 1e-4);
  // Spacing follows the target: on the bald crown (75/cm^2) the median
  // neighbour sits about 1 mm away, as the brief's follicle spacing.
  std::vector<float> crown;
  for (std::size_t i = 0; i < nn.size(); ++i)
    if (p.dots[i].zone == Zone::crown) crown.push_back(nn[i]);
  std::sort(crown.begin(), crown.end());
  EXPECT_NEAR(crown[crown.size() / 2], 1.0, 0.12);
}

TEST(Pattern, ZoneDensitiesMatchWhatTheDesignPlans) {
  const Pattern& p = norwood_v_pattern();
  for (const ZoneStats& z : p.zones) {
    if (z.dots < 800) continue;
    const double density = static_cast<double>(z.dots) / z.area_cm2;
    const double planned = z.planned_dots / z.area_cm2;
    EXPECT_NEAR(density / planned, 1.0, 0.04) << to_string(z.zone);
    EXPECT_LE(planned, z.target_per_cm2 + 1e-9);
  }
  // A zone bald all over gets its full target: Norwood VII's crown.
  const Pattern p7 = pattern_of(design_of(norwood(assess::Norwood::VII)));
  for (const ZoneStats& z : p7.zones)
    if (z.zone == Zone::mid_scalp) {
      EXPECT_NEAR(static_cast<double>(z.dots) / z.area_cm2, 75, 75 * 0.05);
    }
}

TEST(Pattern, NothingOutsideTreatedZonesAndZonesAreWhereTheDotsAre) {
  const Design& d = norwood_v();
  const scalp::Anatomy a = *design::build_anatomy(d);
  for (const Dot& dot : norwood_v_pattern().dots) {
    const Vec2 uv = a.head().chart_of(pos(dot));
    const double theta = std::hypot(uv.x, uv.y), phi = std::atan2(uv.x, uv.y);
    ASSERT_TRUE(a.hair_bearing(theta, phi)) << dot.id;
    ASSERT_EQ(a.zone_of(theta, phi), dot.zone) << dot.id;
    ASSERT_NE(std::find(d.treated_zones.begin(), d.treated_zones.end(), dot.zone), d.treated_zones.end());
    // On the surface (positions are floats: within a micrometre or so).
    ASSERT_LT(distance(a.head().chart_point(uv), pos(dot)), 0.005);
  }
}

TEST(Pattern, HairlineRampsUpWithTheSmallestLightestDots) {
  const Design& d = norwood_v();
  const scalp::Anatomy a = *design::build_anatomy(d);
  const design::HairlineCurve curve(a.head(), d.hairline);
  // Dots behind the hairline's middle third, binned by surface distance behind it.
  std::map<int, std::vector<const Dot*>> bins;
  for (const Dot& dot : norwood_v_pattern().dots) {
    const Vec2 uv = a.head().chart_of(pos(dot));
    const double theta = std::hypot(uv.x, uv.y), phi = std::atan2(uv.x, uv.y);
    if (std::abs(phi) > 0.35) continue;
    const double behind = a.head().meridian_arc(phi, theta, curve.theta_at(phi));
    const double sign = theta < curve.theta_at(phi) ? 1 : -1;
    bins[static_cast<int>(std::floor(sign * behind / 3))].push_back(&dot);
  }
  const auto count = [&](int b) { return static_cast<double>(bins[b].size()); };
  const auto mean = [&](int b, auto field) {
    double s = 0;
    for (const Dot* x : bins[b]) s += field(*x);
    return s / static_cast<double>(bins[b].size());
  };
  // Density: sparse in the first 3 mm, rising, full by 9-15 mm (transition 8 mm).
  EXPECT_LT(count(0), 0.5 * count(3));
  EXPECT_LT(count(1), count(3));
  EXPECT_NEAR(count(3), count(4), 0.25 * count(4));
  // Nothing far in front of the line.
  EXPECT_EQ(count(-2), 0);
  const auto diameter = [](const Dot& x) { return static_cast<double>(x.diameter_mm); };
  const auto shade = [](const Dot& x) { return static_cast<double>(x.shade); };
  EXPECT_LT(mean(0, diameter), mean(4, diameter) - 0.08);
  EXPECT_LT(mean(0, shade), mean(4, shade) * 0.85);
  for (const Dot* x : bins[0]) EXPECT_EQ(x->needle, Needle::single_point);
  EXPECT_GE(mean(0, diameter), 0.3);
}

// The front edge of the dots, window by window along the line: irregular for
// a natural hairline, nearly straight for a defined one.
double front_edge_spread_mm(const Design& d) {
  const scalp::Anatomy a = *design::build_anatomy(d);
  const design::HairlineCurve curve(a.head(), d.hairline);
  std::map<int, double> front;
  for (const Dot& dot : pattern_of(d).dots) {
    const Vec2 uv = a.head().chart_of(pos(dot));
    const double theta = std::hypot(uv.x, uv.y), phi = std::atan2(uv.x, uv.y);
    if (std::abs(phi) > 0.4) continue;
    const double behind = a.head().meridian_arc(phi, theta, curve.theta_at(phi)) * (theta < curve.theta_at(phi) ? 1 : -1);
    const int w = static_cast<int>(std::floor(phi / 0.04));
    if (!front.contains(w) || behind < front[w]) front[w] = behind;
  }
  double mean = 0, var = 0;
  for (const auto& [w, b] : front) mean += b;
  mean /= static_cast<double>(front.size());
  for (const auto& [w, b] : front) var += (b - mean) * (b - mean);
  return std::sqrt(var / static_cast<double>(front.size()));
}

TEST(Pattern, SoftHairlinesAreIrregularDefinedOnesStraight) {
  // The brief's transition zone is 0.5-1 cm deep in every style (section 11);
  // the soft line, 1 cm deep and the most irregular, against the defined one,
  // 0.5 cm deep with the least jitter.
  design::DesignOptions o = norwood(assess::Norwood::III);
  o.hairline = design::HairlineStyle::soft;
  const double soft = front_edge_spread_mm(design_of(o));
  o.hairline = design::HairlineStyle::defined;
  const double defined = front_edge_spread_mm(design_of(o));
  EXPECT_GT(soft, 0.35);
  EXPECT_LT(defined, soft * 0.6);
}

TEST(Pattern, SessionsAreLayeredAndEachIsWellSpread) {
  const Pattern& p = norwood_v_pattern();
  const std::vector<double> f = session_fractions(3);
  std::array<std::vector<Dot>, 3> by;
  for (const Dot& d : p.dots) by[d.session - 1u].push_back(d);
  const double n = static_cast<double>(p.dots.size());
  EXPECT_NEAR(static_cast<double>(by[0].size()) / n, f[0], 0.03);
  EXPECT_NEAR(static_cast<double>(by[1].size()) / n, f[1] - f[0], 0.03);
  // Session 1 is a foundation in a lighter shade; later sessions are darker.
  const auto mean_shade = [](const std::vector<Dot>& v) {
    double s = 0;
    for (const Dot& d : v) s += d.shade;
    return s / static_cast<double>(v.size());
  };
  EXPECT_LT(mean_shade(by[0]), mean_shade(by[1]) * 0.9);
  EXPECT_GT(mean_shade(by[2]), mean_shade(by[1]));
  // Session 1 alone is blue noise at its own density: on the crown (75/cm^2,
  // 45% in session 1) no two are closer than the spacing of ~34/cm^2 allows at
  // the level below, and no spot of the crown is farther than 2.5 mm from one.
  std::vector<Dot> crown1;
  for (const Dot& d : by[0])
    if (d.zone == Zone::crown) crown1.push_back(d);
  const std::vector<float> nn = nearest_neighbour_mm(crown1);
  for (float v : nn) ASSERT_GT(v, spacing_for_density_mm(0.45 * 75 * 1.42) * 0.999);
  for (const Dot& d : p.dots) {
    if (d.zone != Zone::crown) continue;
    double best = 1e9;
    for (const Dot& s : crown1) best = std::min(best, distance(pos(d), pos(s)));
    ASSERT_LT(best, 2.5) << d.id;
  }
}

TEST(Pattern, AttributesStayInTheBriefsRanges) {
  for (const Dot& d : norwood_v_pattern().dots) {
    ASSERT_GE(d.diameter_mm, 0.25f);
    ASSERT_LE(d.diameter_mm, 0.75f);  // healed dots under 1 mm, typically 0.3-0.7
    ASSERT_GE(d.depth_mm, 0.5f);
    ASSERT_LE(d.depth_mm, 1.0f);      // target depth 0.5-1.0 mm
    ASSERT_GT(d.shade, 0.0f);
    ASSERT_LE(d.shade, 1.0f);
    ASSERT_TRUE(d.session >= 1 && d.session <= 3);
  }
}

TEST(Pattern, SameSeedSameDotsAnyThreadsAndZoneEditsStayInTheirZone) {
  Design d = design_of(norwood(assess::Norwood::IV));
  const Pattern a = pattern_of(d, 1), b = pattern_of(d, 2);
  ASSERT_EQ(a.dots.size(), b.dots.size());
  EXPECT_EQ(dots_binary(a.dots, 3), dots_binary(b.dots, 3));
  Design other_seed = d;
  other_seed.seed = 43;
  EXPECT_NE(dots_binary(pattern_of(other_seed).dots, 3), dots_binary(a.dots, 3));

  const auto outside = [](const Pattern& p, Zone z) {
    std::vector<Dot> v;
    for (const Dot& x : p.dots)
      if (x.zone != z) v.push_back(x);
    return dots_binary(v, 3);
  };
  // A denser mid-scalp (above every other target, so a finer level is added).
  Design denser = d;
  denser.target_per_cm2[static_cast<std::size_t>(Zone::mid_scalp)] = 110;
  const Pattern pd = pattern_of(denser);
  EXPECT_EQ(outside(pd, Zone::mid_scalp), outside(a, Zone::mid_scalp));
  EXPECT_GT(pd.dots.size(), a.dots.size());
  // A zone left out.
  Design fewer = d;
  std::erase(fewer.treated_zones, Zone::crown);
  EXPECT_EQ(outside(pattern_of(fewer), Zone::crown), outside(a, Zone::crown));
}

TEST(Pattern, DensityLookFillsBetweenTheHairThatIsLeft) {
  design::DesignOptions o;
  o.sex = assess::Sex::female;
  o.age = 45;
  o.ludwig = assess::Ludwig::II;
  const Design d = design_of(o);
  ASSERT_EQ(d.look, design::Look::density);
  const Pattern p = pattern_of(d);
  ASSERT_FALSE(p.dots.empty());
  for (const ZoneStats& z : p.zones) {
    // Some hair is left everywhere in Ludwig II: dots make up the difference only.
    EXPECT_LT(z.planned_dots / z.area_cm2, z.target_per_cm2 * 0.95) << to_string(z.zone);
    if (z.dots > 500) {
      EXPECT_NEAR(static_cast<double>(z.dots) / z.planned_dots, 1.0, 0.05) << to_string(z.zone);
    }
  }
}

// Case fut-scar: a 3 mm blend turned a light 7 mm strip into a dark band. The
// blend now reaches 14 mm each side (brief section 11: 10 mm, wider for wider
// scars) and thins and lightens away from the scar: no band of the blend is
// denser or darker than the scar's own dots.
TEST(Pattern, ScarBlendThinsAndLightensAwayFromTheScar) {
  design::DesignOptions o;
  o.age = 52;
  o.scars.push_back({assess::ScarKind::FUT, 230.0, 7.0});
  const Design d = design_of(o);
  ASSERT_EQ(d.scar_margin_mm, 14.0);
  const scalp::Anatomy a = *design::build_anatomy(d);
  const design::Coverage cov(d, a);
  const Pattern p = pattern_of(d);
  // Dots and shade by band: on the scar, then 0-5, 5-10 and 10-14 mm beyond its edge.
  std::array<double, 4> count{}, shade{};
  for (const Dot& x : p.dots) {
    const double ds = cov.scar_distance(pos(x), 20);
    const std::size_t band = ds <= 0 ? 0 : ds < 5 ? 1 : ds < 10 ? 2 : 3;
    count[band] += 1;
    shade[band] += x.shade;
  }
  // Band areas: the strip's length times the band's width on both sides.
  const double len_cm = d.hair_loss.scars.front().length_mm() / 10;
  const std::array<double, 4> area{len_cm * 0.7, len_cm * 1.0, len_cm * 1.0, len_cm * 0.8};
  for (std::size_t b = 1; b < 4; ++b) {
    EXPECT_LT(count[b] / area[b], 0.55 * count[0] / area[0]) << "band " << b;  // half the scar's density at most
    EXPECT_LT(count[b] / area[b], count[b - 1] / area[b - 1] + 1e-9) << "band " << b;
    EXPECT_LT(shade[b] / count[b], shade[0] / count[0]) << "band " << b;  // lighter than the scar's dots
  }
  EXPECT_GT(count[3], 10);  // the blend reaches well beyond the scar
}

TEST(Pattern, ScarCamouflageCoversTheScarWithShallowSinglePointDots) {
  design::DesignOptions o;
  o.scars.push_back({assess::ScarKind::FUT, std::nullopt, std::nullopt});
  o.seed = 3;
  const Design d = design_of(o);
  ASSERT_EQ(d.look, design::Look::scar_camouflage);
  ASSERT_EQ(d.sessions, 3);  // brief section 11: scars, 3 sessions by default
  const Pattern p = pattern_of(d);
  std::size_t on = 0;
  double depth_on = 0, depth_off = 0;
  for (const Dot& x : p.dots) {
    ASSERT_EQ(x.needle, Needle::single_point);  // fine work around a scar
    if (x.scar) ++on, depth_on += x.depth_mm;
    else depth_off += x.depth_mm;
  }
  ASSERT_GT(on, 100u);
  ASSERT_LT(on, p.dots.size());  // the margin blends into the hair around it
  EXPECT_LT(depth_on / static_cast<double>(on), depth_off / static_cast<double>(p.dots.size() - on));
  // Scar tissue: the strip (200 mm x 2 mm default, brief's FUT) is covered at
  // about the surrounding zone's target.
  const double strip_cm2 = d.hair_loss.scars.front().area_mm2() / 100;
  EXPECT_NEAR(static_cast<double>(on) / strip_cm2, 100, 20);
}

TEST(Pattern, FollicularUnitsGroupDotsWithoutMergingAtTheSameDensity) {
  design::DesignOptions o = norwood(assess::Norwood::V);
  o.follicular_units = 0.3;
  const Design d = design_of(o);
  ASSERT_DOUBLE_EQ(d.follicular_units, 0.3);
  const Pattern p = pattern_of(d);
  std::unordered_map<std::uint32_t, const Dot*> by_id;
  for (const Dot& dot : p.dots) by_id[dot.id] = &dot;
  // Units: a centre heads each; satellites are 1RL dots of the centre's
  // session, set beside it with an edge gap of 0.1-0.2 mm.
  std::size_t body_centres = 0, satellites = 0;
  std::unordered_map<std::uint32_t, int> per_unit;
  for (const Dot& dot : p.dots) {
    ASSERT_TRUE(by_id.contains(dot.unit));
    if (dot.unit == dot.id) {
      body_centres += !dot.hairline && !dot.scar && dot.needle == Needle::three_point;
      continue;
    }
    ++satellites;
    ++per_unit[dot.unit];
    const Dot& c = *by_id[dot.unit];
    EXPECT_EQ(c.unit, c.id);
    EXPECT_FALSE(c.hairline);  // the hairline stays single hairs
    EXPECT_EQ(dot.session, c.session);
    EXPECT_EQ(dot.needle, Needle::single_point);
    const double gap = distance(pos(dot), pos(c)) - std::max(dot.diameter_mm, c.diameter_mm);
    EXPECT_GE(gap, kMinEdgeGapMm - 1e-3);
    EXPECT_LE(gap, kMinEdgeGapMm + 0.1 + 0.01);
  }
  ASSERT_GT(body_centres, 5000u);
  EXPECT_NEAR(static_cast<double>(p.grouped_units) / static_cast<double>(body_centres), 0.3, 0.02);
  std::size_t triples = 0;
  for (const auto& [unit, n] : per_unit) triples += n == 2;
  EXPECT_NEAR(static_cast<double>(triples) / static_cast<double>(per_unit.size()), kTripleShare, 0.03);
  EXPECT_LT(static_cast<double>(p.unplaced_satellites), 0.03 * static_cast<double>(satellites));
  // Never merging: every pair keeps 0.1 mm between edges.
  for (const Dot& a : p.dots)
    for (const Dot& b : p.dots) {
      if (a.id >= b.id || std::abs(a.x_mm - b.x_mm) > 1.5f) continue;
      const double dist = distance(pos(a), pos(b));
      ASSERT_GE(dist - 0.5 * (a.diameter_mm + b.diameter_mm), kMinEdgeGapMm - 1e-3) << a.id << " " << b.id;
    }
  // Grouping shows: many dots now have a neighbour closer than the single
  // pattern's smallest spacing, yet every zone keeps its planned density.
  const std::vector<float> nn = nearest_neighbour_mm(p.dots);
  const auto close = static_cast<double>(std::count_if(nn.begin(), nn.end(), [](float v) { return v < 0.8f; }));
  EXPECT_GT(close / static_cast<double>(nn.size()), 0.3);
  const std::vector<float> single_nn = nearest_neighbour_mm(norwood_v_pattern().dots);
  const auto single_close = static_cast<double>(std::count_if(single_nn.begin(), single_nn.end(), [](float v) { return v < 0.8f; }));
  EXPECT_LT(single_close / static_cast<double>(single_nn.size()), 0.03);
  for (const ZoneStats& z : p.zones) {
    if (z.dots < 800) continue;
    EXPECT_NEAR(static_cast<double>(z.dots) / z.planned_dots, 1.0, 0.05) << to_string(z.zone);
  }
  EXPECT_EQ(pattern_stats(p)["follicular_units"]["grouped"], p.grouped_units);
}

TEST(DotsIo, EveryEncodingReadsBackTheSameDots) {
  const Pattern& p = norwood_v_pattern();
  for (DotsFormat f : {DotsFormat::csv, DotsFormat::json, DotsFormat::bin}) {
    auto back = read_dots(encode_dots(p, f), "dots");
    ASSERT_TRUE(back) << back.error().message();
    ASSERT_EQ(back->dots.size(), p.dots.size());
    EXPECT_EQ(back->sessions, 3);
    for (std::size_t i = 0; i < p.dots.size(); i += 97) {
      const Dot &a = p.dots[i], &b = back->dots[i];
      EXPECT_EQ(a.id, b.id);
      EXPECT_EQ(a.session, b.session);
      EXPECT_EQ(a.zone, b.zone);
      EXPECT_EQ(a.needle, b.needle);
      EXPECT_EQ(a.hairline, b.hairline);
      EXPECT_NEAR(a.x_mm, b.x_mm, 1e-4);
      EXPECT_NEAR(a.diameter_mm, b.diameter_mm, 6e-4);
      EXPECT_NEAR(a.shade, b.shade, 1e-4);
      EXPECT_NEAR(a.depth_mm, b.depth_mm, 6e-4);
    }
  }
  EXPECT_EQ(dots_binary(p.dots, 3).size(), kDotHeaderBytes + kDotRecordBytes * p.dots.size());
}

TEST(DotsIo, DamagedFilesAreRefusedByFieldNeverCrash) {
  std::vector<Dot> few(norwood_v_pattern().dots.begin(), norwood_v_pattern().dots.begin() + 20);
  const std::string bin = dots_binary(few, 3), csv = dots_csv(few);
  auto truncated = read_dots(bin.substr(0, bin.size() - 5), "d.bin");
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().field, "header.count");
  std::string bad_zone = bin;
  bad_zone[kDotHeaderBytes + 27] = 77;
  ASSERT_FALSE(read_dots(bad_zone, "d.bin"));
  EXPECT_EQ(read_dots(bad_zone, "d.bin").error().field, "dots[0].zone");
  std::string bad_csv = csv;
  bad_csv.replace(bad_csv.find(",3RL"), 4, ",9RL");
  ASSERT_FALSE(read_dots(bad_csv, "d.csv"));
  EXPECT_NE(read_dots(bad_csv, "d.csv").error().field.find("needle"), std::string::npos);
  // A unit must name a dot of the file, and ids are used once.
  std::string bad_unit = bin;
  bad_unit.replace(kDotHeaderBytes + 4, 4, 4, '\xFF');  // unit 4294967295: no such dot
  ASSERT_FALSE(read_dots(bad_unit, "d.bin"));
  EXPECT_EQ(read_dots(bad_unit, "d.bin").error().field, "dots[0].unit");
  std::vector<Dot> twice = few;
  twice[1].id = twice[0].id;
  ASSERT_FALSE(read_dots(dots_csv(twice), "d.csv"));
  EXPECT_EQ(read_dots(dots_csv(twice), "d.csv").error().field, "record 2, id");
  // Random damage to each encoding: an error or a valid list, never a crash.
  Rng rng(9);
  for (int k = 0; k < 3000; ++k) {
    std::string s = k % 2 ? bin : csv;
    for (int m = 0; m < 1 + static_cast<int>(rng.below(4)); ++m) {
      const std::size_t at = rng.below(static_cast<std::uint32_t>(s.size()));
      switch (rng.below(3)) {
        case 0: s[at] = static_cast<char>(rng.below(256)); break;
        case 1: s.erase(at, 1 + rng.below(8)); break;
        default: s.insert(at, 1, static_cast<char>(rng.below(256)));
      }
    }
    auto r = read_dots(s, "fuzz");
    if (!r) {
      EXPECT_FALSE(r.error().message().empty());
    }
  }
}

}  // namespace
}  // namespace stipple::pattern
