#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <numeric>

#include "l3slice/core/error.h"
#include "l3slice/preprocessing/model_input.h"
#include "l3slice/preprocessing/resize.h"
#include "l3slice/preprocessing/window.h"

using l3::Window;

TEST(Window, MapsLinearlyClampsAndRoundsToNearest) {
  const Window w;  // the paper's [-200, 1500]
  EXPECT_EQ(l3::window_value(-200, w), 0);
  EXPECT_EQ(l3::window_value(1500, w), 255);
  EXPECT_EQ(l3::window_value(-1024, w), 0);
  EXPECT_EQ(l3::window_value(3071, w), 255);
  EXPECT_EQ(l3::window_value(650, w), 128);   // 127.5 rounds up
  EXPECT_EQ(l3::window_value(-190, w), 2);    // 1.5 rounds up
  EXPECT_EQ(l3::window_value(-194, w), 1);    // 0.9
  EXPECT_EQ(l3::window_value(-197, w), 0);    // 0.45
  EXPECT_EQ(l3::window_value(0, w), 30);      // 30.0
  EXPECT_EQ(l3::window_value(1493, w), 254);  // 253.95
  const Window soft{-100, 155};               // 1 HU per grey level
  EXPECT_EQ(l3::window_value(-100, soft), 0);
  EXPECT_EQ(l3::window_value(37, soft), 137);
}

TEST(Window, WindowsOneSliceOfAVolume) {
  l3::Grid g;
  g.size = {2, 2, 2};
  l3::HuImage img(g, -1000);
  img.at(0, 0, 1) = 650;
  img.at(1, 1, 1) = 2000;
  img.at(1, 0, 1) = 0;
  EXPECT_EQ(l3::window_slice(img, 1, Window{}), (std::vector<uint8_t>{128, 30, 0, 255}));
  EXPECT_EQ(l3::window_slice(img, 0, Window{}), (std::vector<uint8_t>{0, 0, 0, 0}));
  EXPECT_THROW(l3::window_slice(img, 2, Window{}), l3::UsageError);
  EXPECT_THROW(l3::window_slice(img, 0, Window{100, 100}), l3::UsageError);
}

TEST(Window, ParsesLowHigh) {
  const Window w = l3::parse_window("-160,240");
  EXPECT_EQ(w.low, -160);
  EXPECT_EQ(w.high, 240);
  EXPECT_EQ(l3::format_window(Window{}), "-200,1500");
  EXPECT_THROW(l3::parse_window("240"), l3::UsageError);
  EXPECT_THROW(l3::parse_window("240,-160"), l3::UsageError);
  EXPECT_THROW(l3::parse_window("a,b"), l3::UsageError);
  EXPECT_THROW(l3::parse_window("1,2x"), l3::UsageError);
}

TEST(Resample, DownscalesByExactAreaAverage) {
  const std::vector<uint8_t> in{0,  10, 20, 30,   //
                                40, 50, 60, 70,   //
                                80, 90, 100, 110, //
                                120, 130, 140, 150};
  // 2x2 block means: (0+10+40+50)/4 = 25, 45, 105, 125.
  EXPECT_EQ(l3::resample(in.data(), 4, 4, 2, 2), (std::vector<uint8_t>{25, 45, 105, 125}));
  // 3 -> 2: output pixel 0 covers input [0, 1.5): 2/3 of pixel 0 + 1/3 of pixel 1.
  const std::vector<uint8_t> row{0, 90, 180};
  EXPECT_EQ(l3::resample(row.data(), 3, 1, 2, 1), (std::vector<uint8_t>{30, 150}));
  // 4 -> 1: the mean of all four.
  const std::vector<uint8_t> four{1, 2, 3, 5};
  EXPECT_EQ(l3::resample(four.data(), 4, 1, 1, 1), (std::vector<uint8_t>{3}));  // 2.75
}

TEST(Resample, DownscalingDoesNotAliasAStripePattern) {
  // 1-pixel stripes 0/200 downscaled 4x must become flat grey, not stripes.
  std::vector<uint8_t> in(16 * 16);
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 16; ++x) in[y * 16 + x] = (x % 2) ? 200 : 0;
  const auto out = l3::resample(in.data(), 16, 16, 4, 4);
  for (uint8_t v : out) EXPECT_EQ(v, 100);
}

