#pragma once
// The ONE mapping from 8-bit model inputs (windowed, resized slices) to what the network sees.
// Training and inference both call it, so they cannot drift apart. Keep it stable: a change
// silently invalidates every saved model.
//
//   x_float = (x_uint8 / 255 - kInputMean) / kInputStd
//
// The constants are ImageNet's per-channel means/stds averaged over RGB (the usual grayscale
// choice), so torchvision-pretrained weights would also see familiar statistics; every channel
// (also 2.5D neighbours) uses the same constants.
#include <cstdint>

#include <torch/torch.h>

namespace l3 {

inline constexpr float kInputMean = 0.449f;
inline constexpr float kInputStd = 0.226f;

// uint8 tensor N x C x S x S (any uint8 tensor, any device) -> float32 tensor of the same shape.
// Throws UsageError for a non-uint8 or non-4D tensor.
torch::Tensor input_tensor(const torch::Tensor& inputs);

// n inputs of channels x size x size bytes, contiguous (input-major, then channel, row, column).
// Copies the bytes (the result does not refer to `data`).
torch::Tensor input_tensor(const uint8_t* data, int64_t n, int channels, int size);

}  // namespace l3
