#include "l3slice/tuning/gaussian_process.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "l3slice/core/error.h"
#include "l3slice/tuning/nlopt_box.h"

namespace l3 {

namespace {

const double kSqrt5 = std::sqrt(5.0);
const double kLog2Pi = std::log(2.0 * M_PI);

// Matern 5/2 correlation at scaled distance r.
double matern52_correlation(double r) {
  return (1.0 + kSqrt5 * r + 5.0 / 3.0 * r * r) * std::exp(-kSqrt5 * r);
}

Eigen::MatrixXd scale_columns(const Eigen::MatrixXd& x, const Eigen::VectorXd& length_scales) {
  return x * length_scales.cwiseInverse().asDiagonal();
}

// Noise-free covariance between the rows of a and b (already divided by the length scales).
Eigen::MatrixXd covariance(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, double signal_variance) {
  Eigen::MatrixXd k(a.rows(), b.rows());
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    for (Eigen::Index j = 0; j < b.rows(); ++j) {
      k(i, j) = signal_variance * matern52_correlation((a.row(i) - b.row(j)).norm());
    }
  }
  return k;
}

// Factorises k + noise I, adding jitter (growing tenfold) only if the factorisation fails.
bool factorise(const Eigen::MatrixXd& k, double noise, Eigen::LLT<Eigen::MatrixXd>& llt, double& jitter) {
  const double scale = std::max(k.diagonal().mean(), 1e-300);
  jitter = 0.0;
  for (int attempt = 0; attempt < 8; ++attempt) {
    Eigen::MatrixXd a = k;
    a.diagonal().array() += noise + jitter;
    llt.compute(a);
    if (llt.info() == Eigen::Success) return true;
    jitter = (jitter == 0.0) ? 1e-10 * scale : jitter * 10.0;
  }
  return false;
}

void check_inputs(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const GpHyperparameters& h) {
  if (x.rows() < 1) throw UsageError("Gaussian process: needs at least one observation");
  if (x.rows() != y.size()) {
    throw UsageError(fmt::format("Gaussian process: {} points but {} targets", x.rows(), y.size()));
  }
  if (h.length_scales.size() != x.cols()) {
    throw UsageError(fmt::format("Gaussian process: {} length scales for {} dimensions", h.length_scales.size(), x.cols()));
  }
  if (!x.allFinite() || !y.allFinite()) throw UsageError("Gaussian process: non-finite inputs or targets");
  if (!(h.length_scales.array() > 0).all() || !(h.signal_variance > 0) || !(h.noise_variance >= 0)) {
    throw UsageError("Gaussian process: length scales and signal variance must be > 0, noise variance >= 0");
  }
}

}  // namespace

double matern52(const Eigen::Ref<const Eigen::RowVectorXd>& a, const Eigen::Ref<const Eigen::RowVectorXd>& b,
                const GpHyperparameters& h) {
  const double r = (a - b).cwiseQuotient(h.length_scales.transpose()).norm();
  return h.signal_variance * matern52_correlation(r);
}

double gp_log_marginal_likelihood(const Eigen::MatrixXd& x, const Eigen::VectorXd& z,
                                  const GpHyperparameters& h, Eigen::VectorXd* gradient) {
  const Eigen::Index n = x.rows(), d = x.cols();
  const Eigen::MatrixXd xs = scale_columns(x, h.length_scales);
  const Eigen::MatrixXd k = covariance(xs, xs, h.signal_variance);
  Eigen::LLT<Eigen::MatrixXd> llt;
  double jitter = 0.0;
  if (!factorise(k, h.noise_variance, llt, jitter)) {
    if (gradient) gradient->setZero(d + 2);
    return -std::numeric_limits<double>::infinity();
  }
  const Eigen::VectorXd alpha = llt.solve(z);
  const double log_det = 2.0 * llt.matrixLLT().diagonal().array().log().sum();
  const double lml = -0.5 * z.dot(alpha) - 0.5 * log_det - 0.5 * double(n) * kLog2Pi;
  if (gradient) {
    // d lml / d theta = 1/2 tr((alpha alpha^T - K^-1) dK/dtheta)
    const Eigen::MatrixXd w = alpha * alpha.transpose() - llt.solve(Eigen::MatrixXd::Identity(n, n));
    gradient->resize(d + 2);
    // dk/dlog l_j = s2 * 5/3 * (1 + sqrt5 r) exp(-sqrt5 r) * ((a_j - b_j) / l_j)^2
    Eigen::MatrixXd common(n, n);
    for (Eigen::Index a = 0; a < n; ++a) {
      for (Eigen::Index b = 0; b < n; ++b) {
        const double r = (xs.row(a) - xs.row(b)).norm();
        common(a, b) = w(a, b) * h.signal_variance * 5.0 / 3.0 * (1.0 + kSqrt5 * r) * std::exp(-kSqrt5 * r);
      }
    }
    for (Eigen::Index j = 0; j < d; ++j) {
      double g = 0.0;
      for (Eigen::Index a = 0; a < n; ++a) {
        for (Eigen::Index b = 0; b < n; ++b) {
          const double delta = xs(a, j) - xs(b, j);
          g += common(a, b) * delta * delta;
        }
      }
      (*gradient)(j) = 0.5 * g;
    }
    (*gradient)(d) = 0.5 * (w.cwiseProduct(k)).sum();            // dK/dlog s2 = K
    (*gradient)(d + 1) = 0.5 * h.noise_variance * w.trace();      // dK/dlog n2 = n2 I
  }
  return lml;
}

