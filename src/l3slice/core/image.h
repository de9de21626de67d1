#pragma once
// The in-memory volume types every module shares.
//
// Canonical orientation: voxel axes are x = patient right -> left, y = anterior -> posterior,
// z = inferior -> superior (identity direction in DICOM's LPS patient space, ITK's "RAI").
// Axial slice z = 0 is the most inferior. Readers reorient every input to this.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace l3 {

struct Grid {
  std::array<int, 3> size{0, 0, 0};                  // voxels along x, y, z
  std::array<double, 3> spacing{1.0, 1.0, 1.0};      // mm
  std::array<double, 3> origin{0.0, 0.0, 0.0};       // LPS mm of voxel (0,0,0)'s centre
  std::array<double, 9> direction{1, 0, 0, 0, 1, 0, 0, 0, 1};  // row-major, columns = axis directions (LPS)

  std::size_t voxel_count() const { return std::size_t(size[0]) * size[1] * size[2]; }
  std::size_t slice_voxels() const { return std::size_t(size[0]) * size[1]; }
  std::size_t index(int x, int y, int z) const {
    return (std::size_t(z) * size[1] + y) * size[0] + x;
  }
  // Physical LPS position of a voxel centre.
  std::array<double, 3> physical(double x, double y, double z) const;
  // Same size, spacing, origin and direction, within tolerances fit for a label file made on this grid.
  bool same_as(const Grid& other, std::string* why = nullptr) const;
};

template <typename T>
struct Image {
  Grid grid;
  std::vector<T> voxels;  // x fastest, then y, then z

  Image() = default;
  explicit Image(const Grid& g, T fill = T{}) : grid(g), voxels(g.voxel_count(), fill) {}

  T& at(int x, int y, int z) { return voxels[grid.index(x, y, z)]; }
  const T& at(int x, int y, int z) const { return voxels[grid.index(x, y, z)]; }
  T* slice(int z) { return voxels.data() + std::size_t(z) * grid.slice_voxels(); }
  const T* slice(int z) const { return voxels.data() + std::size_t(z) * grid.slice_voxels(); }
};

// Axial slices first..last of a volume as a volume of their own (origin at slice `first`).
template <typename T>
Image<T> axial_slab(const Image<T>& volume, int first, int last) {
  Grid g = volume.grid;
  g.size[2] = last - first + 1;
  const auto p = volume.grid.physical(0, 0, first);
  g.origin = {p[0], p[1], p[2]};
  Image<T> slab(g);
  std::copy(volume.slice(first), volume.slice(first) + g.voxel_count(), slab.voxels.begin());
  return slab;
}

// Axial slice z of a volume as an image of its own (size[2] == 1, origin at that slice).
template <typename T>
Image<T> axial_slice(const Image<T>& volume, int z) {
  return axial_slab(volume, z, z);
}

using HuImage = Image<int16_t>;      // CT in Hounsfield units
using LabelImage = Image<uint16_t>;  // segmentation labels (0 = background)
using MaskImage = Image<uint8_t>;    // binary masks (0/1)

// Where a canonical axial slice came from, so users can find it in their own viewer.
struct SliceSource {
  int file_index = -1;          // index along the file's own slice axis (DICOM: position in the series sorted along the slice normal)
  double z_mm = 0.0;            // patient z (superior positive, LPS/RAS alike) of the slice centre
  std::string file_name;        // DICOM only: the slice's file
  int instance_number = -1;     // DICOM only: InstanceNumber (0020,0013), -1 if absent
  std::string sop_instance_uid; // DICOM only
};

// A CT scan in canonical orientation with its provenance.
struct CtScan {
  HuImage hu;
  std::vector<SliceSource> slices;  // one per canonical z
  std::string source;               // path it was read from
  std::string format;               // "dicom", "nifti", "nrrd", "mha"
  std::string series_uid;           // DICOM only
  std::string file_orientation;     // orientation code of the file's voxel axes, e.g. "RAS", "LPS", "PIR"
  int file_slice_axis = 2;          // which file voxel axis is the axial one
};

}  // namespace l3
