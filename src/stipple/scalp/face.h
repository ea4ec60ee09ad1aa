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
// The nose's tip stands about 20 mm proud of subnasale, the adult nasal
// protrusion of Zankl et al., "Growth charts for nose length, nasal
// protrusion, and philtrum length from birth to 97 years", Am J Med Genet
// 2002;111:388-91.
//
// The neck's girth is the Framingham Heart Study's adult mean (Preis et al.,
// "Neck circumference as a novel measure of cardiometabolic risk", J Clin
// Endocrinol Metab 2010;95(8):3701-10: 40.5 cm men, 34.2 cm women), drawn as
// a round column of that circumference.
//
// The face is a mannequin's: axis-aligned ellipsoids for the lower face and
// jaw, the nose (bridge, tip and the two alae), the eyes and the neck, and
// painted brows, lips and nostrils; the renderer blends their normals where
// they meet and shades the creases. The vault and ears are the renderer's.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "stipple/core/geometry.h"
#include "stipple/scalp/anatomy.h"
#include "stipple/scalp/head.h"

namespace stipple::scalp {

// An ellipsoid: centre, semi-axes r along its own unit axes u, v, w (by
// default the head's x, y, z: axis-aligned). Units: mm, head frame.
struct FacePart {
  Vec3 c, r;
  Vec3 u{1, 0, 0}, v{0, 1, 0}, w{0, 0, 1};
  // p in the part's scaled frame: |local(p)| is 1 on the surface.
  Vec3 local(Vec3 p) const {
    const Vec3 d = p - c;
    return {dot(d, u) / r.x, dot(d, v) / r.y, dot(d, w) / r.z};
  }
  // A direction in the scaled frame.
  Vec3 local_dir(Vec3 k) const { return {dot(k, u) / r.x, dot(k, v) / r.y, dot(k, w) / r.z}; }
  // The outward unit normal at (or the implicit function's gradient direction through) p.
  Vec3 normal_at(Vec3 p) const {
    const Vec3 q = local(p);
    return normalized(u * (q.x / r.x) + v * (q.y / r.y) + w * (q.z / r.z));
  }
  // Half the extent of its bounding box along the head's x, y, z.
  Vec3 half_extent() const {
    const auto along = [&](double a, double b, double cc) { return std::sqrt(a * a * r.x * r.x + b * b * r.y * r.y + cc * cc * r.z * r.z); };
    return {along(u.x, v.x, w.x), along(u.y, v.y, w.y), along(u.z, v.z, w.z)};
  }
  double max_radius() const { return std::max({r.x, r.y, r.z}); }
};

// The part of centre c and semi-axes r turned by `pitch` radians about the
// head's x axis (its v axis leaning forward, toward +z, below the centre)
// and then by `yaw` about y (its w axis turning toward +x).
FacePart oriented_part(Vec3 c, Vec3 r, double pitch, double yaw = 0);

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
  std::array<FacePart, 2> alae;          // the nose's wings, al-al apart at their outer edges
  std::array<FacePart, 2> eyes;          // eyeballs showing through the eyelids
  std::array<Vec3, 2> pupils;            // the eyes' front points, looking ahead
  double iris_radius_mm = 0, pupil_radius_mm = 0;
  double eye_depth_mm = 0;  // an eyeball's centre behind the lids; its front stands eye.r.z - this out
  std::array<Brow, 2> brows;
  FacePart neck;                         // a round column of the published girth, under the vault's back half
  double mouth_half_width_mm = 0;        // cheilion to the midline
  double upper_lip_mm = 0, lower_lip_mm = 0;  // vermilion heights at the midline
  // The face's parts, for ray casting: lower face, chin, bridge, tip, two
  // alae, two eyes (the neck apart: the renderer places it with the ears).
  std::vector<FacePart> parts() const;
};

// The face of a head of `sex` (the design's head_sex) on anatomy `a`.
Face make_face(const Anatomy& a, HeadSex sex);

}  // namespace stipple::scalp