TEST(Resample, UpscalesByLinearInterpolationWithClampedEdges) {
  const std::vector<uint8_t> in{0, 100};
  EXPECT_EQ(l3::resample(in.data(), 2, 1, 4, 1), (std::vector<uint8_t>{0, 25, 75, 100}));
  EXPECT_EQ(l3::resample(in.data(), 2, 1, 2, 1), in);  // same size: identity
}

TEST(ResizeToSquare, PadsTheShortSideKeepingTheAspectRatio) {
  l3::Slice8 s;
  s.width = 4;
  s.height = 2;
  s.pixels = {1, 2, 3, 4, 5, 6, 7, 8};
  const auto out = l3::resize_to_square(s, {4, true, 0});
  const std::vector<uint8_t> expected{0, 0, 0, 0,  //
                                      1, 2, 3, 4,  //
                                      5, 6, 7, 8,  //
                                      0, 0, 0, 0};
  EXPECT_EQ(out, expected);
  const auto layout = l3::resize_layout(s, {4, true, 0});
  EXPECT_EQ(layout.y0, 1);
  EXPECT_EQ(layout.height, 2);

  // Stretching instead: 4x2 -> 2x2 averages horizontal pairs only.
  EXPECT_EQ(l3::resize_to_square(s, {2, false, 0}), (std::vector<uint8_t>{2, 4, 6, 8}));  // 1.5->2, 3.5->4, ...
}

TEST(ResizeToSquare, UsesThePhysicalAspectRatioOfAnisotropicPixels) {
  // 2 x 4 pixels of 2 mm x 1 mm = 4 x 4 mm: square, so no padding.
  l3::Slice8 s;
  s.width = 2;
  s.height = 4;
  s.pixel_width_mm = 2.0;
  s.pixel_height_mm = 1.0;
  s.pixels = {10, 20, 30, 40, 50, 60, 70, 80};
  EXPECT_EQ(l3::resize_to_square(s, {2, true, 0}), (std::vector<uint8_t>{20, 30, 60, 70}));
  EXPECT_THROW(l3::resize_to_square(s, {0, true, 0}), l3::UsageError);
  s.pixels.pop_back();
  EXPECT_THROW(l3::resize_to_square(s, {2, true, 0}), l3::UsageError);
}

TEST(ResizeToSquare, PreservesAConstantImageAndTheMeanOnWholeFactors) {
  l3::Slice8 s;
  s.width = 12;
  s.height = 12;
  s.pixels.resize(144);
  for (int i = 0; i < 144; ++i) s.pixels[i] = uint8_t((i * 37) % 256);
  const auto out = l3::resize_to_square(s, {4, true, 0});  // 3x3 blocks
  const double mean_in = std::accumulate(s.pixels.begin(), s.pixels.end(), 0.0) / 144;
  const double mean_out = std::accumulate(out.begin(), out.end(), 0.0) / 16;
  EXPECT_NEAR(mean_out, mean_in, 0.5);  // each output rounds by at most 0.5
  s.pixels.assign(144, 77);
  for (uint8_t v : l3::resize_to_square(s, {5, true, 0})) EXPECT_EQ(v, 77);
}

namespace {

// 2 x 2 x 4 scan, slice z filled with HU giving grey level 10*z (+ pixel offsets), 3 mm slices.
l3::CtScan tiny_scan() {
  l3::CtScan ct;
  ct.hu.grid.size = {2, 2, 4};
  ct.hu.grid.spacing = {1.0, 1.0, 3.0};
  ct.hu = l3::HuImage(ct.hu.grid, 0);
  // Window [0, 255]: 1 HU per grey level.
  for (int z = 0; z < 4; ++z)
    for (int y = 0; y < 2; ++y)
      for (int x = 0; x < 2; ++x) ct.hu.at(x, y, z) = int16_t(10 * z + 2 * y + x);
  return ct;
}

}  // namespace

TEST(ModelInput, SingleSliceIsTheWindowedResizedSlice) {
  const auto ct = tiny_scan();
  l3::ModelInputOptions o;
  o.window = {0, 255};
  o.size = 2;
  EXPECT_EQ(l3::make_model_input(ct, 2, o), (std::vector<uint8_t>{20, 21, 22, 23}));
  o.size = 1;
  EXPECT_EQ(l3::make_model_input(ct, 2, o), (std::vector<uint8_t>{22}));  // mean 21.5 rounds up
}

