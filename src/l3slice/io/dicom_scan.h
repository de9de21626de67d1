#pragma once
// Internal: the header scan of a DICOM folder (no pixel data is read).
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace l3 {

// The header fields of one DICOM image file that reading a CT series needs.
struct DicomImageHeader {
  std::filesystem::path path;
  std::string name;  // path relative to the scanned folder
  std::string series_uid, sop_instance_uid, sop_class_uid, modality;
  int instance_number = -1;
  int rows = 0, columns = 0;
  std::optional<std::array<double, 3>> position;      // ImagePositionPatient
  std::optional<std::array<double, 6>> orientation;   // ImageOrientationPatient
  std::optional<std::array<double, 2>> pixel_spacing;  // row spacing, column spacing (mm)
  std::optional<double> slice_thickness;
  std::optional<double> rescale_slope, rescale_intercept;
};

struct DicomFolderScan {
  std::vector<DicomImageHeader> images;  // DICOM files with an image (Rows/Columns)
  int non_dicom = 0;                     // files that are not DICOM at all
  int without_image = 0;                 // DICOM files without an image (DICOMDIR, reports, ...)
};

// Reads the headers of every file under `folder` (recursively). Throws InputError for an empty or
// unreadable folder, and for a file that claims to be DICOM ("DICM" marker) but cannot be parsed.
DicomFolderScan scan_dicom_folder(const std::filesystem::path& folder);

}  // namespace l3
