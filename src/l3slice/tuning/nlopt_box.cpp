#include "l3slice/tuning/nlopt_box.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace l3 {

namespace {

// Large but finite: NLopt's local methods cope with it better than with infinity.
constexpr double kBadValue = 1e100;

struct Context {
  const BoxObjective* f;
  BoxOptimum best;
};

double trampoline(unsigned n, const double* x, double* gradient, void* data) {
  auto& c = *static_cast<Context*>(data);
  std::vector<double> point(x, x + n);
  std::vector<double> g;
  double value = (*c.f)(point, gradient ? &g : nullptr);
  if (!std::isfinite(value)) value = kBadValue;
  if (gradient) {
    for (unsigned i = 0; i < n; ++i) {
      gradient[i] = (i < g.size() && std::isfinite(g[i]) && value < kBadValue) ? g[i] : 0.0;
    }
  }
  ++c.best.evaluations;
  if (c.best.x.empty() || value < c.best.value) {
    c.best.x = std::move(point);
    c.best.value = value;
  }
  return value;
}

}  // namespace

BoxOptimum minimize_in_box(nlopt::algorithm algorithm, const BoxObjective& f, std::vector<double> start,
                           const std::vector<double>& lower, const std::vector<double>& upper,
                           int max_evaluations, double relative_x_tolerance) {
  for (std::size_t i = 0; i < start.size(); ++i) start[i] = std::clamp(start[i], lower[i], upper[i]);
  Context context{&f, {}};
  nlopt::opt opt(algorithm, unsigned(start.size()));
  opt.set_lower_bounds(lower);
  opt.set_upper_bounds(upper);
  opt.set_min_objective(trampoline, &context);
  opt.set_maxeval(max_evaluations);
  opt.set_xtol_rel(relative_x_tolerance);
  double value = 0.0;
  try {
    opt.optimize(start, value);
  } catch (const std::runtime_error&) {
    // Round-off limited or a generic NLopt failure: keep the best point seen so far.
  }
  if (context.best.x.empty()) {  // not even one evaluation: evaluate the start
    context.best.x = start;
    context.best.value = f(start, nullptr);
    context.best.evaluations = 1;
    if (!std::isfinite(context.best.value)) context.best.value = kBadValue;
  }
  return context.best;
}

}  // namespace l3
