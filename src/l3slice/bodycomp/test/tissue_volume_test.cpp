// Volumes over the L3 body: on a phantom, each tissue's volume matches the phantom's own tissue
// labels (inside the same HU ranges) summed over the run, within 5 %; a run outside the scan is
// refused.
#include <gtest/gtest.h>

#include "l3slice/bodycomp/tissue_volume.h"
#include "l3slice/core/error.h"
#include "l3slice/phantom/phantom.h"

TEST(TissueVolume, MatchesThePhantomsTissuesOverTheL3Body) {
  l3::PhantomOptions o;
  o.seed = 2;
  o.matrix = 384;
  o.pixel_mm = 1.0;  // a clinical pixel size, where single slices are within 5 % (phantom_test.cpp)
  o.fov_inferior_mm = -20;
  o.fov_superior_mm = 20;
  const l3::Phantom ph = l3::make_phantom(o);
  ASSERT_TRUE(ph.l3_body);
  const auto v = l3::measure_tissue_volumes(ph.ct, *ph.l3_body);
  const l3::TissueThresholds t;
  double muscle = 0, sat = 0;
  for (int z = ph.l3_body->first; z <= ph.l3_body->last; ++z)
    for (std::size_t i = 0; i < ph.ct.hu.grid.slice_voxels(); ++i) {
      const auto tissue = l3::Tissue(ph.tissues.slice(z)[i]);
      const int hu = ph.ct.hu.slice(z)[i];
      muscle += tissue == l3::Tissue::muscle && t.muscle.contains(hu);
      sat += tissue == l3::Tissue::subcutaneous_fat && t.subcutaneous_fat.contains(hu);
    }
  const double voxel_cm3 = o.pixel_mm * o.pixel_mm * o.slice_mm / 1000.0;
  EXPECT_EQ(v.run, *ph.l3_body);
  EXPECT_NEAR(v.muscle_cm3 / (muscle * voxel_cm3), 1.0, 0.05);
  EXPECT_NEAR(v.sat_cm3 / (sat * voxel_cm3), 1.0, 0.05);
  EXPECT_NEAR(v.muscle_hu, o.muscle_hu, 5.0);
  EXPECT_THROW(l3::measure_tissue_volumes(ph.ct, {0, ph.ct.hu.grid.size[2]}), l3::UsageError);
}
