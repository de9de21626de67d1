// Training-free level finding: an atlas made from one phantom finds L3 in other phantoms (which
// share its anatomy), says "not in field of view" when L3 is outside the scan, survives a round
// trip through the atlas file, and refuses damaged atlas files.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <utility>

#include "l3slice/atlas/level_finder.h"
#include "l3slice/core/error.h"
#include "l3slice/phantom/phantom.h"
#include "support/test_support.h"

namespace fs = std::filesystem;

namespace {

// Phantoms with the same bone density as the atlas's (LowBoneDensity varies it).
l3::PhantomOptions options(unsigned seed, double slice_mm, double lo = -150, double hi = 230) {
  l3::PhantomOptions o;
  o.seed = seed;
  o.cancellous_hu = 200.0;
  o.slice_mm = slice_mm;
  o.fov_inferior_mm = lo;
  o.fov_superior_mm = hi;
  return o;
}

const l3::SpineAtlas& phantom_atlas() {
  static const l3::SpineAtlas atlas = [] {
    const auto ph = l3::make_phantom(options(500, 2.0));
    return l3::build_spine_atlas(ph.ct, ph.vertebrae, l3::LevelScheme::verse, "phantom-500");
  }();
  return atlas;
}

}  // namespace

TEST(SpineAtlas, LevelsAreOrderedBodiesWithL3) {
  const auto& a = phantom_atlas();
  const auto* l3 = a.level("L3");
  const auto* l2 = a.level("L2");
  const auto* l4 = a.level("L4");
  ASSERT_TRUE(l3 && l2 && l4);
  EXPECT_LT(l4->hi_mm, l3->lo_mm + 1.0);  // discs between bodies
  EXPECT_LT(l3->hi_mm, l2->lo_mm + 1.0);
  EXPECT_GT(l3->hi_mm - l3->lo_mm, 18.0);  // an adult lumbar body: 20-35 mm
  EXPECT_LT(l3->hi_mm - l3->lo_mm, 40.0);
}

TEST(SpineAtlas, LevelNamesOfBothSchemes) {
  EXPECT_EQ(l3::level_name(l3::LevelScheme::totalsegmentator, 29), "L3");
  EXPECT_EQ(l3::level_name(l3::LevelScheme::totalsegmentator, 32), "T12");
  EXPECT_EQ(l3::level_name(l3::LevelScheme::totalsegmentator, 26), "S1");
  EXPECT_EQ(l3::level_name(l3::LevelScheme::verse, 22), "L3");
  EXPECT_EQ(l3::level_name(l3::LevelScheme::verse, 19), "T12");
  EXPECT_EQ(l3::level_name(l3::LevelScheme::verse, 0), "");
}

TEST(SpineAtlas, FileRoundTripAndDamage) {
  l3::testing::TempDir dir;
  l3::save_spine_atlas(dir / "a.l3a", phantom_atlas());
  EXPECT_TRUE(l3::is_spine_atlas_file(dir / "a.l3a"));
  const auto back = l3::load_spine_atlas(dir / "a.l3a");
  EXPECT_EQ(back.bodies.size(), phantom_atlas().bodies.size());
  EXPECT_EQ(back.projection.rows, phantom_atlas().projection.rows);
  l3::save_spine_atlas(dir / "b.l3a", back);
  EXPECT_EQ(l3::load_spine_atlas(dir / "b.l3a").crc32, back.crc32);  // stable through the rounding

  std::string text = l3::testing::read_text(dir / "a.l3a");
  const auto at = text.find("\"thickness_cmm\":[") + 17;
  text[at] = text[at] == '9' ? '8' : '9';  // one projection value changed
  std::ofstream(dir / "edited.l3a") << text;
  EXPECT_THROW(l3::load_spine_atlas(dir / "edited.l3a"), l3::InputError);
  std::ofstream(dir / "cut.l3a") << text.substr(0, text.size() / 2);
  EXPECT_THROW(l3::load_spine_atlas(dir / "cut.l3a"), l3::InputError);
  EXPECT_FALSE(l3::is_spine_atlas_file(dir / "nothing.l3a"));
}

TEST(LevelFinder, FindsL3InOtherPhantomsWithin6mm) {
  for (unsigned seed : {9000u, 9003u}) {
    for (double slice_mm : {1.5, 3.0, 5.0}) {
      const auto ph = l3::make_phantom(options(seed, slice_mm));
      ASSERT_TRUE(ph.l3_body);
      const auto f = l3::find_levels(ph.ct.hu, phantom_atlas());
      ASSERT_EQ(f.status, l3::LevelStatus::found) << "seed " << seed << ", " << slice_mm << " mm: " << f.reason;
      const double error_mm = std::abs(f.l3->middle() - ph.l3_body->middle()) * slice_mm;
      EXPECT_LE(error_mm, 6.0) << "seed " << seed << ", " << slice_mm << " mm";
      EXPECT_EQ(f.level_per_slice[std::size_t(ph.l3_body->middle())], "L3");
      EXPECT_GT(f.confidence, 0.5);
    }
  }
}

// Older patients' cancellous bone (about 110 HU in the shared real CT) falls below the projection's
// 200 HU: only cortex and posterior elements remain, and the level must still come out right.
TEST(LevelFinder, LowBoneDensity) {
  for (unsigned seed : {9000u, 9003u}) {
    l3::PhantomOptions o = options(seed, 3.0);
    o.cancellous_hu = 110.0;
    const auto ph = l3::make_phantom(o);
    const auto f = l3::find_levels(ph.ct.hu, phantom_atlas());
    ASSERT_EQ(f.status, l3::LevelStatus::found) << "seed " << seed << ": " << f.reason;
    std::printf("seed %u: error %+d slices, ncc %.3f\n", seed, f.l3->middle() - ph.l3_body->middle(), f.best.ncc);
    EXPECT_LE(std::abs(f.l3->middle() - ph.l3_body->middle()) * 3.0, 6.0) << "seed " << seed;
  }
}

