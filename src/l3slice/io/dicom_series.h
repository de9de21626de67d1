#pragma once
// Internal: choosing one series from a scanned DICOM folder and checking it forms a regular volume.
#include <filesystem>
#include <string>
#include <vector>

#include "l3slice/core/image.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/io/dicom_scan.h"

namespace l3 {

struct DicomSeries {
  std::string uid;
  std::vector<DicomImageHeader> slices;  // sorted by position along the slice normal
  // The file layout: x = columns (along the IOP row vector), y = rows, z = the sorted slices.
  Grid grid;
};

// Picks options.series_uid or else the largest series (saying so in `notes`), checks modality,
// rescale tags, sizes, orientations, and that the positions form a regular, untilted stack.
// Throws InputError naming the folder or the offending file.
DicomSeries select_series(DicomFolderScan scan, const std::filesystem::path& folder,
                          const CtReadOptions& options, std::string* notes);

}  // namespace l3
