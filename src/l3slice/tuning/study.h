#pragma once
// A tuning study on disk: its settings and every finished trial, rewritten atomically after each
// trial, so a killed study loses at most the trial that was running and resumes with the same
// next proposal (propose() depends only on the settings and the recorded trials).
//
// File (JSON):
//   { "format": "l3slice-tuning-study", "version": 1,
//     "settings": { "space": [{"name", "lower", "upper", "scale"}...], "seed", "initial_trials", "xi",
//                   "random_candidates", "local_starts" },
//     "trials": [{ "index", "params": {name: value}, "objective", "loss", "seconds", "model_path",
//                  "status": "ok" | "failed", "source", "message" }],
//     "best": { "index", "params", "objective", "loss", "model_path" } or null }
// A missing objective/loss is written as null.
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "l3slice/tuning/bayes_opt.h"
#include "l3slice/tuning/search_space.h"

namespace l3 {

struct StudySettings {
  SearchSpace space;
  BayesOptOptions optimizer;
  bool operator==(const StudySettings& o) const { return space == o.space && optimizer == o.optimizer; }
};

struct Trial {
  int index = 0;
  ParamValues params;  // in the order of the space
  double objective = std::numeric_limits<double>::quiet_NaN();  // validation mean mid-L3 error (slices)
  double loss = std::numeric_limits<double>::quiet_NaN();       // validation loss (breaks ties)
  double seconds = 0.0;
  std::string model_path;
  std::string status = "ok";  // "ok" or "failed"
  std::string source;         // how the point was proposed
  std::string message;        // why it failed
  bool ok() const { return status == "ok"; }
};

class Study {
 public:
  // A new, empty study (nothing is written until save() or add()).
  Study(std::filesystem::path path, StudySettings settings);

  // Throws InputError (naming the file) if it is missing, not a study, or inconsistent.
  static Study load(const std::filesystem::path& path);
  // Resumes the study at `path` if the file exists (its settings must equal `settings`, else
  // InputError saying which differ), else starts a new one there.
  static Study open(const std::filesystem::path& path, const StudySettings& settings);

  const std::filesystem::path& path() const { return path_; }
  const StudySettings& settings() const { return settings_; }
  const std::vector<Trial>& trials() const { return trials_; }

  // The optimiser with every recorded trial observed, ready to propose the next one.
  BayesianOptimizer optimizer() const;
  // Appends the trial (its index is set to the next number) and saves the file.
  void add(Trial trial);
  void save() const;

  // Best successful trial (see bayes_opt.h for the rule), if any.
  std::optional<Trial> best() const;

  nlohmann::json to_json() const;
  // One line per trial, the best marked with '*'.
  std::string table() const;

 private:
  std::filesystem::path path_;
  StudySettings settings_;
  std::vector<Trial> trials_;
};

// What one trial returns: a non-finite objective marks the trial as failed.
struct TrialOutcome {
  double objective = std::numeric_limits<double>::quiet_NaN();
  double loss = std::numeric_limits<double>::quiet_NaN();
  std::string model_path;
};
using TrialFunction = std::function<TrialOutcome(const std::map<std::string, double>& params, int trial_index)>;

struct StudyRunOptions {
  bool show_progress = true;        // l3::Progress on stderr
  int max_consecutive_failures = 3; // then stop with an error instead of burning the budget
};

// Runs `trials` more trials, saving the study after each. InputError and UsageError from the
// trial function stop the study (the input needs fixing); other exceptions record a failed trial
// with the message. Trials already done are kept on any error, so the study can be resumed.
void run_study(Study& study, int trials, const TrialFunction& run_trial, const StudyRunOptions& options = {});

}  // namespace l3
