// stipple/core/rng.h: the one seeded random number generator of Stipple.
//
// splitmix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
// generators", OOPSLA 2014): fixed and portable, so every output that depends
// on a seed is identical on every machine (std distributions are not specified
// bit for bit). `hash64` mixes several integers into one value with the same
// finaliser, for random values tied to a position or an index rather than to a
// sequence (order-independent determinism).
#pragma once

#include <cstdint>
#include <initializer_list>

namespace stipple {

// The splitmix64 finaliser: a bijective avalanche of one 64-bit word.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// A well-mixed hash of a list of words (order matters).
constexpr std::uint64_t hash64(std::initializer_list<std::uint64_t> words) {
  std::uint64_t h = 0x53544950504C45ull;  // "STIPPLE"
  for (std::uint64_t w : words) h = mix64(h + 0x9E3779B97F4A7C15ull + w);
  return h;
}

// Uniform in [0, 1) from the top 53 bits of a word.
constexpr double unit_double(std::uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }
// Uniform in [0, 1) as a float from the top 24 bits.
constexpr float unit_float(std::uint64_t bits) { return static_cast<float>(bits >> 40) * 0x1.0p-24f; }

class Rng {
 public:
  explicit constexpr Rng(std::uint64_t seed) : state_(seed) {}
  constexpr std::uint64_t next() { return mix64(state_ += 0x9E3779B97F4A7C15ull); }
  constexpr double uniform() { return unit_double(next()); }
  constexpr float uniform_float() { return unit_float(next()); }
  // Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; bias below 2^-32 for small n).
  constexpr std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }
  // Standard normal by the Box-Muller transform (one value per call, portable).
  double normal();

 private:
  std::uint64_t state_;
};

}  // namespace stipple
