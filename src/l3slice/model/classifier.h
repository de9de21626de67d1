#pragma once
// Batched whole-volume inference: P(L3) for each model input.
// Threads: the caller sets torch::set_num_threads (libtorch starts with 1).
#include <cstdint>
#include <vector>

#include "l3slice/model/model_file.h"

namespace l3 {

struct ClassifierOptions {
  int batch_size = 16;  // inputs per forward pass; memory grows linearly with it
};

class SliceClassifier {
 public:
  explicit SliceClassifier(LoadedModel model, ClassifierOptions options = {});

  // n inputs of channels x input_size x input_size bytes (model/input_tensor.h layout) ->
  // P(L3) per input, the softmax of the two logits. Deterministic: the same inputs give the same
  // probabilities whatever the batch size, up to float rounding.
  std::vector<float> probabilities(const uint8_t* inputs, int64_t n);
  std::vector<float> probabilities(const std::vector<uint8_t>& inputs);  // size must be a multiple

  const ModelInfo& info() const { return model_.info; }
  int64_t input_bytes() const;  // channels x input_size x input_size

 private:
  LoadedModel model_;
  ClassifierOptions options_;
};

}  // namespace l3
