// l3slice train-bodycomp: train the body-composition U-Net on (CT, tissue label map) pairs.
#include <fmt/format.h>

#include <memory>

#include "commands.h"
#include "l3slice/segmenter/segmenter_training.h"

namespace l3::cli {

void add_train_bodycomp_command(CLI::App& app) {
  struct Args {
    std::string manifest, out, label_values = "l3slice";
    SegmenterTrainingOptions train;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "train-bodycomp", "Train the body-composition U-Net (bodycomp --method unet) on CTs with tissue label maps");
  cmd->add_option("-m,--manifest", args->manifest,
                  "CSV case_id,image,labels: CT and its tissue label map on the CT's grid (phantom datasets: tissue-manifest.csv)")
      ->required();
  cmd->add_option("-o,--out", args->out, "Model file to write (.l3u)")->required();
  cmd->add_option("-l,--label-values", args->label_values,
                  "Label values of the tissues: l3slice (bodycomp's <case>-tissues.nii.gz: muscle 4, SAT 2, VAT 3, IMAT 5), "
                  "phantom (tissues.nii.gz of `l3slice phantom`), or muscle=V,sat=V,vat=V,imat=V")
      ->capture_default_str();
  cmd->add_option("-e,--epochs", args->train.epochs, "Epochs")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("-b,--batch-size", args->train.batch_size, "Slices per batch")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--lr", args->train.lr, "Adam learning rate (halved at 60 % and 85 % of the epochs)")->capture_default_str();
  cmd->add_option("--slices-per-case", args->train.slices_per_case, "Slices per case (evenly spaced among those with muscle)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--base-channels", args->train.arch.base_channels, "U-Net channels at full resolution")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  cmd->add_option("--levels", args->train.arch.levels, "U-Net resolutions")->capture_default_str()->check(CLI::Range(2, 6));
  cmd->add_option("--input-size", args->train.geometry.size, "Input pixels (square)")->capture_default_str()->check(CLI::Range(32, 1024));
  cmd->add_option("--pixel-mm", args->train.geometry.pixel_mm, "Input pixel size (mm)")->capture_default_str()->check(CLI::Range(0.3, 8.0));
  cmd->add_option("--scale-jitter", args->train.scale_jitter, "Random scale augmentation (+- fraction)")->capture_default_str();
  cmd->add_option("-s,--seed", args->train.seed, "Random seed")->capture_default_str();
  cmd->add_option("-j,--threads", args->train.threads, "Threads (0: all cores)")->capture_default_str();
  cmd->callback([args] {
    SegmenterTrainingOptions o = args->train;
    o.label_values = parse_tissue_label_values(args->label_values);
    const auto r = train_segmenter(args->manifest, args->out, o);
    fmt::print("{}: {} cases, {} slices, loss {:.4f} -> {:.4f}, weights crc32 {:08x}\n", args->out, r.cases, r.slices,
               r.first_epoch_loss, r.last_epoch_loss, r.crc32);
  });
}

}  // namespace l3::cli
