#pragma once
// What `predict` writes per case: a JSON report, a CSV of per-slice probabilities, a QC picture.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "l3slice/core/slice_location.h"
#include "l3slice/inference/predictor.h"
#include "l3slice/io/ct_reader.h"

namespace l3 {

struct CaseTimings {
  double read_seconds = 0.0;
  double inference_seconds = 0.0;
  double total_seconds = 0.0;
};

// `method`: the finder's description (L3Finder::describe): what made the answer, for provenance.
nlohmann::json prediction_json(const std::string& case_id, const CtScan& ct, const Prediction& prediction,
                               const nlohmann::json& method, const CaseTimings& timings);

// The read options, as `predict` and `evaluate` record them in their provenance.
nlohmann::json read_options_json(const CtReadOptions& options);

// Columns: slice, file_index, z_mm, probability, scored, in_l3_run.
std::string probabilities_csv(const CtScan& ct, const Prediction& prediction);

// Writes <folder>/prediction.json, probabilities.csv and (optionally) qc.png, as one unit:
// the folder appears complete or not at all.
void write_case_outputs(const std::filesystem::path& folder, const nlohmann::json& report, const CtScan& ct,
                        const Prediction& prediction, bool qc_picture);

}  // namespace l3
