#pragma once
// Exporting a CT as 8-bit PNG slices with per-slice L3 labels, for viewing, annotation and for
// training other tools:
//
//   <out>/<case_id>/slice_0000.png ...  one per canonical axial slice, 0 = most inferior; radiological
//                                       display (image left = patient right, anterior at top)
//   <out>/<case_id>/labels.csv          slice,file_index,z_mm[,label]  (label only with a labels file)
//   <out>/<case_id>/case.json           source, format, grid, window, labels file/value, L3 run
//
// Each case is built in a staging folder and moved into place complete, so a failure leaves nothing
// and an existing case folder is always complete.
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include "l3slice/core/manifest.h"
#include "l3slice/core/slice_run.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/preprocessing/window.h"

namespace l3 {

struct ExportOptions {
  Window window;
  CtReadOptions read;           // e.g. the DICOM series to read
  std::FILE* log = nullptr;     // notes and warnings (e.g. "label 22 not in the labels file"), if given
};

struct ExportedCase {
  std::string case_id;
  std::filesystem::path folder;   // <out>/<case_id>
  int slices = 0;
  bool labelled = false;          // a labels file was given
  std::optional<SliceRun> l3;     // slices containing the L3 label
};

// Exports one case (entry.labels/label_value optional; without label_value the labels file must
// hold exactly one non-zero label). A requested label absent from the labels file means "no L3 in
// this scan" (a warning goes to options.log). Replaces an existing <out>/<case_id>.
// Throws InputError for an unreadable CT or labels file, labels not on the CT's grid, or a
// case_id that is not a plain folder name; nothing is written then.
ExportedCase export_case(const ManifestEntry& entry, const std::filesystem::path& out_dir,
                         const ExportOptions& options);

// A case id from a CT path: the file name without image extensions ("p1.nii.gz" -> "p1"), or the
// DICOM folder's name.
std::string case_id_from_path(const std::filesystem::path& ct_path);

// True if <out>/<case_id> holds a complete export made from the same CT, labels, label value,
// series and window (so a batch can resume without redoing it).
bool export_is_complete(const ManifestEntry& entry, const std::filesystem::path& out_dir,
                        const ExportOptions& options);

// "slice_0000.png" for slice 0 of a scan with n slices (at least 4 digits, more if needed).
std::string slice_file_name(int slice, int slice_count);

}  // namespace l3
