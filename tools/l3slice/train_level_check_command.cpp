// l3slice train-level-check: train the level-counting sequence network (.l3q) that an atlas carries
// as a second opinion on every answer (`l3slice atlas --level-check`; src/l3slice/atlas/level_check.h).
#include <memory>
#include <string>

#include <fmt/format.h>

#include "commands.h"
#include "l3slice/atlas/level_check_training.h"
#include "l3slice/atlas/spine_atlas.h"
#include "l3slice/model/torch_threads.h"

namespace l3::cli {

void add_train_level_check_command(CLI::App& app) {
  struct Args {
    std::string atlas, out;
    LevelCheckTrainingOptions options;
    int threads = 0;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("train-level-check",
                                 "Train a level check (.l3q) on synthetic phantoms and an atlas's real spine");
  cmd->add_option("-a,--atlas", args->atlas, "Atlas (.l3a) whose real spine joins the phantoms")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--out", args->out, "Level check file to write (.l3q)")->required();
  cmd->add_option("-n,--phantoms", args->options.phantoms, "Training phantoms")->capture_default_str()->check(CLI::Range(16, 100000));
  cmd->add_option("--first-seed", args->options.first_phantom_seed, "Seed of the first phantom (phantom i uses seed + i)")
      ->capture_default_str();
  cmd->add_option("-e,--epochs", args->options.epochs, "Epochs")->capture_default_str()->check(CLI::Range(1, 1000));
  cmd->add_option("--real-share", args->options.real_share, "Share of every batch taken from the atlas's real spine")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 0.99));
  cmd->add_option("--seed", args->options.seed, "Seed of the network's initialisation and the batches")->capture_default_str();
  cmd->add_option("-j,--threads", args->threads, "Threads (0: every core; the result depends on the count)")
      ->capture_default_str();
  cmd->callback([args] {
    set_torch_threads(args->threads);
    const SpineAtlas atlas = load_spine_atlas(args->atlas);
    const LevelCheck check = train_level_check(atlas, args->options);
    save_level_check(args->out, check);
    fmt::print("level check {}: {} weights, final loss {:.4f}, CRC {:08x}\n", args->out, check.weights.size(),
               check.settings.at("final_loss").get<double>(), check.crc32);
  });
}

}  // namespace l3::cli
