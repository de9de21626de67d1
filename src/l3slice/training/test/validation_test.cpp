#include "l3slice/training/validation.h"

#include <gtest/gtest.h>

#include <cmath>

namespace l3 {
namespace {

// A uniform synthetic scan of `slices` slices at `slice_mm`; labels 1 on [first, last].
CtScan flat_scan(int slices, double slice_mm) {
  Grid g;
  g.size = {16, 16, slices};
  g.spacing = {2.0, 2.0, slice_mm};
  CtScan ct;
  ct.hu = HuImage(g, int16_t{40});
  ct.slices.resize(size_t(slices));
  return ct;
}

std::vector<uint8_t> run_labels(int slices, int first, int last) {
  std::vector<uint8_t> l(size_t(slices), 0);
  for (int z = first; z <= last; ++z) l[size_t(z)] = 1;
  return l;
}

std::vector<float> probabilities(int slices, int first, int last) {
  std::vector<float> p(size_t(slices), 0.05f);
  for (int z = first; z <= last; ++z) p[size_t(z)] = 0.95f;
  return p;
}

TEST(ValidationMetrics, CountsSlicesAndPatientsByHand) {
  ModelInputOptions input;
  input.size = 8;
  SliceDataset data(input);
  data.add_case("located", flat_scan(30, 3.0), run_labels(30, 10, 14));  // truth middle 12
  data.add_case("no_l3", flat_scan(20, 5.0), std::vector<uint8_t>(20, 0));
  data.add_case("missed", flat_scan(25, 2.0), run_labels(25, 5, 8));
  data.add_case("false_detection", flat_scan(10, 5.0), std::vector<uint8_t>(10, 0));
  const std::vector<int> cases{0, 1, 2, 3};
  // located: predicted 12..17 (middle 14) -> error 2 slices = 6 mm; tp 3 (12..14), fp 3, fn 2.
  // missed: all low -> fn 4. false_detection: 2..3 high -> fp 2.
  const auto m = metrics_from_probabilities(
      data, cases, {probabilities(30, 12, 17), probabilities(20, 1, 0), probabilities(25, 1, 0), probabilities(10, 2, 3)});
  EXPECT_EQ(m.slices, 85);
  EXPECT_EQ(m.true_positives, 3);
  EXPECT_EQ(m.false_positives, 5);
  EXPECT_EQ(m.false_negatives, 6);
  EXPECT_EQ(m.true_negatives, 85 - 14);
  EXPECT_NEAR(m.sensitivity, 3.0 / 9.0, 1e-12);
  EXPECT_NEAR(m.specificity, 71.0 / 76.0, 1e-12);
  EXPECT_NEAR(m.f1, 6.0 / 17.0, 1e-12);
  EXPECT_EQ(m.cases, 4);
  EXPECT_EQ(m.cases_with_l3, 2);
  EXPECT_EQ(m.located, 1);
  EXPECT_EQ(m.missed, 1);
  EXPECT_EQ(m.cases_without_l3, 2);
  EXPECT_EQ(m.correct_none, 1);
  EXPECT_EQ(m.false_detections, 1);
  EXPECT_DOUBLE_EQ(m.mid_error_mean_slices, 2.0);
  EXPECT_DOUBLE_EQ(m.mid_error_mean_mm, 6.0);
  EXPECT_DOUBLE_EQ(m.mid_error_sd_slices, 0.0);
  EXPECT_DOUBLE_EQ(m.selection_error, (2.0 + 25.0) / 2.0);  // the missed case counts as its 25 slices
  EXPECT_EQ(m.case_errors_slices, (std::vector<int>{2, -1, -1, -1}));

  const auto back = ValidationMetrics::from_json(m.to_json());
  EXPECT_EQ(back.located, 1);
  EXPECT_DOUBLE_EQ(back.f1, m.f1);
  EXPECT_DOUBLE_EQ(back.selection_error, m.selection_error);
}

TEST(ValidationMetrics, MeanAndSdOverLocatedCases) {
  ModelInputOptions input;
  input.size = 8;
  SliceDataset data(input);
  data.add_case("a", flat_scan(30, 2.0), run_labels(30, 10, 14));  // middle 12
  data.add_case("b", flat_scan(30, 4.0), run_labels(30, 10, 14));
  const auto m = metrics_from_probabilities(data, {0, 1}, {probabilities(30, 10, 14), probabilities(30, 14, 18)});
  EXPECT_DOUBLE_EQ(m.mid_error_mean_slices, 2.0);            // errors 0 and 4
  EXPECT_NEAR(m.mid_error_sd_slices, std::sqrt(8.0), 1e-12);  // sample SD
  EXPECT_DOUBLE_EQ(m.mid_error_mean_mm, 8.0);                 // 0 mm and 16 mm
}

// As `evaluate` counts it (metrics.h, middle_error): either middle slice of an even true run is on
// it, and the mm are from the true middle itself.
TEST(ValidationMetrics, EitherMiddleSliceOfAnEvenTrueRunIsOnIt) {
  ModelInputOptions input;
  input.size = 8;
  SliceDataset data(input);
  data.add_case("a", flat_scan(30, 3.0), run_labels(30, 10, 15));  // middle slices 12 and 13
  const auto m = metrics_from_probabilities(data, {0}, {probabilities(30, 11, 15)});  // middle 13
  EXPECT_EQ(m.case_errors_slices, (std::vector<int>{0}));
  EXPECT_DOUBLE_EQ(m.mid_error_mean_mm, 1.5);
}

TEST(TrueRunLengths, WholeRunsOnlyInMillimetres) {
  ModelInputOptions input;
  input.size = 8;
  SliceDataset data(input);
  data.add_case("a", flat_scan(30, 3.0), run_labels(30, 10, 19));       // 30 mm
  data.add_case("b", flat_scan(40, 2.0), run_labels(40, 5, 16));        // 24 mm
  data.add_case("cut", flat_scan(20, 3.0), run_labels(20, 0, 1));       // cut by the first slice: ignored
  data.add_case("cut_top", flat_scan(20, 3.0), run_labels(20, 15, 19)); // cut by the last slice: ignored
  data.add_case("none", flat_scan(20, 3.0), std::vector<uint8_t>(20, 0));
  EXPECT_EQ(true_run_lengths_mm(data, {0, 1, 2, 3, 4}), std::make_pair(24.0, 30.0));
  EXPECT_EQ(true_run_lengths_mm(data, {2, 3, 4}), std::make_pair(0.0, 0.0));
}

}  // namespace
}  // namespace l3
