#include "l3slice/tuning/bayes_opt.h"

#include <algorithm>
#include <cmath>
#include <random>

#include <fmt/format.h>

#include "l3slice/core/error.h"
#include "l3slice/tuning/random.h"

namespace l3 {

namespace {
// Streams of random numbers drawn from the seed; each proposal has its own, so it depends on
// the number of trials and not on what was proposed before.
constexpr std::uint64_t kDesignStream = 0;
std::uint64_t acquisition_stream(std::size_t trial) { return 1000 + 2 * std::uint64_t(trial); }
std::uint64_t fallback_stream(std::size_t trial) { return 1001 + 2 * std::uint64_t(trial); }

double squared_distance(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
  return s;
}
}  // namespace

bool better_result(double objective_a, double loss_a, double objective_b, double loss_b) {
  if (std::abs(objective_a - objective_b) > kObjectiveTieTolerance) return objective_a < objective_b;
  const double la = std::isnan(loss_a) ? std::numeric_limits<double>::infinity() : loss_a;
  const double lb = std::isnan(loss_b) ? std::numeric_limits<double>::infinity() : loss_b;
  return la < lb;
}

BayesianOptimizer::BayesianOptimizer(SearchSpace space, BayesOptOptions options)
    : space_(std::move(space)), options_(options) {
  if (space_.dimension() == 0) throw UsageError("Bayesian optimisation needs at least one parameter");
  if (options_.initial_trials < 1) throw UsageError("Bayesian optimisation needs at least one initial trial");
  std::mt19937_64 rng(mix_seed(options_.seed, kDesignStream));
  initial_design_ = latin_hypercube(options_.initial_trials, space_.dimension(), rng);
}

void BayesianOptimizer::observe(const ParamValues& params, double objective, double loss) {
  if (!std::isfinite(objective)) throw UsageError("a trial's objective must be a finite number");
  space_.to_unit(params);  // checks the count
  observations_.push_back({params, objective, loss, true});
}

void BayesianOptimizer::observe_failure(const ParamValues& params) {
  space_.to_unit(params);
  observations_.push_back({params, std::numeric_limits<double>::quiet_NaN(),
                           std::numeric_limits<double>::quiet_NaN(), false});
}

std::optional<std::size_t> BayesianOptimizer::best_index() const {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < observations_.size(); ++i) {
    const Observation& o = observations_[i];
    if (!o.ok) continue;
    if (!best || better_result(o.objective, o.loss, observations_[*best].objective, observations_[*best].loss)) best = i;
  }
  return best;
}

std::optional<GaussianProcess> BayesianOptimizer::surrogate() const {
  const auto best = best_index();
  if (!best) return std::nullopt;
  const double best_value = observations_[*best].objective;
  double worst = best_value;
  for (const Observation& o : observations_) {
    if (o.ok) worst = std::max(worst, o.objective);
  }
  // Failed trials: worse than the worst success by the spread of the successes (at least 10 %).
  const double failed_value = worst + std::max(worst - best_value, std::max(0.1 * std::abs(worst), 1e-3));
  const Eigen::Index n = Eigen::Index(observations_.size()), d = space_.dimension();
  Eigen::MatrixXd x(n, d);
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const Observation& o = observations_[std::size_t(i)];
    const std::vector<double> u = space_.to_unit(o.params);
    for (Eigen::Index j = 0; j < d; ++j) x(i, j) = u[std::size_t(j)];
    y(i) = o.ok ? o.objective : failed_value;
  }
  return GaussianProcess::fit(std::move(x), std::move(y));
}

Proposal BayesianOptimizer::propose() const {
  const std::size_t n = observations_.size();
  if (n < initial_design_.size()) {
    return {space_.from_unit(initial_design_[n]), "initial design", 0.0};
  }
  std::vector<std::vector<double>> observed;
  for (const Observation& o : observations_) observed.push_back(space_.to_unit(o.params));

  if (const auto gp = surrogate()) {
    // Local searches also start from the three best observed points (best first).
    std::vector<std::size_t> ranked;
    for (std::size_t i = 0; i < n; ++i) {
      if (observations_[i].ok) ranked.push_back(i);
    }
    std::stable_sort(ranked.begin(), ranked.end(), [&](std::size_t a, std::size_t b) {
      return better_result(observations_[a].objective, observations_[a].loss, observations_[b].objective,
                           observations_[b].loss);
    });
    std::vector<std::vector<double>> starts;
    for (std::size_t k = 0; k < ranked.size() && k < 3; ++k) starts.push_back(observed[ranked[k]]);

    const double best = observations_[*best_index()].objective;
    AcquisitionOptions acquisition;
    acquisition.xi = options_.xi;
    acquisition.random_candidates = options_.random_candidates;
    acquisition.local_starts = options_.local_starts;
    const AcquisitionMaximum max = maximize_expected_improvement(
        *gp, best, acquisition, mix_seed(options_.seed, acquisition_stream(n)), starts);
    const bool repeats = std::any_of(observed.begin(), observed.end(), [&](const std::vector<double>& u) {
      return squared_distance(u, max.x) < 1e-10;
    });
    if (max.value > 0.0 && !repeats) return {space_.from_unit(max.x), "expected improvement", max.value};
  }
  // No successful trial yet, or EI is zero everywhere / points back at a trial: a random point
  // still teaches the surrogate something.
  std::mt19937_64 rng(mix_seed(options_.seed, fallback_stream(n)));
  std::vector<double> u(static_cast<std::size_t>(space_.dimension()));
  for (double& v : u) v = unit_uniform(rng);
  return {space_.from_unit(u), observations_.empty() || !best_index() ? "random (no successful trial)" : "random (EI vanished)", 0.0};
}

}  // namespace l3
