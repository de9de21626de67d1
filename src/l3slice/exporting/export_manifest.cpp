#include "l3slice/exporting/export_manifest.h"

#include <system_error>

#include <fmt/format.h>

#include "l3slice/core/atomic_file.h"
#include "l3slice/core/csv.h"
#include "l3slice/core/progress.h"

namespace fs = std::filesystem;

namespace l3 {
namespace {

std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

void write_errors(const fs::path& path, const std::vector<ExportFailure>& failures) {
  std::string text = csv_line({"case_id", "image", "error"});
  for (const auto& f : failures) text += csv_line({f.case_id, f.image.string(), f.error});
  write_text_atomically(path, text);
}

}  // namespace

ExportSummary export_manifest(const fs::path& manifest, const fs::path& out_dir, const ManifestExportOptions& options) {
  check_window(options.case_options.window);
  const std::vector<ManifestEntry> entries = read_manifest(manifest);
  ExportSummary summary;
  summary.total = int(entries.size());
  summary.errors_csv = out_dir / "errors.csv";
  fs::create_directories(out_dir);

  Progress progress("export", summary.total, "cases", options.progress ? stderr : nullptr);
  for (ManifestEntry entry : entries) {
    if (entry.labels && !entry.label_value) entry.label_value = options.default_label_value;
    try {
      if (!options.redo && export_is_complete(entry, out_dir, options.case_options)) {
        ++summary.skipped;
      } else {
        export_case(entry, out_dir, options.case_options);
        ++summary.exported;
      }
    } catch (const std::exception& e) {
      summary.failures.push_back({entry.case_id, entry.image, one_line(e.what())});
      write_errors(summary.errors_csv, summary.failures);  // kept up to date if the run is interrupted
    }
    progress.advance();
  }
  progress.finish(fmt::format("{} exported, {} already complete, {} failed", summary.exported, summary.skipped,
                              summary.failures.size()));
  if (summary.failures.empty()) {
    std::error_code ec;
    fs::remove(summary.errors_csv, ec);  // from an earlier run: no longer true
  }
  return summary;
}

}  // namespace l3
