#include "l3slice/inference/prediction_output.h"

#include <fmt/format.h>

#include "l3slice/core/atomic_file.h"
#include "l3slice/core/csv.h"
#include "l3slice/io/png_io.h"
#include "l3slice/report/qc_picture.h"

namespace l3 {

nlohmann::json read_options_json(const CtReadOptions& options) {
  return {{"series_uid", options.series_uid}, {"assume_hu", options.assume_hu}, {"allow_non_ct", options.allow_non_ct}};
}

nlohmann::json prediction_json(const std::string& case_id, const CtScan& ct, const Prediction& prediction,
                               const nlohmann::json& method, const CaseTimings& timings) {
  const Grid& g = ct.hu.grid;
  nlohmann::json j;
  j["case_id"] = case_id;
  j["program_version"] = L3SLICE_VERSION;
  j["source"] = ct.source;
  j["format"] = ct.format;
  if (!ct.series_uid.empty()) j["series_uid"] = ct.series_uid;
  j["scan"] = {{"size", g.size}, {"spacing_mm", g.spacing}, {"file_orientation", ct.file_orientation},
               {"slice_order", "canonical index 0 = most inferior slice"}};
  j["model"] = method;
  j["slices_scored"] = prediction.probabilities.scored_count();
  j["l3_found"] = prediction.run.has_value();
  if (prediction.run) {
    j["status"] = "L3 found";
    j["l3"] = {{"middle", slice_location_json(ct, prediction.run->middle())},
               {"first", slice_location_json(ct, prediction.run->first)},
               {"last", slice_location_json(ct, prediction.run->last)},
               {"length_mm", prediction.run->length() * g.spacing[2]}};
  } else {
    j["status"] = prediction.uncertain ? "uncertain" : "L3 not in field of view";
    j["l3"] = nullptr;
  }
  j["confidence"] = prediction.confidence;
  if (!prediction.details.is_null()) j["evidence"] = prediction.details;
  j["timings_s"] = {{"read", timings.read_seconds}, {"inference", timings.inference_seconds},
                    {"total", timings.total_seconds}};
  return j;
}

std::string probabilities_csv(const CtScan& ct, const Prediction& prediction) {
  std::string out = csv_line({"slice", "file_index", "z_mm", "probability", "scored", "in_l3_run"});
  const auto& p = prediction.probabilities;
  for (std::size_t z = 0; z < p.p.size(); ++z) {
    const bool in_run = prediction.run && int(z) >= prediction.run->first && int(z) <= prediction.run->last;
    out += csv_line({std::to_string(z), std::to_string(ct.slices[z].file_index), fmt::format("{:.3f}", ct.slices[z].z_mm),
                     fmt::format("{:.6f}", p.p[z]), p.scored[z] ? "1" : "0", in_run ? "1" : "0"});
  }
  return out;
}

void write_case_outputs(const std::filesystem::path& folder, const nlohmann::json& report, const CtScan& ct,
                        const Prediction& prediction, bool qc_picture) {
  StagingDir staging(folder);
  write_text_atomically(staging.path() / "prediction.json", report.dump(2) + "\n");
  write_text_atomically(staging.path() / "probabilities.csv", probabilities_csv(ct, prediction));
  if (qc_picture) {
    const Canvas qc = render_qc_picture(ct, prediction.probabilities.p, prediction.run);
    write_png_rgb(staging.path() / "qc.png", qc.width(), qc.height(), qc.rgb());
  }
  staging.commit();
}

}  // namespace l3
