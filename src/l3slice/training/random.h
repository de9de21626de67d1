#pragma once
// Seeds derived from (seed, epoch, stream), so every epoch's randomness can be recreated from the
// epoch number alone: resuming needs no saved random-generator state.
#include <cstdint>
#include <utility>
#include <vector>

namespace l3 {

// splitmix64 finaliser: distinct inputs give well-mixed, independent-looking 64-bit seeds.
inline uint64_t mix_seed(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// What a derived seed is used for, so streams never collide.
enum class SeedStream : uint64_t { split = 1, epoch_order = 2, augmentation = 3, model_init = 4 };

inline uint64_t derive_seed(uint64_t seed, SeedStream stream, uint64_t index = 0) {
  return mix_seed(mix_seed(mix_seed(seed) ^ static_cast<uint64_t>(stream)) ^ index);
}

// Uniform integer in [0, n) from a 64-bit generator; portable (unlike std distributions).
template <typename Rng>
uint64_t uniform_below(Rng& rng, uint64_t n) {
  return n == 0 ? 0 : rng() % n;  // bias < n / 2^64: negligible for our sizes
}

// Uniform real in [0, 1) with 53 random bits; portable.
template <typename Rng>
double uniform01(Rng& rng) {
  return static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0);
}

// Fisher-Yates with uniform_below: the same order on every platform.
template <typename T, typename Rng>
void portable_shuffle(std::vector<T>& v, Rng& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[uniform_below(rng, i)]);
}

}  // namespace l3
