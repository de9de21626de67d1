#pragma once
// The training data held compactly in memory: every axial slice of every case as its 8-bit model
// input (channels x size x size, windowed and resized once at load), with its L3 label, and per
// case what validation needs for the per-patient mid-L3 error (true L3 run, slice spacing).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "l3slice/core/manifest.h"
#include "l3slice/core/slice_run.h"
#include "l3slice/preprocessing/model_input.h"

namespace l3 {

struct DatasetCase {
  std::string case_id;
  std::string patient_id;         // empty: the case is its own patient
  int64_t first_slice = 0;        // index of its slice z = 0 in the dataset
  int slice_count = 0;            // canonical slices, z = 0 .. slice_count - 1
  double slice_mm = 0.0;          // z spacing
  std::optional<SliceRun> truth;  // true L3 run (nothing: L3 not in the field of view)
};

class SliceDataset {
 public:
  explicit SliceDataset(const ModelInputOptions& input);

  // Adds a case: its CT prepared slice by slice, labels[z] = 1 where slice z is L3.
  // patient_id: scans of one patient share it (empty: the case id); splits keep them together.
  void add_case(const std::string& case_id, const CtScan& ct, const std::vector<uint8_t>& labels,
                const std::string& patient_id = "");

  const ModelInputOptions& input() const { return input_; }
  int64_t slice_bytes() const { return int64_t(input_.channels) * input_.size * input_.size; }
  int64_t slice_count() const { return int64_t(labels_.size()); }
  const std::vector<DatasetCase>& cases() const { return cases_; }
  const std::vector<uint8_t>& labels() const { return labels_; }  // per slice, 1 = L3
  const uint8_t* slice(int64_t i) const { return pixels_.data() + i * slice_bytes(); }
  int64_t l3_slice_count() const;
  // The L3 label value(s) the cases' truth came from (for the model's truth definition).
  const std::vector<int>& label_values() const { return label_values_; }
  void add_label_value(int value);
  // "slices containing label 22 of the manifest's label files" (or "labels 22, 29 ...").
  std::string truth_definition() const;
  std::size_t memory_bytes() const { return pixels_.size() + labels_.size(); }

  // All slices of the given cases, in case order.
  std::vector<int64_t> slices_of(const std::vector<int>& case_indices) const;
  std::vector<std::string> case_ids() const;
  std::vector<std::string> patient_ids() const;  // per case: its patient (what splits group by)

 private:
  ModelInputOptions input_;
  std::vector<DatasetCase> cases_;
  std::vector<uint8_t> pixels_;  // slice-major, slice_bytes() each
  std::vector<uint8_t> labels_;
  std::vector<int> label_values_;
};

// Reads every case of a manifest (CT, labels, L3 label value -> per-slice labels); a case with an
// empty labels cell is an explicit scan without L3. Throws InputError naming the case's file, or
// `manifest_path` when the cohort's labels look wrong (io/l3_truth.h, CohortTruthCheck). Shows
// progress on `log`.
SliceDataset load_dataset(const std::vector<ManifestEntry>& manifest, const ModelInputOptions& input,
                          std::FILE* log = stderr, const std::filesystem::path& manifest_path = "manifest");

}  // namespace l3
