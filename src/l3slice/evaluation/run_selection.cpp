#include "l3slice/evaluation/run_selection.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <deque>

#include <fmt/format.h>

#include "l3slice/core/error.h"

namespace l3 {
namespace {

// Keeps single probabilities of exactly 0 or 1 from dominating (|log-odds| <= 13.8).
constexpr double kMinP = 1e-6;
constexpr double kMaxP = 1.0 - 1e-6;

double log_odds(double p) {
  p = std::clamp(p, kMinP, kMaxP);
  return std::log(p / (1.0 - p));
}

struct LengthLimits {
  int min = 1;
  int max = 1;
};

// Lengths in slices: a run of L slices covers L * slice_mm. min rounds up, max rounds down (the
// run never exceeds the limit), but min never exceeds max, so thick slices still give a run.
LengthLimits length_limits(const RunSelectionOptions& o, int n) {
  if (!(o.slice_mm > 0.0) || !std::isfinite(o.slice_mm))
    throw UsageError(fmt::format("run selection: slice spacing must be > 0 mm, got {}", o.slice_mm));
  if (!(o.min_length_mm >= 0.0) || !(o.max_length_mm >= 0.0))
    throw UsageError("run selection: length limits must be >= 0 mm");
  if (o.max_length_mm > 0.0 && o.max_length_mm < o.min_length_mm)
    throw UsageError(fmt::format("run selection: max length {} mm is below min length {} mm",
                                 o.max_length_mm, o.min_length_mm));
  constexpr double eps = 1e-9;  // 30 mm / 2.5 mm is 12 slices, not 11.999...
  const double max_slices = o.max_length_mm > 0.0 ? std::max(1.0, std::floor(o.max_length_mm / o.slice_mm + eps))
                                                  : HUGE_VAL;
  const double min_slices = std::max(1.0, std::ceil(o.min_length_mm / o.slice_mm - eps));
  // Slices beyond the scan cannot be part of a run; a min above n leaves no run at all.
  LengthLimits l;
  l.max = static_cast<int>(std::min<double>(max_slices, n));
  l.min = static_cast<int>(std::min({min_slices, max_slices, n + 1.0}));
  return l;
}

}  // namespace

RunLengthLimits run_length_limits(double shortest_true_mm, double longest_true_mm) {
  if (!(shortest_true_mm > 0.0) || !(longest_true_mm >= shortest_true_mm)) return {};
  return {0.5 * shortest_true_mm, 1.3 * longest_true_mm};
}

std::optional<SliceRun> select_l3_run(const std::vector<float>& probabilities,
                                      const RunSelectionOptions& options) {
  if (!(options.prior > 0.0 && options.prior < 1.0))
    throw UsageError(fmt::format("run selection: prior must be in (0, 1), got {}", options.prior));
  const int n = static_cast<int>(probabilities.size());
  const LengthLimits limits = length_limits(options, n);

  // prefix[k] = summed score of slices 0..k-1; run [i, e) scores prefix[e] - prefix[i].
  const double prior_log_odds = log_odds(options.prior);
  std::vector<double> prefix(n + 1, 0.0);
  for (int i = 0; i < n; ++i) {
    const float p = probabilities[i];
    if (!std::isfinite(p) || p < 0.0f || p > 1.0f)
      throw UsageError(fmt::format("run selection: slice {} has probability {}", i, p));
    prefix[i + 1] = prefix[i] + log_odds(p) - prior_log_odds;
  }

  // For each end e, the best start is the minimum prefix over i in [e - max, e - min]:
  // a sliding-window minimum (monotonic deque), O(n) overall.
  std::deque<int> starts;  // candidate starts, prefix increasing
  double best = 0.0;
  std::optional<SliceRun> run;
  for (int e = limits.min; e <= n; ++e) {
    const int newest = e - limits.min;
    while (!starts.empty() && prefix[starts.back()] >= prefix[newest]) starts.pop_back();
    starts.push_back(newest);
    while (starts.front() < e - limits.max) starts.pop_front();
    const double score = prefix[e] - prefix[starts.front()];
    if (score > best) {
      best = score;
      run = SliceRun{starts.front(), e - 1};
    }
  }
  return run;
}

}  // namespace l3
