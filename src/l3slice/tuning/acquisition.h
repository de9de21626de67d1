#pragma once
// Expected improvement (for minimisation) and its maximisation over the unit cube.
#include <cstdint>
#include <vector>

#include "l3slice/tuning/gaussian_process.h"

namespace l3 {

// EI(x) = E[max(best - xi - f(x), 0)] for f(x) ~ N(mean, variance):
//   (best - xi - mean) Phi(z) + sd phi(z),  z = (best - xi - mean) / sd;
// with sd = 0 it is max(best - xi - mean, 0). xi >= 0 asks for a margin of improvement
// (in the objective's units), trading exploitation for exploration. Never negative.
double expected_improvement(const GpPrediction& prediction, double best, double xi = 0.0);

struct AcquisitionOptions {
  double xi = 0.01;
  int random_candidates = 1000;  // screened first, so local searches start where EI is not flat zero
  int local_starts = 8;          // best distinct candidates refined with BOBYQA
  int max_evaluations_per_start = 200;
};

struct AcquisitionMaximum {
  std::vector<double> x;  // in [0, 1]^d
  double value = 0.0;     // EI there
};

// Maximises EI over [0, 1]^d: EI at `random_candidates` seeded uniform points and at
// `extra_starts` (e.g. the best observed points), then local BOBYQA searches from the
// `local_starts` best of them. Same (gp, best, options, seed, extra_starts) -> same result.
AcquisitionMaximum maximize_expected_improvement(const GaussianProcess& gp, double best,
                                                 const AcquisitionOptions& options, std::uint64_t seed,
                                                 const std::vector<std::vector<double>>& extra_starts = {});

}  // namespace l3
