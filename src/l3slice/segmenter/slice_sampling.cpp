#include "l3slice/segmenter/slice_sampling.h"

#include <algorithm>
#include <vector>

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
  // Bilinear interpolation of the logits at each slice pixel, then the best class; written out
  // because grid_sample + argmax over a 512^2 slice took 33 ms, longer than the network.
  const torch::Tensor l = logits.to(torch::kFloat32).contiguous();
  const int classes = int(l.size(1)), n = geo.size;
  const float* data = l.data_ptr<float>();
  struct Tap {
    int i0, i1;
    float w1;
  };
  auto taps = [&](int count, double spacing) {
    std::vector<Tap> t(static_cast<std::size_t>(count));
    for (int u = 0; u < count; ++u) {
      const double p = std::clamp((n - 1) / 2.0 + (u - (count - 1) / 2.0) * spacing / geo.pixel_mm, 0.0, double(n - 1));
      const int i0 = std::min(int(p), n - 2);
      t[std::size_t(u)] = {i0, i0 + 1, float(p - i0)};
    }
    return t;
  };
  const std::vector<Tap> xs = taps(g.size[0], g.spacing[0]), ys = taps(g.size[1], g.spacing[1]);
  Grid one = g;
  one.size[2] = 1;
  MaskImage out(one);
  const std::size_t plane = std::size_t(n) * n;
  for (int y = 0; y < g.size[1]; ++y) {
    const Tap& ty = ys[std::size_t(y)];
    for (int x = 0; x < g.size[0]; ++x) {
      const Tap& tx = xs[std::size_t(x)];
      int best = 0;
      float best_value = 0;
      for (int c = 0; c < classes; ++c) {
        const float* p = data + c * plane;
        const float top = p[ty.i0 * n + tx.i0] * (1 - tx.w1) + p[ty.i0 * n + tx.i1] * tx.w1;
        const float bottom = p[ty.i1 * n + tx.i0] * (1 - tx.w1) + p[ty.i1 * n + tx.i1] * tx.w1;
        const float v = top * (1 - ty.w1) + bottom * ty.w1;
        if (c == 0 || v > best_value) best = c, best_value = v;
      }
      out.at(x, y, 0) = uint8_t(best);
    }
  }
  return out;
}

}  // namespace l3
