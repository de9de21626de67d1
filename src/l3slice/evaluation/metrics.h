#pragma once
// Per-patient mid-L3 error and per-slice agreement, summarised like the paper's table.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "l3slice/core/slice_run.h"

namespace l3 {

struct CaseEvaluation {
  std::string case_id;
  std::optional<SliceRun> truth;      // from the label file (say which definition: body or whole vertebra)
  std::optional<SliceRun> predicted;
  double slice_mm = 1.0;
  // Per slice: slices inside the predicted run vs slices containing the L3 label.
  long tp = 0, fp = 0, tn = 0, fn = 0;
};

// Fills tp/fp/tn/fn from per-slice truth labels and the predicted run.
void count_slices(CaseEvaluation& c, const std::vector<uint8_t>& truth_labels);

// How far a predicted L3 slice lies from the true middle. In slices: from the nearer middle slice,
// since a run of an even number of slices has two (SliceRun::middle() names the lower; the other is
// as near the body's middle), so a method that rounds is not charged a slice for it. In mm: from the
// true middle itself, halfway between the run's first and last slice.
struct MiddleError {
  int slices = 0;
  double mm = 0.0;
};
MiddleError middle_error(int predicted_middle, const SliceRun& truth, double slice_mm);

struct EvaluationSummary {
  int cases = 0;
  int cases_with_l3 = 0;
  int found = 0;             // L3 in the scan and a run predicted
  int missed = 0;            // L3 in the scan, none predicted
  int false_detections = 0;  // no L3 in the scan, a run predicted
  int correct_absent = 0;    // no L3, none predicted
  // Mid-L3 error over cases with L3 found (middle_error: slices and mm).
  double mean_slices = 0, sd_slices = 0, median_slices = 0, max_slices = 0;
  double mean_mm = 0, sd_mm = 0, median_mm = 0, max_mm = 0;
  // % of cases with L3 whose error is within 0, 1, 2 slices (a missed case is not within).
  double within0 = 0, within1 = 0, within2 = 0;
  double sensitivity = 0, specificity = 0;  // per slice, pooled over cases
};

EvaluationSummary summarize(const std::vector<CaseEvaluation>& cases);

// A Markdown table with one row per (name, summary): several models side by side.
std::string summary_table(const std::vector<std::pair<std::string, EvaluationSummary>>& rows);

}  // namespace l3
