#include <gtest/gtest.h>

#include "l3slice/bodycomp/body_composition.h"
#include "l3slice/bodycomp/overlay.h"
#include <cstdlib>
#include <string>
#include "l3slice/core/error.h"
#include "synthetic_slice.h"

namespace bt = l3::bodycomp::testing;
using l3::BodyLabel;

namespace {

void expect_areas_match(const bt::SyntheticSlice& s, const l3::BodyComposition& c) {
  EXPECT_NEAR(c.sma_cm2, bt::truth_cm2(s, BodyLabel::muscle), 0.05 * bt::truth_cm2(s, BodyLabel::muscle));
  EXPECT_NEAR(c.sat_cm2, bt::truth_cm2(s, BodyLabel::subcutaneous_fat), 0.05 * bt::truth_cm2(s, BodyLabel::subcutaneous_fat));
  EXPECT_NEAR(c.vat_cm2, bt::truth_cm2(s, BodyLabel::visceral_fat), 0.05 * bt::truth_cm2(s, BodyLabel::visceral_fat));
  EXPECT_NEAR(c.imat_cm2, bt::truth_cm2(s, BodyLabel::intermuscular_fat), 0.25 * bt::truth_cm2(s, BodyLabel::intermuscular_fat) + 0.3);
}

}  // namespace

TEST(SyntheticSlice, AreasMatchTruth) {
  const bt::SyntheticSlice s = bt::make_synthetic_slice({});
  const auto m = l3::measure_body_composition(bt::as_scan(s.slice), 0);
  if (const char* dir = std::getenv("L3SLICE_BODYCOMP_DEBUG_DIR"))  // pictures to look at, on request
    l3::write_body_composition_png(std::string(dir) + "/synthetic.png", m);
  // Segmentation checks on top of the areas: the table and the organs are never tissue.
  long organ_as_muscle = 0, table_in_body = 0;
  for (std::size_t i = 0; i < m.labels.voxels.size(); ++i) {
    organ_as_muscle += s.truth.voxels[i] == uint8_t(BodyLabel::other) && m.labels.voxels[i] == uint8_t(BodyLabel::muscle);
    table_in_body += s.truth.voxels[i] == uint8_t(BodyLabel::outside) && m.labels.voxels[i] != uint8_t(BodyLabel::outside);
  }
  EXPECT_LT(organ_as_muscle, 20);
  EXPECT_EQ(table_in_body, 0);
  std::printf("SMA %.1f (true %.1f)  SAT %.1f (%.1f)  VAT %.1f (%.1f)  IMAT %.1f (%.1f)  HU %.1f\n",
              m.composition.sma_cm2, bt::truth_cm2(s, BodyLabel::muscle), m.composition.sat_cm2,
              bt::truth_cm2(s, BodyLabel::subcutaneous_fat), m.composition.vat_cm2,
              bt::truth_cm2(s, BodyLabel::visceral_fat), m.composition.imat_cm2,
              bt::truth_cm2(s, BodyLabel::intermuscular_fat), m.composition.muscle_hu);
  expect_areas_match(s, m.composition);
  EXPECT_NEAR(m.composition.muscle_hu, 53.0, 5.0);
}
