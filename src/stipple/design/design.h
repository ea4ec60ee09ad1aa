// stipple/design/design.h: the treatment design of one client.
//
// A design is everything the later steps need, on the client's own head in
// millimetres: the head and its anatomy, the map of hair loss and scars, the
// hairline to draw, the look, which zones are treated, the target density per
// zone, the pigment shade and the seed. It is saved as `stipple.design/1`
// (design_json.cpp), and every part of it can be edited in that file.
// docs/design.md documents each field and the rules behind each default.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stipple/assess/assess.h"
#include "stipple/assess/intake.h"
#include "stipple/assess/vocabulary.h"
#include "stipple/scalp/anatomy.h"
#include "stipple/scalp/hair_loss.h"

namespace stipple::design {

enum class Look { shaved, density, scar_camouflage, patch_camouflage };
enum class HairlineStyle { natural, soft, defined, mature };

struct Hairline {
  HairlineStyle style = HairlineStyle::natural;
  double transition_mm = 8;    // density ramps up over this width behind the line
  double irregularity_mm = 1.5;  // how far single dots may stray from the line (the pattern's jitter)
  // Surface points from the left temple to the right (azimuth increasing); the
  // line runs through them. Empty: no hairline is designed (scar or patch
  // camouflage keep the client's own), and nothing limits the dots at the front.
  std::vector<Vec3> control_points;
  bool designed() const { return control_points.size() >= 2; }
};

// The pigment's undertone (brief section 11, "Pigment": carbon black diluted
// with water; blended inks can heal blue and warm-toned pigments counter a
// blue cast; Fitzpatrick V-VI: warmer-toned dots).
enum class PigmentTone { neutral, warm, cool };

struct Pigment {
  std::optional<assess::HairColor> hair_color;
  std::optional<int> fitzpatrick;
  double shade = 0.7;     // pigment strength 0..1 of the healed dots
  int water_percent = 30;  // distilled water in the dilution
  PigmentTone tone = PigmentTone::neutral;
};

inline constexpr std::size_t kZoneCount = 10;
using ZoneValues = std::array<double, kZoneCount>;

struct Design {
  std::optional<std::string> client_name;
  assess::Sex sex = assess::Sex::male;
  int age = 40;
  std::uint64_t seed = 1;
  scalp::HeadMeasurements head;  // as measured (arcs 0 when not measured); the fit derives the rest
  scalp::AnatomyParams anatomy;
  Look look = Look::shaved;
  std::optional<assess::Norwood> norwood;
  std::optional<assess::Ludwig> ludwig;
  scalp::HairLossMap hair_loss;
  Hairline hairline;
  double blend_mm = 20;        // shaved look: dots continue this far into the remaining hair
  double scar_margin_mm = 10;  // scars: the blend reaches this far beyond each edge (scar_blend_mm)
  int sessions = 3;           // 2-4 (brief section 7: 3 typical, scars may need more)
  // Fraction 0-0.6 of the body dots (not hairline, not scar) that head a
  // follicular unit of two or three dots; 0 places single dots only.
  double follicular_units = 0;
  std::vector<scalp::Zone> treated_zones;
  ZoneValues target_per_cm2{};
  Pigment pigment;
  std::vector<std::string> notes;  // what the practitioner must still complete
  // The assessment of the intake the design was made from (`design new
  // --from-intake`): its candidacy and the rules that block booking
  // (assess/gate.h), so that `plan` without --intake cannot book a client the
  // assessment declines or refers.
  struct IntakeAssessment {
    assess::Candidacy candidacy = assess::Candidacy::candidate;
    std::vector<assess::RuleId> blocking_rules;
  };
  std::optional<IntakeAssessment> intake_assessment;
};

// A patch of alopecia areata placed without coordinates (docs/design.md,
// "Patches"): in `zone`, toward `clock` (1-12; 0 = the zone's middle) seen from
// above, 12 toward the face and 3 toward the client's right ear (occipital and
// nape seen from behind: 12 up), halfway from the zone's middle to its edge;
// a round bald patch `diameter_mm` across.
struct Patch {
  scalp::Zone zone = scalp::Zone::crown;
  int clock = 0;
  double diameter_mm = 30;
};

// Parses "ZONE:CLOCK:DIAMETER_MM" (e.g. "crown:2:30"); errors name `option`.
Result<Patch> parse_patch(std::string_view text, std::string_view option);

// What `design new` takes (the contract's options, or what an intake says).
struct DesignOptions {
  std::optional<std::string> client_name;
  assess::Sex sex = assess::Sex::male;
  int age = 40;
  std::optional<assess::Norwood> norwood;
  std::optional<assess::Ludwig> ludwig;
  std::optional<Look> look;
  std::optional<HairlineStyle> hairline;
  std::optional<double> head_circumference_mm;
  std::optional<double> sagittal_arc_mm, coronal_arc_mm;  // tape arcs over the top, when measured
  bool total_loss = false;   // alopecia totalis or universalis: the whole scalp
  bool progressing = false;  // loss still advancing: a conservative (mature) hairline
  std::vector<assess::Scar> scars;  // kind, length and width as reported
  std::vector<Patch> patches;       // alopecia areata patches to camouflage
  std::optional<double> face_third_mm;  // glabella to subnasale, when measured (the rule of thirds)
  std::optional<assess::HairColor> hair_color;
  std::optional<int> fitzpatrick;
  std::optional<PigmentTone> pigment_tone;
  std::uint64_t seed = 1;
  double follicular_units = 0;  // see Design::follicular_units
  std::vector<std::string> notes;  // carried into the design's notes
};

// Options from an intake: sex, age, stage, goals, skin, hair and scars.
DesignOptions options_from_intake(const assess::Intake& intake);

// What a design keeps of its intake's assessment (Design::intake_assessment):
// the candidacy and the rules of the booking gate that block (assess/gate.h).
Design::IntakeAssessment intake_assessment_of(const assess::Assessment& a);

// A complete design by the rules of docs/design.md. Errors name the option
// ("head.circumference_mm") when the head cannot be built.
Result<Design> make_design(const DesignOptions& options);

// The head and anatomy of a design.
scalp::HeadSex head_sex(const Design& d);
Result<scalp::Anatomy> build_anatomy(const Design& d);

// Defaults, exposed for tests and docs.
scalp::HeadMeasurements default_head(assess::Sex sex, bool ludwig);
ZoneValues default_targets();
Pigment pigment_for(std::optional<assess::HairColor> hair, std::optional<int> fitzpatrick);
// Warm for Fitzpatrick V-VI (brief section 11), neutral otherwise.
PigmentTone default_tone(std::optional<int> fitzpatrick);
// The blend each side of a scar of `width_mm` (docs/design.md, "Scars"):
// 10 mm, or twice the scar's width when that is more (brief section 11).
double scar_blend_mm(double width_mm);
// The colour of hair as sRGB 0..1 (dark brown when unknown).
std::array<double, 3> hair_srgb(std::optional<assess::HairColor> hair);

// Who the hairline is for: the rules of docs/design.md, "The hairline".
struct HairlineClient {
  assess::Sex sex = assess::Sex::male;
  int age = 40;
  std::optional<assess::Norwood> norwood;
  std::optional<int> fitzpatrick;
  bool conservative = false;  // under 25 or still progressing (CI-PROGRESSING)
};
// The rise of a man's hairline above the juvenile line at the midline, mm along
// the surface (brief section 11: a mature hairline 1.5-2 cm above the juvenile
// one; older clients and advanced loss higher), before head scaling.
double mature_rise_mm(const HairlineClient& c);
// Half the distance between the outer eye corners (biocular width) of an
// average adult of `sex`, mm; the temporal points sit on the line up from it.
double outer_canthus_mm(assess::Sex sex);
// The designed hairline on `anatomy`. `style` empty: the age, stage and skin
// of the client choose it (natural, or mature when conservative).
Hairline hairline_for(const scalp::Anatomy& anatomy, const HairlineClient& client,
                      std::optional<HairlineStyle> style = std::nullopt);
// The skin in front of a designed hairline down to the face, as a bare region
// named "forehead" (nothing there is hair in the finished look), or nothing
// when the design has no hairline.
std::optional<scalp::LossRegion> forehead_region(const scalp::Anatomy& anatomy, const Hairline& line);
// A round patch on the scalp (see Patch), as a bald region.
Result<scalp::LossRegion> patch_region(const scalp::Anatomy& anatomy, const Patch& patch);

// The hairline as a function: its polar angle at azimuth phi, and whether a
// chart point lies in front of it (toward the face, between its ends).
class HairlineCurve {
 public:
  HairlineCurve(const scalp::Head& head, const Hairline& line);
  bool covers(double phi) const { return !phi_.empty() && phi >= phi_.front() && phi <= phi_.back(); }
  double theta_at(double phi) const;
  bool in_front(double theta, double phi) const { return covers(phi) && theta > theta_at(phi); }

 private:
  std::vector<double> phi_, theta_;
};

}  // namespace stipple::design

namespace stipple {
template <>
inline constexpr auto enum_names<design::Look> =
    std::array<std::string_view, 4>{"shaved", "density", "scar_camouflage", "patch_camouflage"};
template <>
inline constexpr auto enum_names<design::PigmentTone> = std::array<std::string_view, 3>{"neutral", "warm", "cool"};
template <>
inline constexpr auto enum_names<design::HairlineStyle> =
    std::array<std::string_view, 4>{"natural", "soft", "defined", "mature"};
}
