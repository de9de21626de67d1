#include "l3slice/tuning/random.h"

#include <numeric>
#include <utility>

namespace l3 {

std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ull * (stream + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double unit_uniform(std::mt19937_64& rng) { return double(rng() >> 11) * 0x1.0p-53; }

std::uint64_t uniform_index(std::mt19937_64& rng, std::uint64_t n) {
  // Rejection sampling: accept only draws below the largest multiple of n.
  const std::uint64_t limit = std::uint64_t(-1) - std::uint64_t(-1) % n;
  std::uint64_t v;
  do {
    v = rng();
  } while (v >= limit);
  return v % n;
}

std::vector<std::vector<double>> latin_hypercube(int n, int d, std::mt19937_64& rng) {
  std::vector<std::vector<double>> points(static_cast<std::size_t>(n), std::vector<double>(static_cast<std::size_t>(d)));
  std::vector<int> strata(static_cast<std::size_t>(n));
  for (int j = 0; j < d; ++j) {
    std::iota(strata.begin(), strata.end(), 0);
    for (int i = n - 1; i > 0; --i) {  // Fisher-Yates
      std::swap(strata[std::size_t(i)], strata[uniform_index(rng, std::uint64_t(i) + 1)]);
    }
    for (int i = 0; i < n; ++i) {
      points[std::size_t(i)][std::size_t(j)] = (strata[std::size_t(i)] + unit_uniform(rng)) / n;
    }
  }
  return points;
}

}  // namespace l3
