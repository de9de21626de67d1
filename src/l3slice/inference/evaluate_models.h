#pragma once
// `evaluate`: run one or more models over a labelled manifest and compare the predicted mid-L3
// slice with the truth from the label files, case by case and summarised side by side.
// The truth definition is the manifest's: the label value given (e.g. 22 = L3 vertebral body in
// VerSe numbering, the clinical L3 slice; 29 = whole vertebra in TotalSegmentator's map).
#include <filesystem>
#include <string>
#include <vector>

#include "l3slice/core/failures.h"
#include "l3slice/core/manifest.h"
#include "l3slice/evaluation/metrics.h"
#include "l3slice/inference/predictor.h"
#include "l3slice/io/ct_reader.h"

namespace l3 {

struct EvaluateOptions {
  std::filesystem::path out_dir;
  std::filesystem::path manifest_path = "manifest";  // named in cohort-level label errors
  PredictOptions predict;
  CtReadOptions read;
  bool qc_pictures = false;  // also write <out>/<model>/<case>/qc.png with truth and prediction
};

struct ModelEvaluation {
  std::string name;
  std::filesystem::path path;
  std::vector<CaseEvaluation> cases;
  EvaluationSummary summary;
  double seconds_per_case = 0.0;
};

// Writes <out>/cases.csv (one row per model and case), <out>/summary.csv, <out>/summary.md and
// <out>/evaluation.json (provenance: program version, manifest and input fingerprints, each model's
// description, read options, how the error is counted).
// A case that cannot be read is left out of every model's summary and listed in <out>/failures.csv
// and in *failures (if given).
std::vector<ModelEvaluation> evaluate_models(const std::vector<ManifestEntry>& cases,
                                             const std::vector<std::filesystem::path>& model_paths,
                                             const EvaluateOptions& options, std::vector<CaseFailure>* failures = nullptr);

}  // namespace l3
