#include "l3slice/inference/slice_schedule.h"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <set>

#include "l3slice/evaluation/run_selection.h"

namespace {

// The run choice predict makes (summed log-odds, lengths 6-70 mm).
std::optional<l3::SliceRun> choose(const std::vector<float>& p) {
  l3::RunSelectionOptions o;
  o.min_length_mm = 6.0;
  o.max_length_mm = 70.0;
  return l3::select_l3_run(p, o);
}

// A synthetic classifier: high inside [first, last], low elsewhere; counts calls.
struct FakeScorer {
  int first, last;
  std::multiset<int> seen;
  std::vector<float> operator()(const std::vector<int>& slices) {
    std::vector<float> p;
    for (int z : slices) {
      seen.insert(z);
      p.push_back(z >= first && z <= last ? 0.95f : 0.01f);
    }
    return p;
  }
};

TEST(SliceSchedule, ExhaustiveScoresEverySliceOnce) {
  FakeScorer f{40, 60, {}};
  l3::ScheduleOptions exhaustive;
  exhaustive.exhaustive = true;
  const auto r = l3::score_slices(100, 1.0, std::ref(f), choose, exhaustive);
  EXPECT_EQ(r.scored_count(), 100);
  EXPECT_EQ(f.seen.size(), 100u);
  EXPECT_EQ(std::set<int>(f.seen.begin(), f.seen.end()).size(), 100u);
}

TEST(SliceSchedule, CoarseToFineScoresTheWholeL3RunAndFarFewerSlices) {
  // 500 slices at 1 mm, L3 30 mm tall.
  FakeScorer f{300, 329, {}};
  const auto r = l3::score_slices(500, 1.0, std::ref(f), choose);
  for (int z = 300; z <= 329; ++z) {
    EXPECT_TRUE(r.scored[z]) << z;
    EXPECT_FLOAT_EQ(r.p[z], 0.95f);
  }
  // Its borders are scored too, so the run's ends are exact.
  EXPECT_TRUE(r.scored[299]);
  EXPECT_TRUE(r.scored[330]);
  EXPECT_LT(r.scored_count(), 150);
  // No slice is scored twice.
  EXPECT_EQ(std::set<int>(f.seen.begin(), f.seen.end()).size(), f.seen.size());
}

TEST(SliceSchedule, NoCandidateMeansOnlyTheCoarsePass) {
  FakeScorer f{-10, -5, {}};
  const auto r = l3::score_slices(400, 1.0, std::ref(f), choose);
  EXPECT_EQ(r.scored_count(), 51);  // slices 4, 12, ..., 396 and the last one
  for (float p : r.p) EXPECT_NEAR(p, 0.01f, 1e-6);
}

TEST(SliceSchedule, ThickSlicesAreScoredExhaustively) {
  FakeScorer f{10, 16, {}};
  const auto r = l3::score_slices(60, 5.0, std::ref(f), choose);
  EXPECT_EQ(r.scored_count(), 60);
}

TEST(SliceSchedule, UnscoredSlicesAreInterpolatedBetweenScoredNeighbours) {
  std::vector<float> truth(100);
  for (int z = 0; z < 100; ++z) truth[z] = 0.001f * z;  // never L3-like: no run, no refinement
  const auto r = l3::score_slices(
      100, 1.0,
      [&](const std::vector<int>& s) {
        std::vector<float> p;
        for (int z : s) p.push_back(truth[z]);
        return p;
      },
      choose);
  for (int z = 4; z < 100; ++z) EXPECT_NEAR(r.p[z], truth[z], 1e-5) << z;
  EXPECT_FLOAT_EQ(r.p[0], truth[4]);  // before the first scored slice: its value
}

// A classifier that fires on the neighbouring vertebrae too (0.8-0.9 over 200-399) and most surely
// on L3 (0.99 over 300-329): refinement covers only the neighbourhood of the run a length-limited
// choice picks, not the 200 slices where the classifier fires, and gives the exhaustive answer.
TEST(SliceSchedule, RefinementAroundTheChosenRunScoresFarFewerSlicesForTheSameRun) {
  auto broad = [](const std::vector<int>& slices) {
    std::vector<float> p;
    for (int z : slices)
      p.push_back(z >= 300 && z <= 329 ? 0.99f : z >= 330 && z <= 399 ? 0.9f : z >= 200 && z < 300 ? 0.8f : 0.01f);
    return p;
  };
  const l3::RunChooser choose_40mm = [](const std::vector<float>& p) {
    l3::RunSelectionOptions o;
    o.max_length_mm = 40.0;
    return l3::select_l3_run(p, o);
  };
  l3::ScheduleOptions exhaustive;
  exhaustive.exhaustive = true;
  const auto all = l3::score_slices(500, 1.0, broad, choose_40mm, exhaustive);
  const auto around_run = l3::score_slices(500, 1.0, broad, choose_40mm);
  EXPECT_LT(around_run.scored_count(), 150);
  const auto truth = choose_40mm(all.p);
  ASSERT_TRUE(truth);
  EXPECT_EQ(choose_40mm(around_run.p), truth);
  for (int z = truth->first - 12; z <= truth->last + 12; ++z) EXPECT_TRUE(around_run.scored[z]) << z;
}

}  // namespace
