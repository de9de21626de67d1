#include "l3slice/evaluation/metrics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace {

l3::CaseEvaluation make_case(std::optional<l3::SliceRun> truth, std::optional<l3::SliceRun> pred, double mm = 3.0) {
  l3::CaseEvaluation c;
  c.truth = truth;
  c.predicted = pred;
  c.slice_mm = mm;
  return c;
}

TEST(Metrics, SummarisesMidL3ErrorsLikeThePaper) {
  // Errors in slices: 0, 1, 3 (middles 74 vs 74, 75 vs 74, 77 vs 74); one missed; one correct "none";
  // one false detection.
  std::vector<l3::CaseEvaluation> cases = {
      make_case(l3::SliceRun{69, 79}, l3::SliceRun{70, 78}),
      make_case(l3::SliceRun{69, 79}, l3::SliceRun{71, 80}),
      make_case(l3::SliceRun{69, 79}, l3::SliceRun{72, 82}, 2.0),
      make_case(l3::SliceRun{10, 20}, std::nullopt),
      make_case(std::nullopt, std::nullopt),
      make_case(std::nullopt, l3::SliceRun{1, 5}),
  };
  const auto s = l3::summarize(cases);
  EXPECT_EQ(s.cases, 6);
  EXPECT_EQ(s.cases_with_l3, 4);
  EXPECT_EQ(s.found, 3);
  EXPECT_EQ(s.missed, 1);
  EXPECT_EQ(s.correct_absent, 1);
  EXPECT_EQ(s.false_detections, 1);
  EXPECT_NEAR(s.mean_slices, 4.0 / 3.0, 1e-12);
  EXPECT_NEAR(s.sd_slices, std::sqrt(((16.0 / 9) + (1.0 / 9) + (25.0 / 9)) / 2), 1e-12);
  EXPECT_EQ(s.median_slices, 1.0);
  EXPECT_EQ(s.max_slices, 3.0);
  EXPECT_NEAR(s.mean_mm, (0 + 3 + 6) / 3.0, 1e-12);
  EXPECT_NEAR(s.within0, 25.0, 1e-12);
  EXPECT_NEAR(s.within1, 50.0, 1e-12);
  EXPECT_NEAR(s.within2, 50.0, 1e-12);
  const auto table = l3::summary_table({{"resnet50", s}, {"baseline", s}});
  EXPECT_NE(table.find("| resnet50 | 6 (4) | 1.33 ± 1.53"), std::string::npos) << table;
  EXPECT_NE(table.find("| baseline |"), std::string::npos);
  EXPECT_NE(table.find("nearer middle slice"), std::string::npos) << table;  // how the error is counted
}

TEST(Metrics, EitherMiddleSliceOfAnEvenRunIsTheMiddle) {
  // Truth 77-86: ten slices, the body's middle halfway between 81 and 82.
  const l3::SliceRun truth{77, 86};
  for (int slice : {81, 82}) {
    const auto e = l3::middle_error(slice, truth, 3.0);
    EXPECT_EQ(e.slices, 0) << slice;
    EXPECT_NEAR(e.mm, 1.5, 1e-12) << slice;  // from the true middle itself
  }
  EXPECT_EQ(l3::middle_error(83, truth, 3.0).slices, 1);
  EXPECT_NEAR(l3::middle_error(83, truth, 3.0).mm, 4.5, 1e-12);
  EXPECT_EQ(l3::middle_error(79, truth, 3.0).slices, 2);
  EXPECT_EQ(l3::middle_error(79, l3::SliceRun{81, 83}, 3.0).slices, 3);  // and below it
  // An odd run has one middle slice.
  EXPECT_EQ(l3::middle_error(75, l3::SliceRun{69, 79}, 2.0).slices, 1);
  EXPECT_NEAR(l3::middle_error(75, l3::SliceRun{69, 79}, 2.0).mm, 2.0, 1e-12);
  // summarize counts the same way: a run whose middle is 82 against the truth above is on it.
  const auto s = l3::summarize({make_case(truth, l3::SliceRun{80, 84})});
  EXPECT_EQ(s.max_slices, 0.0);
  EXPECT_NEAR(s.mean_mm, 1.5, 1e-12);
  EXPECT_NEAR(s.within0, 100.0, 1e-12);
}

TEST(Metrics, CountsSlicesInsideThePredictedRun) {
  auto c = make_case(l3::SliceRun{2, 4}, l3::SliceRun{3, 6});
  l3::count_slices(c, {0, 0, 1, 1, 1, 0, 0, 0});
  EXPECT_EQ(c.tp, 2);
  EXPECT_EQ(c.fn, 1);
  EXPECT_EQ(c.fp, 2);
  EXPECT_EQ(c.tn, 3);
  const auto s = l3::summarize({c});
  EXPECT_NEAR(s.sensitivity, 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(s.specificity, 3.0 / 5.0, 1e-12);
}

}  // namespace
