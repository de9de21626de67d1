#include "l3slice/training/epoch_sampler.h"

#include <gtest/gtest.h>

#include <map>

namespace l3 {
namespace {

struct Cohort {
  std::vector<int64_t> train;
  std::vector<uint8_t> is_l3;
  int64_t l3 = 0;
};

// 200 dataset slices, every 10th is L3; the training cases are slices 0..149.
Cohort cohort() {
  Cohort c;
  for (int i = 0; i < 200; ++i) c.is_l3.push_back(i % 10 == 3);
  for (int i = 0; i < 150; ++i) {
    c.train.push_back(i);
    c.l3 += c.is_l3[size_t(i)];
  }
  return c;
}

TEST(EpochSampler, BaselineVisitsEachTrainingSliceOnceUnaugmented) {
  const auto c = cohort();
  const auto plan = epoch_plan(c.train, c.is_l3, 0.0, 1, 0);
  ASSERT_EQ(plan.size(), c.train.size());
  std::map<int64_t, int> seen;
  for (const auto& item : plan) {
    EXPECT_FALSE(item.augmented);
    ++seen[item.slice];
  }
  EXPECT_EQ(seen.size(), c.train.size());
  EXPECT_LT(seen.rbegin()->first, 150);  // never a validation slice
}

TEST(EpochSampler, IntegerRatioAddsExactlyRAugmentedCopiesPerL3Slice) {
  const auto c = cohort();
  const auto plan = epoch_plan(c.train, c.is_l3, 3.0, 1, 0);
  ASSERT_EQ(int64_t(plan.size()), int64_t(c.train.size()) + 3 * c.l3);
  std::map<int64_t, int> originals, copies;
  for (const auto& item : plan) (item.augmented ? copies : originals)[item.slice]++;
  EXPECT_EQ(originals.size(), c.train.size());
  for (const auto& [s, n] : originals) EXPECT_EQ(n, 1);
  EXPECT_EQ(int64_t(copies.size()), c.l3);
  for (const auto& [s, n] : copies) {
    EXPECT_TRUE(c.is_l3[size_t(s)]) << "a non-L3 slice was oversampled";
    EXPECT_EQ(n, 3);
  }
}

TEST(EpochSampler, FractionalRatioAddsFloorOrCeilCopiesWithTheRightMean) {
  const auto c = cohort();
  int64_t total_copies = 0;
  const int epochs = 40;
  for (int e = 0; e < epochs; ++e) {
    std::map<int64_t, int> copies;
    for (const auto& item : epoch_plan(c.train, c.is_l3, 1.25, 5, e))
      if (item.augmented) copies[item.slice]++;
    for (const auto& [s, n] : copies) EXPECT_TRUE(n == 1 || n == 2) << n;
    for (const auto& [s, n] : copies) total_copies += n;
    EXPECT_EQ(int64_t(copies.size()), c.l3);  // floor(1.25) = 1 copy at least for each
  }
  const double mean = double(total_copies) / double(epochs * c.l3);
  EXPECT_NEAR(mean, 1.25, 0.06);  // 600 Bernoulli(0.25) draws: SD of the mean ~0.018
}

TEST(EpochSampler, DeterministicPerSeedAndEpochAndShuffled) {
  const auto c = cohort();
  EXPECT_EQ(epoch_plan(c.train, c.is_l3, 2.5, 9, 4), epoch_plan(c.train, c.is_l3, 2.5, 9, 4));
  EXPECT_NE(epoch_plan(c.train, c.is_l3, 2.5, 9, 4), epoch_plan(c.train, c.is_l3, 2.5, 9, 5));
  EXPECT_NE(epoch_plan(c.train, c.is_l3, 2.5, 9, 4), epoch_plan(c.train, c.is_l3, 2.5, 10, 4));
  const auto plan = epoch_plan(c.train, c.is_l3, 0.0, 9, 0);
  int in_order = 0;
  for (size_t i = 0; i < plan.size(); ++i) in_order += plan[i].slice == int64_t(i);
  EXPECT_LT(in_order, 10);
}

}  // namespace
}  // namespace l3
