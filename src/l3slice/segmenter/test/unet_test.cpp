#include <gtest/gtest.h>

#include "l3slice/core/error.h"
#include "l3slice/segmenter/unet.h"

TEST(UNet, LogitsPerPixelAndClassAtTheInputSize) {
  torch::manual_seed(1);
  l3::UNet net(l3::UNetConfig{1, 5, 4, 3});
  net->eval();
  const torch::Tensor y = net->forward(torch::randn({2, 1, 32, 32}));
  EXPECT_EQ(y.sizes().vec(), (std::vector<int64_t>{2, 5, 32, 32}));
  EXPECT_EQ(l3::architecture_name(net->config()), "unet-l3-c4");
}

TEST(UNet, EveryPixelSeesItsNeighbourhoodThroughTheSkips) {
  // A change of one input pixel changes the output there (full-resolution skip) and, through the
  // coarse levels, far away too.
  torch::manual_seed(2);
  l3::UNet net(l3::UNetConfig{1, 2, 4, 3});
  net->eval();
  torch::NoGradGuard no_grad;
  torch::Tensor x = torch::zeros({1, 1, 32, 32});
  const torch::Tensor a = net->forward(x);
  x.index_put_({0, 0, 16, 16}, 1.0);
  const torch::Tensor diff = (net->forward(x) - a).abs().sum(1)[0];
  EXPECT_GT(diff[16][16].item<float>(), 0.0f);
  EXPECT_GT(diff[16][26].item<float>(), 0.0f);  // 10 pixels away: only the pooled levels reach it
}

TEST(UNet, ImplausibleConfigurationsAreUsageErrors) {
  EXPECT_THROW(l3::UNet(l3::UNetConfig{0, 5, 8, 4}), l3::UsageError);
  EXPECT_THROW(l3::UNet(l3::UNetConfig{1, 1, 8, 4}), l3::UsageError);
  EXPECT_THROW(l3::UNet(l3::UNetConfig{1, 5, 8, 7}), l3::UsageError);
}
