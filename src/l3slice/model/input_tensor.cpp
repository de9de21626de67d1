#include "l3slice/model/input_tensor.h"

#include <fmt/format.h>

#include "l3slice/core/error.h"

namespace l3 {

torch::Tensor input_tensor(const torch::Tensor& inputs) {
  if (inputs.scalar_type() != torch::kUInt8 || inputs.dim() != 4)
    throw UsageError(fmt::format("model inputs must be a 4-D uint8 tensor (N x C x S x S), got {}-D {}",
                                 inputs.dim(), c10::toString(inputs.scalar_type())));
  // One fused expression: x * (1 / (255 std)) - mean / std.
  constexpr float scale = 1.0f / (255.0f * kInputStd);
  constexpr float shift = kInputMean / kInputStd;
  return inputs.to(torch::kFloat32).mul_(scale).sub_(shift);
}

torch::Tensor input_tensor(const uint8_t* data, int64_t n, int channels, int size) {
  if (n < 0 || channels < 1 || size < 1)
    throw UsageError(fmt::format("bad model input shape {} x {} x {} x {}", n, channels, size, size));
  if (n > 0 && data == nullptr) throw UsageError("model inputs: null data");
  const auto options = torch::TensorOptions().dtype(torch::kUInt8);
  if (n == 0) return input_tensor(torch::empty({0, channels, size, size}, options));
  // from_blob does not copy; to(kFloat32) inside input_tensor makes the owning copy.
  auto bytes = torch::from_blob(const_cast<uint8_t*>(data), {n, channels, size, size}, options);
  return input_tensor(bytes);
}

}  // namespace l3
