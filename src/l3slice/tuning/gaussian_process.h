#pragma once
// Gaussian-process regression: the surrogate model of Bayesian optimisation.
//
// Prior: zero mean on standardised targets z = (y - mean(y)) / sd(y), covariance
//   k(a, b) = s2 * (1 + sqrt5 r + 5/3 r^2) * exp(-sqrt5 r),   r = |(a - b) / l|   (Matern 5/2, ARD)
// plus independent noise n2 on each observation. The hyperparameters (length scales l, signal
// variance s2, noise variance n2) are fitted by maximising the log marginal likelihood.
// All solves go through a Cholesky factor (Eigen LLT); jitter is added only if it fails.
#include <Eigen/Cholesky>
#include <Eigen/Core>

namespace l3 {

struct GpHyperparameters {
  Eigen::VectorXd length_scales;  // one per input dimension
  double signal_variance = 1.0;   // s2, in units of the standardised targets (or raw ones without standardising)
  double noise_variance = 1e-6;   // n2, likewise
};

// Bounds and starts for fitting; inputs are expected in the unit cube.
struct GpFitOptions {
  double min_length_scale = 0.02, max_length_scale = 20.0;
  double min_signal_variance = 0.01, max_signal_variance = 100.0;
  double min_noise_variance = 1e-8, max_noise_variance = 1.0;
  int max_evaluations_per_start = 200;
};

struct GpPrediction {
  double mean = 0.0;
  double variance = 0.0;  // of the latent function (without observation noise), >= 0
};

// Matern 5/2 ARD covariance (without noise).
double matern52(const Eigen::Ref<const Eigen::RowVectorXd>& a, const Eigen::Ref<const Eigen::RowVectorXd>& b,
                const GpHyperparameters& h);

// Log marginal likelihood log p(z | x, h) of targets z (zero prior mean) and, if gradient is not
// null, its gradient with respect to (log l_1..log l_d, log s2, log n2). Returns -infinity if the
// covariance cannot be factorised.
double gp_log_marginal_likelihood(const Eigen::MatrixXd& x, const Eigen::VectorXd& z,
                                  const GpHyperparameters& h, Eigen::VectorXd* gradient = nullptr);

class GaussianProcess {
 public:
  // Conditions on x (n points as rows, n >= 1) and y with the given hyperparameters.
  // standardize = false models the raw y with a zero prior mean (used for checks by hand).
  GaussianProcess(Eigen::MatrixXd x, Eigen::VectorXd y, GpHyperparameters h, bool standardize = true);

  // Standardises y, fits the hyperparameters from a fixed set of starts (deterministic), then conditions.
  static GaussianProcess fit(Eigen::MatrixXd x, Eigen::VectorXd y, const GpFitOptions& options = {});

  GpPrediction predict(const Eigen::Ref<const Eigen::RowVectorXd>& point) const;

  const GpHyperparameters& hyperparameters() const { return h_; }
  double log_marginal_likelihood() const { return lml_; }  // of the (standardised) targets
  double jitter() const { return jitter_; }                // added to the diagonal (0 normally)
  int size() const { return int(x_.rows()); }
  int dimension() const { return int(x_.cols()); }
  const Eigen::MatrixXd& inputs() const { return x_; }
  const Eigen::VectorXd& targets() const { return y_; }

 private:
  Eigen::MatrixXd x_;
  Eigen::VectorXd y_;
  GpHyperparameters h_;
  double y_mean_ = 0.0;
  double y_scale_ = 1.0;
  Eigen::MatrixXd x_scaled_;  // x_ with each column divided by its length scale
  Eigen::LLT<Eigen::MatrixXd> llt_;
  Eigen::VectorXd alpha_;     // (K + n2 I)^-1 z
  double jitter_ = 0.0;
  double lml_ = 0.0;
};

}  // namespace l3
