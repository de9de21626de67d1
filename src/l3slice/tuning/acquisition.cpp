#include "l3slice/tuning/acquisition.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "l3slice/tuning/nlopt_box.h"
#include "l3slice/tuning/random.h"

namespace l3 {

double expected_improvement(const GpPrediction& prediction, double best, double xi) {
  const double gain = best - xi - prediction.mean;
  const double sd = std::sqrt(std::max(prediction.variance, 0.0));
  if (!(sd > 1e-300)) return std::max(gain, 0.0);
  const double z = gain / sd;
  const double cdf = 0.5 * std::erfc(-z / std::sqrt(2.0));  // erfc keeps the lower tail accurate
  const double pdf = std::exp(-0.5 * z * z) / std::sqrt(2.0 * M_PI);
  return std::max(gain * cdf + sd * pdf, 0.0);
}

AcquisitionMaximum maximize_expected_improvement(const GaussianProcess& gp, double best,
                                                 const AcquisitionOptions& options, std::uint64_t seed,
                                                 const std::vector<std::vector<double>>& extra_starts) {
  const int d = gp.dimension();
  auto ei_at = [&](const std::vector<double>& x) {
    const Eigen::Map<const Eigen::RowVectorXd> point(x.data(), d);
    return expected_improvement(gp.predict(point), best, options.xi);
  };

  std::mt19937_64 rng(seed);
  std::vector<std::vector<double>> candidates;
  for (int i = 0; i < options.random_candidates; ++i) {
    std::vector<double> x(static_cast<std::size_t>(d));
    for (double& v : x) v = unit_uniform(rng);
    candidates.push_back(std::move(x));
  }
  for (const auto& x : extra_starts) {
    if (int(x.size()) == d) candidates.push_back(x);
  }
  std::vector<double> values(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) values[i] = ei_at(candidates[i]);

  // Candidates by decreasing EI; ties by index, so the order is fully determined.
  std::vector<std::size_t> order(candidates.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] > values[b]; });

  AcquisitionMaximum result;
  if (!order.empty()) result = {candidates[order[0]], values[order[0]]};

  const std::vector<double> lower(static_cast<std::size_t>(d), 0.0), upper(static_cast<std::size_t>(d), 1.0);
  const BoxObjective negative_ei = [&](const std::vector<double>& x, std::vector<double>*) { return -ei_at(x); };
  int started = 0;
  std::vector<std::vector<double>> used;
  for (std::size_t i : order) {
    if (started >= options.local_starts) break;
    const auto& start = candidates[i];
    // Skip starts next to one already used: they would find the same local maximum.
    const bool near_used = std::any_of(used.begin(), used.end(), [&](const std::vector<double>& u) {
      double s = 0.0;
      for (int j = 0; j < d; ++j) s += (u[std::size_t(j)] - start[std::size_t(j)]) * (u[std::size_t(j)] - start[std::size_t(j)]);
      return s < 1e-4;
    });
    if (near_used) continue;
    used.push_back(start);
    ++started;
    BoxOptimum found = minimize_in_box(nlopt::LN_BOBYQA, negative_ei, start, lower, upper,
                                       options.max_evaluations_per_start, 1e-8);
    if (-found.value > result.value) result = {found.x, -found.value};
  }
  return result;
}

}  // namespace l3
