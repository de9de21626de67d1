// The bundled U-Net (trained on phantoms only) against the real reference: every slice of the
// shared real CT crop against TotalSegmentator's tissue masks, as RealCtReference pins the classical
// method. The real CT was never trained on. Update the values with the README table when the
// bundled model or the method changes.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>

#include "l3slice/bodycomp/reference_agreement.h"
#include "l3slice/segmenter/unet_bodycomp.h"
#include "support/test_support.h"

TEST(RealCtReferenceUNet, BundledModelAgreementIsPinned) {
  torch::set_num_threads(2);
  const auto dir = l3::testing::shared_data() / "totalseg-example";
  const l3::CtScan ct = l3::read_ct(dir / "ct-upper-abdomen.nii.gz");
  auto model = std::make_shared<l3::LoadedSegmenter>(l3::load_segmenter(l3::default_segmenter_path()));
  l3::BodyCompOptions unet;
  unet.method = l3::unet_method_name(*model);
  unet.segmenter = l3::unet_slice_segmenter(model);
  const auto s = l3::summarize(l3::agree_with_reference(ct, l3::read_totalsegmentator_tissue_masks(dir / "tissue", ct), unet));
  std::printf("%s: median error SMA %+.2f %%, SAT %+.2f %%; worst SMA %+.2f %%, SAT %+.2f %%; "
              "Dice muscle %.4f (min %.4f), SAT %.4f (min %.4f)\n",
              unet.method.c_str(), 100 * s.median_sma_error, 100 * s.median_sat_error, 100 * s.worst_sma_error,
              100 * s.worst_sat_error, s.median_dice_muscle, s.min_dice_muscle, s.median_dice_sat, s.min_dice_sat);
  EXPECT_NEAR(s.median_sma_error, 0.439, 0.01);
  EXPECT_NEAR(s.worst_sma_error, 0.604, 0.015);
  EXPECT_NEAR(s.median_sat_error, -0.029, 0.005);
  EXPECT_NEAR(s.worst_sat_error, -0.061, 0.005);
  EXPECT_NEAR(s.median_dice_muscle, 0.808, 0.005);
  EXPECT_NEAR(s.min_dice_muscle, 0.698, 0.005);
  EXPECT_NEAR(s.median_dice_sat, 0.939, 0.005);
  EXPECT_NEAR(s.min_dice_sat, 0.901, 0.005);
}
