#include "l3slice/tuning_run/tune.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "l3slice/core/atomic_file.h"
#include "l3slice/core/error.h"
#include "l3slice/core/progress.h"
#include "l3slice/io/png_io.h"
#include "l3slice/tuning/plot.h"
#include "l3slice/tuning/study.h"
#include "l3slice/tuning_run/trial_training.h"

namespace l3 {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kSettingsFormat = "l3slice-tune-settings";

void say(std::FILE* log, const std::string& line) {
  if (!log) return;
  fmt::print(log, "{}\n", line);
  std::fflush(log);
}

SearchSpace space_of(const TuneOptions& o) {
  std::vector<Parameter> p{{"r", o.r_lower, o.r_upper, Scale::log1p}, {"w", o.w_lower, o.w_upper, Scale::log}};
  if (o.tune_lr) p.push_back({"lr", o.lr_lower, o.lr_upper, Scale::log});
  return SearchSpace(std::move(p));
}

std::string params_text(const std::map<std::string, double>& p) {
  std::string text = fmt::format("r={:.3g}, w={:.3g}", p.at("r"), p.at("w"));
  if (p.count("lr")) text += fmt::format(", lr={:.3g}", p.at("lr"));
  return text;
}

nlohmann::json read_json_or_null(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return nullptr;
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception&) {
    return nullptr;
  }
}

// The training settings of the study: they must not change while it runs (the objective would).
void check_or_write_settings(const fs::path& path, const nlohmann::json& training) {
  if (fs::exists(path)) {
    std::ifstream in(path);
    nlohmann::json stored;
    try {
      stored = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      throw InputError(path, fmt::format("not a valid tune settings file ({})", e.what()));
    }
    if (stored.value("format", std::string()) != kSettingsFormat || !stored.contains("training"))
      throw InputError(path, "not an l3slice tune settings file");
    const nlohmann::json& old = stored.at("training");
    if (old == training) return;
    std::string diff;
    for (const auto& [key, value] : training.items()) {
      if (old.contains(key) && old.at(key) == value) continue;
      diff += (diff.empty() ? "" : "; ") + key;
      if (old.contains(key) && !value.is_array() && !value.is_object())
        diff += fmt::format(" {} here, {} in the study", value.dump(), old.at(key).dump());
    }
    for (const auto& [key, value] : old.items())
      if (!training.contains(key)) diff += (diff.empty() ? "" : "; ") + key;
    throw InputError(path, "the study was run with other training settings or data (" + diff +
                               "); use the same options and manifest, or another --out");
  }
  write_text_atomically(path, nlohmann::json{{"format", kSettingsFormat}, {"version", 1}, {"training", training}}.dump(2) + "\n");
}

}  // namespace

void TuneOptions::check() const {
  if (manifest.empty()) throw UsageError("no manifest given");
  if (out_dir.empty()) throw UsageError("no study folder given (--out)");
  if (trials < 0) throw UsageError("--trials must be at least 0");
  if (initial_trials < 1) throw UsageError("--initial-trials must be at least 1");
  if (!(r_lower >= 0 && r_lower < r_upper)) throw UsageError("--r-range must be LOW,HIGH with 0 <= LOW < HIGH");
  if (!(w_lower > 0 && w_lower < w_upper)) throw UsageError("--w-range must be LOW,HIGH with 0 < LOW < HIGH");
  if (tune_lr && !(lr_lower > 0 && lr_lower < lr_upper)) throw UsageError("--lr-range must be LOW,HIGH with 0 < LOW < HIGH");
  if (!(xi >= 0)) throw UsageError("--xi must not be negative");
  if (epochs_per_trial < 1) throw UsageError("--epochs-per-trial must be at least 1");
  if (final_epochs < 0) throw UsageError("--final-epochs must be at least 1");
  if (folds == 1 || folds < 0) throw UsageError("--folds must be at least 2");
  space_of(*this);  // the search space's own checks
}

