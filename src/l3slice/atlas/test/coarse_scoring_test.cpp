// The coarse search's shortcut scores an alignment as score_transform does: the same NCC and
// overlap on a straight spine, and within a few thousandths where the atlas bends.
#include <gtest/gtest.h>

#include "l3slice/atlas/coarse_scoring.h"
#include "l3slice/phantom/phantom.h"
#include "bundled_atlas.h"

namespace {

l3::BoneProjection phantom_projection(unsigned seed) {
  l3::PhantomOptions o;
  o.seed = seed;
  o.slice_mm = 3.0;
  return l3::coronal_bone_projection(l3::make_phantom(o).ct.hu, bundled_atlas().projection_options);
}

}  // namespace

TEST(CoarseScoring, AgreesWithScoreTransform) {
  const l3::BoneProjection scan = l3::halve(phantom_projection(9003));
  const l3::BoneProjection atlas = l3::halve(bundled_atlas().projection);
  const l3::CoarseScorer scorer(scan, atlas);
  const double key_mm = bundled_atlas().level("L3")->middle_mm();
  int compared = 0;
  for (double bend : {0.0, -24.0, 24.0})
    for (double sx : {0.9, 1.1})
      for (double tx : {-10.0, 20.0}) {
        l3::AtlasTransform lateral{1.0, 0.0, sx, tx};
        lateral.bend_x_mm = bend;
        lateral.bend_z_mm = key_mm;
        const auto resampled = scorer.resample(lateral);
        for (double sz : {0.9, 1.15})
          for (double tz = -200.0; tz <= 400.0; tz += 37.0) {
            l3::AtlasTransform t = lateral;
            t.scale_z = sz;
            t.shift_z_mm = tz;
            const l3::AtlasMatch exact = l3::score_transform(scan, atlas, t), quick = scorer.score(resampled, t);
            if (exact.overlap_mm < 60.0) continue;
            ++compared;
            EXPECT_EQ(quick.overlap_mm, exact.overlap_mm) << "bend " << bend << " shift z " << tz;
            EXPECT_NEAR(quick.ncc, exact.ncc, bend == 0.0 ? 1e-9 : 5e-3) << "bend " << bend << " shift z " << tz;
          }
      }
  EXPECT_GT(compared, 100);
}
