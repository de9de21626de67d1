#pragma once
// Deterministic random numbers for the phantom. splitmix64 + Box-Muller written out here because
// std::normal_distribution (and the uniform ones) differ between standard libraries, and a
// phantom must be the same voxels for the same seed everywhere.
#include <algorithm>
#include <cmath>
#include <cstdint>

namespace l3::phantom_detail {

class SeededRandom {
 public:
  explicit SeededRandom(uint64_t seed, uint64_t stream = 0)
      : state_(seed * 0x9E3779B97F4A7C15ull ^ (stream + 1) * 0xD1B54A32D192ED03ull) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  bool chance(double p) { return uniform() < p; }
  // Standard normal; Box-Muller, caching the second value.
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    spare_ = r * std::sin(2.0 * M_PI * u2);
    has_spare_ = true;
    return r * std::cos(2.0 * M_PI * u2);
  }
  // Normal, clamped to +-3 SD so a single draw never makes an absurd anatomy.
  double jitter(double sd) { return sd * std::clamp(normal(), -3.0, 3.0); }

 private:
  uint64_t state_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace l3::phantom_detail
