// l3slice export: CT scans -> 8-bit PNG slices + per-slice L3 labels (see exporting/export_case.h).
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "commands.h"
#include "l3slice/core/error.h"
#include "l3slice/exporting/export_case.h"
#include "l3slice/exporting/export_manifest.h"

namespace fs = std::filesystem;

namespace l3::cli {

void add_export_command(CLI::App& app) {
  struct Args {
    std::string ct, manifest, out, labels, case_id, window = "-200,1500", series;
    std::optional<int> l3_label;
    bool redo = false, assume_hu = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "export", "Export CT scans as 8-bit PNG slices (slice 0 = most inferior) with labels.csv marking the L3 slices");
  auto* ct = cmd->add_option("ct", args->ct, "CT scan: DICOM folder or .nii/.nii.gz/.nrrd/.mha file");
  auto* manifest = cmd->add_option("--manifest", args->manifest,
                                   "CSV with case_id,image[,labels][,label_value]: export every case");
  ct->excludes(manifest);
  cmd->add_option("--out", args->out, "Output folder: one subfolder per case")->required();
  auto* labels = cmd->add_option("--labels", args->labels, "Label volume on the CT's grid (e.g. vertebral bodies)");
  labels->excludes(manifest);
  cmd->add_option("--l3-label", args->l3_label,
                  "The L3 label value in the labels file (e.g. 22 = L3 body in VerSe numbering, 29 = whole L3 in "
                  "TotalSegmentator's); with --manifest: for rows without label_value")
      ->check(CLI::Range(1, 65535));
  cmd->add_option("--case-id", args->case_id, "Name of the case's subfolder (default: from the CT's file/folder name)")
      ->excludes(manifest);
  cmd->add_option("--window", args->window, "HU window LOW,HIGH mapped to 0..255")->capture_default_str();
  cmd->add_option("--series", args->series, "DICOM SeriesInstanceUID to read when a folder holds several")
      ->excludes(manifest);
  cmd->add_flag("--assume-hu", args->assume_hu, "DICOM without RescaleSlope/Intercept: stored values are HU");
  cmd->add_flag("--redo", args->redo, "--manifest: export again cases already complete (default: skip them)");

  cmd->callback([args] {
    ExportOptions options;
    options.window = parse_window(args->window);
    options.read.series_uid = args->series;
    options.read.assume_hu = args->assume_hu;
    options.log = stderr;

    if (!args->manifest.empty()) {
      ManifestExportOptions batch;
      batch.case_options = options;
      batch.default_label_value = args->l3_label;
      batch.redo = args->redo;
      const ExportSummary s = export_manifest(args->manifest, args->out, batch);
      fmt::print("{} cases: {} exported, {} already complete, {} failed -> {}\n", s.total, s.exported, s.skipped,
                 s.failures.size(), args->out);
      if (!s.failures.empty()) {
        throw InputError(s.errors_csv, fmt::format("{} of {} cases failed (one line each in this file)",
                                                   s.failures.size(), s.total));
      }
      return;
    }
    if (args->ct.empty()) throw UsageError("export: give a CT scan or --manifest FILE");
    if (args->l3_label && args->labels.empty()) throw UsageError("export: --l3-label needs --labels FILE");
    ManifestEntry entry;
    entry.image = args->ct;
    entry.case_id = args->case_id.empty() ? case_id_from_path(entry.image) : args->case_id;
    if (!args->labels.empty()) entry.labels = fs::path(args->labels);
    entry.label_value = args->l3_label;
    const ExportedCase r = export_case(entry, args->out, options);
    std::string l3 = "no labels";
    if (r.labelled) l3 = r.l3 ? fmt::format("L3 slices {}-{}, middle {}", r.l3->first, r.l3->last, r.l3->middle())
                              : std::string("no L3 label");
    fmt::print("{}: {} slices -> {} ({})\n", r.case_id, r.slices, r.folder.string(), l3);
  });
}

}  // namespace l3::cli
