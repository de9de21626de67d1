// The coronal bone projection: thickness in mm along anterior-posterior, resampled to a square grid.
#include <gtest/gtest.h>

#include <cmath>

#include "l3slice/atlas/bone_projection.h"

namespace {

l3::HuImage block_volume(double spacing_xy, double spacing_z) {
  l3::Grid g;
  g.size = {64, 40, 50};
  g.spacing = {spacing_xy, spacing_xy, spacing_z};
  l3::HuImage hu(g, int16_t(-1000));
  // A bone bar 10 voxels deep (AP) over x 30..33, all z: 10 * spacing mm thick.
  for (int z = 0; z < g.size[2]; ++z)
    for (int y = 10; y < 20; ++y)
      for (int x = 30; x < 34; ++x) hu.at(x, y, z) = 400;
  return hu;
}

}  // namespace

TEST(BoneProjection, ThicknessInMmAtTheMidline) {
  for (double s : {1.0, 1.5, 3.0}) {
    const auto p = l3::coronal_bone_projection(block_volume(s, 2.0));
    // The bone is the only thing there, so its centroid is the midline: x_mm = 0.
    const int mid = int(std::lround(p.centre_col));
    EXPECT_NEAR(p.at(p.rows / 2, mid), 10 * s, 0.5 * s) << "spacing " << s;
    EXPECT_FLOAT_EQ(p.at(p.rows / 2, 0), 0.0f);
    EXPECT_NEAR(p.step_mm * (p.rows - 1), 49 * 2.0, 3.0);  // covers the scan's z extent
  }
}

TEST(BoneProjection, BelowThresholdIsNotBone) {
  auto hu = block_volume(1.0, 1.0);
  for (auto& v : hu.voxels) v = v > 0 ? int16_t(150) : v;  // contrast-like soft tissue, not bone
  const auto p = l3::coronal_bone_projection(hu);
  for (float v : p.mm) EXPECT_EQ(v, 0.0f);
}

TEST(BoneProjection, HalvingKeepsTheMeanAndTheMidline) {
  const auto p = l3::coronal_bone_projection(block_volume(1.0, 1.0));
  const auto h = l3::halve(p);
  for (int r = 0; r + 1 < p.rows; r += 2)
    for (int c = 0; c + 1 < p.cols; c += 2)
      EXPECT_FLOAT_EQ(h.at(r / 2, c / 2), (p.at(r, c) + p.at(r + 1, c) + p.at(r, c + 1) + p.at(r + 1, c + 1)) / 4);
  EXPECT_NEAR(h.x_mm(h.centre_col), 0.0, 1e-9);
  EXPECT_NEAR(h.z_mm(0), p.step_mm / 2, 1e-9);
}
