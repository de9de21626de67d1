#include "l3slice/training/augmentation.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <random>

#include "l3slice/core/error.h"
#include "l3slice/training/random.h"

namespace l3 {
namespace F = torch::nn::functional;

void AugmentationOptions::check() const {
  auto in = [](double v, double lo, double hi) { return v >= lo && v <= hi; };
  if (!in(rotation_deg, 0, 180)) throw UsageError("augmentation rotation must be in [0, 180] degrees");
  if (!in(scale, 0, 0.9)) throw UsageError("augmentation scale must be in [0, 0.9]");
  if (!in(translation, 0, 0.5)) throw UsageError("augmentation translation must be in [0, 0.5]");
  if (!in(brightness, 0, 1)) throw UsageError("augmentation brightness must be in [0, 1]");
  if (!in(contrast, 0, 0.9)) throw UsageError("augmentation contrast must be in [0, 0.9]");
  if (!in(noise, 0, 1)) throw UsageError("augmentation noise must be in [0, 1]");
}

std::vector<AugmentationDraw> draw_augmentations(const AugmentationOptions& o, int64_t count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto sym = [&](double half) { return (2.0 * uniform01(rng) - 1.0) * half; };  // uniform in [-half, half]
  std::vector<AugmentationDraw> draws(static_cast<size_t>(count));
  for (auto& d : draws) {
    d.angle_rad = sym(o.rotation_deg) * M_PI / 180.0;
    d.zoom = 1.0 + sym(o.scale);
    d.shift_x = sym(o.translation);
    d.shift_y = sym(o.translation);
    d.gain = 1.0 + sym(o.contrast);
    d.offset = sym(o.brightness) * 255.0;
  }
  return draws;
}

torch::Tensor augment_images(const torch::Tensor& images, const std::vector<AugmentationDraw>& draws,
                             double noise, uint64_t seed) {
  TORCH_CHECK(images.dim() == 4 && images.scalar_type() == torch::kUInt8, "augment_images: N x C x S x S uint8");
  const int64_t n = images.size(0);
  TORCH_CHECK(static_cast<int64_t>(draws.size()) == n, "augment_images: one draw per image");
  if (n == 0) return images.clone();
  // affine_grid maps output coordinates (in [-1, 1]) to input coordinates: in = A * out + t.
  // Zoom z > 1 enlarges the content, so A = R(angle) / z; a shift s moves content by s x size,
  // i.e. by 2s in normalised units, so t = -A * 2s.
  auto theta = torch::empty({n, 2, 3}, torch::kFloat);
  auto t = theta.accessor<float, 3>();
  for (int64_t i = 0; i < n; ++i) {
    const auto& d = draws[static_cast<size_t>(i)];
    const double c = std::cos(d.angle_rad) / d.zoom, s = std::sin(d.angle_rad) / d.zoom;
    const double sx = 2.0 * d.shift_x, sy = 2.0 * d.shift_y;
    t[i][0][0] = c, t[i][0][1] = -s, t[i][0][2] = -(c * sx - s * sy);
    t[i][1][0] = s, t[i][1][1] = c, t[i][1][2] = -(s * sx + c * sy);
  }
  auto x = images.to(torch::kFloat);
  const auto grid = F::affine_grid(theta, x.sizes(), /*align_corners=*/false);
  x = F::grid_sample(x, grid,
                     F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kZeros).align_corners(false));
  std::vector<float> gain(draws.size()), offset(draws.size());
  for (size_t i = 0; i < draws.size(); ++i) {
    gain[i] = static_cast<float>(draws[i].gain);
    offset[i] = static_cast<float>(draws[i].offset);
  }
  const auto g = torch::from_blob(gain.data(), {n, 1, 1, 1}, torch::kFloat);
  const auto o = torch::from_blob(offset.data(), {n, 1, 1, 1}, torch::kFloat);
  x = (x - 127.5f) * g + 127.5f + o;
  if (noise > 0) {
    auto gen = at::detail::createCPUGenerator(seed);
    x = x + torch::randn(x.sizes(), gen, torch::kFloat) * static_cast<float>(noise * 255.0);
  }
  return x.round_().clamp_(0, 255).to(torch::kUInt8);
}

torch::Tensor augment_rows(const torch::Tensor& images, const std::vector<bool>& which,
                           const AugmentationOptions& options, uint64_t seed) {
  std::vector<int64_t> rows;
  for (size_t i = 0; i < which.size(); ++i)
    if (which[i]) rows.push_back(static_cast<int64_t>(i));
  if (rows.empty()) return images;
  const auto index = torch::tensor(rows, torch::kLong);
  const auto draws = draw_augmentations(options, static_cast<int64_t>(rows.size()), mix_seed(seed));
  const auto augmented = augment_images(images.index_select(0, index), draws, options.noise, mix_seed(seed + 1));
  return images.index_copy(0, index, augmented);
}

}  // namespace l3
