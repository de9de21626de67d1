#include "l3slice/inference/evaluate_models.h"

#include <chrono>
#include <cstdio>
#include <map>

#include <fmt/format.h>

#include "l3slice/core/atomic_file.h"
#include "l3slice/core/csv.h"
#include "l3slice/core/error.h"
#include "l3slice/core/fingerprint.h"
#include "l3slice/core/progress.h"
#include "l3slice/inference/l3_finder.h"
#include "l3slice/inference/prediction_output.h"
#include "l3slice/io/l3_truth.h"
#include "l3slice/io/png_io.h"
#include "l3slice/report/qc_picture.h"

namespace fs = std::filesystem;

namespace l3 {
namespace {

std::vector<std::string> model_names(const std::vector<fs::path>& paths) {
  std::vector<std::string> names;
  std::map<std::string, int> used;
  for (const auto& p : paths) {
    std::string name = p.stem().string();
    if (++used[name] > 1) name += "_" + std::to_string(used[name]);
    names.push_back(name);
  }
  return names;
}

std::string run_field(const std::optional<SliceRun>& r, int which) {
  if (!r) return "";
  return std::to_string(which == 0 ? r->first : which == 1 ? r->last : r->middle());
}

}  // namespace

std::vector<ModelEvaluation> evaluate_models(const std::vector<ManifestEntry>& cases,
                                             const std::vector<fs::path>& model_paths,
                                             const EvaluateOptions& options, std::vector<CaseFailure>* failures_out) {
  if (model_paths.empty()) throw UsageError("evaluate needs at least one model");
  std::vector<std::unique_ptr<L3Finder>> models;
  std::vector<ModelEvaluation> results;
  const auto names = model_names(model_paths);
  for (std::size_t m = 0; m < model_paths.size(); ++m) {
    models.push_back(open_l3_finder(model_paths[m], options.predict));
    results.push_back({names[m], model_paths[m], {}, {}, 0.0});
  }

  // Where the figures came from: the program, the manifest and every input read (fingerprints), each
  // model's description (file CRCs, rules, settings), the read options and how the error is counted.
  nlohmann::json models_json = nlohmann::json::array(), cases_json = nlohmann::json::array();
  for (std::size_t m = 0; m < models.size(); ++m) models_json.push_back({{"name", names[m]}, {"model", models[m]->describe()}});

  std::string rows = csv_line({"model", "case_id", "true_first", "true_last", "true_middle", "pred_first", "pred_last",
                               "pred_middle", "error_slices", "error_mm", "confidence", "status"});
  std::vector<double> seconds(models.size(), 0.0);
  std::vector<CaseFailure> failures;
  CohortTruthCheck check;
  Progress progress("evaluate", static_cast<long>(cases.size()), "cases");
  for (const auto& entry : cases) {
    try {
      cases_json.push_back({{"case_id", entry.case_id},
                            {"image", entry.image.string()},
                            {"image_fingerprint", input_fingerprint(entry.image)},
                            {"labels", entry.labels ? nlohmann::json(entry.labels->string()) : nlohmann::json()},
                            {"labels_fingerprint", entry.labels ? nlohmann::json(input_fingerprint(*entry.labels)) : nlohmann::json()},
                            {"label_value", entry.label_value ? nlohmann::json(*entry.label_value) : nlohmann::json()}});
      const CtScan ct = read_ct(entry.image, options.read);
      std::vector<uint8_t> truth_labels(std::size_t(ct.hu.grid.size[2]), 0);  // no labels cell: no L3
      if (entry.labels) {
        const L3Truth t = read_l3_truth(*entry.labels, entry.label_value, ct);
        check.add(t);
        truth_labels = t.flags;
      } else {
        check.add_explicit_negative();
      }
      const auto truth = span_of(truth_labels);
      for (std::size_t m = 0; m < models.size(); ++m) {
        const Prediction p = models[m]->find(ct);
        seconds[m] += p.inference_seconds;
        CaseEvaluation c;
        c.case_id = entry.case_id;
        c.truth = truth;
        c.predicted = p.run;
        c.slice_mm = ct.hu.grid.spacing[2];
        count_slices(c, truth_labels);
        std::string error_slices, error_mm, status;
        if (truth && p.run) {
          const MiddleError e = middle_error(p.run->middle(), *truth, c.slice_mm);
          error_slices = std::to_string(e.slices);
          error_mm = fmt::format("{:.1f}", e.mm);
          status = "found";
        } else {
          status = p.uncertain ? "uncertain" : truth ? "missed" : p.run ? "false_l3" : "correct_no_l3";
        }
        rows += csv_line({results[m].name, entry.case_id, run_field(truth, 0), run_field(truth, 1), run_field(truth, 2),
                          run_field(p.run, 0), run_field(p.run, 1), run_field(p.run, 2), error_slices, error_mm,
                          fmt::format("{:.4f}", p.confidence), status});
        if (options.qc_pictures) {
          const Canvas qc = render_qc_picture(ct, p.probabilities.p, p.run, truth);
          write_png_rgb(options.out_dir / results[m].name / (entry.case_id + "_qc.png"), qc.width(), qc.height(), qc.rgb());
        }
        results[m].cases.push_back(std::move(c));
      }
    } catch (const InputError& e) {
      failures.push_back({entry.case_id, entry.image.string(), e.what()});
      std::fprintf(stderr, "l3slice: evaluate: skipped case %s: %s\n", entry.case_id.c_str(), e.what());
    }
    progress.advance();
  }
  progress.finish(failures.empty() ? "" : fmt::format("{} cases could not be read", failures.size()));
  write_failures(options.out_dir, failures);
  check.finish(options.manifest_path);
  // A model trained on another truth definition than the manifest's is compared with the wrong truth.
  const std::string manifest_truth = check.truth_definition();
  for (std::size_t m = 0; m < models.size(); ++m) {
    const std::string model_truth = models_json[m]["model"].value("truth_definition", "");
    if (!model_truth.empty() && model_truth.rfind("slices containing label", 0) == 0 && model_truth != manifest_truth)
      std::fprintf(stderr, "l3slice: warning: model %s was trained on \"%s\", the manifest's truth is \"%s\"\n",
                   results[m].name.c_str(), model_truth.c_str(), manifest_truth.c_str());
  }
  if (failures_out) *failures_out = failures;

  std::vector<std::pair<std::string, EvaluationSummary>> table;
  std::string summary_csv = csv_line({"model", "cases", "cases_with_l3", "mean_error_slices", "sd_error_slices",
                                      "median_error_slices", "max_error_slices", "mean_error_mm", "sd_error_mm",
                                      "within0_pct", "within1_pct", "within2_pct", "missed", "false_l3",
                                      "slice_sensitivity", "slice_specificity", "seconds_per_case"});
  for (std::size_t m = 0; m < results.size(); ++m) {
    auto& r = results[m];
    r.summary = summarize(r.cases);
    r.seconds_per_case = r.cases.empty() ? 0.0 : seconds[m] / r.cases.size();
    table.emplace_back(r.name, r.summary);
    const auto& s = r.summary;
    summary_csv += csv_line({r.name, std::to_string(s.cases), std::to_string(s.cases_with_l3),
                             fmt::format("{:.3f}", s.mean_slices), fmt::format("{:.3f}", s.sd_slices),
                             fmt::format("{:.1f}", s.median_slices), fmt::format("{:.0f}", s.max_slices),
                             fmt::format("{:.2f}", s.mean_mm), fmt::format("{:.2f}", s.sd_mm),
                             fmt::format("{:.1f}", s.within0), fmt::format("{:.1f}", s.within1),
                             fmt::format("{:.1f}", s.within2), std::to_string(s.missed),
                             std::to_string(s.false_detections), fmt::format("{:.4f}", s.sensitivity),
                             fmt::format("{:.4f}", s.specificity), fmt::format("{:.2f}", r.seconds_per_case)});
  }
  const nlohmann::json provenance = {
      {"program_version", L3SLICE_VERSION},
      {"manifest", {{"path", options.manifest_path.string()},
                    {"fingerprint", fs::is_regular_file(options.manifest_path) ? nlohmann::json(input_fingerprint(options.manifest_path))
                                                                              : nlohmann::json()}}},
      {"truth_definition", manifest_truth},
      {"mid_l3_error", "slices: from the nearer middle slice of the true run (an even run has two); mm: from the true "
                       "middle, halfway between its first and last slice"},
      {"read_options", read_options_json(options.read)},
      {"models", models_json},
      {"cases", cases_json},
      {"failures", failures.size()}};
  write_text_atomically(options.out_dir / "evaluation.json", provenance.dump(2) + "\n");
  write_text_atomically(options.out_dir / "cases.csv", rows);
  write_text_atomically(options.out_dir / "summary.csv", summary_csv);
  write_text_atomically(options.out_dir / "summary.md", summary_table(table));
  return results;
}

}  // namespace l3
