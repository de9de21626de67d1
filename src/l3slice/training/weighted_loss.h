#pragma once
// The paper's second imbalance lever: class weight w on the L3 class in the cross-entropy loss.
#include <torch/torch.h>

namespace l3 {

// Mean cross-entropy of 2-class logits (N x 2) against targets (N, 0/1 int64), weight 1 for
// "not L3" and `l3_weight` for L3, normalised by the summed weights (PyTorch's convention:
// sum_i w_yi * -log p_i(y_i) / sum_i w_yi). l3_weight = 1 is the plain cross-entropy.
torch::Tensor weighted_cross_entropy(const torch::Tensor& logits, const torch::Tensor& targets, double l3_weight);

}  // namespace l3