// A scoliotic lumbar curve (Cobb 35 degrees either way) bows the spine about 30 mm: the registration
// bends x along z to follow it, with and without the pelvis in view. Without the bend, the scan
// without the pelvis is not matched.
TEST(LevelFinder, ScoliosisIsFollowedByBendingTheAtlas) {
  for (double cobb : {35.0, -35.0}) {
    for (double lo : {-150.0, -60.0}) {
      l3::PhantomOptions o = options(9000, 3.0, lo);
      o.scoliosis_cobb_deg = cobb;
      const auto ph = l3::make_phantom(o);
      const auto f = l3::find_levels(ph.ct.hu, phantom_atlas());
      ASSERT_EQ(f.status, l3::LevelStatus::found) << "Cobb " << cobb << ", from " << lo << " mm: " << f.reason;
      EXPECT_LE(std::abs(f.l3->middle() - ph.l3_body->middle()) * 3.0, 6.0) << "Cobb " << cobb << ", from " << lo << " mm";
      EXPECT_GT(std::abs(f.best.transform.bend_x_mm), 5.0);
    }
  }
  l3::PhantomOptions o = options(9000, 3.0, -60.0);
  o.scoliosis_cobb_deg = 35.0;
  l3::LevelFinderOptions straight;
  straight.registration.max_bend_mm = 0.0;
  EXPECT_NE(l3::find_levels(l3::make_phantom(o).ct.hu, phantom_atlas(), straight).status, l3::LevelStatus::found);
}

// A scan whose true z scale lies outside the allowed range is fitted at the range's limit: such an
// alignment is "uncertain", not found (on tuning phantoms 5 of 6 were 6-23 slices off). The phantom
// matches the phantom atlas at a z scale near 1.0; allowed 1.10-1.20 here, it stops at 1.10.
TEST(LevelFinder, AlignmentStoppedByTheScaleLimitIsUncertain) {
  const auto ph = l3::make_phantom(options(9000, 3.0));
  l3::LevelFinderOptions o;
  o.registration.min_scale = 1.10;
  o.registration.max_scale = 1.20;
  const auto f = l3::find_levels(ph.ct.hu, phantom_atlas(), o);
  EXPECT_EQ(f.status, l3::LevelStatus::uncertain) << f.reason;
  EXPECT_NEAR(f.best.transform.scale_z, 1.10, o.scale_limit_margin);
  EXPECT_NE(f.reason.find("limit"), std::string::npos) << f.reason;
  o.scale_limit_margin = 0.0;  // off: the same alignment is taken as found
  EXPECT_EQ(l3::find_levels(ph.ct.hu, phantom_atlas(), o).status, l3::LevelStatus::found);
  // Within the default range the fit is not at a limit.
  const auto d = l3::find_levels(ph.ct.hu, phantom_atlas());
  ASSERT_EQ(d.status, l3::LevelStatus::found) << d.reason;
  EXPECT_GT(d.best.transform.scale_z, l3::RegistrationOptions{}.min_scale + 0.01);
  EXPECT_LT(d.best.transform.scale_z, l3::RegistrationOptions{}.max_scale - 0.01);
}

TEST(Registration, TheAnswerDoesNotDependOnTheThreadCount) {
  const auto ph = l3::make_phantom(options(9003, 3.0));
  const auto scan = l3::coronal_bone_projection(ph.ct.hu, phantom_atlas().projection_options);
  const double l3_mm = phantom_atlas().level("L3")->middle_mm();
  l3::RegistrationOptions one, two;
  one.threads = 1;
  two.threads = 2;
  const auto a = l3::register_projection(scan, phantom_atlas().projection, l3_mm, one);
  const auto b = l3::register_projection(scan, phantom_atlas().projection, l3_mm, two);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].ncc, b[i].ncc);
    EXPECT_EQ(a[i].transform.shift_z_mm, b[i].transform.shift_z_mm);
    EXPECT_EQ(a[i].transform.bend_x_mm, b[i].transform.bend_x_mm);
  }
}

TEST(LevelFinder, L3OutsideTheScanIsNotInView) {
  // Chest down to T12, and pelvis up to the L4 body: L3 is not in either.
  for (auto [lo, hi] : {std::pair{60.0, 230.0}, std::pair{-150.0, -30.0}}) {
    const auto ph = l3::make_phantom(options(9001, 3.0, lo, hi));
    ASSERT_FALSE(ph.l3_body);
    const auto f = l3::find_levels(ph.ct.hu, phantom_atlas());
    EXPECT_EQ(f.status, l3::LevelStatus::not_in_view) << lo << ".." << hi << " mm";
    EXPECT_FALSE(f.reason.empty());
  }
}

TEST(LevelFinder, NoBoneIsNotInView) {
  l3::Grid g;
  g.size = {64, 64, 60};
  g.spacing = {4, 4, 3};
  const l3::HuImage water(g, int16_t(0));
  const auto f = l3::find_levels(water, phantom_atlas());
  EXPECT_EQ(f.status, l3::LevelStatus::not_in_view);
}

TEST(SlicesWithin, CentresInsideTheExtent) {
  const auto r = l3::slices_within(4.0, 20.0, 3.0, 10);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, 2);
  EXPECT_EQ(r->last, 6);
  EXPECT_FALSE(l3::slices_within(-9.0, -1.0, 3.0, 10));
  EXPECT_EQ(l3::slices_within(-9.0, 100.0, 3.0, 10)->last, 9);
}
