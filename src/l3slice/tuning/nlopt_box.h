#pragma once
// One bounded local optimisation with NLopt that returns the best point it evaluated, even when
// NLopt stops with a round-off or other soft failure (which it reports by throwing).
#include <functional>
#include <vector>

#include <nlopt.hpp>

namespace l3 {

// f(x, gradient): the value at x; fills *gradient when it is not null (gradient-based algorithms).
// Must not throw; non-finite values are treated as very bad.
using BoxObjective = std::function<double(const std::vector<double>& x, std::vector<double>* gradient)>;

struct BoxOptimum {
  std::vector<double> x;
  double value = 0.0;
  int evaluations = 0;
};

BoxOptimum minimize_in_box(nlopt::algorithm algorithm, const BoxObjective& f, std::vector<double> start,
                           const std::vector<double>& lower, const std::vector<double>& upper,
                           int max_evaluations, double relative_x_tolerance);

}  // namespace l3
