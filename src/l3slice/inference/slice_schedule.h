#pragma once
// Which slices of a scan the classifier looks at. Exhaustive inference scores every slice; the
// default coarse-to-fine schedule scores one slice every `coarse_step_mm`, then refines:
// - with a run chooser (what predict uses): every slice within the margin of the L3 run chosen on
//   the curve so far, choosing again until the chosen run and its margins are all scored. A model
//   that also fires on neighbouring vertebrae costs only the chosen run's slices.
// - without one: every slice near any scored slice that looks like L3, until those are surrounded.
// L3 (about 25-35 mm tall) always spans several coarse slices, so nothing is lost, and a 500-slice
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
  double refine_margin_mm = 12.0;  // slices this close to the chosen run (or a likely slice) are scored
  float refine_threshold = 0.05f;  // without a run chooser: a slice with P(L3) >= this is likely
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

SliceProbabilities score_slices(int slice_count, double slice_mm, const SliceScorer& score,
                                const ScheduleOptions& options = {}, const RunChooser& choose = {});

}  // namespace l3
