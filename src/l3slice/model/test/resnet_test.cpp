#include "l3slice/model/resnet.h"

#include <gtest/gtest.h>

#include "l3slice/core/error.h"

namespace l3 {
namespace {

// Parameter count of torchvision's ResNet, from its architecture (weights + biases):
//   stem conv1 (7x7, C_in -> 64, no bias) + bn1 (2 x 64);
//   every conv k x k a -> b has k*k*a*b weights, every BN over b channels 2b;
//   BasicBlock(a, p): 3x3 a->p, 3x3 p->p, two BNs(p), [+ 1x1 a->p + BN(p) when downsampling];
//   Bottleneck(a, p): 1x1 a->p, 3x3 p->p, 1x1 p->4p, BNs (p, p, 4p), [+ 1x1 a->4p + BN(4p)];
//   fc: features x classes + classes.
// For C_in = 3 and 1000 classes this gives torchvision's published totals:
//   resnet18 11,689,512, resnet34 21,797,672, resnet50 25,557,032.
int64_t torchvision_parameter_count(int depth, int in_channels, int classes) {
  const bool bottleneck = depth == 50;
  const int expansion = bottleneck ? 4 : 1;
  const int blocks[4] = {depth == 18 ? 2 : 3, depth == 18 ? 2 : 4, depth == 18 ? 2 : 6,
                         depth == 18 ? 2 : 3};
  auto conv = [](int64_t k, int64_t a, int64_t b) { return k * k * a * b; };
  auto bn = [](int64_t b) { return 2 * b; };
  int64_t n = conv(7, in_channels, 64) + bn(64);
  int64_t in = 64;
  for (int stage = 0; stage < 4; ++stage) {
    const int64_t planes = 64 << stage;
    for (int b = 0; b < blocks[stage]; ++b) {
      const int stride = (stage > 0 && b == 0) ? 2 : 1;
      const int64_t out = planes * expansion;
      if (bottleneck) {
        n += conv(1, in, planes) + bn(planes) + conv(3, planes, planes) + bn(planes) +
             conv(1, planes, out) + bn(out);
      } else {
        n += conv(3, in, planes) + bn(planes) + conv(3, planes, planes) + bn(planes);
      }
      if (stride != 1 || in != out) n += conv(1, in, out) + bn(out);
      in = out;
    }
  }
  return n + in * classes + classes;
}

TEST(ResNet, FormulaReproducesTorchvisionPublishedCounts) {
  EXPECT_EQ(torchvision_parameter_count(18, 3, 1000), 11689512);
  EXPECT_EQ(torchvision_parameter_count(34, 3, 1000), 21797672);
  EXPECT_EQ(torchvision_parameter_count(50, 3, 1000), 25557032);
}

TEST(ResNet, ParameterCountsMatchTorchvision) {
  for (int depth : {18, 34, 50}) {
    for (auto [channels, classes] : {std::pair{1, 2}, std::pair{3, 1000}}) {
      ResNet net = make_resnet({depth, channels, classes});
      EXPECT_EQ(parameter_count(*net), torchvision_parameter_count(depth, channels, classes))
          << "depth " << depth << " channels " << channels << " classes " << classes;
    }
  }
  // The paper's configuration: 23,505,858 (= 25,557,032 - 6,272 stem weights - 2,044,902 fc).
  ResNet paper = make_resnet({50, 1, 2});
  EXPECT_EQ(parameter_count(*paper), 23505858);
}

TEST(ResNet, ParameterNamesFollowTorchvision) {
  ResNet net = make_resnet({50, 1, 2});
  auto params = net->named_parameters();
  for (const char* name : {"conv1.weight", "bn1.weight", "layer1.0.conv3.weight",
                           "layer1.0.downsample.0.weight", "layer4.2.bn3.bias", "fc.weight",
                           "fc.bias"}) {
    EXPECT_NE(params.find(name), nullptr) << name;
  }
  EXPECT_NE(net->named_buffers().find("layer3.5.bn2.running_var"), nullptr);
  EXPECT_EQ(net->named_parameters().find("layer1.1.downsample.0.weight"), nullptr);
}

TEST(ResNet, OutputShapes) {
  torch::NoGradGuard no_grad;
  struct Case {
    int depth, channels, n, size;
  };
  for (const Case& c : {Case{50, 1, 1, 224}, Case{18, 3, 4, 128}, Case{34, 1, 2, 96},
                        Case{50, 1, 2, 96}}) {
    ResNet net = make_resnet({c.depth, c.channels, 2});
    net->eval();
    auto out = net->forward(torch::zeros({c.n, c.channels, c.size, c.size}));
    EXPECT_EQ(out.sizes(), (std::vector<int64_t>{c.n, 2})) << "depth " << c.depth;
    EXPECT_TRUE(torch::isfinite(out).all().item<bool>());
  }
}

TEST(ResNet, InitialisationFollowsTorchvision) {
  torch::manual_seed(1);
  ResNet net = make_resnet({18, 1, 2});
  auto params = net->named_parameters();
  // Kaiming normal, fan_out, ReLU gain: std = sqrt(2 / (out_channels * k * k)).
  auto w = params["layer3.0.conv2.weight"];  // 256 x 256 x 3 x 3
  const double expected_std = std::sqrt(2.0 / (256 * 9));
  EXPECT_NEAR(w.std().item<double>(), expected_std, 0.02 * expected_std);
  EXPECT_NEAR(w.mean().item<double>(), 0.0, 0.02 * expected_std);
  EXPECT_TRUE(torch::equal(params["layer2.1.bn1.weight"], torch::ones({128})));
  EXPECT_TRUE(torch::equal(params["layer2.1.bn1.bias"], torch::zeros({128})));
}

TEST(ResNet, SameSeedSameWeights) {
  torch::manual_seed(7);
  ResNet a = make_resnet({18, 1, 2});
  torch::manual_seed(7);
  ResNet b = make_resnet({18, 1, 2});
  torch::manual_seed(8);
  ResNet c = make_resnet({18, 1, 2});
  auto pa = a->parameters(), pb = b->parameters(), pc = c->parameters();
  bool all_equal_ab = true, all_equal_ac = true;
  for (size_t i = 0; i < pa.size(); ++i) {
    all_equal_ab = all_equal_ab && torch::equal(pa[i], pb[i]);
    all_equal_ac = all_equal_ac && torch::equal(pa[i], pc[i]);
  }
  EXPECT_TRUE(all_equal_ab);
  EXPECT_FALSE(all_equal_ac);
}

TEST(ResNet, RejectsUnsupportedConfigurations) {
  EXPECT_THROW(make_resnet({101, 1, 2}), UsageError);
  EXPECT_THROW(make_resnet({50, 0, 2}), UsageError);
  EXPECT_THROW(make_resnet({50, 1, 0}), UsageError);
  EXPECT_EQ(architecture_name({34, 1, 2}), "resnet34");
}

}  // namespace
}  // namespace l3
