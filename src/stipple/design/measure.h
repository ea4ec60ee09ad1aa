// stipple/design/measure.h: what a design covers, in cm^2 (`design measure`).
#pragma once

#include <memory>
#include <unordered_map>
#include <vector>

#include "stipple/design/design.h"
#include "stipple/io/json_document.h"

namespace stipple::design {

// Where a design puts dots and how much hair is left, point by point.
class Coverage {
 public:
  Coverage(const Design& d, const scalp::Anatomy& anatomy);
  ~Coverage();
  Coverage(const Coverage&) = delete;
  Coverage& operator=(const Coverage&) = delete;

  // Hair density left at a scalp point, as a fraction of normal.
  double remaining(double theta, double phi) const;
  // Inside a scar (no hair grows there).
  bool in_scar(Vec3 p) const;
  // Signed distance in mm from p to the nearest scar edge (negative inside),
  // or `cap` when no scar is closer than that.
  double scar_distance(Vec3 p, double cap) const;
  bool has_scars() const;
  // The look wants dots here (any zone): shaved, the loss and a blend margin
  // into the remaining hair; density, where hair is thinner than normal; and
  // always the scars with their margin. Never in front of the hairline.
  bool wanted(double theta, double phi) const;
  // Wanted and in a treated zone.
  bool pigmented(double theta, double phi, scalp::Zone zone) const;

  const HairlineCurve& hairline() const { return curve_; }

 private:
  struct ScarGrid;
  bool near_scar(Vec3 p, double margin_mm) const;

  const Design& d_;
  const scalp::Anatomy& a_;
  scalp::LossField field_;
  HairlineCurve curve_;
  std::unique_ptr<ScarGrid> scars_;
  std::array<bool, kZoneCount> treated_{};
};

struct ZoneMeasurement {
  scalp::Zone zone;
  double area_cm2 = 0;
  double bald_area_cm2 = 0;
  double bald_fraction = 0;
  bool treated = false;
  double treatment_area_cm2 = 0;
};

struct Measurement {
  double scalp_area_cm2 = 0;
  double bald_area_cm2 = 0;       // hair lost, as the equivalent fully bald area
  double treatment_area_cm2 = 0;  // to be pigmented
  double scar_area_cm2 = 0;
  double sagittal_arc_mm = 0, coronal_arc_mm = 0;  // of the fitted head
  std::vector<ZoneMeasurement> zones;  // in contract order
};

// Integrates over the scalp on `grid` (the default resolves areas to 0.1%).
Measurement measure(const Design& d, const scalp::Anatomy& anatomy, const scalp::SurfaceIntegrator& grid = {480, 960});

// `stipple.measure/1`.
io::Json measurement_to_json(const Measurement& m);

}  // namespace stipple::design
