#pragma once
// The segmenter sees every slice at one physical scale: a square of `size` pixels of `pixel_mm`,
// centred on the slice's centre, so a 3 mm and a 0.7 mm scan show the body at the same size.
// HU are resampled bilinearly (outside the slice: air), training labels by nearest neighbour, and
// the network's logits are sampled back onto the slice's own pixels bilinearly.
#include <torch/torch.h>

#include "l3slice/core/image.h"

namespace l3 {

struct SegmenterGeometry {
  int size = 256;
  double pixel_mm = 2.0;
};

// HU window of the single input channel, mapped to [-1, 1].
inline constexpr double kSegmenterHuLow = -250.0, kSegmenterHuHigh = 250.0;

// slice (size[2] == 1) -> 1 x 1 x size x size float input.
torch::Tensor segmenter_input(const HuImage& slice, const SegmenterGeometry& geometry);
// classes (size[2] == 1, TissueClass values) -> size x size int64 target.
torch::Tensor segmenter_target(const MaskImage& classes, const SegmenterGeometry& geometry);
// 1 x K x size x size logits -> TissueClass per pixel of `slice_grid` (size[2] == 1).
MaskImage classes_on_slice(const torch::Tensor& logits, const Grid& slice_grid, const SegmenterGeometry& geometry);

}  // namespace l3
