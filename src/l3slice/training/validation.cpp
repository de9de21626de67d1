#include "l3slice/training/validation.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "l3slice/evaluation/metrics.h"
#include "l3slice/evaluation/run_selection.h"
#include "l3slice/model/input_tensor.h"

namespace l3 {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(int64_t a, int64_t b) { return b > 0 ? double(a) / double(b) : kNaN; }

// Mean and sample SD (0 for a single value, NaN for none).
std::pair<double, double> mean_sd(const std::vector<double>& v) {
  if (v.empty()) return {kNaN, kNaN};
  double sum = 0;
  for (double x : v) sum += x;
  const double mean = sum / v.size();
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return {mean, v.size() > 1 ? std::sqrt(ss / (v.size() - 1)) : 0.0};
}

// JSON has no NaN: write null.
nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }


// Per case and slice, the logit margin d = logit(L3) - logit(not L3): p = sigmoid(d), and the
// cross-entropy terms are softplus(-d) / softplus(d), exact even where p rounds to 0 or 1.
std::vector<std::vector<float>> predict_margins(ResNet& net, const SliceDataset& data, const std::vector<int>& cases,
                                                int batch) {
  torch::NoGradGuard no_grad;
  net->eval();
  std::vector<std::vector<float>> margins;
  for (const int ci : cases) {
    const auto& c = data.cases().at(std::size_t(ci));
    std::vector<float> d;
    d.reserve(std::size_t(c.slice_count));
    for (int z0 = 0; z0 < c.slice_count; z0 += batch) {
      const int n = std::min(batch, c.slice_count - z0);
      const auto x = input_tensor(data.slice(c.first_slice + z0), n, data.input().channels, data.input().size);
      const auto logits = net->forward(x);
      const auto margin = (logits.select(1, 1) - logits.select(1, 0)).contiguous();
      d.insert(d.end(), margin.data_ptr<float>(), margin.data_ptr<float>() + n);
    }
    margins.push_back(std::move(d));
  }
  return margins;
}

double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

std::vector<std::vector<float>> probabilities_from_margins(const std::vector<std::vector<float>>& margins) {
  auto p = margins;
  for (auto& v : p)
    for (auto& d : v) d = static_cast<float>(1.0 / (1.0 + std::exp(-double(d))));
  return p;
}

}  // namespace

std::vector<std::vector<float>> predict_probabilities(ResNet& net, const SliceDataset& data,
                                                      const std::vector<int>& cases, int batch) {
  return probabilities_from_margins(predict_margins(net, data, cases, batch));
}

std::pair<double, double> true_run_lengths_mm(const SliceDataset& data, const std::vector<int>& cases) {
  double shortest = 0.0, longest = 0.0;
  for (int index : cases) {
    const auto& c = data.cases().at(std::size_t(index));
    // Runs cut by the scan's first or last slice are not whole vertebrae: their length says nothing.
    if (!c.truth || c.truth->first == 0 || c.truth->last == c.slice_count - 1) continue;
    const double mm = c.truth->length() * c.slice_mm;
    shortest = shortest > 0.0 ? std::min(shortest, mm) : mm;
    longest = std::max(longest, mm);
  }
  return {shortest, longest};
}

ValidationMetrics metrics_from_probabilities(const SliceDataset& data, const std::vector<int>& cases,
                                             const std::vector<std::vector<float>>& probabilities,
                                             const RunLengthLimits& limits) {
  ValidationMetrics m;
  std::vector<double> err_slices, err_mm, selection;
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const auto& c = data.cases().at(std::size_t(cases[k]));
    const auto& p = probabilities.at(k);
    for (int z = 0; z < c.slice_count; ++z) {
      const bool truth = data.labels()[std::size_t(c.first_slice + z)] != 0, predicted = p[std::size_t(z)] >= 0.5f;
      (truth ? (predicted ? m.true_positives : m.false_negatives) : (predicted ? m.false_positives : m.true_negatives))++;
    }
    RunSelectionOptions selection_options;
    selection_options.slice_mm = c.slice_mm;
    selection_options.min_length_mm = limits.min_mm;
    selection_options.max_length_mm = limits.max_mm;
    const auto run = select_l3_run(p, selection_options);
    ++m.cases;
    int case_error = -1;
    if (c.truth) {
      ++m.cases_with_l3;
      if (run) {
        const MiddleError e = middle_error(run->middle(), *c.truth, c.slice_mm);  // as `evaluate` counts it
        ++m.located;
        case_error = e.slices;
        err_slices.push_back(e.slices);
        err_mm.push_back(e.mm);
        selection.push_back(e.slices);
      } else {
        ++m.missed;
        selection.push_back(c.slice_count);
      }
    } else {
      ++m.cases_without_l3;
      (run ? m.false_detections : m.correct_none)++;
    }
    m.case_errors_slices.push_back(case_error);
  }
  m.slices = m.true_positives + m.false_positives + m.true_negatives + m.false_negatives;
  m.sensitivity = ratio(m.true_positives, m.true_positives + m.false_negatives);
  m.specificity = ratio(m.true_negatives, m.true_negatives + m.false_positives);
  m.f1 = ratio(2 * m.true_positives, 2 * m.true_positives + m.false_positives + m.false_negatives);
  std::tie(m.mid_error_mean_slices, m.mid_error_sd_slices) = mean_sd(err_slices);
  std::tie(m.mid_error_mean_mm, m.mid_error_sd_mm) = mean_sd(err_mm);
  m.selection_error = mean_sd(selection).first;
  return m;
}

