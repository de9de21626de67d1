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

}  // namespace

int SliceProbabilities::scored_count() const { return std::accumulate(scored.begin(), scored.end(), 0); }

SliceProbabilities score_slices(int slice_count, double slice_mm, const SliceScorer& score,
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
    // Grow the scored region around every L3-looking slice until it is surrounded by scored slices.
    for (bool grew = true; grew;) {
      std::vector<uint8_t> wanted(slice_count, 0);
      for (int z = 0; z < slice_count; ++z) {
        if (!out.scored[z] || out.p[z] < options.refine_threshold) continue;
        for (int u = std::max(0, z - margin); u <= std::min(slice_count - 1, z + margin); ++u)
          if (!out.scored[u]) wanted[u] = 1;
      }
      std::vector<int> refine;
      for (int z = 0; z < slice_count; ++z)
        if (wanted[z]) refine.push_back(z);
      grew = !refine.empty();
      score_into(out, refine, score);
    }
  }
  interpolate_unscored(out);
  return out;
}

}  // namespace l3
