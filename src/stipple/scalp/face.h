// stipple/scalp/face.h: the face below the hairline, for the pictures and the
// design diagrams, so that the hairline's height reads as it will on the
// client.
//
// Proportions follow the head's own anthropometry: the middle third of the
// face (glabella to subnasale) is the forehead height the design places the
// juvenile hairline at (brief section 11, the rule of thirds; AnatomyParams::
// forehead_height_mm), and every other length is the published adult mean
// scaled by that third against the published one: the facial measurements of
// Table 9 of "Facial anthropometric evaluation" (J Korean Assoc Maxillofac
// Plast Reconstr Surg / Maxillofac Plast Reconstr Surg 2019, s40902-019-0191-7),
// men and women apart. Units: mm, in the head's frame (y up, z toward the face,
// x toward the ear canal at +x).
//
// The face is a mannequin's: axis-aligned ellipsoids for the lower face and
// jaw, the nose (bridge and tip) and the eyes, and painted brows and lips. The
// vault, ears and neck are the renderer's.
#pragma once

#include <array>
#include <vector>

#include "stipple/core/geometry.h"
#include "stipple/scalp/anatomy.h"
#include "stipple/scalp/head.h"

namespace stipple::scalp {

// An axis-aligned ellipsoid: centre and semi-axes.
struct FacePart {
  Vec3 c, r;
};

// A brow: its lower edge and thickness at points from the inner end (near the
// midline) to the outer end; x of the points grows away from the midline.
struct Brow {
  std::vector<Vec3> line;          // on the surface, inner to outer
  std::vector<double> thickness;   // mm, same length
};

struct Face {
  double third_mm = 0;       // glabella to subnasale
  double scale = 1;          // third_mm over the published glabella-subnasale
  Vec3 subnasale, stomion, menton;
  FacePart lower_face;       // cheeks and mouth
  FacePart chin;
  FacePart nose_bridge, nose_tip;
  std::array<FacePart, 2> eyes;          // eyeballs showing through the eyelids
  std::array<Vec3, 2> pupils;            // the eyes' front points, looking ahead
  double iris_radius_mm = 0, pupil_radius_mm = 0;
  double eye_depth_mm = 0;  // an eyeball's centre behind the lids; its front stands eye.r.z - this out
  std::array<Brow, 2> brows;
  double mouth_half_width_mm = 0;        // cheilion to the midline
  double upper_lip_mm = 0, lower_lip_mm = 0;  // vermilion heights at the midline
  // All parts, for ray casting: lower face, chin, bridge, tip, two eyes.
  std::vector<FacePart> parts() const;
};

// The face of a head of `sex` (the design's head_sex) on anatomy `a`.
Face make_face(const Anatomy& a, HeadSex sex);

}  // namespace stipple::scalp
