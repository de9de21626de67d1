#include "l3slice/model/classifier.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "l3slice/core/error.h"
#include "l3slice/model/input_tensor.h"

namespace l3 {

SliceClassifier::SliceClassifier(LoadedModel model, ClassifierOptions options)
    : model_(std::move(model)), options_(options) {
  if (!model_.net) throw UsageError("SliceClassifier: no network");
  if (options_.batch_size < 1)
    throw UsageError(fmt::format("batch size must be >= 1, got {}", options_.batch_size));
  model_.net->eval();  // BN uses its running statistics
}

int64_t SliceClassifier::input_bytes() const {
  return int64_t(model_.info.channels) * model_.info.input_size * model_.info.input_size;
}

std::vector<float> SliceClassifier::probabilities(const uint8_t* inputs, int64_t n) {
  if (n < 0) throw UsageError(fmt::format("model inputs: negative count {}", n));
  std::vector<float> result;
  result.reserve(n);
  // InferenceMode: no autograd graph and no version counters (cheaper than NoGradGuard alone).
  c10::InferenceMode inference;
  for (int64_t start = 0; start < n; start += options_.batch_size) {
    const int64_t count = std::min<int64_t>(options_.batch_size, n - start);
    auto x = input_tensor(inputs + start * input_bytes(), count, model_.info.channels,
                          model_.info.input_size);
    auto p = torch::softmax(model_.net->forward(x), /*dim=*/1).select(1, 1).contiguous();
    const float* data = p.data_ptr<float>();
    result.insert(result.end(), data, data + count);
  }
  return result;
}

std::vector<float> SliceClassifier::probabilities(const std::vector<uint8_t>& inputs) {
  if (inputs.size() % input_bytes() != 0)
    throw UsageError(fmt::format("model inputs: {} bytes is not a multiple of {} ({} x {} x {})",
                                 inputs.size(), input_bytes(), model_.info.channels,
                                 model_.info.input_size, model_.info.input_size));
  return probabilities(inputs.data(), int64_t(inputs.size()) / input_bytes());
}

}  // namespace l3
