#include "l3slice/segmenter/slice_sampling.h"

#include <algorithm>

namespace l3 {
namespace {

namespace F = torch::nn::functional;

// grid_sample coordinates (align_corners: -1 and +1 are the centres of the first and last pixel)
// of the segmenter's pixels in the slice.
torch::Tensor input_pixels_in_slice(const Grid& g, const SegmenterGeometry& geo) {
  const double s = geo.size;
  auto along = [&](int n, double spacing) {
    // segmenter pixel i -> mm from the slice centre -> slice pixel -> normalised
    torch::Tensor i = torch::arange(geo.size, torch::kFloat64);
    torch::Tensor pixel = (n - 1) / 2.0 + (i - (s - 1) / 2.0) * geo.pixel_mm / spacing;
    return n > 1 ? 2.0 * pixel / (n - 1) - 1.0 : torch::zeros_like(pixel);
  };
  const torch::Tensor x = along(g.size[0], g.spacing[0]), y = along(g.size[1], g.spacing[1]);
  const auto xy = torch::meshgrid({y, x}, "ij");  // rows, columns
  return torch::stack({xy[1], xy[0]}, -1).unsqueeze(0).to(torch::kFloat32);  // 1 x S x S x 2 (x, y)
}

torch::Tensor slice_tensor(const Grid& g, const float* data) {
  return torch::from_blob(const_cast<float*>(data), {1, 1, g.size[1], g.size[0]}, torch::kFloat32);
}

}  // namespace

torch::Tensor segmenter_input(const HuImage& slice, const SegmenterGeometry& geo) {
  const Grid& g = slice.grid;
  // Shifted so that air is 0: grid_sample pads with zeros.
  std::vector<float> shifted(slice.voxels.size());
  std::transform(slice.voxels.begin(), slice.voxels.end(), shifted.begin(),
                 [](int16_t hu) { return float(std::clamp<double>(hu, -1024.0, 3071.0) + 1024.0); });
  const torch::Tensor hu = F::grid_sample(slice_tensor(g, shifted.data()), input_pixels_in_slice(g, geo),
                                          F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kZeros).align_corners(true)) -
                           1024.0;
  const double mid = (kSegmenterHuLow + kSegmenterHuHigh) / 2, half = (kSegmenterHuHigh - kSegmenterHuLow) / 2;
  return ((hu - mid) / half).clamp(-1.0, 1.0);
}

torch::Tensor segmenter_target(const MaskImage& classes, const SegmenterGeometry& geo) {
  const Grid& g = classes.grid;
  std::vector<float> values(classes.voxels.begin(), classes.voxels.end());
  const torch::Tensor t = F::grid_sample(slice_tensor(g, values.data()), input_pixels_in_slice(g, geo),
                                         F::GridSampleFuncOptions().mode(torch::kNearest).padding_mode(torch::kZeros).align_corners(true));
  return t.round().to(torch::kInt64).view({geo.size, geo.size});
}

MaskImage classes_on_slice(const torch::Tensor& logits, const Grid& g, const SegmenterGeometry& geo) {
  // Slice pixel -> mm from the centre -> segmenter pixel -> normalised.
  auto along = [&](int n, double spacing) {
    torch::Tensor u = torch::arange(n, torch::kFloat64);
    torch::Tensor pixel = (geo.size - 1) / 2.0 + (u - (n - 1) / 2.0) * spacing / geo.pixel_mm;
    return 2.0 * pixel / (geo.size - 1) - 1.0;
  };
  const auto xy = torch::meshgrid({along(g.size[1], g.spacing[1]), along(g.size[0], g.spacing[0])}, "ij");
  const torch::Tensor grid = torch::stack({xy[1], xy[0]}, -1).unsqueeze(0).to(torch::kFloat32);
  const torch::Tensor sampled =
      F::grid_sample(logits.to(torch::kFloat32), grid,
                     F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kBorder).align_corners(true));
  const torch::Tensor best = sampled.argmax(1).view({g.size[1], g.size[0]}).to(torch::kUInt8).contiguous();
  Grid one = g;
  one.size[2] = 1;
  MaskImage out(one);
  std::copy(best.data_ptr<uint8_t>(), best.data_ptr<uint8_t>() + out.voxels.size(), out.voxels.begin());
  return out;
}

}  // namespace l3
