#include "l3slice/io/canonical_scan.h"

#include <stdexcept>

#include <fmt/format.h>

#include "l3slice/core/error.h"

namespace l3 {

AxisMap file_axis_map(const Grid& file_grid, const std::filesystem::path& source) {
  // Slices, their numbers and areas are taken along the voxel axes; past a few degrees of tilt
  // they are no longer axial. Resampling would break the slice map back to the file, so refuse.
  const double angle = obliquity_degrees(file_grid.direction);
  if (angle > kMaxObliqueDegrees)
    throw InputError(source, fmt::format("is oblique: its voxel axes are {:.1f} degrees off the patient axes; refused "
                                         "(not resampled): resample it to axis-aligned voxels first (up to {:.0f} "
                                         "degrees is accepted)",
                                         angle, kMaxObliqueDegrees));
  try {
    return axis_map_from_direction(file_grid.direction);
  } catch (const std::invalid_argument& e) {
    throw InputError(source, e.what());
  }
}

CtScan canonical_scan(const Image<int16_t>& file_volume, const std::filesystem::path& source) {
  const AxisMap map = file_axis_map(file_volume.grid, source);
  CtScan ct;
  ct.hu = to_canonical(file_volume, map);
  ct.source = source.string();
  ct.file_orientation = orientation_code(map);
  ct.file_slice_axis = map.file_axis_of(2);
  const Grid& g = ct.hu.grid;
  const double cx = 0.5 * (g.size[0] - 1), cy = 0.5 * (g.size[1] - 1);
  ct.slices.resize(std::size_t(g.size[2]));
  for (int z = 0; z < g.size[2]; ++z) {
    SliceSource& s = ct.slices[std::size_t(z)];
    s.file_index = file_index_of(map, ct.file_slice_axis, z, g.size[2]);
    s.z_mm = g.physical(cx, cy, z)[2];  // the slice centre's height (oblique slices tilt)
  }
  return ct;
}

}  // namespace l3
