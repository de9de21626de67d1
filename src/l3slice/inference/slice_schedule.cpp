#include "l3slice/inference/slice_schedule.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "l3slice/core/error.h"

namespace l3 {
namespace {

void score_into(SliceProbabilities& out, const std::vector<int>& slices, const SliceScorer& score) {
  if (slices.empty()) return;
  const std::vector<float> p = score(slices);
  if (p.size() != slices.size()) throw std::logic_error("slice scorer returned the wrong number of probabilities");
  for (size_t i = 0; i < slices.size(); ++i) {
    out.p[slices[i]] = p[i];
    out.scored[slices[i]] = 1;
  }
}

// Unscored slices take the linear interpolation of their nearest scored neighbours.
void interpolate_unscored(SliceProbabilities& out) {
  const int n = static_cast<int>(out.p.size());
  int prev = -1;
  for (int z = 0; z <= n; ++z) {
    if (z < n && !out.scored[z]) continue;
    for (int u = prev + 1; u < z; ++u) {
      if (prev < 0) out.p[u] = out.p[z];
      else if (z == n) out.p[u] = out.p[prev];
      else out.p[u] = out.p[prev] + (out.p[z] - out.p[prev]) * float(u - prev) / float(z - prev);
    }
    prev = z;
  }
}

// Scores every unscored slice in [first, last] (clamped); false if there was none.
bool score_range(SliceProbabilities& out, int first, int last, const SliceScorer& score) {
  std::vector<int> slices;
  for (int z = std::max(0, first); z <= std::min(int(out.p.size()) - 1, last); ++z)
    if (!out.scored[z]) slices.push_back(z);
  score_into(out, slices, score);
  return !slices.empty();
}

void refine_around_chosen_run(SliceProbabilities& out, int margin, const SliceScorer& score, const RunChooser& choose) {
  for (;;) {
    interpolate_unscored(out);
    const std::optional<SliceRun> run = choose(out.p);
    if (!run || !score_range(out, run->first - margin, run->last + margin, score)) return;
  }
}

}  // namespace

int SliceProbabilities::scored_count() const { return std::accumulate(scored.begin(), scored.end(), 0); }

SliceProbabilities score_slices(int slice_count, double slice_mm, const SliceScorer& score, const RunChooser& choose,
                                const ScheduleOptions& options) {
  if (slice_count <= 0) throw UsageError("no slices to score");
  if (!(slice_mm > 0)) throw UsageError("slice spacing must be positive");
  SliceProbabilities out;
  out.p.assign(slice_count, 0.0f);
  out.scored.assign(slice_count, 0);

  const int step = options.exhaustive ? 1 : std::max(1, int(std::floor(options.coarse_step_mm / slice_mm)));
  std::vector<int> coarse;
  for (int z = step / 2; z < slice_count; z += step) coarse.push_back(z);
  if (coarse.empty() || coarse.back() != slice_count - 1) coarse.push_back(slice_count - 1);
  score_into(out, coarse, score);

  if (step > 1) {
    const int margin = std::max(step, int(std::ceil(options.refine_margin_mm / slice_mm)));
    refine_around_chosen_run(out, margin, score, choose);
  }
  interpolate_unscored(out);
  return out;
}

}  // namespace l3
