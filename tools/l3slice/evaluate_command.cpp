// l3slice evaluate: compare predicted and true mid-L3 slices over a labelled manifest.
#include <torch/torch.h>

#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.h"
#include "run_length_option.h"
#include "l3slice/core/manifest.h"
#include "l3slice/evaluation/metrics.h"
#include "l3slice/inference/evaluate_models.h"
#include "l3slice/inference/l3_finder.h"

namespace l3::cli {

void add_evaluate_command(CLI::App& app) {
  struct Args {
    std::string manifest, out = "l3slice-evaluation";
    std::vector<std::string> models;
    bool exhaustive = false, qc = false, allow_failures = false;
    int threads = 2;
    std::vector<double> run_length_mm;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("evaluate", "Mid-L3 error of one or more models on a labelled manifest");
  cmd->add_option("--manifest", args->manifest, "CSV: case_id,image,labels[,label_value]")->required();
  cmd->add_option("-m,--model", args->models,
                  "Model file(s): a spine atlas (.l3a) or a trained classifier (.l3m); several are compared side by side "
                  "(default: the bundled spine atlas)");
  cmd->add_option("--out", args->out, "Output folder: cases.csv, summary.csv, summary.md, evaluation.json (provenance)")->capture_default_str();
  cmd->add_flag("--exhaustive", args->exhaustive, "Score every slice (default: coarse-to-fine)");
  add_run_length_option(cmd, args->run_length_mm);
  cmd->add_flag("--allow-failures", args->allow_failures, "Exit 0 even if some cases could not be read (listed in failures.csv)");
  cmd->add_flag("--qc", args->qc, "Also write a QC picture per model and case (truth dashed blue)");
  cmd->add_option("--threads", args->threads, "CPU threads for the network")->capture_default_str()->check(CLI::Range(1, 256));
  cmd->callback([args] {
    torch::set_num_threads(args->threads);
    EvaluateOptions options;
    options.out_dir = args->out;
    options.manifest_path = args->manifest;
    options.predict.schedule.exhaustive = args->exhaustive;
    apply_run_length_option(args->run_length_mm, options.predict);
    options.qc_pictures = args->qc;
    const auto cases = read_manifest(args->manifest);
    std::vector<std::filesystem::path> paths(args->models.begin(), args->models.end());
    if (paths.empty()) paths.push_back(default_model_path());
    std::vector<CaseFailure> failures;
    const auto results = evaluate_models(cases, paths, options, &failures);
    std::vector<std::pair<std::string, EvaluationSummary>> table;
    for (const auto& r : results) table.emplace_back(r.name, r.summary);
    fmt::print("{}", summary_table(table));
    fmt::print("per case: {}\n", (std::filesystem::path(args->out) / "cases.csv").string());
    if (!failures.empty()) {
      const std::string line = fmt::format("{} of {} cases failed (see {})", failures.size(), cases.size(),
                                           (std::filesystem::path(args->out) / "failures.csv").string());
      if (!args->allow_failures) throw std::runtime_error(line);
      fmt::print(stderr, "l3slice: warning: {}\n", line);
    }
  });
}

}  // namespace l3::cli
