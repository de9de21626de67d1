#pragma once
// Choosing the L3 run from per-slice probabilities, and the per-patient mid-L3 error.
// Shared by training (validation), tuning (objective), predict and evaluate: one definition.
#include <optional>
#include <vector>

#include "l3slice/core/slice_run.h"

namespace l3 {

struct RunSelectionOptions {
  double prior = 0.5;          // probabilities are compared with this (log-odds relative to it)
  double min_length_mm = 0.0;  // plausible physical length of the run (0 = no limit)
  double max_length_mm = 0.0;
  double slice_mm = 1.0;       // slice spacing, to turn lengths into slices
};

// The contiguous block of slices that maximises the summed log-odds log(p/(1-p)) - log(prior/(1-prior)),
// within the length limits; nothing when no block has positive total (no L3 in the field of view).
// Robust to isolated false positives, unlike taking the max-probability slice.
std::optional<SliceRun> select_l3_run(const std::vector<float>& probabilities,
                                      const RunSelectionOptions& options = {});

// Plausible run lengths from the true L3 runs a model was trained on (shortest and longest, mm):
// half the shortest to 1.3 x the longest. Without it a classifier that also fires on the
// neighbouring vertebra gives runs of two vertebrae, whose middle is half a vertebra off.
// Unknown lengths (0) give the generic limits 6-70 mm (a vertebral body is about 20-40 mm, a
// whole vertebra with its posterior elements up to about 55 mm).
struct RunLengthLimits {
  double min_mm = 6.0;
  double max_mm = 70.0;
};
RunLengthLimits run_length_limits(double shortest_true_mm, double longest_true_mm);

}  // namespace l3
