#pragma once
// One training batch from an epoch plan: the 8-bit inputs gathered from the dataset, the
// oversampled copies (and, unless options say copies only, the originals) augmented, and the targets. The data side of a training step.
#include <cstddef>
#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include "l3slice/training/augmentation.h"
#include "l3slice/training/epoch_sampler.h"
#include "l3slice/training/slice_dataset.h"

namespace l3 {

struct TrainingBatch {
  torch::Tensor images;   // N x C x S x S uint8 (model/input_tensor.h turns it into the network input)
  torch::Tensor targets;  // N int64, 1 = L3
};

// Items [begin, end) of `plan`; augmentation drawn from `seed`.
TrainingBatch make_training_batch(const SliceDataset& data, const std::vector<EpochItem>& plan, std::size_t begin,
                                  std::size_t end, const AugmentationOptions& augmentation, uint64_t seed);

}  // namespace l3
