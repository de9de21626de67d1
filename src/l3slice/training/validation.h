#pragma once
// Validation metrics: per slice (loss, sensitivity, specificity, F1 at p >= 0.5) and per patient
// (the mid-L3 error: middle of the selected L3 run vs middle of the true run, evaluation/run_selection.h,
// the same definition as `evaluate`).
#include <cstdint>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "l3slice/evaluation/run_selection.h"
#include "l3slice/model/resnet.h"
#include "l3slice/training/slice_dataset.h"

namespace l3 {

struct ValidationMetrics {
  double loss = 0.0;  // weighted cross-entropy (same class weight as training)
  int64_t slices = 0, true_positives = 0, false_positives = 0, true_negatives = 0, false_negatives = 0;
  double sensitivity = 0.0, specificity = 0.0, f1 = 0.0;  // NaN when undefined (e.g. no L3 slice)

  int cases = 0;
  int cases_with_l3 = 0;     // truth has an L3 run
  int located = 0;           // ... and a run was selected: these have a mid-L3 error
  int missed = 0;            // ... but no run was selected
  int cases_without_l3 = 0;  // truth has no L3 in the field of view
  int correct_none = 0;      // ... and none was selected
  int false_detections = 0;  // ... but a run was selected
  // Over the located cases; NaN when there are none.
  double mid_error_mean_slices = 0.0, mid_error_sd_slices = 0.0;
  double mid_error_mean_mm = 0.0, mid_error_sd_mm = 0.0;
  // For choosing the best model: mean mid-L3 error in slices over all cases with L3, a missed case
  // counting as its scan's slice count (worse than any located case can be); NaN without such cases.
  double selection_error = 0.0;
  std::vector<int> case_errors_slices;  // per validation case, -1 where there is no error

  nlohmann::json to_json() const;  // NaN as null; without case_errors_slices
  static ValidationMetrics from_json(const nlohmann::json& j);
  std::string summary() const;  // one line
};

// Per-slice L3 probabilities of the given cases, one vector per case (eval mode, no gradients).
std::vector<std::vector<float>> predict_probabilities(ResNet& net, const SliceDataset& data,
                                                      const std::vector<int>& cases, int batch);

// Shortest and longest true L3 run among the cases, in mm, ignoring runs cut by the scan's first or
// last slice (0, 0 when no case has a whole L3 run). The model
// file keeps them for the training cases, and predict derives its run lengths from them.
std::pair<double, double> true_run_lengths_mm(const SliceDataset& data, const std::vector<int>& cases);

// The L3 run of each case is chosen as predict chooses it, with the given length limits (those
// of the training cases: run_length_limits(true_run_lengths_mm(data, split.train))).
ValidationMetrics validate(ResNet& net, const SliceDataset& data, const std::vector<int>& cases, double l3_weight,
                           int batch, const RunLengthLimits& limits);

// The metrics from given probabilities (exposed for tests); loss is left at 0.
ValidationMetrics metrics_from_probabilities(const SliceDataset& data, const std::vector<int>& cases,
                                             const std::vector<std::vector<float>>& probabilities,
                                             const RunLengthLimits& limits = {});

}  // namespace l3