GaussianProcess::GaussianProcess(Eigen::MatrixXd x, Eigen::VectorXd y, GpHyperparameters h, bool standardize)
    : x_(std::move(x)), y_(std::move(y)), h_(std::move(h)) {
  check_inputs(x_, y_, h_);
  if (standardize) {
    y_mean_ = y_.mean();
    const double sd = y_.size() > 1 ? std::sqrt((y_.array() - y_mean_).square().sum() / double(y_.size() - 1)) : 0.0;
    y_scale_ = sd > 1e-12 ? sd : 1.0;
  }
  const Eigen::VectorXd z = (y_.array() - y_mean_) / y_scale_;
  x_scaled_ = scale_columns(x_, h_.length_scales);
  const Eigen::MatrixXd k = covariance(x_scaled_, x_scaled_, h_.signal_variance);
  if (!factorise(k, h_.noise_variance, llt_, jitter_)) {
    throw std::runtime_error("Gaussian process: covariance matrix is not positive definite even with jitter");
  }
  alpha_ = llt_.solve(z);
  lml_ = -0.5 * z.dot(alpha_) - llt_.matrixLLT().diagonal().array().log().sum() - 0.5 * double(z.size()) * kLog2Pi;
}

GaussianProcess GaussianProcess::fit(Eigen::MatrixXd x, Eigen::VectorXd y, const GpFitOptions& options) {
  const Eigen::Index d = x.cols();
  check_inputs(x, y, {Eigen::VectorXd::Ones(d), 1.0, 0.0});
  const double mean = y.mean();
  const double sd = y.size() > 1 ? std::sqrt((y.array() - mean).square().sum() / double(y.size() - 1)) : 0.0;
  const Eigen::VectorXd z = (y.array() - mean) / (sd > 1e-12 ? sd : 1.0);

  // theta = (log l_1..log l_d, log s2, log n2)
  std::vector<double> lower(static_cast<std::size_t>(d + 2)), upper(static_cast<std::size_t>(d + 2));
  for (Eigen::Index j = 0; j < d; ++j) {
    lower[std::size_t(j)] = std::log(options.min_length_scale);
    upper[std::size_t(j)] = std::log(options.max_length_scale);
  }
  lower[std::size_t(d)] = std::log(options.min_signal_variance);
  upper[std::size_t(d)] = std::log(options.max_signal_variance);
  lower[std::size_t(d + 1)] = std::log(options.min_noise_variance);
  upper[std::size_t(d + 1)] = std::log(options.max_noise_variance);

  auto unpack = [d](const std::vector<double>& theta) {
    GpHyperparameters h;
    h.length_scales.resize(d);
    for (Eigen::Index j = 0; j < d; ++j) h.length_scales(j) = std::exp(theta[std::size_t(j)]);
    h.signal_variance = std::exp(theta[std::size_t(d)]);
    h.noise_variance = std::exp(theta[std::size_t(d + 1)]);
    return h;
  };
  const BoxObjective negative_lml = [&](const std::vector<double>& theta, std::vector<double>* gradient) {
    Eigen::VectorXd g;
    const double lml = gp_log_marginal_likelihood(x, z, unpack(theta), gradient ? &g : nullptr);
    if (gradient) {
      gradient->resize(theta.size());
      for (std::size_t i = 0; i < theta.size(); ++i) (*gradient)[i] = -g(Eigen::Index(i));
    }
    return -lml;
  };

  // Fixed starts (short, medium and long length scales; little and much noise): a multi-modal
  // likelihood is searched from several basins, and the result depends only on the data.
  BoxOptimum best;
  bool have = false;
  for (double length : {0.1, 0.3, 1.0}) {
    for (double noise : {1e-4, 1e-1}) {
      std::vector<double> start(static_cast<std::size_t>(d + 2), std::log(length));
      start[std::size_t(d)] = 0.0;
      start[std::size_t(d + 1)] = std::log(noise);
      BoxOptimum found = minimize_in_box(nlopt::LD_LBFGS, negative_lml, start, lower, upper,
                                         options.max_evaluations_per_start, 1e-6);
      if (!have || found.value < best.value) {
        best = std::move(found);
        have = true;
      }
    }
  }
  return GaussianProcess(std::move(x), std::move(y), unpack(best.x), true);
}

GpPrediction GaussianProcess::predict(const Eigen::Ref<const Eigen::RowVectorXd>& point) const {
  if (point.size() != x_.cols()) {
    throw UsageError(fmt::format("Gaussian process: point has {} coordinates, expected {}", point.size(), x_.cols()));
  }
  const Eigen::RowVectorXd p = point.cwiseQuotient(h_.length_scales.transpose());
  Eigen::VectorXd k_star(x_.rows());
  for (Eigen::Index i = 0; i < x_.rows(); ++i) {
    k_star(i) = h_.signal_variance * matern52_correlation((x_scaled_.row(i) - p).norm());
  }
  const Eigen::VectorXd v = llt_.matrixL().solve(k_star);
  GpPrediction out;
  out.mean = y_mean_ + y_scale_ * k_star.dot(alpha_);
  out.variance = y_scale_ * y_scale_ * std::max(0.0, h_.signal_variance - v.squaredNorm());
  return out;
}

}  // namespace l3
