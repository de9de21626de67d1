#pragma once
// `predict` over many scans: one folder of outputs per case, a summary row per case, resume by
// skipping cases already done, and one bad case never stops the batch (its error is recorded).
#include <filesystem>
#include <string>
#include <vector>

#include "l3slice/core/failures.h"
#include "l3slice/inference/predictor.h"
#include "l3slice/io/ct_reader.h"

namespace l3 {

struct PredictJob {
  std::string case_id;
  std::filesystem::path image;  // DICOM folder or image file
};

// Case ids from paths: the file name without its image extension (or the whole folder name), made
// unique with _2, _3... in the order given. Resume never mixes cases up: it checks the source and
// a fingerprint of the input (core/fingerprint.h), not only the case id.
std::vector<PredictJob> jobs_from_paths(const std::vector<std::filesystem::path>& paths);
// A list file: one path per line (blank lines and lines starting with # ignored), relative to the list's folder;
// or a CSV manifest with case_id,image columns.
std::vector<PredictJob> jobs_from_list(const std::filesystem::path& list);

struct BatchPredictOptions {
  std::filesystem::path out_dir;
  PredictOptions predict;
  CtReadOptions read;
  bool qc_picture = true;
  bool redo = false;  // predict again even where outputs exist
};

struct BatchResult {
  int predicted = 0;
  int skipped = 0;   // already done (resume): same source, input fingerprint, model and settings
  int outdated = 0;  // had a result made from another input, model or settings: predicted again
  int failed = 0;
  std::vector<CaseFailure> failures;  // also in <out_dir>/failures.csv
};

// Writes <out_dir>/<case_id>/{prediction.json, probabilities.csv, qc.png} and <out_dir>/summary.csv
// (rewritten atomically after every case).
BatchResult predict_batch(const std::vector<PredictJob>& jobs, const std::filesystem::path& model_path,
                          const BatchPredictOptions& options);

}  // namespace l3
