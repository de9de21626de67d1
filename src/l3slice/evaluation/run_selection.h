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

// |predicted middle - true middle| in slices; nullopt where either run is missing.
std::optional<int> mid_slice_error(const std::optional<SliceRun>& predicted,
                                   const std::optional<SliceRun>& truth);

}  // namespace l3
