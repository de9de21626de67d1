#pragma once
// Writing volumes: NIfTI/NRRD/MHA by extension (via ITK), and DICOM CT series (via GDCM).
// All writes are atomic: nothing is left half-written on failure.
#include <filesystem>
#include <string>

#include "l3slice/core/image.h"

namespace l3 {

// How the file's voxel axes should be laid out, as a 3-letter code of where each axis points
// (ITK/NIfTI convention of the "to" direction, e.g. "RAS" = x to Right... see below).
// Codes name the direction each voxel axis increases towards: 'L'/'R', 'P'/'A', 'S'/'I'.
// Canonical is "LPS" (x to patient left, y to posterior, z to superior).
struct WriteLayout {
  std::string orientation = "LPS";
};

// Writes a canonical image to .nii/.nii.gz/.nrrd/.mha with its voxel axes permuted/flipped
// to `layout.orientation` (physical positions unchanged). Throws UsageError for a bad orientation
// code or extension (.nhdr/.mhd are read-only: their two files cannot be replaced atomically).
void write_image(const HuImage& image, const std::filesystem::path& path, const WriteLayout& layout = {});
void write_image(const LabelImage& image, const std::filesystem::path& path, const WriteLayout& layout = {});

enum class DicomCompression { none, jpeg_lossless, jpeg2000_lossless, rle };

struct DicomWriteOptions {
  DicomCompression compression = DicomCompression::none;
  std::string orientation = "LPS";  // in-plane/slice layout as for write_image (axial slices only)
  bool shuffle_file_names = false;  // random file names, so order must come from positions
  unsigned seed = 0;                // for shuffled names and UIDs (UIDs are derived from the voxels,
                                    // seed and options under GDCM's root: same input -> same UIDs)
  std::string patient_id = "PHANTOM";
  std::string series_description = "l3slice phantom";
  std::string modality = "CT";
  bool write_rescale = true;        // false: omit RescaleSlope/Intercept (for bad-input tests)
  double gantry_tilt_deg = 0.0;     // >0 shears slice positions (for bad-input tests)
};

// Writes a CT series, one file per axial slice, into `folder` (created atomically; must not exist
// or is replaced). Stored values are HU + 1024 as unsigned 16-bit with RescaleIntercept -1024
// (write_rescale = false: HU as signed 16-bit and no rescale tags). InstanceNumber 1.. follows the
// slice order of `orientation` (e.g. "LPI" numbers from the head down).
void write_dicom_series(const CtScan& ct, const std::filesystem::path& folder,
                        const DicomWriteOptions& options = {});

}  // namespace l3
