#include "stipple/design/measure.h"

#include <algorithm>
#include <cmath>

namespace stipple::design {

using scalp::Zone;

// Scar tissue as discs around sample points (FUE punch centres; polylines
// sampled every half millimetre), hashed on a grid for local lookups.
struct Coverage::ScarGrid {
  struct Disc {
    Vec3 c;
    double r;
  };
  double cell = 8;
  std::unordered_map<std::int64_t, std::vector<Disc>> cells;
  std::int64_t key(Vec3 p) const {
    const auto c = [&](double v) { return static_cast<std::int64_t>(std::floor(v / cell)) + 1024; };
    return (c(p.x) * 4096 + c(p.y)) * 4096 + c(p.z);
  }
  // Signed distance from p to the nearest scar edge (negative inside), capped.
  double distance(Vec3 p, double cap) const {
    double best = cap;
    for (int dx = -1; dx <= 1; ++dx)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dz = -1; dz <= 1; ++dz) {
          const auto it = cells.find(key({p.x + dx * cell, p.y + dy * cell, p.z + dz * cell}));
          if (it == cells.end()) continue;
          for (const Disc& d : it->second) best = std::min(best, stipple::distance(p, d.c) - d.r);
        }
    return best;
  }
};

Coverage::Coverage(const Design& d, const scalp::Anatomy& a)
    : d_(d), a_(a), field_(a.head(), d.hair_loss), curve_(a.head(), d.hairline), scars_(std::make_unique<ScarGrid>()) {
  // Cells at least as large as the reach of any disc plus the margin, so the
  // 27 neighbouring cells always hold every disc that matters.
  double widest = 0;
  for (const scalp::Scar& s : d.hair_loss.scars) widest = std::max(widest, s.width_mm);
  scars_->cell = std::max(4.0, widest / 2 + d.scar_margin_mm + 1);
  for (const scalp::Scar& s : d.hair_loss.scars) {
    const double r = s.width_mm / 2;
    if (s.kind == assess::ScarKind::FUE) {
      for (const Vec3& p : s.path) scars_->cells[scars_->key(p)].push_back({p, r});
      continue;
    }
    for (std::size_t i = 0; i + 1 < s.path.size(); ++i) {
      const Vec3 a0 = s.path[i], a1 = s.path[i + 1];
      const int n = std::max(1, static_cast<int>(std::ceil(stipple::distance(a0, a1) / 0.5)));
      for (int k = 0; k < n; ++k) {
        const Vec3 p = a0 + (a1 - a0) * (static_cast<double>(k) / n);
        scars_->cells[scars_->key(p)].push_back({p, r});
      }
    }
    if (!s.path.empty()) scars_->cells[scars_->key(s.path.back())].push_back({s.path.back(), r});
  }
  for (Zone z : d.treated_zones) treated_[static_cast<std::size_t>(z)] = true;
}

Coverage::~Coverage() = default;

double Coverage::remaining(double theta, double phi) const {
  return field_.remaining({theta * std::sin(phi), theta * std::cos(phi)});
}

bool Coverage::near_scar(Vec3 p, double margin_mm) const {
  return !scars_->cells.empty() && scars_->distance(p, margin_mm + 1) < margin_mm;
}

bool Coverage::in_scar(Vec3 p) const { return near_scar(p, 0.0); }

double Coverage::scar_distance(Vec3 p, double cap) const { return scars_->cells.empty() ? cap : scars_->distance(p, cap); }

bool Coverage::has_scars() const { return !scars_->cells.empty(); }

bool Coverage::wanted(double theta, double phi) const {
  if (curve_.in_front(theta, phi)) return false;
  const Vec2 uv{theta * std::sin(phi), theta * std::cos(phi)};
  if (near_scar(a_.head().point(theta, phi), d_.scar_margin_mm)) return true;
  switch (d_.look) {
    case Look::shaved: return field_.near_loss(uv, d_.blend_mm);
    case Look::density:
    case Look::patch_camouflage: return field_.remaining(uv) < 0.97;
    case Look::scar_camouflage: return false;
  }
  return false;
}

