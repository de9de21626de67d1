#pragma once
// The training side of a tuning run: the dataset loaded once, the patient split(s) made once, and
// one training per trial (or per fold of a trial) on them.
//
// Kept behind a small interface of its own so that the study side (tuning/study.h, no torch) and
// the training side (training/trainer.h, torch) meet only here.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "l3slice/core/manifest.h"
#include "l3slice/preprocessing/model_input.h"

namespace l3 {

// What every training of a study shares (what a trial varies: r, w and maybe lr, and the epochs).
struct TrialTrainingSettings {
  ModelInputOptions input;
  int depth = 18;
  int batch = 16;
  double weight_decay = 1e-4;
  double val_fraction = 0.2;  // patient-level hold-out, when folds == 0
  int folds = 0;              // > 1: k-fold cross-validation (objective = mean over the folds)
  std::uint64_t seed = 1;     // split, initialisation, order and augmentation: the same for every trial
  int threads = 2;
  std::FILE* log = stderr;
};

// One training's parameters.
struct TrialTrainingParams {
  double oversample = 0.0;    // r
  double class_weight = 1.0;  // w
  double lr = 1e-3;
  int epochs = 1;
};

struct TrialTrainingResult {
  double objective = 0.0;  // validation selection error (mean mid-L3 error in slices), mean over folds
  double loss = 0.0;       // validation loss at the best epoch, mean over folds
  std::vector<std::filesystem::path> models;  // one per fold (one without folds)
  std::vector<double> fold_objectives;
};

class TrialTrainer {
 public:
  // Reads every case of the manifest once (InputError naming the file for a bad case) and makes the
  // split(s). Throws UsageError if a validation set has no case with L3 (no objective possible).
  TrialTrainer(const std::filesystem::path& manifest, const TrialTrainingSettings& settings);
  ~TrialTrainer();
  TrialTrainer(const TrialTrainer&) = delete;
  TrialTrainer& operator=(const TrialTrainer&) = delete;

  // Checks a training's parameters up front (UsageError), without training.
  void check(const TrialTrainingParams& params) const;

  // Trains with `params` on every split, writing `model` (with folds: <stem>_fold<k>.l3m beside it).
  // An interrupted training's checkpoint (<model>.ckpt) is resumed. A diverged training is reported
  // as a std::runtime_error (a failed trial), not as a usage error. `description` goes into the
  // model's training summary.
  TrialTrainingResult run(const TrialTrainingParams& params, const std::filesystem::path& model,
                          const nlohmann::json& description) const;

  // Trains one model on the first split only (the hold-out split, or fold 1 of k-fold).
  TrialTrainingResult run_single(const TrialTrainingParams& params, const std::filesystem::path& model,
                                 const nlohmann::json& description) const;

  // What identifies the data and splits, for checking that a resumed study uses the same.
  nlohmann::json fingerprint() const;
  // "40 cases (2310 slices, 112 L3), validating on 8 patients" and the like.
  std::string describe() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace l3
