#pragma once
// Body composition for many CTs: a manifest (case_id, image, slice [, height_m, weight_kg]
// [, volume_first, volume_last]: also muscle and fat volumes over those canonical slices),
// one JSON + CSV row + PNG + tissue mask (NIfTI) per case, resumable (cases whose JSON exists are skipped), and one bad
// case never stops the batch: it is recorded in failures.csv and retried on the next run.
#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "l3slice/core/failures.h"

#include "l3slice/bodycomp/body_composition.h"
#include "l3slice/core/slice_run.h"

namespace l3 {

struct BodyCompCase {
  std::string case_id;
  std::filesystem::path image;  // relative paths resolved against the manifest's folder
  int slice = 0;
  std::optional<double> height_m, weight_kg;
  std::optional<SliceRun> volume;  // volume_first..volume_last: tissue volumes (tissue_volume.h)
};

// Reads a body-composition manifest. Throws InputError naming the file and line for a missing
// column, a bad number, an empty/duplicate case id or one that is not usable as a file name.
std::vector<BodyCompCase> read_bodycomp_manifest(const std::filesystem::path& path);

struct CaseOutputs {
  std::filesystem::path json, csv, png, mask;
};
// <out>/<case_id>.json, .csv, .png, -tissues.nii.gz
CaseOutputs case_outputs(const std::filesystem::path& out_dir, const std::string& case_id);

// Writes PNG, tissue mask (on `ct`'s grid, bodycomp/tissue_mask.h), CSV (header + one row) and
// JSON, each atomically; JSON last, so its presence means the case is complete.
// `provenance` (if not null) goes into the JSON: what a resumed batch compares before reusing it.
// `volumes` (if not null, bodycomp/tissue_volume.h) goes into the JSON as "volumes".
void write_case_outputs(const CtScan& ct, const SliceMeasurement& measurement, const CaseOutputs& outputs,
                        const nlohmann::json& provenance = nullptr, const nlohmann::json& volumes = nullptr);

struct BatchSummary {
  int measured = 0, skipped = 0;
  std::vector<CaseFailure> failures;  // also in <out>/failures.csv (core/failures.h)
  std::filesystem::path table;  // <out>/bodycomp.csv: every completed case of the manifest (with volume
                                // columns when the manifest has them)
};

// More outputs per case, made by another module (e.g. DICOM SEG and SR): `name` goes into each
// case's provenance (a case measured without them is measured again), `write` runs after the
// measurement and before the JSON (a failure fails the case), `files` names what it writes (removed
// with a stale case's other outputs).
struct BatchExtraOutputs {
  std::string name;
  std::function<void(const CtScan& ct, const SliceMeasurement& m, const std::filesystem::path& out_dir)> write;
  std::function<std::vector<std::filesystem::path>(const std::filesystem::path& out_dir, const std::string& case_id)> files;
};

// Runs every case not already done; `options` supplies thresholds and half_width (height/weight
// come from the manifest row). Progress goes to `progress_out`.
BatchSummary run_bodycomp_batch(const std::vector<BodyCompCase>& cases, const std::filesystem::path& out_dir,
                                const BodyCompOptions& options, std::FILE* progress_out = stderr,
                                const BatchExtraOutputs& extra = {});

}  // namespace l3
