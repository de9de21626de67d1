// l3slice train: train the L3 slice classifier on a manifest of labelled CTs.
#include <fmt/format.h>

#include <set>

#include "architecture_option.h"
#include "commands.h"
#include "l3slice/core/error.h"
#include "l3slice/core/manifest.h"
#include "l3slice/model/resnet.h"
#include "l3slice/training/trainer.h"

namespace l3::cli {
namespace {

struct TrainArgs {
  std::string manifest;
  std::string arch = "resnet50";
  ModelInputOptions input;
  double val_fraction = 0.2;
  int fold = 0, folds = 0;  // 1-based fold on the command line
  TrainOptions train;
};

void run(const TrainArgs& a) {
  TrainOptions options = a.train;
  options.depth = resnet_depth(a.arch);
  options.data_description = {{"manifest", a.manifest}};
  options.check();
  if ((a.fold > 0) != (a.folds > 0)) throw UsageError("--fold and --folds go together");
  const auto entries = read_manifest(a.manifest);
  const SliceDataset data = load_dataset(entries, a.input, stderr, a.manifest);
  options.truth_definition = data.truth_definition();  // what "L3" meant: the label value(s) actually used
  // Split by patient (the manifest's patient_id, else the case id): no patient on both sides.
  const auto patients = data.patient_ids();
  const PatientSplit split = a.folds > 0 ? split_k_fold(patients, a.fold - 1, a.folds, options.seed)
                                         : split_by_fraction(patients, a.val_fraction, options.seed);
  auto count_patients = [&](const std::vector<int>& cases) {
    std::set<std::string> p;
    for (int i : cases) p.insert(patients[std::size_t(i)]);
    return p.size();
  };
  fmt::print(stderr, "training on {} patients ({} scans, {} slices), validating on {} patients ({} scans)\n",
             count_patients(split.train), split.train.size(), data.slices_of(split.train).size(),
             count_patients(split.validation), split.validation.size());
  const TrainResult result = train(data, split, options);
  if (result.best.cases_with_l3 > 0)
    fmt::print("{}: best epoch {}, validation mid-L3 error {:.2f} ± {:.2f} slices ({:.1f} ± {:.1f} mm)\n",
               result.model.string(), result.best_epoch, result.best.mid_error_mean_slices,
               result.best.mid_error_sd_slices, result.best.mid_error_mean_mm, result.best.mid_error_sd_mm);
  else
    fmt::print("{}: saved epoch {}\n", result.model.string(), result.best_epoch);
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  args->input.size = 128;
  args->train.out.clear();
  CLI::App* cmd = app.add_subcommand("train", "Train the L3 slice classifier on a manifest of labelled CTs");
  cmd->footer(
      "The model with the lowest validation mid-L3 error is written to --out; a checkpoint <out>.ckpt is written "
      "atomically after every epoch (removed when training finishes) and --resume continues from it with the "
      "same result as an uninterrupted run.");
  cmd->add_option("--manifest", args->manifest, "CSV with case_id,image,labels[,label_value]")->required();
  cmd->add_option("--out", args->train.out, "Model file to write (.l3m)")->required();
  cmd->add_option("--arch", args->arch, "resnet18, resnet34 or resnet50 (the paper's)")->capture_default_str();
  cmd->add_option("--input-size", args->input.size, "Square input size in pixels")->capture_default_str();
  cmd->add_option("--channels", args->input.channels, "1 = the slice alone, 3 = 2.5D (z-d, z, z+d)")->capture_default_str();
  cmd->add_option("--neighbour-mm", args->input.neighbour_mm, "2.5D neighbour distance in mm (0 = adjacent slices)")
      ->capture_default_str();
  cmd->add_option("--fov-mm", args->input.fov_mm,
                  "Input field of view: a square of this many mm centred on the body (0 = the whole slice)")
      ->capture_default_str();
  cmd->add_option("--window-low", args->input.window.low, "HU mapped to 0")->capture_default_str();
  cmd->add_option("--window-high", args->input.window.high, "HU mapped to 255")->capture_default_str();
  cmd->add_option("--epochs", args->train.epochs)->capture_default_str();
  cmd->add_option("--batch", args->train.batch)->capture_default_str();
  cmd->add_option("--lr", args->train.lr, "Peak learning rate (AdamW, warm-up then cosine decay)")->capture_default_str();
  cmd->add_option("--weight-decay", args->train.weight_decay)->capture_default_str();
  cmd->add_option("--oversample", args->train.oversample,
                  "r: extra augmented copies of each L3 slice per epoch (fractional allowed; 0 = baseline)")
      ->capture_default_str();
  cmd->add_option("--class-weight", args->train.class_weight, "w: weight of the L3 class in the loss (1 = baseline)")
      ->capture_default_str();
  auto* val = cmd->add_option("--val-fraction", args->val_fraction, "Share of patients held out for validation")
                  ->capture_default_str();
  auto* fold = cmd->add_option("--fold", args->fold, "k-fold: validate on fold i (1..K)")->excludes(val);
  cmd->add_option("--folds", args->folds, "k-fold: number of folds K")->excludes(val)->needs(fold);
  cmd->add_option("--seed", args->train.seed, "Seed for split, initialisation, order and augmentation")->capture_default_str();
  cmd->add_option("--threads", args->train.threads, "Compute threads (keep it fixed to reproduce a run)")->capture_default_str();
  cmd->add_flag("--resume", args->train.resume, "Continue from <out>.ckpt");
  cmd->add_option("--init-from", args->train.init_from,
                  "Start from this model's weights (fine-tune, e.g. on `review --export-manifest` cases); same --arch and input")
      ->check(CLI::ExistingFile);
  auto& aug = args->train.augmentation;
  cmd->add_option("--aug-rotation", aug.rotation_deg, "Augmentation: max rotation, degrees")->capture_default_str();
  cmd->add_option("--aug-scale", aug.scale, "Augmentation: zoom in [1-s, 1+s]")->capture_default_str();
  cmd->add_option("--aug-translation", aug.translation, "Augmentation: max shift, fraction of the image")->capture_default_str();
  cmd->add_option("--aug-brightness", aug.brightness, "Augmentation: max offset, fraction of 255")->capture_default_str();
  cmd->add_option("--aug-contrast", aug.contrast, "Augmentation: gain in [1-c, 1+c]")->capture_default_str();
  cmd->add_option("--aug-noise", aug.noise, "Augmentation: Gaussian noise SD, fraction of 255")->capture_default_str();
  cmd->add_flag("--aug-copies-only{false}", aug.originals,
                "Augment only the oversampled L3 copies, as the paper does (default: every training image)");
  cmd->callback([args] { run(*args); });
}

}  // namespace l3::cli
