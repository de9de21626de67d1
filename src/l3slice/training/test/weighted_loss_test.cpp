#include "l3slice/training/weighted_loss.h"

#include <gtest/gtest.h>

#include <cmath>

#include "l3slice/core/error.h"
#include "l3slice/training/lr_schedule.h"

namespace l3 {
namespace {

// -log softmax(logits)[y], by hand.
double nll(double l0, double l1, int y) {
  const double m = std::max(l0, l1);
  const double lse = m + std::log(std::exp(l0 - m) + std::exp(l1 - m));
  return lse - (y ? l1 : l0);
}

TEST(WeightedLoss, MatchesHandComputation) {
  const std::vector<std::array<double, 2>> logits{{2.0, -1.0}, {0.5, 0.3}, {-1.0, 1.5}, {0.0, 2.0}};
  const std::vector<int> y{0, 1, 1, 0};
  auto t = torch::tensor({2.0f, -1.0f, 0.5f, 0.3f, -1.0f, 1.5f, 0.0f, 2.0f}).view({4, 2});
  auto targets = torch::tensor({0, 1, 1, 0}, torch::kLong);
  for (const double w : {1.0, 3.0, 10.0}) {
    double num = 0, den = 0;
    for (size_t i = 0; i < 4; ++i) {
      const double wi = y[i] ? w : 1.0;
      num += wi * nll(logits[i][0], logits[i][1], y[i]);
      den += wi;
    }
    EXPECT_NEAR(weighted_cross_entropy(t, targets, w).item<double>(), num / den, 1e-6) << "w = " << w;
  }
}

TEST(WeightedLoss, WeightShiftsTheGradientTowardsL3) {
  // Same logits for an L3 and a non-L3 slice: with w = 4 the L3 slice's gradient is 4x larger.
  auto logits = torch::tensor({0.2f, 0.1f, 0.2f, 0.1f}).view({2, 2}).requires_grad_(true);
  weighted_cross_entropy(logits, torch::tensor({0, 1}, torch::kLong), 4.0).backward();
  const auto g = logits.grad();
  EXPECT_NEAR(g[1][1].item<double>() / g[0][0].item<double>(), 4.0 * (1 - 0.475021) / (1 - 0.524979), 1e-4);
  EXPECT_THROW(weighted_cross_entropy(logits, torch::tensor({0, 1}, torch::kLong), 0.0), UsageError);
}

TEST(LearningRate, WarmsUpLinearlyThenDecaysToZero) {
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(1.0, 0, 100, 10), 0.1);
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(1.0, 9, 100, 10), 1.0);
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(1.0, 10, 100, 10), 1.0);
  EXPECT_NEAR(scheduled_learning_rate(1.0, 55, 100, 10), 0.5, 1e-12);  // half-way through the decay
  EXPECT_NEAR(scheduled_learning_rate(1.0, 100, 100, 10), 0.0, 1e-12);
  double previous = 2.0;
  for (int s = 10; s < 100; ++s) {
    const double lr = scheduled_learning_rate(1.0, s, 100, 10);
    EXPECT_LE(lr, previous);
    previous = lr;
  }
}

}  // namespace
}  // namespace l3
