#include "l3slice/tuning/bayes_opt.h"

#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "l3slice/core/error.h"
#include "l3slice/tuning/random.h"

namespace l3 {
namespace {

// Branin on the unit square: x1 = -5 + 15 u1, x2 = 15 u2. Three global minima, value 0.397887.
double branin(double u1, double u2) {
  const double x1 = -5.0 + 15.0 * u1, x2 = 15.0 * u2;
  const double b = 5.1 / (4 * M_PI * M_PI), c = 5.0 / M_PI, t = 1.0 / (8 * M_PI);
  return std::pow(x2 - b * x1 * x1 + c * x1 - 6.0, 2) + 10.0 * (1 - t) * std::cos(x1) + 10.0;
}
constexpr double kBraninMinimum = 0.397887;
constexpr double kTolerance = 0.1;  // success: a trial within 0.1 of the global minimum

SearchSpace unit_square() { return SearchSpace({{"u1", 0.0, 1.0, Scale::linear}, {"u2", 0.0, 1.0, Scale::linear}}); }

// Evaluations BO needs to get within kTolerance (budget + 1 if it never does).
int bo_evaluations_needed(std::uint64_t seed, int budget) {
  BayesOptOptions options;
  options.seed = seed;
  options.initial_trials = 5;
  options.random_candidates = 500;
  BayesianOptimizer bo(unit_square(), options);
  for (int i = 1; i <= budget; ++i) {
    const Proposal p = bo.propose();
    const double f = branin(p.params[0], p.params[1]);
    if (f <= kBraninMinimum + kTolerance) return i;
    bo.observe(p.params, f);
  }
  return budget + 1;
}

int random_search_evaluations_needed(std::uint64_t seed, int budget) {
  std::mt19937_64 rng(mix_seed(seed, 12345));
  for (int i = 1; i <= budget; ++i) {
    const double u1 = unit_uniform(rng), u2 = unit_uniform(rng);
    if (branin(u1, u2) <= kBraninMinimum + kTolerance) return i;
  }
  return budget + 1;
}

TEST(BayesianOptimizer, BeatsRandomSearchOnBranin) {
  // Random search needs about 1 / 0.0018 = 550 evaluations on average to get within 0.1 of the
  // minimum; BO should need far fewer. Both are run here with the same seeds.
  const int seeds = 5, bo_budget = 60;
  double bo_total = 0, random_total = 0;
  for (int s = 0; s < seeds; ++s) {
    const int bo = bo_evaluations_needed(std::uint64_t(s), bo_budget);
    const int random = random_search_evaluations_needed(std::uint64_t(s), 100000);
    EXPECT_LE(bo, bo_budget) << "seed " << s << ": BO did not get within " << kTolerance << " in " << bo_budget;
    bo_total += bo;
    random_total += random;
    std::printf("seed %d: BO %d evaluations, random search %d\n", s, bo, random);
  }
  std::printf("mean: BO %.1f, random search %.1f\n", bo_total / seeds, random_total / seeds);
  EXPECT_LT(bo_total, random_total);
}

TEST(BayesianOptimizer, StartsWithTheLatinHypercubeThenUsesExpectedImprovement) {
  BayesOptOptions options;
  options.seed = 3;
  options.initial_trials = 4;
  BayesianOptimizer bo(unit_square(), options);
  std::vector<int> strata;
  for (int i = 0; i < 4; ++i) {
    const Proposal p = bo.propose();
    EXPECT_EQ(p.source, "initial design");
    strata.push_back(int(p.params[0] * 4));
    bo.observe(p.params, branin(p.params[0], p.params[1]));
  }
  std::sort(strata.begin(), strata.end());
  EXPECT_EQ(strata, (std::vector<int>{0, 1, 2, 3}));
  const Proposal next = bo.propose();
  EXPECT_EQ(next.source, "expected improvement");
  EXPECT_GT(next.expected_improvement, 0.0);
  // Pure function of the observations: asking twice gives the same point.
  EXPECT_EQ(bo.propose().params, next.params);
}

TEST(BayesianOptimizer, TiesInTheObjectiveAreBrokenByLoss) {
  BayesianOptimizer bo(unit_square(), {});
  bo.observe({0.1, 0.1}, 2.0, 0.50);
  bo.observe({0.2, 0.2}, 1.5, 0.90);
  bo.observe({0.3, 0.3}, 1.5, 0.40);  // same objective, lower loss: best
  bo.observe({0.4, 0.4}, 1.5);        // no loss: loses the tie
  ASSERT_TRUE(bo.best_index());
  EXPECT_EQ(*bo.best_index(), 2u);
  EXPECT_TRUE(better_result(1.0, 9.0, 1.1, 0.1));
  EXPECT_FALSE(better_result(1.0, 0.5, 1.0, 0.5));  // equal: the earlier trial stays best
  EXPECT_THROW(bo.observe({0.5, 0.5}, std::nan("")), UsageError);
}

TEST(BayesianOptimizer, FailedTrialsPushTheSearchElsewhere) {
  BayesOptOptions options;
  options.initial_trials = 2;
  BayesianOptimizer bo(unit_square(), options);
  bo.observe_failure({0.5, 0.5});
  EXPECT_FALSE(bo.best_index());
  EXPECT_FALSE(bo.surrogate());
  bo.observe_failure({0.6, 0.6});
  EXPECT_EQ(bo.propose().source, "random (no successful trial)");
  bo.observe({0.1, 0.9}, 1.0);
  const auto gp = bo.surrogate();
  ASSERT_TRUE(gp);
  // The failures count as the worst result: the surrogate is higher there than at the success.
  EXPECT_GT(gp->predict(Eigen::RowVector2d(0.5, 0.5)).mean, gp->predict(Eigen::RowVector2d(0.1, 0.9)).mean);
}

}  // namespace
}  // namespace l3
