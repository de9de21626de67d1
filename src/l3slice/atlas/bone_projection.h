#pragma once
// A coronal projection of bone: for every height z and lateral position x, the thickness (mm) of
// voxels at or above a bone threshold along the anterior-posterior axis, on a square mm grid.
// It shows the spine, ribs and pelvis the way a radiograph does, and it looks the same on a normal
// CT, a contrast CT, a low-dose PET/CT and a bone-only volume: the level finder registers it to a
// labelled real spine (spine_atlas.h).
#include <vector>

#include "l3slice/core/image.h"

namespace l3 {

struct BoneProjectionOptions {
  double threshold_hu = 200.0;  // bone; the bundled atlas was made from a scan with < 200 HU removed
  double step_mm = 3.0;         // grid step along z and x
  double half_width_mm = 170.0; // lateral extent kept on each side of the midline (arms left out)
};
inline bool operator==(const BoneProjectionOptions& a, const BoneProjectionOptions& b) {
  return a.threshold_hu == b.threshold_hu && a.step_mm == b.step_mm && a.half_width_mm == b.half_width_mm;
}

struct BoneProjection {
  double step_mm = 3.0;
  int rows = 0;              // along z
  double z0_mm = 0.0;        // z of row 0, mm above the centre of the scan's most inferior slice
  int cols = 0;              // along x (patient right -> left)
  double centre_col = 0.0;   // column of the midline (bone centroid), x_mm = (col - centre_col) * step
  double midline_x_mm = 0.0; // the midline's x in the scan, mm from voxel column 0's centre (not saved in atlases)
  std::vector<float> mm;     // rows * cols, bone thickness in mm
  float at(int row, int col) const { return mm[std::size_t(row) * cols + col]; }
  double z_mm(double row) const { return z0_mm + row * step_mm; }
  double x_mm(double col) const { return (col - centre_col) * step_mm; }
};

BoneProjection coronal_bone_projection(const HuImage& hu, const BoneProjectionOptions& options = {});

// Every second row and column averaged (a pyramid level for the coarse search).
BoneProjection halve(const BoneProjection& p);

}  // namespace l3
