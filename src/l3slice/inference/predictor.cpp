#include "l3slice/inference/predictor.h"

#include <algorithm>
#include <chrono>
#include <numeric>

#include "l3slice/evaluation/run_selection.h"
#include "l3slice/preprocessing/model_input.h"

namespace l3 {

RunLengthLimits run_length_limits(const ModelInfo& info, const PredictOptions& options) {
  RunLengthLimits limits = run_length_limits(info.l3_shortest_mm, info.l3_longest_mm);
  if (options.min_run_mm) limits.min_mm = *options.min_run_mm;
  if (options.max_run_mm) limits.max_mm = *options.max_run_mm;
  return limits;
}

std::optional<SliceRun> choose_l3_run(const std::vector<float>& p, double slice_mm, const RunLengthLimits& limits) {
  RunSelectionOptions sel;
  sel.slice_mm = slice_mm;
  sel.min_length_mm = limits.min_mm;
  sel.max_length_mm = limits.max_mm;
  return select_l3_run(p, sel);
}

double prediction_confidence(const std::vector<float>& p, const std::optional<SliceRun>& run) {
  if (p.empty()) return 0.0;
  if (!run) return 1.0 - *std::max_element(p.begin(), p.end());
  const double sum = std::accumulate(p.begin() + run->first, p.begin() + run->last + 1, 0.0);
  return sum / run->length();
}

Prediction predict_l3(const CtScan& ct, SliceClassifier& classifier, const PredictOptions& options) {
  const ModelInfo& info = classifier.info();
  const auto start = std::chrono::steady_clock::now();
  ModelInputOptions input;
  input.window = info.window;
  input.size = info.input_size;
  input.channels = info.channels;
  input.neighbour_mm = info.neighbour_mm;
  input.fov_mm = info.fov_mm;
  const std::size_t input_bytes = std::size_t(input.channels) * input.size * input.size;

  const SliceScorer score = [&](const std::vector<int>& slices) {
    std::vector<uint8_t> batch;
    batch.reserve(slices.size() * input_bytes);
    for (int z : slices) {
      const auto one = make_model_input(ct, z, input);
      batch.insert(batch.end(), one.begin(), one.end());
    }
    return classifier.probabilities(batch.data(), static_cast<int64_t>(slices.size()));
  };

  Prediction out;
  const double slice_mm = ct.hu.grid.spacing[2];
  const RunLengthLimits limits = run_length_limits(info, options);
  const RunChooser choose = [&](const std::vector<float>& p) { return choose_l3_run(p, slice_mm, limits); };
  out.probabilities = score_slices(ct.hu.grid.size[2], slice_mm, score, choose, options.schedule);
  out.run = choose(out.probabilities.p);
  out.confidence = prediction_confidence(out.probabilities.p, out.run);
  out.inference_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace l3
