#pragma once
// Which slices of a scan the classifier looks at. Exhaustive inference scores every slice; the
// default coarse-to-fine schedule scores one slice every `coarse_step_mm`, then every slice near
// any coarse slice that looks like L3, repeating until the L3 candidates are surrounded by scored
// slices. L3 (about 25-35 mm tall) always spans several coarse slices, so nothing is lost, and a
// 500-slice scan needs a fraction of the forward passes.
#include <cstdint>
#include <functional>
#include <vector>

namespace l3 {

struct ScheduleOptions {
  bool exhaustive = false;
  double coarse_step_mm = 8.0;     // distance between coarse slices
  float refine_threshold = 0.05f;  // a scored slice with P(L3) >= this is refined around
  double refine_margin_mm = 12.0;  // ... every slice within this distance of it gets scored
};

struct SliceProbabilities {
  std::vector<float> p;            // P(L3) per canonical slice (interpolated where not scored)
  std::vector<uint8_t> scored;     // 1 where the classifier actually saw the slice
  int scored_count() const;
};

// Returns P(L3) for each requested canonical slice index, in the order given.
using SliceScorer = std::function<std::vector<float>(const std::vector<int>& slices)>;

SliceProbabilities score_slices(int slice_count, double slice_mm, const SliceScorer& score,
                                const ScheduleOptions& options = {});

}  // namespace l3