ValidationMetrics validate(ResNet& net, const SliceDataset& data, const std::vector<int>& cases, double l3_weight,
                           int batch, const RunLengthLimits& limits) {
  const auto margins = predict_margins(net, data, cases, batch);
  ValidationMetrics m = metrics_from_probabilities(data, cases, probabilities_from_margins(margins), limits);
  double weighted = 0, weights = 0;  // the training loss's definition (weighted_loss.h)
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const auto& c = data.cases().at(std::size_t(cases[k]));
    for (int z = 0; z < c.slice_count; ++z) {
      const bool l3 = data.labels()[std::size_t(c.first_slice + z)] != 0;
      const double d = margins[k][std::size_t(z)], w = l3 ? l3_weight : 1.0;
      weighted += w * softplus(l3 ? -d : d);
      weights += w;
    }
  }
  m.loss = weights > 0 ? weighted / weights : kNaN;
  return m;
}

nlohmann::json ValidationMetrics::to_json() const {
  return {{"loss", number(loss)},
          {"slices", slices},
          {"sensitivity", number(sensitivity)},
          {"specificity", number(specificity)},
          {"f1", number(f1)},
          {"cases", cases},
          {"cases_with_l3", cases_with_l3},
          {"located", located},
          {"missed", missed},
          {"cases_without_l3", cases_without_l3},
          {"correct_none", correct_none},
          {"false_detections", false_detections},
          {"mid_error_mean_slices", number(mid_error_mean_slices)},
          {"mid_error_sd_slices", number(mid_error_sd_slices)},
          {"mid_error_mean_mm", number(mid_error_mean_mm)},
          {"mid_error_sd_mm", number(mid_error_sd_mm)},
          {"selection_error", number(selection_error)}};
}

ValidationMetrics ValidationMetrics::from_json(const nlohmann::json& j) {
  auto real = [&](const char* key) { return j.at(key).is_null() ? kNaN : j.at(key).get<double>(); };
  ValidationMetrics m;
  m.loss = real("loss");
  m.slices = j.at("slices");
  m.sensitivity = real("sensitivity");
  m.specificity = real("specificity");
  m.f1 = real("f1");
  m.cases = j.at("cases");
  m.cases_with_l3 = j.at("cases_with_l3");
  m.located = j.at("located");
  m.missed = j.at("missed");
  m.cases_without_l3 = j.at("cases_without_l3");
  m.correct_none = j.at("correct_none");
  m.false_detections = j.at("false_detections");
  m.mid_error_mean_slices = real("mid_error_mean_slices");
  m.mid_error_sd_slices = real("mid_error_sd_slices");
  m.mid_error_mean_mm = real("mid_error_mean_mm");
  m.mid_error_sd_mm = real("mid_error_sd_mm");
  m.selection_error = real("selection_error");
  return m;
}

std::string ValidationMetrics::summary() const {
  std::string s = fmt::format("val loss {:.4f}  sens {:.3f} spec {:.3f} F1 {:.3f}  mid-L3 error ", loss, sensitivity,
                              specificity, f1);
  if (located > 0)
    s += fmt::format("{:.2f} ± {:.2f} slices ({:.1f} ± {:.1f} mm, ", mid_error_mean_slices, mid_error_sd_slices,
                     mid_error_mean_mm, mid_error_sd_mm);
  else
    s += "- (";  // no case located: there is no error to average
  s += fmt::format("{}/{} located", located, cases_with_l3);
  if (missed) s += fmt::format(", {} missed", missed);
  if (cases_without_l3) s += fmt::format("; no-L3 cases: {} correct, {} false detections", correct_none, false_detections);
  return s + ")";
}

}  // namespace l3
