// The shared real CT (TotalSegmentator example, 3 mm pixels) at its mid-L3 slice 74: values must be
// those of an adult abdomen. Ranges: SMA 80-250 cm2 and muscle 15-60 HU (sarcopenia cut-offs and
// healthy adults, Prado 2008 / Martin 2013 / van der Werf 2018); fat areas from lean to obese.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "l3slice/bodycomp/body_composition.h"
#include "l3slice/bodycomp/overlay.h"
#include "l3slice/io/ct_reader.h"
#include "support/test_support.h"

TEST(RealCt, MidL3SliceGivesPlausibleAdultValues) {
  const l3::CtScan ct = l3::read_ct(l3::testing::shared_data() / "totalseg-example" / "ct.nii.gz");
  const auto m = l3::measure_body_composition(ct, 74);
  const auto& c = m.composition;
  std::printf("real CT slice 74: SMA %.1f cm2, muscle %.1f HU, VAT %.1f, SAT %.1f, IMAT %.1f, body %.1f cm2\n",
              c.sma_cm2, c.muscle_hu, c.vat_cm2, c.sat_cm2, c.imat_cm2, c.body_cm2);
  if (const char* dir = std::getenv("L3SLICE_BODYCOMP_DEBUG_DIR"))  // the picture to look at, on request
    l3::write_body_composition_png(std::string(dir) + "/real-ct-74.png", m);
  EXPECT_GT(c.sma_cm2, 80);
  EXPECT_LT(c.sma_cm2, 250);
  EXPECT_GT(c.muscle_hu, 15);
  EXPECT_LT(c.muscle_hu, 60);
  EXPECT_GT(c.vat_cm2, 10);
  EXPECT_LT(c.vat_cm2, 400);
  EXPECT_GT(c.sat_cm2, 20);
  EXPECT_LT(c.sat_cm2, 600);
  EXPECT_GT(c.body_cm2, c.sma_cm2 + c.vat_cm2 + c.sat_cm2);
}
