#include "l3slice/evaluation/run_selection.h"

#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "l3slice/core/error.h"

namespace l3 {
namespace {

std::vector<float> curve(int n, float background, std::initializer_list<std::tuple<int, int, float>> blocks) {
  std::vector<float> p(n, background);
  for (auto [first, last, value] : blocks)
    for (int i = first; i <= last; ++i) p[i] = value;
  return p;
}

RunSelectionOptions lengths(double min_mm, double max_mm, double slice_mm = 1.0) {
  RunSelectionOptions o;
  o.min_length_mm = min_mm;
  o.max_length_mm = max_mm;
  o.slice_mm = slice_mm;
  return o;
}

TEST(SelectL3Run, FindsACleanBlock) {
  auto run = select_l3_run(curve(100, 0.02f, {{40, 52, 0.95f}}));
  ASSERT_TRUE(run);
  EXPECT_EQ(*run, (SliceRun{40, 52}));
}

TEST(SelectL3Run, FindsANoisyBlockWithDips) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> low(0.0f, 0.3f), high(0.6f, 1.0f);
  std::vector<float> p(200);
  for (int i = 0; i < 200; ++i) p[i] = (i >= 100 && i <= 120) ? high(rng) : low(rng);
  p[110] = 0.2f;  // a missed slice inside the vertebra does not split the run
  auto run = select_l3_run(p);
  ASSERT_TRUE(run);
  EXPECT_EQ(*run, (SliceRun{100, 120}));
}

TEST(SelectL3Run, IsolatedSpikeDoesNotBeatASolidBlock) {
  auto p = curve(120, 0.01f, {{5, 5, 0.99f}, {60, 70, 0.8f}});
  auto run = select_l3_run(p);
  ASSERT_TRUE(run);
  EXPECT_EQ(*run, (SliceRun{60, 70}));
  // Even a certain spike (p = 1, clamped) loses against a solid block.
  p[5] = 1.0f;
  EXPECT_EQ(*select_l3_run(p), (SliceRun{60, 70}));
}

TEST(SelectL3Run, StrongerOfTwoCandidatesWins) {
  EXPECT_EQ(*select_l3_run(curve(100, 0.05f, {{10, 20, 0.7f}, {50, 60, 0.95f}})), (SliceRun{50, 60}));
  EXPECT_EQ(*select_l3_run(curve(100, 0.05f, {{10, 20, 0.95f}, {50, 60, 0.7f}})), (SliceRun{10, 20}));
}

TEST(SelectL3Run, NothingWhenNoSliceLooksLikeL3) {
  EXPECT_FALSE(select_l3_run(curve(80, 0.1f, {})));
  EXPECT_FALSE(select_l3_run(curve(80, 0.5f, {})));  // exactly the prior: zero evidence
  EXPECT_FALSE(select_l3_run({}));
}

TEST(SelectL3Run, PriorShiftsTheThreshold) {
  auto p = curve(60, 0.05f, {{20, 30, 0.3f}});
  EXPECT_FALSE(select_l3_run(p));
  RunSelectionOptions o;
  o.prior = 0.1;
  EXPECT_EQ(*select_l3_run(p, o), (SliceRun{20, 30}));
}

TEST(SelectL3Run, MaxLengthIsRespected) {
  auto p = curve(60, 0.05f, {{10, 39, 0.9f}});
  auto run = select_l3_run(p, lengths(0, 15));
  ASSERT_TRUE(run);
  EXPECT_EQ(run->length(), 15);
  EXPECT_GE(run->first, 10);
  EXPECT_LE(run->last, 39);
  // 15 mm at 2.5 mm slices: 6 slices; 16 mm: still 6 (never longer than the limit).
  EXPECT_EQ(select_l3_run(p, lengths(0, 15, 2.5))->length(), 6);
  EXPECT_EQ(select_l3_run(p, lengths(0, 16, 2.5))->length(), 6);
}

TEST(SelectL3Run, MinLengthIsRespected) {
  auto p = curve(40, 0.4f, {{20, 20, 0.99f}});
  EXPECT_EQ(*select_l3_run(p), (SliceRun{20, 20}));
  auto run = select_l3_run(p, lengths(5, 0));
  ASSERT_TRUE(run);
  EXPECT_EQ(run->length(), 5);
  EXPECT_LE(run->first, 20);
  EXPECT_GE(run->last, 20);
  // A scan shorter than the minimum length has no run.
  EXPECT_FALSE(select_l3_run(curve(4, 0.9f, {}), lengths(5, 0)));
  // Thick slices: min 25 mm and max 27 mm at 10 mm cannot both hold; max wins (2 slices).
  EXPECT_EQ(select_l3_run(curve(10, 0.9f, {}), lengths(25, 27, 10))->length(), 2);
}

// Brute force over all runs, for comparison with the O(n) selection.
double best_score_brute_force(const std::vector<float>& p, int min_len, int max_len) {
  auto score = [](float q) {
    double c = std::clamp<double>(q, 1e-6, 1 - 1e-6);
    return std::log(c / (1 - c));
  };
  double best = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    double sum = 0;
    for (size_t j = i; j < p.size() && int(j - i) < max_len; ++j) {
      sum += score(p[j]);
      if (int(j - i + 1) >= min_len) best = std::max(best, sum);
    }
  }
  return best;
}

