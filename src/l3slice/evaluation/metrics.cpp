#include "l3slice/evaluation/metrics.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace l3 {
namespace {

struct Stats {
  double mean = 0, sd = 0, median = 0, max = 0;
};

Stats stats_of(std::vector<double> v) {
  Stats s;
  if (v.empty()) return s;
  for (double x : v) s.mean += x;
  s.mean /= v.size();
  for (double x : v) s.sd += (x - s.mean) * (x - s.mean);
  s.sd = v.size() > 1 ? std::sqrt(s.sd / (v.size() - 1)) : 0.0;  // sample SD, as in papers
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  s.median = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  s.max = v.back();
  return s;
}

}  // namespace

MiddleError middle_error(int predicted_middle, const SliceRun& truth, double slice_mm) {
  const int lower = truth.middle(), upper = (truth.first + truth.last + 1) / 2;
  return {std::min(std::abs(predicted_middle - lower), std::abs(predicted_middle - upper)),
          std::abs(predicted_middle - (truth.first + truth.last) / 2.0) * slice_mm};
}

void count_slices(CaseEvaluation& c, const std::vector<uint8_t>& truth_labels) {
  c.tp = c.fp = c.tn = c.fn = 0;
  for (int z = 0; z < int(truth_labels.size()); ++z) {
    const bool predicted = c.predicted && z >= c.predicted->first && z <= c.predicted->last;
    const bool actual = truth_labels[z] != 0;
    (predicted ? (actual ? c.tp : c.fp) : (actual ? c.fn : c.tn))++;
  }
}

EvaluationSummary summarize(const std::vector<CaseEvaluation>& cases) {
  EvaluationSummary s;
  s.cases = int(cases.size());
  std::vector<double> err_slices, err_mm;
  int w0 = 0, w1 = 0, w2 = 0;
  long tp = 0, fp = 0, tn = 0, fn = 0;
  for (const auto& c : cases) {
    tp += c.tp, fp += c.fp, tn += c.tn, fn += c.fn;
    if (!c.truth) {
      (c.predicted ? s.false_detections : s.correct_absent)++;
      continue;
    }
    ++s.cases_with_l3;
    if (!c.predicted) {
      ++s.missed;
      continue;
    }
    ++s.found;
    const MiddleError e = middle_error(c.predicted->middle(), *c.truth, c.slice_mm);
    err_slices.push_back(e.slices);
    err_mm.push_back(e.mm);
    w0 += e.slices == 0, w1 += e.slices <= 1, w2 += e.slices <= 2;
  }
  const Stats sl = stats_of(err_slices), mm = stats_of(err_mm);
  s.mean_slices = sl.mean, s.sd_slices = sl.sd, s.median_slices = sl.median, s.max_slices = sl.max;
  s.mean_mm = mm.mean, s.sd_mm = mm.sd, s.median_mm = mm.median, s.max_mm = mm.max;
  if (s.cases_with_l3) {
    s.within0 = 100.0 * w0 / s.cases_with_l3;
    s.within1 = 100.0 * w1 / s.cases_with_l3;
    s.within2 = 100.0 * w2 / s.cases_with_l3;
  }
  s.sensitivity = tp + fn ? double(tp) / (tp + fn) : 0.0;
  s.specificity = tn + fp ? double(tn) / (tn + fp) : 0.0;
  return s;
}

std::string summary_table(const std::vector<std::pair<std::string, EvaluationSummary>>& rows) {
  std::string out =
      "| model | cases (with L3) | mid-L3 error, slices (mean ± SD) | median | max | mm (mean ± SD) | "
      "within 0 / 1 / 2 slices | missed | false L3 | slice sens. | slice spec. |\n"
      "|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& [name, s] : rows)
    out += fmt::format("| {} | {} ({}) | {:.2f} ± {:.2f} | {:.1f} | {:.0f} | {:.1f} ± {:.1f} | {:.0f}% / {:.0f}% / {:.0f}% | {} | {} | {:.3f} | {:.3f} |\n",
                       name, s.cases, s.cases_with_l3, s.mean_slices, s.sd_slices, s.median_slices, s.max_slices,
                       s.mean_mm, s.sd_mm, s.within0, s.within1, s.within2, s.missed, s.false_detections,
                       s.sensitivity, s.specificity);
  out += "\nMid-L3 error: in slices from the nearer middle slice of the true run (a run of an even number of slices "
         "has two), in mm from the true middle (halfway between its first and last slice); over the cases found.\n";
  return out;
}

}  // namespace l3
