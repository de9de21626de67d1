#pragma once
// Random augmentation of oversampled L3 slices: rotation, scale, translation (one affine warp by
// torch's affine_grid + grid_sample, the same for all channels of a 2.5D input) and intensity jitter
// (contrast, brightness, Gaussian noise), on the 8-bit windowed slices.
#include <cstdint>

#include <torch/torch.h>

namespace l3 {

struct AugmentationOptions {
  double rotation_deg = 10.0;  // angle uniform in [-rotation_deg, +rotation_deg]
  double scale = 0.10;         // zoom uniform in [1 - scale, 1 + scale]
  double translation = 0.05;   // shift uniform in +-translation x image size, per axis
  double brightness = 0.05;    // added offset uniform in +-brightness x 255
  double contrast = 0.10;      // gain about mid-grey uniform in [1 - contrast, 1 + contrast]
  double noise = 0.01;         // Gaussian noise SD, x 255
  // Also augment the original slices (a fresh draw each epoch), not only the oversampled L3
  // copies as the paper does: when only L3 copies are warped, "looks warped or noisy" predicts L3,
  // and a scan from another scanner (or a real CT after phantoms) is read as L3 throughout.
  bool originals = true;

  // Throws UsageError for values outside sensible ranges (negative, scale >= 1, ...).
  void check() const;
};

// The warp and jitter applied to one image.
struct AugmentationDraw {
  double angle_rad = 0, zoom = 1, shift_x = 0, shift_y = 0;  // shifts as fractions of the size
  double gain = 1, offset = 0;                                // intensity: (v - 127.5) * gain + 127.5 + offset
};

// Draws parameters for `count` images, deterministically from `seed`.
std::vector<AugmentationDraw> draw_augmentations(const AugmentationOptions& options, int64_t count, uint64_t seed);

// Augments `images` (N x C x S x S, uint8) with the given draws (one per image), zero outside the
// warped field of view, noise seeded by `seed`; returns a new uint8 tensor of the same shape.
torch::Tensor augment_images(const torch::Tensor& images, const std::vector<AugmentationDraw>& draws,
                             double noise, uint64_t seed);

// Augments only the rows of `images` flagged in `which`, leaving the others bit-identical.
torch::Tensor augment_rows(const torch::Tensor& images, const std::vector<bool>& which,
                           const AugmentationOptions& options, uint64_t seed);

}  // namespace l3