TEST(SelectL3Run, MatchesBruteForceOnRandomCurves) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<float> p(1 + trial % 37);
    for (auto& q : p) q = u(rng) * u(rng);  // mostly low, like real curves
    const int min_len = 1 + trial % 4, max_len = min_len + trial % 7;
    auto run = select_l3_run(p, lengths(min_len, max_len));
    const double best = best_score_brute_force(p, min_len, max_len);
    if (best <= 0) {
      EXPECT_FALSE(run) << trial;
      continue;
    }
    ASSERT_TRUE(run) << trial;
    EXPECT_GE(run->length(), min_len);
    EXPECT_LE(run->length(), max_len);
    double sum = 0;
    for (int i = run->first; i <= run->last; ++i) {
      double c = std::clamp<double>(p[i], 1e-6, 1 - 1e-6);
      sum += std::log(c / (1 - c));
    }
    EXPECT_NEAR(sum, best, 1e-9) << trial;
  }
}

TEST(SelectL3Run, RejectsInvalidInputs) {
  auto p = curve(10, 0.5f, {});
  RunSelectionOptions o;
  o.prior = 0.0;
  EXPECT_THROW(select_l3_run(p, o), UsageError);
  o.prior = 1.0;
  EXPECT_THROW(select_l3_run(p, o), UsageError);
  EXPECT_THROW(select_l3_run(p, lengths(0, 0, 0.0)), UsageError);
  EXPECT_THROW(select_l3_run(p, lengths(20, 10)), UsageError);
  p[3] = std::nanf("");
  EXPECT_THROW(select_l3_run(p), UsageError);
  p[3] = 1.5f;
  EXPECT_THROW(select_l3_run(p), UsageError);
}

TEST(RunLengthLimits, FollowTheTrainingTruthOrFallBackToGenericLimits) {
  const RunLengthLimits body = run_length_limits(24.0, 36.0);
  EXPECT_DOUBLE_EQ(body.min_mm, 12.0);
  EXPECT_DOUBLE_EQ(body.max_mm, 46.8);
  for (const auto& unknown : {run_length_limits(0.0, 0.0), run_length_limits(30.0, 20.0),
                              run_length_limits(std::nan(""), 30.0)}) {
    EXPECT_EQ(unknown.min_mm, 6.0);
    EXPECT_EQ(unknown.max_mm, 70.0);
  }
}

TEST(RunLengthLimits, KeepTheNeighbouringVertebraOutOfTheRun) {
  // The classifier fires on L3 (slices 40-49, 3 mm) and, less surely, on L4 just below (28-39).
  // Generic limits take both vertebrae (middle half a vertebra off); the training truth's limits
  // (bodies 24-33 mm) keep the run to L3.
  const auto p = curve(100, 0.02f, {{28, 39, 0.85f}, {40, 49, 0.99f}});
  const RunLengthLimits generic, body = run_length_limits(24.0, 33.0);
  const auto both = select_l3_run(p, lengths(generic.min_mm, generic.max_mm, 3.0));
  const auto l3 = select_l3_run(p, lengths(body.min_mm, body.max_mm, 3.0));
  ASSERT_TRUE(both && l3);
  EXPECT_EQ(*both, (SliceRun{28, 49}));
  EXPECT_LE(l3->length() * 3.0, body.max_mm);
  EXPECT_EQ(l3->last, 49);
  EXPECT_LE(std::abs(l3->middle() - 44), 2);
}

}  // namespace
}  // namespace l3