TuneResult run_tune(const TuneOptions& o) {
  o.check();
  const SearchSpace space = space_of(o);
  StudySettings study_settings;
  study_settings.space = space;
  study_settings.optimizer.seed = o.seed;
  study_settings.optimizer.initial_trials = o.initial_trials;
  study_settings.optimizer.xi = o.xi;

  TrialTrainingSettings ts;
  ts.input = o.input;
  ts.depth = o.depth;
  ts.batch = o.batch;
  ts.weight_decay = o.weight_decay;
  ts.val_fraction = o.val_fraction;
  ts.folds = o.folds;
  ts.seed = o.seed;
  ts.threads = o.threads;
  ts.log = o.log;

  // Everything that can be wrong with the input is found before anything is written.
  const TrialTrainer trainer(o.manifest, ts);
  const int final_epochs = o.final_epochs > 0 ? o.final_epochs : o.epochs_per_trial;
  for (double r : {o.r_lower, o.r_upper})
    for (double w : {o.w_lower, o.w_upper})
      for (double lr : o.tune_lr ? std::vector<double>{o.lr_lower, o.lr_upper} : std::vector<double>{o.lr})
        trainer.check({r, w, lr, o.epochs_per_trial});
  trainer.check({0.0, 1.0, o.lr, final_epochs});

  TuneResult result;
  result.study_file = o.out_dir / "study.json";
  const fs::path settings_file = o.out_dir / "tune.json";
  Study study = Study::open(result.study_file, study_settings);  // InputError if its settings differ
  nlohmann::json training = trainer.fingerprint();
  training["epochs_per_trial"] = o.epochs_per_trial;
  if (!o.tune_lr) training["lr"] = o.lr;
  fs::create_directories(o.out_dir / "trials");
  check_or_write_settings(settings_file, training);
  if (!fs::exists(result.study_file)) study.save();

  std::string space_text;
  for (const Parameter& p : space.parameters())
    space_text += fmt::format("{}{} in [{:g}, {:g}] ({})", space_text.empty() ? "" : ", ", p.name, p.lower, p.upper, to_string(p.scale));
  say(o.log, fmt::format("tune: {}", trainer.describe()));
  say(o.log, fmt::format("tune: {}; {} epochs per trial; study {}", space_text, o.epochs_per_trial, result.study_file.string()));

  const int done_before = int(study.trials().size());
  const int to_run = std::max(0, o.trials - done_before);
  if (done_before > 0)
    say(o.log, fmt::format("tune: resuming a study with {} trials; {} more to run", done_before, to_run));

  const nlohmann::json base_description = {{"manifest", o.manifest.string()}, {"study", result.study_file.string()}};
  const auto study_start = Clock::now();
  int run_so_far = 0;
  const TrialFunction run_trial = [&](const std::map<std::string, double>& p, int index) {
    const std::string rel = fmt::format("trials/trial_{:03d}.l3m", index);
    say(o.log, fmt::format("tune: trial {} ({} of {} this run): {}", index, run_so_far + 1, to_run, params_text(p)));
    const TrialTrainingParams params{p.at("r"), p.at("w"), o.tune_lr ? p.at("lr") : o.lr, o.epochs_per_trial};
    nlohmann::json description = base_description;
    description["trial"] = index;
    const TrialTrainingResult r = trainer.run(params, o.out_dir / rel, description);
    ++run_so_far;
    TrialOutcome outcome;
    outcome.objective = r.objective;
    outcome.loss = r.loss;
    for (const auto& model : r.models)
      outcome.model_path += (outcome.model_path.empty() ? "" : ",") + ("trials/" + model.filename().string());
    const double elapsed = std::chrono::duration<double>(Clock::now() - study_start).count();
    say(o.log, fmt::format("tune: trial {}: objective {} slices, loss {:.4f}; {} run, ETA {}", index,
                           std::isfinite(r.objective) ? fmt::format("{:.3f}", r.objective) : std::string("-"), r.loss,
                           Progress::format_duration(elapsed),
                           Progress::format_duration(elapsed / run_so_far * (to_run - run_so_far))));
    return outcome;
  };
  if (to_run > 0) {
    StudyRunOptions run_options;
    run_options.show_progress = false;  // the trial lines above and training's own progress say enough
    run_study(study, to_run, run_trial, run_options);
  }
  result.trials_run = int(study.trials().size()) - done_before;
  result.trials = int(study.trials().size());
  result.table = study.table();

  const auto best = study.best();
  if (!best) {
    say(o.log, "tune: no successful trial yet: no plots and no final model");
    return result;
  }
  result.best_trial = best->index;
  result.best_params = space.named(best->params);
  result.best_objective = best->objective;

  const PlotImage objective = plot_objective_over_trials(study);
  result.objective_plot = o.out_dir / "objective.png";
  write_png_rgb(result.objective_plot, objective.width, objective.height, objective.rgb);
  const PlotImage surrogate = plot_surrogate(study);
  result.surrogate_plot = o.out_dir / "surrogate.png";
  write_png_rgb(result.surrogate_plot, surrogate.width, surrogate.height, surrogate.rgb);

  // The final models: trained once for given parameters (final.json records which).
  const fs::path final_file = o.out_dir / "final.json";
  nlohmann::json final_record = read_json_or_null(final_file);
  if (!final_record.is_object()) final_record = nlohmann::json::object();
  auto train_final = [&](const std::string& name, const TrialTrainingParams& params, const std::string& why) {
    const fs::path model = o.out_dir / (name + ".l3m");
    const nlohmann::json want = {{"r", params.oversample}, {"w", params.class_weight}, {"lr", params.lr},
                                 {"epochs", params.epochs}, {"training", training}, {"why", why}};
    if (fs::exists(model) && final_record.contains(name) && final_record.at(name) == want) {
      say(o.log, fmt::format("tune: {} is up to date ({})", model.string(), why));
      return model;
    }
    final_record.erase(name);
    write_text_atomically(final_file, final_record.dump(2) + "\n");
    say(o.log, fmt::format("tune: training {} with r={:.3g}, w={:.3g}, lr={:.3g}, {} epochs ({})", model.string(),
                           params.oversample, params.class_weight, params.lr, params.epochs, why));
    nlohmann::json description = base_description;
    description["final"] = name;
    const TrialTrainingResult r = trainer.run_single(params, model, description);
    say(o.log, fmt::format("tune: {}: validation objective {} slices", model.string(),
                           std::isfinite(r.objective) ? fmt::format("{:.3f}", r.objective) : std::string("-")));
    final_record[name] = want;
    write_text_atomically(final_file, final_record.dump(2) + "\n");
    return model;
  };
  if (o.final_model) {
    const double lr = o.tune_lr ? result.best_params.at("lr") : o.lr;
    result.best_model = train_final("best", {result.best_params.at("r"), result.best_params.at("w"), lr, final_epochs},
                                    fmt::format("best of the study: trial {}", best->index));
    if (o.baseline)
      result.baseline_model = train_final("baseline", {0.0, 1.0, o.lr, final_epochs}, "baseline: no oversampling, no class weight");
  }
  if (!result.best_model.empty()) {
    std::string models;
    if (!result.baseline_model.empty()) models += " --model " + result.baseline_model.string();
    models += " --model " + result.best_model.string();
    result.evaluate_hint = fmt::format("l3slice evaluate --manifest HELD_OUT_MANIFEST.csv{} --out {}", models,
                                       (o.out_dir / "evaluation").string());
  }
  return result;
}

}  // namespace l3
