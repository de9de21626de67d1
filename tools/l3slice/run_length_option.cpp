#include "run_length_option.h"

#include <fmt/format.h>

#include "l3slice/core/error.h"

namespace l3::cli {

void add_run_length_option(CLI::App* cmd, std::vector<double>& min_max_mm) {
  cmd->add_option("--run-length-mm", min_max_mm,
                  "Plausible L3 run length MIN MAX in mm (default: from the model's training truth, "
                  "half the shortest to 1.3x the longest; 6 70 for models without it)")
      ->expected(2);
}

void apply_run_length_option(const std::vector<double>& min_max_mm, PredictOptions& options) {
  if (min_max_mm.empty()) return;
  const double lo = min_max_mm.at(0), hi = min_max_mm.at(1);
  if (!(lo > 0.0) || !(hi >= lo))
    throw UsageError(fmt::format("--run-length-mm {} {}: need 0 < MIN <= MAX", lo, hi));
  options.min_run_mm = lo;
  options.max_run_mm = hi;
}

}  // namespace l3::cli
