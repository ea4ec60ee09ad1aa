// stipple/scalp/hair_loss.h: maps of hair loss on the scalp.
//
// A map is a list of regions and scars on the surface. A region is a closed
// polygon of surface points with the fraction of normal hair density left
// inside it and a feathered edge over which density returns to normal; where
// regions overlap, the sparser one counts. A scar is a polyline with a width
// (an FUT strip, a surgical or injury line) or a set of round punches (FUE);
// no hair grows in it. Maps are generated from the Norwood-Hamilton and Ludwig
// classes with the anatomical anchors of the domain brief (section 4), and can
// be edited point by point in the design file. docs/design.md describes the
// construction of every class.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stipple/assess/vocabulary.h"
#include "stipple/scalp/anatomy.h"

namespace stipple::scalp {

struct LossRegion {
  std::string name;           // "frontal", "vertex", "band", "top", "diffuse" or the user's own
  double remaining = 0;       // hair density left inside, as a fraction of normal (0..1)
  double feather_mm = 12;     // width of the edge, centred on the outline, over which density returns to normal
  std::vector<Vec3> outline;  // closed polygon of surface points, mm, a few mm apart
};

struct Scar {
  assess::ScarKind kind = assess::ScarKind::surgical;
  double width_mm = 2;      // width of the line; for FUE the punch diameter
  std::vector<Vec3> path;   // polyline on the surface; for FUE the punch centres
  double length_mm() const;  // along the path (0 for FUE punches)
  double area_mm2() const;   // scar tissue area: length x width, or punches x pi r^2
};

struct HairLossMap {
  std::vector<LossRegion> regions;
  std::vector<Scar> scars;
};

// Generated maps on a head: every size scales with the head (areas with its square).
HairLossMap norwood_map(const Anatomy& anatomy, assess::Norwood stage);
HairLossMap ludwig_map(const Anatomy& anatomy, assess::Ludwig grade);

// Total loss (alopecia totalis or universalis): the whole hair-bearing scalp bald.
HairLossMap total_loss_map(const Anatomy& anatomy);

// A horizontal FUT strip scar across the back of the head, centred on the
// midline in the occipital donor band.
Scar fut_scar(const Anatomy& anatomy, double length_mm, double width_mm);
// `count` FUE punch scars of `punch_mm` scattered over the donor band of the
// back and sides, deterministic for `seed`, at least 1.5 punch diameters apart.
Scar fue_scars(const Anatomy& anatomy, int count, double punch_mm, std::uint64_t seed);

// A map prepared for fast evaluation at many surface points.
class LossField {
 public:
  LossField(const Head& head, const HairLossMap& map);

  // Hair density left at chart point uv, as a fraction of normal (regions only;
  // scars are measured by their own areas).
  double remaining(Vec2 uv) const;
  // The same, and whether it holds unchanged for every surface point within
  // `reach_mm` of uv's point: no region's feathered edge comes that near (the
  // distance to an outline changes no faster than the point moves). Lets a
  // raster fill whole blocks from one evaluation, exactly.
  double remaining(Vec2 uv, double reach_mm, bool& uniform) const;
  // True when uv lies in a region of loss or within `margin_mm` of one's
  // feathered edge: the area a shaved-look treatment blends into.
  bool near_loss(Vec2 uv, double margin_mm) const;

 private:
  struct Prepared {
    LossRegion region;        // a copy: the field never depends on the map it was made from
    std::vector<Vec2> chart;  // the outline in chart coordinates
    Vec2 lo, hi;              // its bounding box in the chart
  };
  double region_remaining(const Prepared& r, Vec2 uv, Vec3 p, double reach_mm = 0, bool* uniform = nullptr) const;
  bool inside(const Prepared& r, Vec2 uv) const;

  const Head* head_;
  std::vector<Prepared> prepared_;
  double mm_per_rad_min_;  // the shortest surface length of one radian of chart
};

}  // namespace stipple::scalp