bool Coverage::pigmented(double theta, double phi, Zone zone) const {
  return treated_[static_cast<std::size_t>(zone)] && wanted(theta, phi);
}

Measurement measure(const Design& d, const scalp::Anatomy& a, const scalp::SurfaceIntegrator& grid) {
  const Coverage cov(d, a);
  Measurement m;
  m.sagittal_arc_mm = a.head().sagittal_arc_mm();
  m.coronal_arc_mm = a.head().coronal_arc_mm();
  std::array<ZoneMeasurement, kZoneCount> zones{};
  for (std::size_t i = 0; i < kZoneCount; ++i) {
    zones[i].zone = static_cast<Zone>(i);
    zones[i].treated = std::find(d.treated_zones.begin(), d.treated_zones.end(), zones[i].zone) != d.treated_zones.end();
  }
  scalp::for_each_scalp_cell(a, grid, [&](double theta, double phi, double area) {
    ZoneMeasurement& z = zones[static_cast<std::size_t>(a.zone_of(theta, phi))];
    z.area_cm2 += area / 100;
    z.bald_area_cm2 += (1 - cov.remaining(theta, phi)) * area / 100;
    if (z.treated && cov.wanted(theta, phi)) z.treatment_area_cm2 += area / 100;
  });
  // Scar tissue has no hair: it adds what the regions have not already lost there.
  for (const scalp::Scar& s : d.hair_loss.scars) {
    const double per_point = s.area_mm2() / 100 / static_cast<double>(std::max<std::size_t>(1, s.path.size()));
    for (const Vec3& p : s.path) {
      const Vec2 uv = a.head().chart_of(p);
      const double theta = std::hypot(uv.x, uv.y), phi = std::atan2(uv.x, uv.y);
      if (!a.hair_bearing(theta, phi)) continue;
      zones[static_cast<std::size_t>(a.zone_of(theta, phi))].bald_area_cm2 += per_point * cov.remaining(theta, phi);
      m.scar_area_cm2 += per_point;
    }
  }
  for (ZoneMeasurement& z : zones) {
    z.bald_fraction = z.area_cm2 > 0 ? std::min(1.0, z.bald_area_cm2 / z.area_cm2) : 0;
    m.scalp_area_cm2 += z.area_cm2;
    m.bald_area_cm2 += z.bald_area_cm2;
    m.treatment_area_cm2 += z.treatment_area_cm2;
    m.zones.push_back(z);
  }
  return m;
}

namespace {
// Rounds to `decimals` places so that the JSON number prints as written.
double round_to(double v, int decimals) {
  const double k = std::pow(10.0, decimals);
  return std::round(v * k) / k;
}
}  // namespace

io::Json measurement_to_json(const Measurement& m) {
  io::Json j;
  j["schema"] = "stipple.measure/1";
  j["scalp_area_cm2"] = round_to(m.scalp_area_cm2, 1);
  j["bald_area_cm2"] = round_to(m.bald_area_cm2, 1);
  j["treatment_area_cm2"] = round_to(m.treatment_area_cm2, 1);
  j["scar_area_cm2"] = round_to(m.scar_area_cm2, 2);
  j["sagittal_arc_mm"] = round_to(m.sagittal_arc_mm, 1);
  j["coronal_arc_mm"] = round_to(m.coronal_arc_mm, 1);
  j["zones"] = io::Json::array();
  for (const ZoneMeasurement& z : m.zones) {
    io::Json zj;
    zj["zone"] = std::string(to_string(z.zone));
    zj["area_cm2"] = round_to(z.area_cm2, 1);
    zj["bald_fraction"] = round_to(z.bald_fraction, 3);
    zj["treated"] = z.treated;
    zj["treatment_area_cm2"] = round_to(z.treatment_area_cm2, 1);
    j["zones"].push_back(zj);
  }
  return j;
}

}  // namespace stipple::design
