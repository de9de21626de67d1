#pragma once
// Exact permutations/flips between a file's voxel axes and the canonical layout (core/image.h).
//
// Orientation codes name, per voxel axis, the patient direction that axis INCREASES towards
// (nibabel/ITK-SNAP style): canonical is "LPS", a typical NIfTI is "RAS". ITK's own
// SpatialOrientation enum names the opposite letters; it is not used here.
#include <array>
#include <string>

#include "l3slice/core/image.h"

namespace l3 {

// How each file voxel axis maps onto a canonical axis.
struct AxisMap {
  std::array<int, 3> canonical_axis{0, 1, 2};  // file axis i runs along canonical axis canonical_axis[i]
  std::array<bool, 3> flipped{false, false, false};  // ... in the opposite direction

  // The file axis that runs along canonical axis `axis`.
  int file_axis_of(int axis) const;
  bool operator==(const AxisMap& o) const { return canonical_axis == o.canonical_axis && flipped == o.flipped; }
};

// The map for a file grid's direction cosines: each file axis goes to the patient axis it is most
// aligned with. Throws std::invalid_argument if two axes are closest to the same patient axis.
AxisMap axis_map_from_direction(const std::array<double, 9>& direction);

// The largest angle (degrees) between a voxel axis and the patient axis nearest to it: 0 for a
// volume whose axes are permuted/flipped patient axes, more for an oblique one.
double obliquity_degrees(const std::array<double, 9>& direction);

// The map for a 3-letter code such as "RAS" or "PIR"; throws std::invalid_argument for a bad code.
AxisMap axis_map_from_code(const std::string& code);

// The code of a map: "LPS" for the identity.
std::string orientation_code(const AxisMap& map);

// The canonical grid of a file grid laid out as `map` says (same physical positions).
Grid canonical_grid(const Grid& file_grid, const AxisMap& map);
// The file grid that lays a canonical grid out as `map` says (inverse of canonical_grid).
Grid file_grid(const Grid& canonical, const AxisMap& map);

// Index along the file's axis `file_axis` of canonical index `c` on the matching canonical axis.
inline int file_index_of(const AxisMap& map, int file_axis, int c, int canonical_size) {
  return map.flipped[file_axis] ? canonical_size - 1 - c : c;
}

// Voxels re-laid out between file and canonical order (pure permutation/flip, no resampling).
template <typename T>
Image<T> to_canonical(const Image<T>& file_image, const AxisMap& map);
template <typename T>
Image<T> from_canonical(const Image<T>& canonical, const AxisMap& map);

}  // namespace l3
