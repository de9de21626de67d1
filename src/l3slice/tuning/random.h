#pragma once
// Deterministic random numbers for the optimiser. The standard distributions (and std::shuffle)
// are implementation-defined, so a study would propose different points on another standard
// library; these helpers produce the same stream everywhere.
#include <cstdint>
#include <random>
#include <vector>

namespace l3 {

// SplitMix64: turns (seed, stream) into a well-mixed 64-bit seed for independent streams.
std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t stream);

// Uniform in [0, 1) with 53 random bits.
double unit_uniform(std::mt19937_64& rng);

// Uniform integer in [0, n) (n > 0), without modulo bias.
std::uint64_t uniform_index(std::mt19937_64& rng, std::uint64_t n);

// A Latin hypercube of n points in [0, 1)^d: each dimension's n strata hold one point each,
// at a random position inside its stratum. Row i is point i.
std::vector<std::vector<double>> latin_hypercube(int n, int d, std::mt19937_64& rng);

}  // namespace l3
