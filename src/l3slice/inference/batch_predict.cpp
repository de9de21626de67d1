#include "l3slice/inference/batch_predict.h"

#include <chrono>
#include <fstream>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "l3slice/core/atomic_file.h"
#include "l3slice/core/csv.h"
#include "l3slice/core/error.h"
#include "l3slice/core/fingerprint.h"
#include "l3slice/core/manifest.h"
#include "l3slice/core/progress.h"
#include "l3slice/inference/l3_finder.h"
#include "l3slice/inference/prediction_output.h"

namespace fs = std::filesystem;

namespace l3 {
namespace {

// The file name without its image extension; folder names whole (DICOM folders are often named by
// UID: "1.2.840..." must not become "1").
std::string stem_without_extensions(const fs::path& p) {
  std::string name = (p.has_filename() ? p : p.parent_path()).filename().string();
  for (const char* ext : {".nii.gz", ".nii", ".nrrd", ".nhdr", ".mha", ".mhd"}) {
    const std::string e = ext;
    if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0)
      return name.substr(0, name.size() - e.size());
  }
  return name;
}

const std::vector<std::string> kSummaryColumns = {
    "case_id", "status", "l3_middle", "file_index", "z_mm", "instance_number", "file_name",
    "l3_first", "l3_last", "confidence", "seconds", "image", "error"};

std::vector<std::string> summary_row(const PredictJob& job, const nlohmann::json& report) {
  std::vector<std::string> row(kSummaryColumns.size());
  row[0] = job.case_id;
  row[11] = job.image.string();
  if (report.contains("error")) {
    row[1] = "error";
    row[12] = report["error"].get<std::string>();
    return row;
  }
  const std::string status = report.value("status", "");
  row[1] = report.value("l3_found", false) ? "ok" : status == "uncertain" ? "uncertain" : "l3_not_in_field_of_view";
  if (report.value("l3_found", false)) {
    const auto& mid = report["l3"]["middle"];
    row[2] = std::to_string(mid["canonical_index"].get<int>());
    row[3] = std::to_string(mid["file_index"].get<int>());
    row[4] = fmt::format("{:.2f}", mid["z_mm"].get<double>());
    if (mid.contains("instance_number")) row[5] = std::to_string(mid["instance_number"].get<int>());
    if (mid.contains("file_name")) row[6] = mid["file_name"].get<std::string>();
    row[7] = std::to_string(report["l3"]["first"]["canonical_index"].get<int>());
    row[8] = std::to_string(report["l3"]["last"]["canonical_index"].get<int>());
  }
  row[9] = fmt::format("{:.4f}", report.value("confidence", 0.0));
  row[10] = fmt::format("{:.2f}", report["timings_s"].value("total", 0.0));
  return row;
}

}  // namespace

std::vector<PredictJob> jobs_from_paths(const std::vector<fs::path>& paths) {
  std::vector<PredictJob> jobs;
  std::map<std::string, int> used;
  for (const auto& p : paths) {
    std::string id = stem_without_extensions(p);
    if (id.empty()) id = "case";
    const int n = ++used[id];
    if (n > 1) id += "_" + std::to_string(n);
    jobs.push_back({id, p});
  }
  return jobs;
}

std::vector<PredictJob> jobs_from_list(const fs::path& list) {
  std::ifstream in(list);
  if (!in) throw InputError(list, "cannot open list file");
  std::string first;
  std::getline(in, first);
  if (first.find("case_id") != std::string::npos) {
    std::vector<PredictJob> jobs;
    for (const auto& e : read_manifest(list)) jobs.push_back({e.case_id, e.image});
    return jobs;
  }
  in.seekg(0);
  std::vector<fs::path> paths;
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const fs::path p(line);
    paths.push_back(p.is_absolute() ? p : list.parent_path() / p);
  }
  if (paths.empty()) throw InputError(list, "list file names no scans");
  return jobs_from_paths(paths);
}

BatchResult predict_batch(const std::vector<PredictJob>& jobs, const fs::path& model_path,
                          const BatchPredictOptions& options) {
  const std::unique_ptr<L3Finder> finder = open_l3_finder(model_path, options.predict);
  const nlohmann::json method = finder->describe();
  fs::create_directories(options.out_dir);

  BatchResult result;
  std::string summary = csv_line(kSummaryColumns);
  Progress progress("predict", static_cast<long>(jobs.size()), "cases");
  for (const auto& job : jobs) {
    const fs::path folder = options.out_dir / job.case_id;
    const fs::path report_path = folder / "prediction.json";
    nlohmann::json report;
    try {
      // A stored result is reused only if it was made from this input, with this model and these
      // settings, by this program version.
      const nlohmann::json provenance = {{"source", job.image.string()},
                                         {"input_fingerprint", input_fingerprint(job.image)},
                                         {"model", method},
                                         {"read_options", read_options_json(options.read)},
                                         {"program_version", L3SLICE_VERSION}};
      if (!options.redo && fs::exists(report_path)) {
        std::ifstream in(report_path);
        const nlohmann::json stored = nlohmann::json::parse(in, nullptr, false);
        if (!stored.is_discarded() && stored.contains("provenance") && stored["provenance"] == provenance) {
          ++result.skipped;
          summary += csv_line(summary_row(job, stored));
          progress.advance();
          continue;
        }
        ++result.outdated;
      }
      const auto t0 = std::chrono::steady_clock::now();
      const CtScan ct = read_ct(job.image, options.read);
      const auto t1 = std::chrono::steady_clock::now();
      const Prediction prediction = finder->find(ct);
      CaseTimings timings;
      timings.read_seconds = std::chrono::duration<double>(t1 - t0).count();
      timings.inference_seconds = prediction.inference_seconds;
      timings.total_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      report = prediction_json(job.case_id, ct, prediction, method, timings);
      report["provenance"] = provenance;
      write_case_outputs(folder, report, ct, prediction, options.qc_picture);
      ++result.predicted;
    } catch (const std::exception& e) {
      report = {{"error", std::string(e.what())}};
      ++result.failed;
      result.failures.push_back({job.case_id, job.image.string(), e.what()});
    }
    summary += csv_line(summary_row(job, report));
    write_text_atomically(options.out_dir / "summary.csv", summary);
    progress.advance();
  }
  write_text_atomically(options.out_dir / "summary.csv", summary);
  write_failures(options.out_dir, result.failures);
  progress.finish(fmt::format("{} predicted ({} of them redone: input, model or settings changed), {} already done, {} failed",
                              result.predicted, result.outdated, result.skipped, result.failed));
  return result;
}

}  // namespace l3
