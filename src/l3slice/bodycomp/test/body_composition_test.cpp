// measure_body_composition on hand-made slices: spacing, averaging, indices and bad input.
#include <gtest/gtest.h>

#include <cmath>

#include "l3slice/bodycomp/body_composition.h"
#include "l3slice/core/error.h"
#include "synthetic_slice.h"

namespace bt = l3::bodycomp::testing;
using l3::BodyLabel;

TEST(BodyComposition, StretchingOnePixelAxisScalesEveryArea) {
  const bt::SyntheticSlice s = bt::make_synthetic_slice({});
  const auto base = l3::measure_body_composition(bt::as_scan(s.slice), 0).composition;
  l3::HuImage stretched = s.slice;
  stretched.grid.spacing[1] *= 1.5;  // same pixels, taller: a physically taller body
  const auto tall = l3::measure_body_composition(bt::as_scan(stretched), 0).composition;
  EXPECT_NEAR(tall.body_cm2 / base.body_cm2, 1.5, 0.01);
  EXPECT_NEAR(tall.sat_cm2 / base.sat_cm2, 1.5, 0.08);
  EXPECT_NEAR(tall.vat_cm2 / base.vat_cm2, 1.5, 0.08);
  EXPECT_NEAR(tall.sma_cm2 / base.sma_cm2, 1.5, 0.08);
  EXPECT_DOUBLE_EQ(tall.pixel_mm[1], 1.5 * base.pixel_mm[1]);
}

TEST(BodyComposition, AnisotropicPixelsMeasureTheTrueAreas) {
  bt::SyntheticOptions o;
  o.nx = 300;
  o.ny = 160;
  o.sx = 1.35;
  o.sy = 2.0;
  const bt::SyntheticSlice s = bt::make_synthetic_slice(o);
  const auto c = l3::measure_body_composition(bt::as_scan(s.slice), 0).composition;
  EXPECT_NEAR(c.sat_cm2, bt::truth_cm2(s, BodyLabel::subcutaneous_fat), 0.05 * bt::truth_cm2(s, BodyLabel::subcutaneous_fat));
  EXPECT_NEAR(c.vat_cm2, bt::truth_cm2(s, BodyLabel::visceral_fat), 0.05 * bt::truth_cm2(s, BodyLabel::visceral_fat));
  EXPECT_NEAR(c.sma_cm2, bt::truth_cm2(s, BodyLabel::muscle), 0.05 * bt::truth_cm2(s, BodyLabel::muscle));
}

TEST(BodyComposition, AveragesNeighbourSlicesAndDerivesIndices) {
  const bt::SyntheticSlice s = bt::make_synthetic_slice({});
  const l3::CtScan ct = bt::as_scan(s.slice, 5);
  l3::BodyCompOptions o;
  o.half_width = 2;
  o.height_m = 1.75;
  o.weight_kg = 80;
  const auto c = l3::measure_body_composition(ct, 2, o).composition;
  const auto single = l3::measure_body_composition(ct, 2).composition;
  EXPECT_EQ(c.first_slice, 0);
  EXPECT_EQ(c.last_slice, 4);
  EXPECT_NEAR(c.sma_cm2, single.sma_cm2, 1e-9);  // identical slices: the mean is the slice
  ASSERT_TRUE(c.smi_cm2_m2 && c.bmi_kg_m2 && c.sma_per_bmi);
  EXPECT_NEAR(*c.smi_cm2_m2, c.sma_cm2 / (1.75 * 1.75), 1e-9);
  EXPECT_NEAR(*c.bmi_kg_m2, 80 / (1.75 * 1.75), 1e-9);
  EXPECT_FALSE(single.smi_cm2_m2);
  EXPECT_THROW(l3::measure_body_composition(ct, 1, o), l3::InputError);  // 1-2 < 0
}

TEST(BodyComposition, BadInputIsAOneLineErrorNamingTheFile) {
  const bt::SyntheticSlice s = bt::make_synthetic_slice({});
  l3::CtScan ct = bt::as_scan(s.slice, 3);
  try {
    l3::measure_body_composition(ct, 3);
    FAIL() << "slice 3 of 3 accepted";
  } catch (const l3::InputError& e) {
    EXPECT_EQ(e.path(), "synthetic.nii.gz");
    EXPECT_NE(std::string(e.what()).find("outside the volume"), std::string::npos) << e.what();
  }
  EXPECT_THROW(l3::measure_body_composition(ct, -1), l3::InputError);

  l3::CtScan empty = ct;
  std::fill(empty.hu.voxels.begin(), empty.hu.voxels.end(), int16_t(-1000));
  try {
    l3::measure_body_composition(empty, 1);
    FAIL() << "air accepted";
  } catch (const l3::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no body"), std::string::npos) << e.what();
  }

  l3::CtScan tilted = ct;  // slice normal 30 degrees from the patient's long axis
  const double a = 30.0 * M_PI / 180.0;
  tilted.hu.grid.direction = {1, 0, 0, 0, std::cos(a), std::sin(a), 0, -std::sin(a), std::cos(a)};
  EXPECT_THROW(l3::measure_body_composition(tilted, 1), l3::InputError);

  l3::BodyCompOptions bad_height;
  bad_height.height_m = 175;  // centimetres by mistake
  EXPECT_THROW(l3::measure_body_composition(ct, 1, bad_height), l3::UsageError);
}
