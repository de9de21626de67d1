#pragma once
// Reading CT scans into the canonical CtScan (see core/image.h for the canonical orientation).
#include <filesystem>
#include <string>

#include "l3slice/core/image.h"

namespace l3 {

struct CtReadOptions {
  std::string series_uid;  // DICOM folder with several series: the one to read (default: the largest)
  bool assume_hu = false;  // DICOM without RescaleSlope/Intercept: take stored values as HU instead of failing
  bool allow_non_ct = false;  // accept a Modality other than CT
};

// Reads a DICOM series folder (any file names and order; uncompressed, JPEG, JPEG-LS, JPEG 2000, RLE),
// or a NIfTI (.nii, .nii.gz), NRRD (.nrrd, .nhdr) or MetaImage (.mha, .mhd) file, into HU in
// canonical orientation, keeping the map from each canonical slice back to the file.
// DICOM PixelPaddingValue voxels become air (-1024 HU). Image files whose values do not look like
// HU get a warning on stderr. Throws InputError with a one-line message naming the file and the
// problem (among others: NaN/infinite voxels, voxel axes more than 5 degrees oblique).
// Notes for the user (which series was chosen and the others' UIDs and sizes, how many non-DICOM
// files were skipped) are appended to `notes` if given, one per line. DICOM folders show progress
// (l3::Progress on stderr) while being scanned and decoded.
// Canonical slices keep their source: file_index (for DICOM: position in the series sorted along the
// slice normal), z_mm, and for DICOM the file (relative to the folder), InstanceNumber, SOPInstanceUID.
CtScan read_ct(const std::filesystem::path& path, const CtReadOptions& options = {},
               std::string* notes = nullptr);

// True if `path` looks like an image file by its extension (.nii, .nii.gz, .nrrd, .nhdr, .mha, .mhd).
bool is_image_file(const std::filesystem::path& path);

}  // namespace l3
