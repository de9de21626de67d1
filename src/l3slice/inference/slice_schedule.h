#pragma once
// Which slices of a scan the classifier looks at. Exhaustive inference scores every slice; the
// default coarse-to-fine schedule scores one slice every `coarse_step_mm`, then every slice within
// the margin of the L3 run chosen on the curve so far, choosing again until the chosen run and its
// margins are all scored. A model that also fires on neighbouring vertebrae costs only the chosen
// run's slices. L3 (about 25-35 mm tall) always spans several coarse slices, so nothing is lost, and a 500-slice
// scan needs a fraction of the forward passes.
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "l3slice/core/slice_run.h"

namespace l3 {

struct ScheduleOptions {
  bool exhaustive = false;
  double coarse_step_mm = 8.0;     // distance between coarse slices
  double refine_margin_mm = 12.0;  // slices this close to the chosen run are scored
};

struct SliceProbabilities {
  std::vector<float> p;            // P(L3) per canonical slice (interpolated where not scored)
  std::vector<uint8_t> scored;     // 1 where the classifier actually saw the slice
  int scored_count() const;
};

// Returns P(L3) for each requested canonical slice index, in the order given.
using SliceScorer = std::function<std::vector<float>(const std::vector<int>& slices)>;

// The L3 run on a curve (unscored slices interpolated), or nothing.
using RunChooser = std::function<std::optional<SliceRun>(const std::vector<float>& p)>;

// `choose` picks the run to refine around (predict: choose_l3_run with the model's length limits).
SliceProbabilities score_slices(int slice_count, double slice_mm, const SliceScorer& score, const RunChooser& choose,
                                const ScheduleOptions& options = {});

}  // namespace l3
