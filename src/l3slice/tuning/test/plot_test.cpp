#include "l3slice/tuning/plot.h"

#include <cmath>

#include <gtest/gtest.h>

#include "l3slice/core/error.h"
#include "support/test_support.h"

namespace l3 {
namespace {

using Pixel = std::array<int, 3>;
Pixel pixel(const PlotImage& image, int x, int y) {
  const std::uint8_t* p = &image.rgb[(std::size_t(y) * image.width + x) * 3];
  return {p[0], p[1], p[2]};
}

// Minimum at r = 3, w = 8 (unit cube: log1p(3)/log1p(10) = 0.578, log(8)/log(50) = 0.532).
TrialOutcome bowl(const std::map<std::string, double>& p, int) {
  const double a = std::log1p(p.at("r")) - std::log1p(3.0), b = std::log(p.at("w")) - std::log(8.0);
  return {1.0 + 4.0 * a * a + 2.0 * b * b, 0.3, ""};
}

Study make_study(const testing::TempDir& dir, int trials, bool with_failure) {
  StudySettings s;
  s.space = SearchSpace::standard(false);
  s.optimizer.seed = 5;
  s.optimizer.random_candidates = 300;
  Study study(dir / "study.json", s);
  StudyRunOptions quiet;
  quiet.show_progress = false;
  run_study(study, trials, [&](const std::map<std::string, double>& p, int index) {
    if (with_failure && index == 2) return TrialOutcome{};
    return bowl(p, index);
  }, quiet);
  return study;
}

TEST(Plot, ObjectiveOverTrialsShowsTrialsFailuresAndAFallingBestLine) {
  testing::TempDir dir;
  const Study study = make_study(dir, 8, true);
  const PlotImage image = plot_objective_over_trials(study, 400, 300);
  ASSERT_EQ(image.width, 400);
  ASSERT_EQ(image.height, 300);
  ASSERT_EQ(image.rgb.size(), 400u * 300u * 3u);
  int dots = 0, red = 0;
  int previous_line_y = -1;
  for (int x = 0; x < image.width; ++x) {
    int line_y = -1;
    for (int y = 0; y < image.height; ++y) {
      const Pixel p = pixel(image, x, y);
      if (p == Pixel{40, 90, 180}) ++dots;
      if (p == Pixel{220, 30, 30}) ++red;
      if (p == Pixel{240, 130, 20}) line_y = y;
    }
    // The best-so-far line only moves down the picture (towards lower objectives).
    if (line_y >= 0) {
      EXPECT_GE(line_y, previous_line_y) << "column " << x;
      previous_line_y = line_y;
    }
  }
  EXPECT_GT(dots, 7 * 20);  // 7 successful trials, about 29 pixels each
  EXPECT_GT(red, 0);        // the failed trial
  EXPECT_GE(previous_line_y, 0);
}

TEST(Plot, SurrogateHeatMapIsDarkestNearTheMinimum) {
  testing::TempDir dir;
  const Study study = make_study(dir, 12, false);
  const int width = 460, height = 400;
  const PlotImage image = plot_surrogate(study, width, height);
  ASSERT_EQ(image.rgb.size(), std::size_t(width) * height * 3);
  const PlotArea area = surrogate_plot_area(width, height);
  // Darkest heat-map pixel (closest to viridis' low end 68,1,84), skipping trial markers.
  double best_distance = 1e9;
  double best_u0 = -1, best_u1 = -1;
  for (int y = area.top; y < area.top + area.height; ++y) {
    for (int x = area.left; x < area.left + area.width; ++x) {
      const Pixel p = pixel(image, x, y);
      const double d = std::hypot(p[0] - 68, p[1] - 1, p[2] - 84);
      if (d < best_distance) {
        best_distance = d;
        best_u0 = double(x - area.left) / (area.width - 1);
        best_u1 = 1.0 - double(y - area.top) / (area.height - 1);
      }
    }
  }
  EXPECT_LT(best_distance, 10.0);
  EXPECT_NEAR(best_u0, std::log1p(3.0) / std::log1p(10.0), 0.15);
  EXPECT_NEAR(best_u1, std::log(8.0) / std::log(50.0), 0.15);
}

TEST(Plot, SurrogateNeedsASuccessfulTrial) {
  testing::TempDir dir;
  StudySettings s;
  s.space = SearchSpace::standard(false);
  const Study empty(dir / "s.json", s);
  EXPECT_THROW(plot_surrogate(empty), UsageError);
  EXPECT_NO_THROW(plot_objective_over_trials(empty));
}

}  // namespace
}  // namespace l3
