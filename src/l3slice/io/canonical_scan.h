#pragma once
// Internal: turning a volume in its file's voxel layout into a canonical CtScan.
#include <filesystem>

#include "l3slice/core/image.h"
#include "l3slice/io/orientation.h"

namespace l3 {

// Voxel axes may be this far off the patient axes (a slightly oblique scan is read as it is).
constexpr double kMaxObliqueDegrees = 5.0;

// The file's axis map; throws InputError naming `source` (and the angle) if its axes are more than
// kMaxObliqueDegrees off the patient axes.
AxisMap file_axis_map(const Grid& file_grid, const std::filesystem::path& source);

// Reorients `file_volume` to canonical and fills hu, slices (file_index, z_mm), file_orientation,
// file_slice_axis and source. format/series fields and DICOM slice details are left to the caller.
CtScan canonical_scan(const Image<int16_t>& file_volume, const std::filesystem::path& source);

}  // namespace l3
