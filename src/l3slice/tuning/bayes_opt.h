#pragma once
// Bayesian optimisation driver: Latin-hypercube initial points, then a Gaussian process fitted to
// the trials so far and the point of maximal expected improvement.
//
// Minimises the objective. Which trial is best: the lower objective; when two objectives are
// within kObjectiveTieTolerance (e.g. the same mean mid-L3 error in slices) the lower loss wins;
// a missing (NaN) loss loses to any loss; then the earlier trial wins. The surrogate models the
// objective alone (the loss only breaks ties), so EI aims to lower the objective.
//
// propose() is a pure function of (space, options, observations): a study resumed from its file
// proposes exactly what the uninterrupted run would have.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "l3slice/tuning/acquisition.h"
#include "l3slice/tuning/gaussian_process.h"
#include "l3slice/tuning/search_space.h"

namespace l3 {

inline constexpr double kObjectiveTieTolerance = 1e-9;

struct BayesOptOptions {
  std::uint64_t seed = 0;
  int initial_trials = 5;  // proposed from a Latin hypercube before the GP takes over (>= 1)
  double xi = 0.01;        // EI margin, in objective units
  int random_candidates = 1000;
  int local_starts = 8;
  bool operator==(const BayesOptOptions& o) const {
    return seed == o.seed && initial_trials == o.initial_trials && xi == o.xi &&
           random_candidates == o.random_candidates && local_starts == o.local_starts;
  }
};

struct Observation {
  ParamValues params;
  double objective = std::numeric_limits<double>::quiet_NaN();
  double loss = std::numeric_limits<double>::quiet_NaN();
  bool ok = true;  // false: the trial failed (no objective)
};

struct Proposal {
  ParamValues params;
  std::string source;                 // "initial design", "expected improvement" or "random (EI vanished)"
  double expected_improvement = 0.0;  // for "expected improvement"
};

// True if (objective a, loss a) is strictly better than (objective b, loss b) by the rule above.
bool better_result(double objective_a, double loss_a, double objective_b, double loss_b);

class BayesianOptimizer {
 public:
  BayesianOptimizer(SearchSpace space, BayesOptOptions options);

  Proposal propose() const;
  // Records a finished trial; objective must be finite (throws UsageError otherwise).
  void observe(const ParamValues& params, double objective,
               double loss = std::numeric_limits<double>::quiet_NaN());
  // Records a trial that produced no objective. The surrogate counts it as worse than the worst
  // success (by their spread, at least 10 %), so the optimiser moves away instead of retrying it.
  void observe_failure(const ParamValues& params);

  const SearchSpace& space() const { return space_; }
  const BayesOptOptions& options() const { return options_; }
  const std::vector<Observation>& observations() const { return observations_; }
  std::optional<std::size_t> best_index() const;

  // The GP over the unit cube fitted to the trials so far (as propose() uses it); nothing while
  // there is no successful trial.
  std::optional<GaussianProcess> surrogate() const;

 private:
  SearchSpace space_;
  BayesOptOptions options_;
  std::vector<std::vector<double>> initial_design_;  // unit cube
  std::vector<Observation> observations_;
};

}  // namespace l3
