#pragma once
// Training the slice classifier: AdamW with linear warm-up and cosine decay (lr_schedule.h),
// the paper's two imbalance levers (oversampling r with augmented copies, class weight w),
// validation every epoch by the per-patient mid-L3 error, the best model kept by that error,
// and an atomic checkpoint every epoch that `resume` continues bit-for-bit.
//
// Optimiser choice: AdamW (Loshchilov & Hutter 2019) adapts step sizes per parameter, so one
// learning rate works across ResNet depths and input sizes with little tuning, and its decoupled
// weight decay regularises without interfering with the adaptive steps - what a small labelled
// cohort trained from scratch needs.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "l3slice/training/augmentation.h"
#include "l3slice/training/patient_split.h"
#include "l3slice/training/slice_dataset.h"
#include "l3slice/training/validation.h"

namespace l3 {

struct TrainOptions {
  int depth = 50;               // ResNet 18, 34 or 50 (the paper's)
  int epochs = 10;
  int batch = 16;
  double lr = 1e-3;             // peak learning rate
  double weight_decay = 1e-4;   // AdamW's decoupled weight decay
  double warmup_fraction = 0.05;  // share of all steps spent warming up
  double oversample = 0.0;      // r: extra augmented copies of each L3 slice per epoch
  double class_weight = 1.0;    // w: weight of the L3 class in the cross-entropy
  AugmentationOptions augmentation;
  uint64_t seed = 1;
  int threads = 2;              // torch intra-op threads (results are reproducible for a fixed count)
  std::filesystem::path out;    // the model file (.l3m): the best epoch's model
  bool resume = false;          // continue from checkpoint_path(out)
  // Start from this model's weights instead of a random initialisation (fine-tuning, e.g. on a
  // site's reviewed scans); its architecture and input must be the ones trained here.
  std::filesystem::path init_from;
  int stop_after_epoch = 0;     // > 0: stop after this epoch as if interrupted (tests)
  std::string truth_definition = "slices containing the L3 label";
  nlohmann::json data_description;  // e.g. the manifest path, stored in the model's training summary
  std::FILE* log = stderr;      // progress and per-epoch summaries (nullptr: silent)

  void check() const;  // throws UsageError for bad values
};

struct EpochRecord {
  int epoch = 0;  // 1-based
  double train_loss = 0.0;
  int64_t images = 0;          // training images seen (originals + augmented copies)
  int64_t augmented = 0;
  double images_per_second = 0.0;
  double last_lr = 0.0;
  bool has_validation = false;
  ValidationMetrics validation;
  nlohmann::json to_json() const;
};

struct TrainResult {
  std::filesystem::path model;  // the saved best model
  int best_epoch = 0;
  ValidationMetrics best;       // its validation metrics (if there was a validation set)
  std::vector<EpochRecord> history;
  bool finished = false;        // false when stopped by stop_after_epoch
};

// Where the checkpoint of a model file lives: "<out>.ckpt". Removed when training finishes.
std::filesystem::path checkpoint_path(const std::filesystem::path& out);

// Trains on split.train, validates on split.validation (may be empty: then the last epoch is kept).
TrainResult train(const SliceDataset& data, const PatientSplit& split, const TrainOptions& options);

}  // namespace l3
