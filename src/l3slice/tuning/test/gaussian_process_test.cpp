#include "l3slice/tuning/gaussian_process.h"

#include <cmath>

#include <gtest/gtest.h>

namespace l3 {
namespace {

// Hand-checked example: x = (0, 1), y = (1, 2), l = 1, s2 = 1, n2 = 0.01, no standardising.
//   c(r) = (1 + sqrt5 r + 5/3 r^2) exp(-sqrt5 r);  c(1) = 0.5239941088318203
//   K + n2 I = [[1.01, c1], [c1, 1.01]],  det = 1.01^2 - c1^2 = 0.7455301739095465
//   alpha = (K + n2 I)^-1 y = (1.01*1 - c1*2, -c1*1 + 1.01*2) / det = (-0.0509546347, 2.0066335925)
//   at x* = 0.25: k* = (c(0.25), c(0.75)) = (0.9509599217, 0.6756478000)
//     mean = k* . alpha = 1.30732175678091
//     var  = 1 - k*^T (K + n2 I)^-1 k* = 1 - (1.01 k1^2 - 2 c1 k1 k2 + 1.01 k2^2) / det = 0.0596143329893698
//   at x* = 3 (far away): mean 0.276827616826733, var 0.978315313687538 (back towards the prior)
//   log marginal likelihood = -y.alpha / 2 - log(det) / 2 - log(2 pi) = -3.67220350610059
GaussianProcess hand_example() {
  Eigen::MatrixXd x(2, 1);
  x << 0.0, 1.0;
  Eigen::VectorXd y(2);
  y << 1.0, 2.0;
  GpHyperparameters h{Eigen::VectorXd::Ones(1), 1.0, 0.01};
  return GaussianProcess(x, y, h, /*standardize=*/false);
}

TEST(GaussianProcess, MatchesHandComputedPosterior) {
  const GaussianProcess gp = hand_example();
  const GpPrediction near = gp.predict(Eigen::RowVectorXd::Constant(1, 0.25));
  EXPECT_NEAR(near.mean, 1.30732175678091, 1e-12);
  EXPECT_NEAR(near.variance, 0.0596143329893698, 1e-12);
  const GpPrediction far = gp.predict(Eigen::RowVectorXd::Constant(1, 3.0));
  EXPECT_NEAR(far.mean, 0.276827616826733, 1e-12);
  EXPECT_NEAR(far.variance, 0.978315313687538, 1e-12);
  EXPECT_NEAR(gp.log_marginal_likelihood(), -3.67220350610059, 1e-12);
  EXPECT_EQ(gp.jitter(), 0.0);
}

TEST(GaussianProcess, KernelIsMatern52WithArdLengthScales) {
  GpHyperparameters h{Eigen::Vector2d(2.0, 0.5), 3.0, 0.0};
  // r = |(0.6/2, 0.2/0.5)| = |(0.3, 0.4)| = 0.5
  const double r = 0.5;
  const double expected = 3.0 * (1 + std::sqrt(5.0) * r + 5.0 / 3.0 * r * r) * std::exp(-std::sqrt(5.0) * r);
  EXPECT_NEAR(matern52(Eigen::RowVector2d(0.1, 0.7), Eigen::RowVector2d(0.7, 0.5), h), expected, 1e-14);
}

TEST(GaussianProcess, LogLikelihoodGradientMatchesFiniteDifferences) {
  Eigen::MatrixXd x(5, 2);
  x << 0.1, 0.2, 0.5, 0.9, 0.3, 0.4, 0.8, 0.1, 0.6, 0.6;
  Eigen::VectorXd z(5);
  z << 0.3, -1.2, 0.5, 1.1, -0.7;
  GpHyperparameters h{Eigen::Vector2d(0.4, 0.7), 1.3, 0.05};
  Eigen::VectorXd gradient;
  gp_log_marginal_likelihood(x, z, h, &gradient);
  ASSERT_EQ(gradient.size(), 4);
  const double step = 1e-6;
  for (int i = 0; i < 4; ++i) {
    auto shifted = [&](double delta) {
      GpHyperparameters g = h;
      if (i < 2) g.length_scales(i) *= std::exp(delta);
      if (i == 2) g.signal_variance *= std::exp(delta);
      if (i == 3) g.noise_variance *= std::exp(delta);
      return gp_log_marginal_likelihood(x, z, g);
    };
    const double numeric = (shifted(step) - shifted(-step)) / (2 * step);
    EXPECT_NEAR(gradient(i), numeric, 1e-6 * std::max(1.0, std::abs(numeric))) << "component " << i;
  }
}

TEST(GaussianProcess, FitInterpolatesASmoothFunction) {
  // 12 points of a smooth 1-D function: the fitted GP should predict held-out points closely,
  // far better than the prior (the mean of y).
  auto f = [](double t) { return std::sin(6.0 * t) + 0.5 * t; };
  Eigen::MatrixXd x(12, 1);
  Eigen::VectorXd y(12);
  for (int i = 0; i < 12; ++i) {
    x(i, 0) = i / 11.0;
    y(i) = f(x(i, 0));
  }
  const GaussianProcess gp = GaussianProcess::fit(x, y);
  double worst = 0.0;
  for (double t = 0.04; t < 1.0; t += 0.09) {
    worst = std::max(worst, std::abs(gp.predict(Eigen::RowVectorXd::Constant(1, t)).mean - f(t)));
  }
  EXPECT_LT(worst, 0.02);
  // At a training point the latent variance is about the (small) fitted noise.
  EXPECT_LT(gp.predict(x.row(3)).variance, 1e-3);
  EXPECT_LT(gp.hyperparameters().noise_variance, 1e-3);
}

TEST(GaussianProcess, FitGivesAnIrrelevantDimensionALongLengthScale) {
  // y depends on the first coordinate only: ARD should make the second length scale much longer.
  Eigen::MatrixXd x(16, 2);
  Eigen::VectorXd y(16);
  for (int i = 0; i < 16; ++i) {
    x(i, 0) = (i % 4) / 3.0 + 0.01 * (i / 4);
    x(i, 1) = (i / 4) / 3.0;
    y(i) = std::sin(4.0 * x(i, 0));
  }
  const GaussianProcess gp = GaussianProcess::fit(x, y);
  const Eigen::VectorXd& l = gp.hyperparameters().length_scales;
  EXPECT_GT(l(1), 3.0 * l(0)) << "length scales " << l.transpose();
}

TEST(GaussianProcess, DuplicatePointsStillFactorise) {
  Eigen::MatrixXd x(3, 1);
  x << 0.5, 0.5, 0.5;
  Eigen::VectorXd y(3);
  y << 1.0, 1.0, 1.0;
  GpHyperparameters h{Eigen::VectorXd::Ones(1), 1.0, 0.0};  // singular without jitter
  const GaussianProcess gp(x, y, h, false);
  EXPECT_GT(gp.jitter(), 0.0);
  EXPECT_NEAR(gp.predict(Eigen::RowVectorXd::Constant(1, 0.5)).mean, 1.0, 1e-4);
}

}  // namespace
}  // namespace l3
