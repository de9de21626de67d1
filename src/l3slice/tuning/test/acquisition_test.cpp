#include "l3slice/tuning/acquisition.h"

#include <cmath>

#include <gtest/gtest.h>

namespace l3 {
namespace {

TEST(ExpectedImprovement, IsZeroWhereImprovementIsImpossible) {
  // Mean 10 standard deviations above the best with a tiny variance: no chance to improve.
  EXPECT_LT(expected_improvement({5.0, 1e-6}, 4.99, 0.0), 1e-12);
  EXPECT_EQ(expected_improvement({5.0, 0.0}, 4.0, 0.0), 0.0);
  EXPECT_GE(expected_improvement({5.0, 1e-4}, 4.0, 0.0), 0.0);
}

TEST(ExpectedImprovement, IsZeroAtAPoorObservedPointOfAConfidentSurrogate) {
  // Nearly noise-free GP: at the observed point with y = 5 (best 1) the posterior is about
  // N(5, ~1e-8): no chance to improve. Between the good points there is.
  Eigen::MatrixXd x(3, 1);
  x << 0.0, 0.5, 1.0;
  Eigen::VectorXd y(3);
  y << 1.0, 5.0, 1.2;
  const GaussianProcess gp(x, y, {Eigen::VectorXd::Constant(1, 0.3), 1.0, 1e-8});
  const GpPrediction at_poor = gp.predict(Eigen::RowVectorXd::Constant(1, 0.5));
  EXPECT_NEAR(at_poor.mean, 5.0, 1e-3);
  EXPECT_LT(expected_improvement(at_poor, 1.0, 0.0), 1e-12);
  EXPECT_GT(expected_improvement(gp.predict(Eigen::RowVectorXd::Constant(1, 0.1)), 1.0, 0.0), 1e-6);
}

TEST(ExpectedImprovement, MatchesClosedFormWhereImprovementIsPossible) {
  // At mean = best: z = 0, EI = sd * phi(0) = sd / sqrt(2 pi).
  EXPECT_NEAR(expected_improvement({1.0, 4.0}, 1.0, 0.0), 2.0 / std::sqrt(2 * M_PI), 1e-12);
  // Without variance EI is the plain gain.
  EXPECT_NEAR(expected_improvement({1.0, 0.0}, 3.0, 0.5), 1.5, 1e-12);
  // gain 1, sd 1: EI = Phi(1) + phi(1) = 0.841344746 + 0.241970725
  EXPECT_NEAR(expected_improvement({0.0, 1.0}, 1.0, 0.0), 1.0833154705876864, 1e-9);
  // More uncertainty, more expected improvement; xi lowers it.
  EXPECT_GT(expected_improvement({1.0, 2.0}, 1.0), expected_improvement({1.0, 1.0}, 1.0));
  EXPECT_LT(expected_improvement({1.0, 1.0}, 1.0, 0.1), expected_improvement({1.0, 1.0}, 1.0, 0.0));
}

TEST(ExpectedImprovement, MaximiserFindsTheGapBetweenGoodPoints) {
  // Low values at both ends of [0, 1], high in the middle except for... the best region is
  // around x = 0.1; EI is largest close to the best point, not in the high middle.
  Eigen::MatrixXd x(5, 1);
  x << 0.0, 0.2, 0.5, 0.8, 1.0;
  Eigen::VectorXd y(5);
  y << 1.0, 0.2, 3.0, 2.5, 2.8;
  const GaussianProcess gp(x, y, {Eigen::VectorXd::Constant(1, 0.2), 1.0, 1e-6});
  const AcquisitionMaximum a = maximize_expected_improvement(gp, 0.2, {}, 7);
  ASSERT_EQ(a.x.size(), 1u);
  EXPECT_GT(a.value, 0.0);
  EXPECT_GT(a.x[0], 0.0);
  EXPECT_LT(a.x[0], 0.45);
  // It is a maximum: no grid point has clearly larger EI.
  for (double t = 0.0; t <= 1.0; t += 0.001) {
    EXPECT_LE(expected_improvement(gp.predict(Eigen::RowVectorXd::Constant(1, t)), 0.2, 0.01), a.value * (1 + 1e-6) + 1e-12);
  }
  // Same seed, same answer.
  const AcquisitionMaximum again = maximize_expected_improvement(gp, 0.2, {}, 7);
  EXPECT_EQ(again.x, a.x);
}

}  // namespace
}  // namespace l3
