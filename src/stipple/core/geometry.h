// stipple/core/geometry.h: small value types for positions in millimetres.
//
// Vec3 is a point or direction in the head frame of the contract (origin midway
// between the ear canals, +x toward the client's right ear, +y up, +z toward
// the face); Vec2 a point in a 2D chart. Plain aggregates, constexpr arithmetic.
#pragma once

#include <cmath>

namespace stipple {

struct Vec2 {
  double x = 0, y = 0;
};

struct Vec3 {
  double x = 0, y = 0, z = 0;

  constexpr Vec3 operator+(Vec3 o) const { return {x + o.x, y + o.y, z + o.z}; }
  constexpr Vec3 operator-(Vec3 o) const { return {x - o.x, y - o.y, z - o.z}; }
  constexpr Vec3 operator*(double s) const { return {x * s, y * s, z * s}; }
  constexpr Vec3 operator/(double s) const { return {x / s, y / s, z / s}; }
  constexpr Vec3 operator-() const { return {-x, -y, -z}; }
};

constexpr double dot(Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
constexpr Vec3 cross(Vec3 a, Vec3 b) {
  return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
inline double length(Vec3 v) { return std::sqrt(dot(v, v)); }
inline double distance(Vec3 a, Vec3 b) { return length(a - b); }
inline Vec3 normalized(Vec3 v) { return v / length(v); }

inline constexpr double kPi = 3.14159265358979323846;

}  // namespace stipple
