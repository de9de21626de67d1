#include "l3slice/inference/predictor.h"

#include <algorithm>
#include <chrono>
#include <numeric>

#include "l3slice/evaluation/run_selection.h"
#include "l3slice/preprocessing/model_input.h"

namespace l3 {

std::optional<SliceRun> choose_l3_run(const std::vector<float>& p, double slice_mm, const PredictOptions& options) {
  RunSelectionOptions sel;
  sel.slice_mm = slice_mm;
  sel.min_length_mm = options.min_run_mm;
  sel.max_length_mm = options.max_run_mm;
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
  out.probabilities = score_slices(ct.hu.grid.size[2], ct.hu.grid.spacing[2], score, options.schedule);
  out.run = choose_l3_run(out.probabilities.p, ct.hu.grid.spacing[2], options);
  out.confidence = prediction_confidence(out.probabilities.p, out.run);
  out.inference_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace l3
