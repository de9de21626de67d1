#pragma once
// --run-length-mm MIN MAX, shared by predict and evaluate: overrides the plausible L3 run lengths
// a model derives from its training truth (e.g. for models saved before they recorded it).
#include <memory>
#include <vector>

#include <CLI/CLI.hpp>

#include "l3slice/inference/predictor.h"

namespace l3::cli {

void add_run_length_option(CLI::App* cmd, std::vector<double>& min_max_mm);
// Throws UsageError unless 0 < MIN <= MAX.
void apply_run_length_option(const std::vector<double>& min_max_mm, PredictOptions& options);

}  // namespace l3::cli
