// l3slice tune: Bayesian optimisation of the oversampling ratio r and the L3 class weight w
// (optionally the learning rate), with training as the objective; the logic is in tuning_run/tune.h.
#include <fmt/format.h>

#include <cstdlib>
#include <string>
#include <utility>

#include "architecture_option.h"
#include "commands.h"
#include "l3slice/core/error.h"
#include "l3slice/tuning_run/tune.h"

namespace l3::cli {
namespace {

struct TuneArgs {
  TuneOptions tune;
  std::string manifest, out;
  std::string arch = "resnet18";
  std::string r_range = "0,10", w_range = "1,50", lr_range = "1e-4,1e-2";
  bool no_final = false, no_baseline = false;
};

// "LOW,HIGH" -> (LOW, HIGH).
std::pair<double, double> parse_range(const std::string& option, const std::string& text) {
  const auto comma = text.find(',');
  auto number = [&](const std::string& part) {
    char* end = nullptr;
    const double v = std::strtod(part.c_str(), &end);
    if (part.empty() || end != part.c_str() + part.size())
      throw UsageError(fmt::format("{} '{}': expected LOW,HIGH (e.g. 1,50)", option, text));
    return v;
  };
  if (comma == std::string::npos) throw UsageError(fmt::format("{} '{}': expected LOW,HIGH (e.g. 1,50)", option, text));
  return {number(text.substr(0, comma)), number(text.substr(comma + 1))};
}

void run(const TuneArgs& a) {
  TuneOptions o = a.tune;
  o.manifest = a.manifest;
  o.out_dir = a.out;
  o.depth = resnet_depth(a.arch);
  std::tie(o.r_lower, o.r_upper) = parse_range("--r-range", a.r_range);
  std::tie(o.w_lower, o.w_upper) = parse_range("--w-range", a.w_range);
  if (o.tune_lr) std::tie(o.lr_lower, o.lr_upper) = parse_range("--lr-range", a.lr_range);
  o.final_model = !a.no_final;
  o.baseline = !a.no_baseline;
  const TuneResult r = run_tune(o);

  fmt::print("{}", r.table);
  if (r.trials_run == 0) fmt::print("(no new trials: the study already has {} of --trials {})\n", r.trials, o.trials);
  fmt::print("study: {}\n", r.study_file.string());
  if (!r.objective_plot.empty()) fmt::print("plots: {}, {}\n", r.objective_plot.string(), r.surrogate_plot.string());
  if (!r.best_model.empty()) fmt::print("best model: {}\n", r.best_model.string());
  if (!r.baseline_model.empty()) fmt::print("baseline model: {}\n", r.baseline_model.string());
  if (!r.evaluate_hint.empty()) fmt::print("compare on held-out patients:\n  {}\n", r.evaluate_hint);
}

}  // namespace

void add_tune_command(CLI::App& app) {
  auto args = std::make_shared<TuneArgs>();
  CLI::App* cmd = app.add_subcommand(
      "tune", "Bayesian optimisation of the oversampling ratio r and L3 class weight w (optionally the learning rate)");
  cmd->footer(
      "Each trial trains a model (same patient split, seed and budget) to <out>/trials/trial_NNN.l3m; the objective is "
      "the validation per-patient mid-L3 error (mean, slices; missed cases count as their slice count; ties broken by "
      "validation loss), with --folds the mean over the folds. <out>/study.json is saved after every trial: run the "
      "same command again to resume a killed study, or with a larger --trials to continue it. Then best.l3m (best "
      "parameters) and baseline.l3m (r=0, w=1) are trained with the same budget, and objective.png and surrogate.png "
      "drawn. r is searched on a log(1+r) scale, w and lr on a log scale.");
  cmd->add_option("--manifest", args->manifest, "CSV with case_id,image,labels[,label_value]")->required();
  cmd->add_option("--out", args->out, "Study folder (created; resumed if it holds a study)")->required();
  cmd->add_option("--trials", args->tune.trials, "Trials the study should have in total")->capture_default_str();
  cmd->add_option("--initial-trials", args->tune.initial_trials, "Random (Latin hypercube) trials before the surrogate")
      ->capture_default_str();
  cmd->add_option("--r-range", args->r_range, "Oversampling ratio range LOW,HIGH")->capture_default_str();
  cmd->add_option("--w-range", args->w_range, "L3 class weight range LOW,HIGH")->capture_default_str();
  cmd->add_flag("--tune-lr", args->tune.tune_lr, "Also search the learning rate");
  cmd->add_option("--lr-range", args->lr_range, "Learning rate range LOW,HIGH (with --tune-lr)")->capture_default_str();
  cmd->add_option("--xi", args->tune.xi, "Expected-improvement margin, slices")->capture_default_str();
  cmd->add_option("--arch", args->arch, "resnet18, resnet34 or resnet50")->capture_default_str();
  cmd->add_option("--input-size", args->tune.input.size, "Square input size in pixels")->capture_default_str();
  cmd->add_option("--channels", args->tune.input.channels, "1 = the slice alone, 3 = 2.5D (z-d, z, z+d)")->capture_default_str();
  cmd->add_option("--neighbour-mm", args->tune.input.neighbour_mm, "2.5D neighbour distance in mm (0 = adjacent slices)")
      ->capture_default_str();
  cmd->add_option("--fov-mm", args->tune.input.fov_mm,
                  "Input field of view: a square of this many mm centred on the body (0 = the whole slice)")
      ->capture_default_str();
  cmd->add_option("--epochs-per-trial", args->tune.epochs_per_trial, "Training budget of each trial")->capture_default_str();
  cmd->add_option("--final-epochs", args->tune.final_epochs, "Epochs of best.l3m and baseline.l3m (default: as a trial)");
  cmd->add_option("--batch", args->tune.batch)->capture_default_str();
  cmd->add_option("--lr", args->tune.lr, "Peak learning rate (when not tuned; also the baseline's)")->capture_default_str();
  cmd->add_option("--weight-decay", args->tune.weight_decay)->capture_default_str();
  auto* val = cmd->add_option("--val-fraction", args->tune.val_fraction, "Share of patients held out for validation")
                  ->capture_default_str();
  cmd->add_option("--folds", args->tune.folds, "k-fold cross-validation by patient: objective = mean over K folds")
      ->excludes(val);
  cmd->add_option("--seed", args->tune.seed, "Seed for the split, the optimiser and every training")->capture_default_str();
  cmd->add_option("--threads", args->tune.threads, "Compute threads (keep it fixed to reproduce a study)")->capture_default_str();
  cmd->add_flag("--no-final", args->no_final, "Do not train best.l3m and baseline.l3m");
  cmd->add_flag("--no-baseline", args->no_baseline, "Do not train baseline.l3m");
  cmd->callback([args] { run(*args); });
}

}  // namespace l3::cli
