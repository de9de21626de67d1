#pragma once
// Each subcommand lives in its own file and adds itself to the app here.
#include <CLI/CLI.hpp>

namespace l3::cli {

void add_info_command(CLI::App& app);
void add_export_command(CLI::App& app);
void add_phantom_command(CLI::App& app);
void add_bodycomp_command(CLI::App& app);
void add_predict_command(CLI::App& app);
void add_evaluate_command(CLI::App& app);
void add_tune_command(CLI::App& app);
void add_train_command(CLI::App& app);
void add_atlas_command(CLI::App& app);
void add_train_level_check_command(CLI::App& app);
void add_manifest_command(CLI::App& app);
void add_train_bodycomp_command(CLI::App& app);
void add_review_command(CLI::App& app);

}  // namespace l3::cli
