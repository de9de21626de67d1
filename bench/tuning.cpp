// Bayesian optimisation speed (one proposal with n trials observed) and sample efficiency on
// Branin (evaluations to get within 0.1 of the minimum, BO against random search, 20 seeds).
#include <cmath>
#include <random>

#include <benchmark/benchmark.h>

#include "l3slice/tuning/bayes_opt.h"
#include "l3slice/tuning/random.h"

namespace {

double branin(double u1, double u2) {
  const double x1 = -5.0 + 15.0 * u1, x2 = 15.0 * u2;
  const double b = 5.1 / (4 * M_PI * M_PI), c = 5.0 / M_PI, t = 1.0 / (8 * M_PI);
  return std::pow(x2 - b * x1 * x1 + c * x1 - 6.0, 2) + 10.0 * (1 - t) * std::cos(x1) + 10.0;
}

l3::SearchSpace space(int dims) {
  std::vector<l3::Parameter> p;
  for (int i = 0; i < dims; ++i) p.push_back({"u" + std::to_string(i), 0.0, 1.0, l3::Scale::linear});
  return l3::SearchSpace(p);
}

// Time of propose() (GP fit + EI maximisation) with range(0) trials observed in range(1) dimensions.
void BM_Propose(benchmark::State& state) {
  const int n = int(state.range(0)), d = int(state.range(1));
  l3::BayesianOptimizer bo(space(d), {});
  std::mt19937_64 rng(1);
  for (int i = 0; i < n; ++i) {
    l3::ParamValues p(static_cast<std::size_t>(d));
    for (double& v : p) v = l3::unit_uniform(rng);
    bo.observe(p, branin(p[0], p[1 % d]) + (d > 2 ? p[2] : 0.0));
  }
  for (auto _ : state) benchmark::DoNotOptimize(bo.propose());
}
BENCHMARK(BM_Propose)->Args({10, 2})->Args({30, 2})->Args({60, 2})->Args({30, 3})->Unit(benchmark::kMillisecond);

void BM_BraninEvaluationsToTolerance(benchmark::State& state) {
  const int seeds = 20;
  double bo_total = 0, random_total = 0;
  for (auto _ : state) {
    bo_total = random_total = 0;
    for (int s = 0; s < seeds; ++s) {
      l3::BayesOptOptions options;
      options.seed = std::uint64_t(s);
      l3::BayesianOptimizer bo(space(2), options);
      int needed = 101;
      for (int i = 1; i <= 100; ++i) {
        const l3::Proposal p = bo.propose();
        const double f = branin(p.params[0], p.params[1]);
        if (f <= 0.397887 + 0.1) { needed = i; break; }
        bo.observe(p.params, f);
      }
      bo_total += needed;
      std::mt19937_64 rng(l3::mix_seed(std::uint64_t(s), 12345));
      for (int i = 1;; ++i) {
        const double u1 = l3::unit_uniform(rng), u2 = l3::unit_uniform(rng);
        if (branin(u1, u2) <= 0.397887 + 0.1) { random_total += i; break; }
      }
    }
  }
  state.counters["bo_mean_evals"] = bo_total / seeds;
  state.counters["random_mean_evals"] = random_total / seeds;
}
BENCHMARK(BM_BraninEvaluationsToTolerance)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
