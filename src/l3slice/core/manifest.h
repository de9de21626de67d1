#pragma once
// A dataset manifest: CSV with columns case_id, image, labels (optional), label_value (optional),
// patient_id (optional: scans of one patient share it, and are kept on one side of every split).
// Relative paths are relative to the manifest's folder.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace l3 {

struct ManifestEntry {
  std::string case_id;
  std::filesystem::path image;                 // CT: DICOM folder or image file
  std::optional<std::filesystem::path> labels; // label volume on the CT's grid
  std::optional<int> label_value;              // the L3 label in `labels` (else: the only non-zero label)
  std::string patient_id;                      // empty: the case is its own patient
  const std::string& patient() const { return patient_id.empty() ? case_id : patient_id; }
};

std::vector<ManifestEntry> read_manifest(const std::filesystem::path& path);
// Writes a manifest (atomically) with paths as given.
void write_manifest(const std::filesystem::path& path, const std::vector<ManifestEntry>& entries);

}  // namespace l3
