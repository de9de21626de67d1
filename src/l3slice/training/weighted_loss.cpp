#include "l3slice/training/weighted_loss.h"

#include "l3slice/core/error.h"

namespace l3 {

torch::Tensor weighted_cross_entropy(const torch::Tensor& logits, const torch::Tensor& targets, double l3_weight) {
  if (!(l3_weight > 0.0)) throw UsageError("class weight must be positive");
  const auto weight = torch::tensor({1.0f, static_cast<float>(l3_weight)}, logits.options());
  return torch::nn::functional::cross_entropy(logits, targets,
                                              torch::nn::functional::CrossEntropyFuncOptions().weight(weight));
}

}  // namespace l3
