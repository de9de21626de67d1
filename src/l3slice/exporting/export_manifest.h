#pragma once
// Exporting every case of a manifest (see export_case.h), resumable and failure-tolerant:
// complete cases from an earlier run with the same settings are skipped, and a case that fails is
// recorded as one line in <out>/errors.csv while the others go on.
#include <filesystem>
#include <string>
#include <vector>

#include "l3slice/exporting/export_case.h"

namespace l3 {

struct ExportFailure {
  std::string case_id;
  std::filesystem::path image;
  std::string error;  // one line
};

struct ExportSummary {
  int total = 0;
  int exported = 0;
  int skipped = 0;  // already complete
  std::vector<ExportFailure> failures;
  std::filesystem::path errors_csv;  // <out>/errors.csv, written only if something failed
};

struct ManifestExportOptions {
  ExportOptions case_options;
  std::optional<int> default_label_value;  // for entries with labels but no label_value
  bool redo = false;                       // export complete cases again too
  bool progress = true;                    // l3::Progress on stderr
};

// Throws InputError for an unreadable manifest; per-case errors end up in the summary and
// errors.csv (columns case_id,image,error). A stale errors.csv from an earlier run is removed
// when every case now succeeds.
ExportSummary export_manifest(const std::filesystem::path& manifest, const std::filesystem::path& out_dir,
                              const ManifestExportOptions& options);

}  // namespace l3
