#include <gtest/gtest.h>

#include "l3slice/segmenter/slice_sampling.h"

namespace {

l3::Grid slice_grid(int w, int h, double sx, double sy) {
  l3::Grid g;
  g.size = {w, h, 1};
  g.spacing = {sx, sy, 3.0};
  return g;
}

// A disc of `value` radius_mm around the slice centre, 0 elsewhere.
template <typename Image>
Image disc(const l3::Grid& g, double radius_mm, typename decltype(Image::voxels)::value_type inside,
           typename decltype(Image::voxels)::value_type outside) {
  Image im(g, outside);
  for (int y = 0; y < g.size[1]; ++y)
    for (int x = 0; x < g.size[0]; ++x) {
      const double dx = (x - (g.size[0] - 1) / 2.0) * g.spacing[0], dy = (y - (g.size[1] - 1) / 2.0) * g.spacing[1];
      if (dx * dx + dy * dy <= radius_mm * radius_mm) im.at(x, y, 0) = inside;
    }
  return im;
}

}  // namespace

TEST(SliceSampling, InputShowsTheBodyAtOnePhysicalScaleWithAirOutside) {
  const l3::SegmenterGeometry geo{64, 4.0};
  for (const auto& g : {slice_grid(100, 80, 3.0, 3.0), slice_grid(400, 300, 0.75, 0.75)}) {
    const auto hu = disc<l3::HuImage>(g, 60.0, 0, -1000);  // water disc of 60 mm radius in air
    const torch::Tensor x = l3::segmenter_input(hu, geo);
    ASSERT_EQ(x.sizes().vec(), (std::vector<int64_t>{1, 1, 64, 64}));
    // Water (0 HU) is 0 after the [-250, 250] window; air clamps to -1.
    const double radius_px = (x[0][0].index({32}) > -0.5).sum().item<double>() / 2;
    EXPECT_NEAR(radius_px * geo.pixel_mm, 60.0, 4.0) << g.spacing[0];
    EXPECT_NEAR(x[0][0][32][32].item<float>(), 0.0f, 1e-4);
    EXPECT_FLOAT_EQ(x[0][0][0][0].item<float>(), -1.0f);  // beyond the slice: air
  }
}

TEST(SliceSampling, ClassesSurviveTheRoundTripThroughTheInputGrid) {
  // Labels resampled to the network's grid and its one-hot "logits" sampled back give the same
  // classes wherever the network's pixels are at least as fine as the slice's.
  const auto g = slice_grid(48, 40, 3.0, 3.0);
  l3::MaskImage classes = disc<l3::MaskImage>(g, 45.0, 2, 0);
  for (int x = 10; x < 38; ++x) classes.at(x, 20, 0) = 1;
  const l3::SegmenterGeometry geo{128, 1.5};
  const torch::Tensor target = l3::segmenter_target(classes, geo);
  const torch::Tensor logits = torch::one_hot(target, 5).permute({2, 0, 1}).unsqueeze(0).to(torch::kFloat32);
  const l3::MaskImage back = l3::classes_on_slice(logits, g, geo);
  EXPECT_EQ(back.voxels, classes.voxels);
}
