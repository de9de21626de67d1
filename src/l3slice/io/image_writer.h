#pragma once
// Writing volumes: NIfTI/NRRD/MHA by extension (via ITK), and DICOM CT series (via GDCM).
// All writes are atomic: nothing is left half-written on failure.
#include <cstdint>
#include <filesystem>
#include <optional>
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

enum class DicomCompression { none, jpeg_lossless, jpeg2000_lossless, rle, jpegls_lossless };

// How HU are stored in the 16-bit pixel data. The defaults are what scanners commonly write; the
// other settings reproduce scanner quirks for the reader's tests.
struct DicomPixelEncoding {
  bool is_signed = false;     // PixelRepresentation 1 (signed) or 0
  unsigned bits_stored = 16;  // BitsStored (HighBit = bits_stored - 1), 1..16
  uint16_t high_bits = 0;     // put into the bits above BitsStored (overlay bits, garbage)
  double slope = 1.0;         // stored = round((HU - intercept) / slope), clamped to BitsStored
  double intercept = -1024.0;
  std::optional<int> padding_value;  // written as PixelPaddingValue (0028,0120) (US or SS by sign);
  int padding_hu = -3024;            // voxels of this HU are stored as padding_value (its low 16 bits)
  std::optional<int> padding_range_limit;  // written as PixelPaddingRangeLimit (0028,0121)
};

struct DicomWriteOptions {
  DicomCompression compression = DicomCompression::none;
  std::string orientation = "LPS";  // in-plane/slice layout as for write_image (axial slices only)
  bool shuffle_file_names = false;  // random file names, so order must come from positions
  unsigned seed = 0;                // for shuffled names and UIDs (UIDs are derived from the voxels,
                                    // seed and options under GDCM's root: same input -> same UIDs)
  std::string patient_id = "PHANTOM";
  std::string series_description = "l3slice phantom";
  std::string modality = "CT";
  DicomPixelEncoding encoding;
  bool write_rescale = true;        // false: HU as signed 16-bit and no RescaleSlope/Intercept (for
                                    // bad-input tests; `encoding` is then ignored)
  double gantry_tilt_deg = 0.0;     // >0 shears slice positions (for bad-input tests)
};

// Writes a CT series, one file per axial slice, into `folder` (created atomically; must not exist
// or is replaced). Stored values follow `options.encoding` (by default HU + 1024 as unsigned 16-bit
// with RescaleIntercept -1024). InstanceNumber 1.. follows the
// slice order of `orientation` (e.g. "LPI" numbers from the head down).
void write_dicom_series(const CtScan& ct, const std::filesystem::path& folder,
                        const DicomWriteOptions& options = {});

}  // namespace l3
