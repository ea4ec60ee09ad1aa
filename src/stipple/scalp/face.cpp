#include "stipple/scalp/face.h"

#include <algorithm>
#include <cmath>

namespace stipple::scalp {

namespace {

// Adult means of Table 9 (s40902-019-0191-7), mm: men, women.
struct FaceNorms {
  double g_sn, n_sn, sn_me, sn_sto, upper_lip, lower_lip;  // vertical
  double en_en, ex_en, al_al, ch_ch, go_go;                // horizontal
  double neck_girth;  // Preis et al. 2010 (face.h), mm
};
constexpr FaceNorms kMen{64.8, 51.0, 76.4, 25.5, 13.7, 13.8, 32.2, 34.0, 43.2, 55.9, 106.6, 405};
constexpr FaceNorms kWomen{65.3, 47.6, 69.5, 24.0, 13.4, 13.6, 32.1, 33.7, 40.7, 52.0, 96.8, 342};

// The vault's front surface at height y and side x (z toward the face), or
// its centre's z when (x, y) is off the vault.
double vault_front(const Ellipsoid& e, double x, double y) {
  const double ay = y >= e.center.y ? e.ay : e.ay_at(kPi);
  const double q = 1 - (x * x) / (e.ax * e.ax) - ((y - e.center.y) * (y - e.center.y)) / (ay * ay);
  return e.center.z + e.az * std::sqrt(std::max(0.0, q));
}

}  // namespace

FacePart oriented_part(Vec3 c, Vec3 r, double pitch, double yaw) {
  const double cp = std::cos(pitch), sp = std::sin(pitch), cy = std::cos(yaw), sy = std::sin(yaw);
  const auto turn = [&](Vec3 a) { return Vec3{a.x * cy + a.z * sy, a.y, -a.x * sy + a.z * cy}; };
  return {c, r, turn({1, 0, 0}), turn({0, cp, -sp}), turn({0, sp, cp})};
}

std::vector<FacePart> Face::parts() const { return {lower_face, chin, nose_bridge, nose_tip, alae[0], alae[1], eyes[0], eyes[1]}; }

Face make_face(const Anatomy& a, HeadSex sex) {
  const FaceNorms& n = sex == HeadSex::female ? kWomen : kMen;
  const Ellipsoid& e = a.head().vault();
  const Landmarks& l = a.landmarks();
  Face f;
  f.third_mm = a.params().forehead_height_mm;
  f.scale = f.third_mm / n.g_sn;
  const double s = f.scale;
  const Vec3 g = l.glabella;
  const double x0 = e.center.x;
  // Heights: subnasale a third below glabella, the mouth and chin below it.
  const double sn_y = g.y - f.third_mm, sto_y = sn_y - n.sn_sto * s, me_y = sn_y - n.sn_me * s;
  // The lower face: widest across the cheeks, a little below the eyes, and
  // narrowing to menton, as wide at the mouth as the jaw's angles (go-go),
  // its front at the lips 5 mm behind glabella (a straight profile); deep
  // enough that its sides run under the vault. The chin stands out of it.
  {
    const double yc = sn_y + 8 * s, ry = yc - me_y;
    const double km = std::sqrt(1 - std::pow((sto_y - yc) / ry, 2));
    const double rx = 0.5 * n.go_go * s / km, rz = 0.62 * e.az;
    f.lower_face = {{x0, yc, g.z - 5 - rz * km}, {rx, ry, rz}};
    const double chin_y = me_y + 22 * s;
    const double at_chin = f.lower_face.c.z + rz * std::sqrt(std::max(0.0, 1 - std::pow((chin_y - yc) / ry, 2)));
    f.chin = {{x0, chin_y, at_chin + 2 * s - 16 * s}, {0.26 * n.go_go * s, 15 * s, 16 * s}};
  }
  const auto lower_front = [&](double x, double y) {
    const FacePart& p = f.lower_face;
    const double q = 1 - std::pow((x - p.c.x) / p.r.x, 2) - std::pow((y - p.c.y) / p.r.y, 2);
    return q > 0 ? p.c.z + p.r.z * std::sqrt(q) : -1e9;
  };
  const auto front = [&](double x, double y) { return std::max(vault_front(e, x - x0, y), lower_front(x, y)); };
  f.subnasale = {x0, sn_y, front(x0, sn_y)};
  f.stomion = {x0, sto_y, front(x0, sto_y)};
  f.menton = {x0, me_y, front(x0, me_y + 1)};
  f.mouth_half_width_mm = 0.5 * n.ch_ch * s;
  f.upper_lip_mm = 0.5 * n.upper_lip * s;  // the vermilion shows about half its height from the front
  f.lower_lip_mm = 0.5 * n.lower_lip * s;
  // The nose: the dorsum, a narrow ellipsoid along the line from the nasion
  // (its upper end sunk in the face) down and out to the tip, which stands
  // 20 mm proud of the face just above subnasale; the lobule, rounder, over
  // the tip; and the alae either side, their outer edges al-al apart,
  // standing half as far out.
  {
    const double tip_y = sn_y + 7 * s;
    const Vec3 nasion{x0, l.nasion.y + 3 * s, front(x0, l.nasion.y + 3 * s)};
    const Vec3 tip{x0, tip_y, front(x0, sn_y) + 20 * s};
    const Vec3 along = tip - nasion;
    const double len = length(along), pitch = std::atan2(along.z, -along.y);
    // Its top follows the line and its centre lies deep under it, so that the
    // face cuts it where the line runs close (narrow at the nasion) and the
    // sidewalls slope out to the cheeks further down; it is half as long
    // again as the line, its upper end sunk in the forehead, so that its
    // ridge runs near the line from the nasion to the tip.
    const double deep = 15 * s, half_len = 0.75 * len;
    const FacePart axis = oriented_part({}, {1, 1, 1}, pitch);
    const Vec3 down = along / len;
    f.nose_bridge = oriented_part(tip - down * (half_len - 3 * s) - axis.w * (deep - 1 * s), {11 * s, half_len, deep}, pitch);
    f.nose_tip = oriented_part(tip - axis.w * (8 * s) + Vec3{0, -2 * s, 0}, {0.23 * n.al_al * s, 7 * s, 8.5 * s}, 0.5 * pitch);
    const double ala_r = 0.17 * n.al_al * s, ala_y = sn_y + 6 * s;
    for (int side = 0; side < 2; ++side) {
      const double ax = x0 + (side == 0 ? 1 : -1) * (0.5 * n.al_al * s - ala_r);
      f.alae[static_cast<std::size_t>(side)] = {{ax, ala_y, front(ax, ala_y) - 6 * s}, {ala_r, 8 * s, 10 * s}};
    }
  }
  // The eyes: eyeballs behind the eyelids' opening, its width the eye fissure
  // (ex-en) beside the intercanthal gap (en-en), a little below the nasion.
  for (int side = 0; side < 2; ++side) {
    const double sign = side == 0 ? 1 : -1;
    const double cx = x0 + sign * 0.5 * (n.en_en + n.ex_en) * s, cy = l.nasion.y - 2 * s;
    const Vec3 surface{cx, cy, vault_front(e, cx - x0, cy)};
    // An ellipsoid whose front 2.5 mm stands out of the surface: its cut there is
    // the fissure, ex-en wide and 10 mm high. Its centre lies under the surface
    // along the surface's normal, so the opening is round the surface point.
    const double depth = 9.5, rz = 12, cut = std::sqrt(1 - (depth / rz) * (depth / rz));
    const Vec3 q = surface - e.center;
    const double ay = q.y >= 0 ? e.ay : e.ay_at(kPi);
    const Vec3 normal = normalized(Vec3{q.x / (e.ax * e.ax), q.y / (ay * ay), q.z / (e.az * e.az)});
    const Vec3 c = surface - normal * depth;
    f.eyes[static_cast<std::size_t>(side)] = {c, {0.5 * n.ex_en * s / cut, 5 * s / cut, rz}};
    // The pupil looks ahead from the middle of the opening: the centroid of the
    // eyeball's front points outside the vault.
    {
      const FacePart& eye = f.eyes[static_cast<std::size_t>(side)];
      double sx = 0, sy = 0, sw = 0;
      for (int i = -20; i <= 20; ++i)
        for (int j = -20; j <= 20; ++j) {
          const double u = i / 20.0, v = j / 20.0, w = 1 - u * u - v * v;
          if (w <= 0) continue;
          const Vec3 p{eye.c.x + eye.r.x * u, eye.c.y + eye.r.y * v, eye.c.z + eye.r.z * std::sqrt(w)};
          if (p.z <= vault_front(e, p.x - x0, p.y)) continue;
          sx += p.x, sy += p.y, sw += 1;
        }
      const double px = sw > 0 ? sx / sw : eye.c.x, py = sw > 0 ? sy / sw : eye.c.y;
      const double w = 1 - std::pow((px - eye.c.x) / eye.r.x, 2) - std::pow((py - eye.c.y) / eye.r.y, 2);
      f.pupils[static_cast<std::size_t>(side)] = {px, py, eye.c.z + eye.r.z * std::sqrt(std::max(0.0, w))};
    }
    // The brow: along the brow ridge above the eye, from over the inner
    // canthus to past the outer one, arching up; 10 mm thick inside, 4 outside.
    Brow& b = f.brows[static_cast<std::size_t>(side)];
    const double inner = 0.5 * n.en_en * s - 4 * s, outer = 0.5 * n.en_en * s + n.ex_en * s + 6 * s;
    for (int k = 0; k <= 12; ++k) {
      const double t = k / 12.0;
      const double x = x0 + sign * (inner + t * (outer - inner));
      const double y = l.nasion.y + 11 * s + 6 * s * std::sin(kPi * 0.77 * t);  // highest two thirds of the way out
      b.line.push_back({x, y, vault_front(e, x - x0, y)});
      b.thickness.push_back((10 - 6 * t) * s);
    }
  }
  // The neck: a column under the vault, a little behind its centre, its top
  // hidden in the head; an ellipsoid tall enough that it flares only gently
  // toward the shoulders, as wide as the published girth 30 mm under the jaw.
  {
    const double below = e.ay_at(kPi), girth_r = n.neck_girth / (2 * kPi);
    const double ry = 4 * below, top = e.center.y + 0.2 * below, mid = e.center.y - below - 30;
    const double r = girth_r / std::sqrt(1 - std::pow((top - mid - ry) / ry, 2));
    f.neck = {{x0, top - ry, e.center.z - 0.25 * e.az}, {r, ry, r}};
  }
  f.eye_depth_mm = 9.5;
  f.iris_radius_mm = 5.9;
  f.pupil_radius_mm = 1.8;
  return f;
}

}  // namespace stipple::scalp
