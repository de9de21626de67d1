// l3slice predict: find the L3 slice in one or more CT scans.
#include <torch/torch.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.h"
#include "run_length_option.h"
#include "l3slice/core/error.h"
#include "l3slice/inference/batch_predict.h"
#include "l3slice/inference/l3_finder.h"

namespace fs = std::filesystem;

namespace l3::cli {

void add_predict_command(CLI::App& app) {
  struct Args {
    std::vector<std::string> inputs;
    std::string list, model, out = "l3slice-predictions", series;
    bool exhaustive = false, no_qc = false, redo = false, assume_hu = false, allow_failures = false;
    int threads = 2;
    double coarse_step_mm = 8.0;
    std::vector<double> run_length_mm;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("predict", "Find the L3 slice in CT scans (DICOM folders or image files)");
  cmd->add_option("ct", args->inputs, "CT scans: DICOM folders or .nii/.nii.gz/.nrrd/.mha files");
  cmd->add_option("--list", args->list, "File listing scans (one path per line, or a CSV with case_id,image)");
  cmd->add_option("-m,--model", args->model,
                  "A spine atlas (.l3a, `l3slice atlas`) or a trained slice classifier (.l3m, `l3slice train`); "
                  "default: the bundled spine atlas")
      ->default_str(default_model_path().string());
  cmd->add_option("--out", args->out, "Output folder (one subfolder per case + summary.csv)")->capture_default_str();
  cmd->add_option("--series", args->series, "DICOM SeriesInstanceUID to read when a folder holds several");
  cmd->add_flag("--assume-hu", args->assume_hu, "DICOM without RescaleSlope/Intercept: stored values are HU");
  cmd->add_flag("--exhaustive", args->exhaustive, "Score every slice (default: coarse-to-fine, same answer, faster)");
  cmd->add_option("--coarse-step-mm", args->coarse_step_mm, "Distance between slices of the coarse pass")->capture_default_str();
  add_run_length_option(cmd, args->run_length_mm);
  cmd->add_flag("--allow-failures", args->allow_failures, "Exit 0 even if some cases failed (listed in failures.csv)");
  cmd->add_flag("--no-qc", args->no_qc, "Do not write the QC picture");
  cmd->add_flag("--redo", args->redo, "Predict again cases whose outputs already exist (default: skip them)");
  cmd->add_option("--threads", args->threads, "CPU threads for the network")->capture_default_str()->check(CLI::Range(1, 256));
  cmd->callback([args] {
    std::vector<PredictJob> jobs;
    if (!args->list.empty()) jobs = jobs_from_list(args->list);
    std::vector<fs::path> paths(args->inputs.begin(), args->inputs.end());
    for (auto& j : jobs_from_paths(paths)) jobs.push_back(std::move(j));
    if (jobs.empty()) throw UsageError("predict: give CT scans or --list FILE");
    torch::set_num_threads(args->threads);

    BatchPredictOptions options;
    options.out_dir = args->out;
    options.predict.schedule.exhaustive = args->exhaustive;
    options.predict.schedule.coarse_step_mm = args->coarse_step_mm;
    apply_run_length_option(args->run_length_mm, options.predict);
    options.read.series_uid = args->series;
    options.read.assume_hu = args->assume_hu;
    options.qc_picture = !args->no_qc;
    options.redo = args->redo;
    const BatchResult r = predict_batch(jobs, args->model.empty() ? default_model_path() : fs::path(args->model), options);
    fmt::print("{} cases: {} predicted, {} already done, {} failed; summary: {}\n", jobs.size(), r.predicted,
               r.skipped, r.failed, (fs::path(args->out) / "summary.csv").string());
    if (r.failed) {
      const std::string line = fmt::format("{} of {} cases failed (see {})", r.failed, jobs.size(),
                                           (fs::path(args->out) / "failures.csv").string());
      if (!args->allow_failures) throw std::runtime_error(line);
      fmt::print(stderr, "l3slice: warning: {}\n", line);
    }
  });
}

}  // namespace l3::cli
