#include "l3slice/model/classifier.h"

#include <cmath>

#include <gtest/gtest.h>

#include "l3slice/core/error.h"
#include "l3slice/model/input_tensor.h"

namespace l3 {
namespace {

LoadedModel small_model(int channels) {
  torch::manual_seed(3);
  LoadedModel m;
  m.info.arch = {18, channels, 2};
  m.info.channels = channels;
  m.info.input_size = 32;
  m.net = make_resnet(m.info.arch);
  return m;
}

std::vector<uint8_t> random_inputs(int64_t n, int64_t bytes_each) {
  auto t = torch::randint(0, 256, {n * bytes_each}, torch::kUInt8);
  return {t.data_ptr<uint8_t>(), t.data_ptr<uint8_t>() + t.numel()};
}

TEST(SliceClassifier, ProbabilitiesAreTheSoftmaxOfTheNetworkInEvalMode) {
  LoadedModel model = small_model(3);
  ResNet net = model.net;  // shares the weights
  SliceClassifier classifier(model, {4});
  auto inputs = random_inputs(7, classifier.input_bytes());
  auto p = classifier.probabilities(inputs);
  ASSERT_EQ(p.size(), 7u);

  torch::NoGradGuard no_grad;
  net->eval();
  auto logits = net->forward(input_tensor(inputs.data(), 7, 3, 32));
  for (int i = 0; i < 7; ++i) {
    const double l0 = logits[i][0].item<double>(), l1 = logits[i][1].item<double>();
    EXPECT_NEAR(p[i], 1.0 / (1.0 + std::exp(l0 - l1)), 1e-5) << i;
    EXPECT_GE(p[i], 0.0f);
    EXPECT_LE(p[i], 1.0f);
  }
}

TEST(SliceClassifier, BatchSizeDoesNotChangeResults) {
  auto inputs = random_inputs(5, 32 * 32);
  auto one = SliceClassifier(small_model(1), {1}).probabilities(inputs);
  auto two = SliceClassifier(small_model(1), {2}).probabilities(inputs);
  auto all = SliceClassifier(small_model(1), {16}).probabilities(inputs);
  ASSERT_EQ(one.size(), 5u);
  for (size_t i = 0; i < one.size(); ++i) {
    EXPECT_NEAR(one[i], two[i], 1e-5);
    EXPECT_NEAR(one[i], all[i], 1e-5);
  }
  // Different inputs give different probabilities (the output depends on the input).
  EXPECT_NE(one[0], one[1]);
}

TEST(SliceClassifier, HandlesEmptyInputAndRejectsBadSizes) {
  SliceClassifier classifier(small_model(1));
  EXPECT_TRUE(classifier.probabilities(std::vector<uint8_t>{}).empty());
  EXPECT_THROW(classifier.probabilities(std::vector<uint8_t>(32 * 32 + 1)), UsageError);
  EXPECT_THROW(classifier.probabilities(nullptr, -1), UsageError);
  EXPECT_THROW(SliceClassifier(small_model(1), {0}), UsageError);
}

}  // namespace
}  // namespace l3
