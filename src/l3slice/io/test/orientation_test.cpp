#include "l3slice/io/orientation.h"

#include <gtest/gtest.h>

#include <cmath>

#include <stdexcept>

#include "io_test_util.h"

namespace l3 {
namespace {

TEST(Orientation, CodesRoundTrip) {
  for (const char* code : {"LPS", "RAS", "PIR", "LAS", "SRA", "IPL", "RPI"})
    EXPECT_EQ(orientation_code(axis_map_from_code(code)), code);
  EXPECT_EQ(orientation_code(AxisMap{}), "LPS");
}

TEST(Orientation, BadCodesAreRejected) {
  EXPECT_THROW(axis_map_from_code("LLS"), std::invalid_argument);
  EXPECT_THROW(axis_map_from_code("RA"), std::invalid_argument);
  EXPECT_THROW(axis_map_from_code("RAX"), std::invalid_argument);
}

TEST(Orientation, MapFromDirectionOfRasFile) {
  // A NIfTI "RAS" file in ITK's LPS space: x runs to -L, y to -P, z to +S.
  const AxisMap map = axis_map_from_direction({-1, 0, 0, 0, -1, 0, 0, 0, 1});
  EXPECT_EQ(orientation_code(map), "RAS");
  // PIR: axis 0 -> posterior, axis 1 -> inferior, axis 2 -> right.
  const AxisMap pir = axis_map_from_direction({0, 0, -1, 1, 0, 0, 0, -1, 0});
  EXPECT_EQ(orientation_code(pir), "PIR");
  EXPECT_EQ(pir.file_axis_of(2), 1);
}

TEST(Orientation, TooObliqueIsRejected) {
  const double h = 0.70710678;
  EXPECT_THROW(axis_map_from_direction({h, h, 0, h, h, 0, 0, 0, 1}), std::invalid_argument);
}

TEST(Orientation, FileLayoutRoundTripKeepsPhysicalPositions) {
  const CtScan ct = io_test::synthetic_ct();
  for (const char* code : {"RAS", "PIR", "LPI", "SLA"}) {
    const AxisMap map = axis_map_from_code(code);
    const HuImage file = from_canonical(ct.hu, map);
    // Same value at the same physical point: file voxel (i,j,k) vs the canonical voxel there.
    for (int k = 0; k < file.grid.size[2]; k += 3)
      for (int j = 0; j < file.grid.size[1]; j += 2)
        for (int i = 0; i < file.grid.size[0]; i += 5) {
          const auto p = file.grid.physical(i, j, k);
          const int x = int(std::lround((p[0] - ct.hu.grid.origin[0]) / ct.hu.grid.spacing[0]));
          const int y = int(std::lround((p[1] - ct.hu.grid.origin[1]) / ct.hu.grid.spacing[1]));
          const int z = int(std::lround((p[2] - ct.hu.grid.origin[2]) / ct.hu.grid.spacing[2]));
          ASSERT_EQ(file.at(i, j, k), ct.hu.at(x, y, z)) << code;
        }
    const HuImage back = to_canonical(file, map);
    EXPECT_EQ(back.voxels, ct.hu.voxels) << code;
    EXPECT_TRUE(back.grid.same_as(ct.hu.grid)) << code;
    EXPECT_EQ(orientation_code(axis_map_from_direction(file.grid.direction)), code);
  }
}

}  // namespace
}  // namespace l3
