#pragma once
// From a CT to its L3 run: score slices (coarse-to-fine or exhaustive), choose the L3 run
// robustly (evaluation/run_selection.h), or say that L3 is not in the field of view.
#include <optional>

#include <nlohmann/json.hpp>

#include "l3slice/core/image.h"
#include "l3slice/core/slice_run.h"
#include "l3slice/evaluation/run_selection.h"
#include "l3slice/inference/slice_schedule.h"
#include "l3slice/model/classifier.h"
#include "l3slice/model/model_file.h"

namespace l3 {

struct PredictOptions {
  ScheduleOptions schedule;
  // Plausible physical length of the L3 run. Unset: from the true runs the model was trained on
  // (ModelInfo::l3_shortest_mm/l3_longest_mm, see run_length_limits), else 6-70 mm.
  std::optional<double> min_run_mm;
  std::optional<double> max_run_mm;
};

// The run lengths predict uses with this model and these options.
RunLengthLimits run_length_limits(const ModelInfo& info, const PredictOptions& options);

struct Prediction {
  SliceProbabilities probabilities;  // P(L3) per slice (the spine atlas: 1 inside the mapped L3 body, else 0)
  std::optional<SliceRun> run;  // nullopt: L3 not in the field of view (or uncertain)
  bool uncertain = false;       // the evidence is too weak to answer: no run, see details
  nlohmann::json details;       // method-specific evidence (the spine atlas: match scores, transform, levels)
  // Mean P(L3) over the chosen run; without a run, 1 - max P(L3) (confidence that L3 is absent).
  double confidence = 0.0;
  double inference_seconds = 0.0;
};

// The classifier's ModelInfo says how to make its inputs (window, size, channels).
Prediction predict_l3(const CtScan& ct, SliceClassifier& classifier, const PredictOptions& options = {});

// The run choice alone, on given probabilities.
std::optional<SliceRun> choose_l3_run(const std::vector<float>& probabilities, double slice_mm,
                                      const RunLengthLimits& limits = {});
double prediction_confidence(const std::vector<float>& probabilities, const std::optional<SliceRun>& run);

}  // namespace l3
