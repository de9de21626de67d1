#pragma once
// `tune`: Bayesian optimisation of the imbalance levers (oversampling ratio r, L3 class weight w,
// optionally the learning rate) with training as the objective.
//
// The dataset is loaded and the patient split made once; every trial trains a model with its
// parameters (same split, seed and budget) to <out>/trials/trial_NNN.l3m, and its objective is the
// validation per-patient mid-L3 error (mean, in slices, a missed case counting as its slice count;
// ties broken by the validation loss; with k-fold the mean over the folds). The study file
// <out>/study.json is rewritten atomically after every trial: a killed study resumes where it
// stopped (an interrupted training from its checkpoint), and a larger trial count continues it.
//
// Outputs in <out>: study.json, tune.json (the training settings the study was made with, checked
// on resume), objective.png, surrogate.png, best.l3m (trained with the best parameters) and
// baseline.l3m (r = 0, w = 1, same budget) for the side-by-side comparison with `evaluate`,
// final.json (what the two final models were trained with, so they are not retrained needlessly).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "l3slice/preprocessing/model_input.h"

namespace l3 {

struct TuneOptions {
  std::filesystem::path manifest;
  std::filesystem::path out_dir;
  int trials = 12;          // total trials the study should have (more are run if it has fewer)
  int initial_trials = 5;   // Latin-hypercube points before the Gaussian process takes over
  double r_lower = 0.0, r_upper = 10.0;    // searched on a log(1 + r) scale
  double w_lower = 1.0, w_upper = 50.0;    // log scale
  bool tune_lr = false;
  double lr_lower = 1e-4, lr_upper = 1e-2;  // log scale
  double xi = 0.01;         // expected-improvement margin, in slices

  ModelInputOptions input;  // size defaults to 128 (set by the constructor)
  int depth = 18;
  int epochs_per_trial = 4;
  int final_epochs = 0;     // 0: same as epochs_per_trial
  int batch = 16;
  double lr = 1e-3;         // when not tuned
  double weight_decay = 1e-4;
  double val_fraction = 0.2;
  int folds = 0;            // > 1: k-fold objective
  std::uint64_t seed = 1;
  int threads = 2;
  bool final_model = true;  // train best.l3m
  bool baseline = true;     // train baseline.l3m
  std::FILE* log = stderr;  // progress and per-trial lines (nullptr: silent)

  TuneOptions() { input.size = 128; }
  void check() const;  // throws UsageError
};

struct TuneResult {
  std::string table;         // Study::table()
  int trials = 0;            // in the study now
  int trials_run = 0;        // by this call
  std::optional<int> best_trial;
  std::map<std::string, double> best_params;
  double best_objective = 0.0;
  std::filesystem::path study_file, objective_plot, surrogate_plot;  // plots empty if not written
  std::filesystem::path best_model, baseline_model;                  // empty if not trained
  std::string evaluate_hint;  // the `l3slice evaluate` command comparing them
};

TuneResult run_tune(const TuneOptions& options);

}  // namespace l3
