#include "l3slice/training/augmentation.h"

#include <gtest/gtest.h>

#include "l3slice/core/error.h"

namespace l3 {
namespace {

// One 1 x 1 x 32 x 32 image: background 10, a bright 8 x 8 block at rows 4..11, columns 20..27.
torch::Tensor block_image() {
  auto img = torch::full({1, 1, 32, 32}, 10, torch::kUInt8);
  img.index_put_({0, 0, torch::indexing::Slice(4, 12), torch::indexing::Slice(20, 28)}, 200);
  return img;
}

// Centroid (x, y) of pixels above 100.
std::pair<double, double> bright_centroid(const torch::Tensor& img) {
  const auto mask = img[0][0].gt(100).to(torch::kDouble);
  const auto xs = torch::arange(32, torch::kDouble);
  const double n = mask.sum().item<double>();
  return {(mask * xs.view({1, 32})).sum().item<double>() / n, (mask * xs.view({32, 1})).sum().item<double>() / n};
}

TEST(Augmentation, IdentityDrawLeavesImagesUnchanged) {
  const auto img = block_image();
  EXPECT_TRUE(torch::equal(augment_images(img, {AugmentationDraw{}}, 0.0, 1), img));
}

TEST(Augmentation, TranslationMovesContentByTheFractionOfTheSize) {
  AugmentationDraw d;
  d.shift_x = -0.25;  // -8 px (left, so the block stays inside)
  d.shift_y = 0.125;  // +4 px down
  const auto [x0, y0] = bright_centroid(block_image());
  const auto [x1, y1] = bright_centroid(augment_images(block_image(), {d}, 0.0, 1));
  EXPECT_NEAR(x1 - x0, -8.0, 0.01);
  EXPECT_NEAR(y1 - y0, 4.0, 0.01);
}

TEST(Augmentation, QuarterTurnIsAnExactRotationAboutTheCentre) {
  AugmentationDraw d;
  d.angle_rad = M_PI / 2;
  const auto out = augment_images(block_image(), {d}, 0.0, 1);
  const bool ccw = torch::equal(out, torch::rot90(block_image(), 1, {2, 3}));
  const bool cw = torch::equal(out, torch::rot90(block_image(), -1, {2, 3}));
  EXPECT_TRUE(ccw || cw);
}

TEST(Augmentation, ZoomEnlargesContentAboutTheCentre) {
  AugmentationDraw d;
  d.zoom = 2.0;
  // A 4 x 4 block near the centre (rows 12..15, columns 16..19), so the enlarged one stays inside.
  auto in = torch::full({1, 1, 32, 32}, 10, torch::kUInt8);
  in.index_put_({0, 0, torch::indexing::Slice(12, 16), torch::indexing::Slice(16, 20)}, 200);
  const auto out = augment_images(in, {d}, 0.0, 1);
  const double area_in = in.gt(100).sum().item<double>(), area_out = out.gt(100).sum().item<double>();
  EXPECT_NEAR(area_out / area_in, 4.0, 0.5);
  const auto [x0, y0] = bright_centroid(in);
  const auto [x1, y1] = bright_centroid(out);
  EXPECT_NEAR(x1 - 16, 2.0 * (x0 - 16), 1.0);  // distances from the centre double
  EXPECT_NEAR(y1 - 16, 2.0 * (y0 - 16), 1.0);
}

TEST(Augmentation, IntensityJitterIsGainAboutMidGreyPlusOffset) {
  AugmentationDraw d;
  d.gain = 1.1;
  d.offset = 5.0;
  const auto out = augment_images(block_image(), {d}, 0.0, 1);
  EXPECT_EQ(out[0][0][0][0].item<int>(), 3);     // (10 - 127.5) * 1.1 + 127.5 + 5 = 3.25
  EXPECT_EQ(out[0][0][5][21].item<int>(), 212);  // (200 - 127.5) * 1.1 + 127.5 + 5 = 212.25
  d.offset = 100.0;
  EXPECT_EQ(augment_images(block_image(), {d}, 0.0, 1)[0][0][5][21].item<int>(), 255);  // clamped
}

TEST(Augmentation, RowsNotFlaggedStayBitIdenticalAndDrawsAreSeeded) {
  auto batch = torch::cat({block_image(), block_image(), block_image()}, 0);
  AugmentationOptions o;
  o.rotation_deg = 20;
  const auto a = augment_rows(batch, {false, true, false}, o, 42);
  const auto b = augment_rows(batch, {false, true, false}, o, 42);
  const auto c = augment_rows(batch, {false, true, false}, o, 43);
  EXPECT_TRUE(torch::equal(a[0], batch[0]));
  EXPECT_TRUE(torch::equal(a[2], batch[2]));
  EXPECT_FALSE(torch::equal(a[1], batch[1]));
  EXPECT_TRUE(torch::equal(a, b));
  EXPECT_FALSE(torch::equal(a, c));
}

TEST(Augmentation, DrawsStayWithinTheConfiguredRanges) {
  AugmentationOptions o;
  o.rotation_deg = 15, o.scale = 0.2, o.translation = 0.1, o.brightness = 0.05, o.contrast = 0.3;
  const auto draws = draw_augmentations(o, 2000, 3);
  double max_angle = 0;
  for (const auto& d : draws) {
    EXPECT_LE(std::abs(d.angle_rad), 15 * M_PI / 180 + 1e-12);
    EXPECT_GE(d.zoom, 0.8);
    EXPECT_LE(d.zoom, 1.2);
    EXPECT_LE(std::abs(d.shift_x), 0.1);
    EXPECT_LE(std::abs(d.offset), 0.05 * 255 + 1e-9);
    EXPECT_GE(d.gain, 0.7);
    max_angle = std::max(max_angle, std::abs(d.angle_rad));
  }
  EXPECT_GT(max_angle, 14 * M_PI / 180);  // the range is used, not just its centre
  o.scale = -0.1;
  EXPECT_THROW(o.check(), UsageError);
}

}  // namespace
}  // namespace l3
