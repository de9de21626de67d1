// The classical method against a real reference: every slice of the shared real CT crop
// (ct-upper-abdomen.nii.gz, T12-L2) against TotalSegmentator's tissue masks. The summary is pinned
// tightly, so any change to the method shows up here as a measured gain or loss on real CT (update
// the pinned values with the README table when a change is meant). The label map of one slice is
// compared with a stored baseline picture, the way ITK compares against baselines; it holds the
// tissue labels only (gray = 40 x BodyLabel), not the CT. Set L3SLICE_UPDATE_BASELINES=1 to rewrite it.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "l3slice/bodycomp/reference_agreement.h"
#include "l3slice/io/png_io.h"
#include "support/test_support.h"

namespace fs = std::filesystem;

namespace {

constexpr int kBaselineSlice = 15;
constexpr uint8_t kGrayPerLabel = 40;

struct RealReference {
  l3::CtScan ct;
  std::vector<l3::SliceAgreement> rows;
};

const RealReference& real_reference() {
  static const RealReference r = [] {
    const fs::path dir = l3::testing::shared_data() / "totalseg-example";
    RealReference out{l3::read_ct(dir / "ct-upper-abdomen.nii.gz"), {}};
    out.rows = l3::agree_with_reference(out.ct, l3::read_totalsegmentator_tissue_masks(dir / "tissue", out.ct));
    return out;
  }();
  return r;
}

l3::PngImage label_picture(const l3::MaskImage& labels) {
  l3::PngImage p{labels.grid.size[0], labels.grid.size[1], 1, {}};
  for (const uint8_t l : labels.voxels) p.pixels.push_back(uint8_t(l * kGrayPerLabel));
  return p;
}

}  // namespace

TEST(RealCtReference, AgreementWithTotalSegmentatorTissueMasksIsPinned) {
  const auto& rows = real_reference().rows;
  ASSERT_EQ(rows.size(), 30u);
  const l3::AgreementSummary s = l3::summarize(rows);
  std::printf("median error SMA %+.2f %%, SAT %+.2f %%; worst SMA %+.2f %%, SAT %+.2f %%; "
              "Dice muscle %.4f (min %.4f), SAT %.4f (min %.4f)\n",
              100 * s.median_sma_error, 100 * s.median_sat_error, 100 * s.worst_sma_error, 100 * s.worst_sat_error,
              s.median_dice_muscle, s.min_dice_muscle, s.median_dice_sat, s.min_dice_sat);
  // Measured with method l3slice-bodycomp-5 (README, "Body composition on real CT").
  EXPECT_NEAR(s.median_sma_error, 0.376, 0.005);
  EXPECT_NEAR(s.worst_sma_error, 0.881, 0.01);
  EXPECT_NEAR(s.median_sat_error, -0.042, 0.005);
  EXPECT_NEAR(s.worst_sat_error, -0.086, 0.005);
  EXPECT_NEAR(s.median_dice_muscle, 0.810, 0.003);
  EXPECT_NEAR(s.min_dice_muscle, 0.688, 0.003);
  EXPECT_NEAR(s.median_dice_sat, 0.929, 0.003);
  EXPECT_NEAR(s.min_dice_sat, 0.894, 0.003);
}

TEST(RealCtReference, SliceLabelsMatchTheStoredBaseline) {
  const auto& row = real_reference().rows.at(kBaselineSlice);
  const l3::PngImage now = label_picture(row.labels);
  const fs::path baseline = fs::path(L3SLICE_BASELINE_DIR) / "ct-upper-abdomen-slice15-labels.png";
  if (std::getenv("L3SLICE_UPDATE_BASELINES")) l3::write_png(baseline, now);
  const l3::PngImage stored = l3::read_png(baseline);
  ASSERT_EQ(stored.width, now.width);
  ASSERT_EQ(stored.height, now.height);
  ASSERT_EQ(stored.channels, 1);
  long differ = 0;
  for (std::size_t i = 0; i < now.pixels.size(); ++i) differ += stored.pixels[i] != now.pixels[i];
  if (differ) {
    const fs::path got = fs::current_path() / "ct-upper-abdomen-slice15-labels.png";
    l3::write_png(got, now);
    ADD_FAILURE() << differ << " of " << now.pixels.size() << " label pixels differ from " << baseline << "; this run's labels: " << got;
  }
}