TEST(ModelInput, NeighbourChannelsAreOrderedInferiorToSuperiorAndClamped) {
  const auto ct = tiny_scan();
  l3::ModelInputOptions o;
  o.window = {0, 255};
  o.size = 1;
  o.channels = 3;
  EXPECT_EQ(l3::make_model_input(ct, 0, o), (std::vector<uint8_t>{2, 2, 12}));   // z = 0, 0, 1
  EXPECT_EQ(l3::make_model_input(ct, 2, o), (std::vector<uint8_t>{12, 22, 32}));
  EXPECT_EQ(l3::make_model_input(ct, 3, o), (std::vector<uint8_t>{22, 32, 32}));
  o.neighbour_mm = 6.0;  // 2 slices of 3 mm
  EXPECT_EQ(l3::channel_slices(ct.hu.grid, 1, o), (std::vector<int>{0, 1, 3}));
  EXPECT_EQ(l3::make_model_input(ct, 1, o), (std::vector<uint8_t>{2, 12, 32}));
  o.neighbour_mm = 1.0;  // less than a slice: still the adjacent slice
  EXPECT_EQ(l3::neighbour_step(ct.hu.grid, o), 1);
  o.channels = 5;
  o.neighbour_mm = 0;
  EXPECT_EQ(l3::channel_slices(ct.hu.grid, 1, o), (std::vector<int>{0, 0, 1, 2, 3}));
  o.channels = 2;
  EXPECT_THROW(l3::make_model_input(ct, 1, o), l3::UsageError);
  o.channels = 1;
  EXPECT_THROW(l3::make_model_input(ct, 4, o), l3::UsageError);
}

TEST(ModelInput, PreparedScanGivesTheSameInputs) {
  const auto ct = tiny_scan();
  l3::ModelInputOptions o;
  o.window = {-5, 40};
  o.size = 3;
  o.channels = 3;
  const l3::PreparedScan prepared(ct, o);
  ASSERT_EQ(prepared.slice_count(), 4);
  for (int z = 0; z < 4; ++z) EXPECT_EQ(prepared.model_input(z), l3::make_model_input(ct, z, o)) << z;
  EXPECT_EQ(prepared.model_input(0).size(), 27u);
}

namespace {

// One slice: air, and an ellipse body (80 x 60 mm semi-axes, 100 HU) with a 15 mm bright disc
// (bone, 1000 HU) 30 mm to its right, centred at (cx, cy) mm from the slice's top-left corner.
l3::CtScan body_scan(int n, double pixel_mm, double cx, double cy) {
  l3::CtScan ct;
  ct.hu.grid.size = {n, n, 1};
  ct.hu.grid.spacing = {pixel_mm, pixel_mm, 3.0};
  ct.hu = l3::HuImage(ct.hu.grid, -1000);
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) {
      const double dx = (x + 0.5) * pixel_mm - cx, dy = (y + 0.5) * pixel_mm - cy;
      if ((dx / 80) * (dx / 80) + (dy / 60) * (dy / 60) <= 1) ct.hu.at(x, y, 0) = 100;
      if ((dx - 30) * (dx - 30) + dy * dy <= 15 * 15) ct.hu.at(x, y, 0) = 1000;
    }
  return ct;
}

double mean_abs_difference(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += std::abs(int(a[i]) - int(b[i]));
  return sum / double(a.size());
}

}  // namespace

// Two scans of the same body, one reconstructed at 384 mm (3 mm pixels) with the body off-centre,
// one at 500 mm (0.977 mm pixels) centred: with a fixed field of view around the body they give
// the same input (up to resampling); over the whole slice the body is at another scale and place.
TEST(ModelInput, FixedFieldOfViewSeesEveryScanAtTheSameScaleAroundTheBody) {
  const auto small = body_scan(128, 3.0, 230, 170);
  const auto large = body_scan(512, 500.0 / 512, 250, 250);
  l3::ModelInputOptions o;
  o.size = 64;
  const double whole = mean_abs_difference(l3::make_model_input(small, 0, o), l3::make_model_input(large, 0, o));
  o.fov_mm = 300;
  const auto a = l3::make_model_input(small, 0, o), b = l3::make_model_input(large, 0, o);
  const double fixed = mean_abs_difference(a, b);
  std::printf("mean grey-level difference: fixed field of view %.2f, whole slice %.2f\n", fixed, whole);
  EXPECT_LT(fixed, 1.5);
  EXPECT_GT(whole, 3 * fixed);
  // The body (about 160 of 300 mm wide) sits in the middle: a corner is air, the centre is not.
  EXPECT_EQ(a[0], 0);
  EXPECT_GT(a[32 * 64 + 20], 0);
  o.fov_mm = 10;
  EXPECT_THROW(l3::make_model_input(small, 0, o), l3::UsageError);
}
