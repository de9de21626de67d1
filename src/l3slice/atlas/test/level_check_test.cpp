// The level check: a level-counting sequence network carried by the bundled atlas, asked about
// every answer. Its file round trip, and the ways it changes an answer: a found L3 the check puts
// a vertebra away becomes "uncertain", an uncertain one it settles, "not in field of view" where it
// sees L3 becomes "uncertain", and where the scan's discs argue against the atlas they are looked
// for again around the check's L3.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bundled_atlas.h"
#include "held_out_phantom.h"
#include "l3slice/atlas/level_finder.h"
#include "l3slice/core/error.h"
#include "l3slice/phantom/phantom.h"
#include "support/test_support.h"

namespace {

// The bundled atlas's finding with its level check switched off.
l3::LevelFinding without_check(const l3::Phantom& ph) {
  l3::LevelFinderOptions off;
  off.use_level_check = false;
  return l3::find_levels(ph.ct.hu, bundled_atlas(), off);
}
l3::LevelStatus status_without_check(const l3::Phantom& ph) { return without_check(ph).status; }

}  // namespace

TEST(LevelCheck, BundledAtlasCarriesOneAndItsFileRoundTripsExactly) {
  ASSERT_TRUE(bundled_atlas().level_check);
  const l3::LevelCheck& c = *bundled_atlas().level_check;
  EXPECT_GT(c.weights.size(), 100000u);
  EXPECT_EQ(c.crc32, l3::level_check_crc32(c));
  l3::testing::TempDir dir;
  const auto path = dir / "a.l3q";
  l3::save_level_check(path, c);
  const l3::LevelCheck back = l3::load_level_check(path);
  EXPECT_EQ(back.weights, c.weights);
  EXPECT_EQ(back.crc32, c.crc32);
  EXPECT_EQ(back.settings, c.settings);
  // One weight edited (a hex digit changed): refused by the CRC, with the file named.
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  std::string s = text.str();
  const auto at = s.find("\"weights_f32_hex\":\"") + 30;
  s[at] = s[at] == '0' ? '1' : '0';
  std::ofstream(path) << s;
  try {
    l3::load_level_check(path);
    ADD_FAILURE() << "an edited level check loaded";
  } catch (const l3::InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
  }
  std::ofstream(path) << s.substr(0, s.size() / 2);  // truncated
  EXPECT_THROW(l3::load_level_check(path), l3::InputError);
}

TEST(LevelCheck, AtlasFileKeepsItAndItsCrcCountsIt) {
  l3::testing::TempDir dir;
  const auto path = dir / "b.l3a";
  l3::save_spine_atlas(path, bundled_atlas());
  const l3::SpineAtlas back = l3::load_spine_atlas(path);
  ASSERT_TRUE(back.level_check);
  EXPECT_EQ(back.level_check->weights, bundled_atlas().level_check->weights);
  EXPECT_EQ(back.crc32, bundled_atlas().crc32);
  l3::SpineAtlas without = bundled_atlas();
  without.level_check.reset();
  EXPECT_NE(l3::atlas_crc32(without), bundled_atlas().crc32);
}

TEST(LevelCheck, AgreesWithTheAtlasOnAPhantomItFindsRight) {
  const l3::Phantom ph = held_out_phantom(9003);  // held-out set 9000 (3 mm); the check trains on seeds 20000+
  ASSERT_TRUE(ph.l3_body);
  const auto f = l3::find_levels(ph.ct.hu, bundled_atlas());
  ASSERT_EQ(f.status, l3::LevelStatus::found) << f.reason;
  EXPECT_LE(std::abs(f.l3->middle() - ph.l3_body->middle()), 2);
  ASSERT_TRUE(f.level_check);
  EXPECT_EQ(f.level_check_verdict, "agrees");
  EXPECT_TRUE(f.level_check->in_view);
  EXPECT_LE(std::abs(f.level_check->l3_middle_mm - ph.l3_body->middle() * 3.0), 6.0);
}

TEST(LevelCheck, VotesOnItsOwnProjectionWhenTheAtlasUsesOtherOptions) {
  // An atlas made with another bone threshold: the check still sees the projection it was trained on.
  const l3::Phantom ph = held_out_phantom(9003);
  l3::SpineAtlas other = bundled_atlas();
  other.projection_options.threshold_hu = 199.0;
  const auto a = l3::find_levels(ph.ct.hu, bundled_atlas()), b = l3::find_levels(ph.ct.hu, other);
  ASSERT_TRUE(a.level_check && b.level_check);
  EXPECT_EQ(b.level_check->l3_middle_mm, a.level_check->l3_middle_mm);
  EXPECT_EQ(b.level_check->rows_near, a.level_check->rows_near);
}

TEST(LevelCheck, AnAtlasLabelledOneVertebraOffIsFlagged) {
  // The atlas's levels shifted by one vertebra (its L4 body called L3): the registration is the
  // same, its answer a vertebra low, and the check, which does not read the atlas's labels, disagrees.
  l3::SpineAtlas shifted = bundled_atlas();
  shifted.tie_breakers.clear();
  const l3::LevelExtent l4 = *shifted.level("L4");
  for (auto& b : shifted.bodies)
    if (b.name == "L3") b.lo_mm = l4.lo_mm, b.hi_mm = l4.hi_mm;
  const l3::Phantom ph = held_out_phantom(9004);
  l3::LevelFinderOptions off;
  off.use_level_check = false;
  const auto unchecked = l3::find_levels(ph.ct.hu, shifted, off);
  ASSERT_EQ(unchecked.status, l3::LevelStatus::found) << unchecked.reason;
  EXPECT_LT(unchecked.l3->middle() - ph.l3_body->middle(), -6);  // a vertebra low
  const auto checked = l3::find_levels(ph.ct.hu, shifted);
  EXPECT_EQ(checked.status, l3::LevelStatus::uncertain) << checked.reason;
  EXPECT_EQ(checked.level_check_verdict, "disagrees");
  EXPECT_NE(checked.reason.find("level check"), std::string::npos) << checked.reason;
  EXPECT_LE(checked.confidence, 0.25);
}

TEST(LevelCheck, SettlesAnUncertainAnswer) {
  // Held-out phantom 7027: two alignments of the atlas match almost equally and the phantom
  // tie-breakers agree with neither; the check lies near the runner-up, which is right.
  const l3::Phantom ph = held_out_phantom(7027);
  ASSERT_TRUE(ph.l3_body);
  ASSERT_EQ(status_without_check(ph), l3::LevelStatus::uncertain);
  const auto f = l3::find_levels(ph.ct.hu, bundled_atlas());
  ASSERT_EQ(f.status, l3::LevelStatus::found) << f.reason;
  EXPECT_EQ(f.level_check_verdict, "chose alternative");
  EXPECT_LE(std::abs(f.l3->middle() - ph.l3_body->middle()), 1);
  EXPECT_LE(f.confidence, 0.5);
  EXPECT_NE(f.reason.find("settled by level check"), std::string::npos) << f.reason;
}

// Half a vertebra off, the atlas's answer lies 20 mm from the check's, inside the loose tolerance;
// but a disc it maps next to L3 is missing, so the check must agree within 12 mm. Held-out phantom
// 9038: it does not, and lies near the atlas's runner-up, which is right; tuning phantom 5046: it
// lies near neither alignment, and the answer stays "uncertain".
TEST(LevelCheck, HalfAVertebraOffWhereADiscIsMissing) {
  for (unsigned seed : {9038u, 5046u}) {
    const l3::Phantom ph = held_out_phantom(seed);
    ASSERT_TRUE(ph.l3_body);
    const auto unchecked = without_check(ph);
    ASSERT_EQ(unchecked.status, l3::LevelStatus::found) << seed << ": " << unchecked.reason;
    EXPECT_LE(unchecked.l3->middle() - ph.l3_body->middle(), -5) << seed;  // half a vertebra low
    ASSERT_TRUE(unchecked.discs && unchecked.discs->doubts.disc_missing) << seed << ": " << unchecked.reason;
    const auto f = l3::find_levels(ph.ct.hu, bundled_atlas());
    ASSERT_TRUE(f.level_check && f.level_check->any()) << seed;
    EXPECT_GT(std::abs(f.level_check->l3_middle_mm - unchecked.l3_middle_mm), l3::LevelFinderOptions{}.level_check_tolerance_discs_against_mm);
    EXPECT_LT(std::abs(f.level_check->l3_middle_mm - unchecked.l3_middle_mm), l3::LevelFinderOptions{}.level_check_tolerance_mm);
    if (seed == 9038u) {
      ASSERT_EQ(f.status, l3::LevelStatus::found) << f.reason;
      EXPECT_EQ(f.level_check_verdict, "chose alternative");
      EXPECT_LE(std::abs(f.l3->middle() - ph.l3_body->middle()), 1);
      EXPECT_LE(f.confidence, 0.5);
    } else {
      EXPECT_EQ(f.status, l3::LevelStatus::uncertain) << f.reason;
      EXPECT_EQ(f.level_check_verdict, "disagrees");
      EXPECT_NE(f.reason.find("the discs argue against it"), std::string::npos) << f.reason;
    }
  }
}

// Held-out phantom 19031: the atlas maps L3 9 mm low and the dips it finds there are not one
// vertebra apart. Looked for again around the check's L3, two clear discs one vertebra apart put
// the answer on its slice.
TEST(LevelCheck, DiscsAreLookedForAgainAroundItsL3WhereTheyArgueAgainstTheAtlas) {
  const l3::Phantom ph = held_out_phantom(19031);
  ASSERT_TRUE(ph.l3_body);
  const auto unchecked = without_check(ph);
  ASSERT_EQ(unchecked.status, l3::LevelStatus::found) << unchecked.reason;
  EXPECT_LE(unchecked.l3->middle() - ph.l3_body->middle(), -3);
  ASSERT_TRUE(unchecked.discs && unchecked.discs->doubts.dips_misspaced) << unchecked.reason;
  EXPECT_FALSE(unchecked.discs->searched_near_mm);
  const auto f = l3::find_levels(ph.ct.hu, bundled_atlas());
  ASSERT_EQ(f.status, l3::LevelStatus::found) << f.reason;
  EXPECT_LE(std::abs(f.l3->middle() - ph.l3_body->middle()), 1);
  ASSERT_TRUE(f.discs && f.discs->searched_near_mm && f.level_check);
  EXPECT_EQ(*f.discs->searched_near_mm, f.level_check->l3_middle_mm);
  EXPECT_TRUE(f.discs->applied);
  EXPECT_TRUE(f.discs->doubts.dips_misspaced);  // still recorded: where the atlas maps them, they argue against it
  EXPECT_EQ(f.level_check_verdict, "agrees");
  EXPECT_LE(f.confidence, 0.5);
  EXPECT_NE(f.reason.find("looked for around the level check's L3"), std::string::npos) << f.reason;
}

// Held-out phantom 27033: the atlas maps the L3 middle onto the L3-L4 disc, 21 mm low; the body's
// rows found there fall on the posterior elements, whose gaps (about 10 mm below the discs) pass
// for two clear discs that would move the middle 11 mm, too far to trust. Taken as the atlas
// mapped it, the answer was 7 slices low; such discs argue against the alignment, so the check
// (22 mm above) must agree within 12 mm. It does not, and it settles on the atlas's runner-up.
TEST(LevelCheck, DiscsTooFarFromTheAtlasArgueAgainstIt) {
  const l3::Phantom ph = held_out_phantom(27033);
  ASSERT_TRUE(ph.l3_body);
  const auto unchecked = without_check(ph);
  ASSERT_EQ(unchecked.status, l3::LevelStatus::found) << unchecked.reason;
  EXPECT_LE(unchecked.l3->middle() - ph.l3_body->middle(), -5);
  ASSERT_TRUE(unchecked.discs && unchecked.discs->doubts.discs_too_far) << unchecked.reason;
  EXPECT_FALSE(unchecked.discs->applied);
  const auto f = l3::find_levels(ph.ct.hu, bundled_atlas());
  ASSERT_EQ(f.status, l3::LevelStatus::found) << f.reason;
  EXPECT_LE(std::abs(f.l3->middle() - ph.l3_body->middle()), 1);
  EXPECT_EQ(f.level_check_verdict, "chose alternative");
  EXPECT_LE(f.confidence, 0.5);
}

// Four lumbar vertebrae (held-out phantom 9010): the atlas counts from the pelvis and takes L2 for
// L3, a vertebra high. The check, pulled towards the ribs' count, lies about 20 mm below it: inside
// the tolerance above the atlas (where the check sits on real CT), outside the one below.
TEST(LevelCheck, FourLumbarVertebraeCountedFromThePelvisBecomeUncertain) {
  const l3::Phantom ph = held_out_phantom(9010);
  ASSERT_TRUE(ph.l3_body);
  ASSERT_EQ(ph.options.lumbar_vertebrae, 4);
  const auto unchecked = without_check(ph);
  ASSERT_EQ(unchecked.status, l3::LevelStatus::found) << unchecked.reason;
  EXPECT_GE(unchecked.l3->middle() - ph.l3_body->middle(), 8);  // a vertebra high
  const auto f = l3::find_levels(ph.ct.hu, bundled_atlas());
  ASSERT_TRUE(f.level_check && f.level_check->any());
  const double offset = f.level_check->l3_middle_mm - unchecked.l3_middle_mm;
  const l3::LevelFinderOptions defaults;
  EXPECT_LT(offset, -defaults.level_check_tolerance_below_mm);
  EXPECT_GT(offset, -defaults.level_check_tolerance_mm);
  EXPECT_EQ(f.status, l3::LevelStatus::uncertain) << f.reason;
  EXPECT_EQ(f.level_check_verdict, "disagrees");
  EXPECT_NE(f.reason.find("mm above it"), std::string::npos) << f.reason;
}

TEST(LevelCheck, FalseL3NearTheScanEndBecomesUncertain) {
  // Held-out phantom 7022: L3 is not in view (six lumbar vertebrae); the atlas takes L4 for L3 at
  // the scan's end, and both of its rankings agree. The check puts L3 below the scan.
  const l3::Phantom ph = held_out_phantom(7022);
  ASSERT_FALSE(ph.l3_body);
  ASSERT_EQ(status_without_check(ph), l3::LevelStatus::found);
  const auto f = l3::find_levels(ph.ct.hu, bundled_atlas());
  EXPECT_EQ(f.status, l3::LevelStatus::uncertain) << f.reason;
  EXPECT_EQ(f.level_check_verdict, "disagrees");
  ASSERT_TRUE(f.level_check);
  EXPECT_FALSE(f.level_check->in_view);
}

TEST(LevelCheck, SeesL3WhereTheAtlasSaysNotInFieldOfView) {
  // Held-out phantom 9045: its scan starts at L4, without the pelvis. The real atlas alone, ranked
  // by plain NCC (the coverage cross-check off), slides a vertebra low and puts L3 outside the scan.
  const l3::Phantom ph = held_out_phantom(9045);
  ASSERT_TRUE(ph.l3_body);
  l3::SpineAtlas alone = bundled_atlas();
  alone.tie_breakers.clear();
  l3::LevelFinderOptions o;
  o.coverage_check_weight = 0.0;
  o.use_level_check = false;
  ASSERT_EQ(l3::find_levels(ph.ct.hu, alone, o).status, l3::LevelStatus::not_in_view);
  o.use_level_check = true;
  const auto f = l3::find_levels(ph.ct.hu, alone, o);
  EXPECT_EQ(f.status, l3::LevelStatus::uncertain) << f.reason;
  EXPECT_EQ(f.level_check_verdict, "sees L3");
  ASSERT_TRUE(f.level_check);
  EXPECT_LE(std::abs(f.level_check->l3_middle_mm - ph.l3_body->middle() * 3.0), 12.0);
}

TEST(LevelCheck, ScanWithoutL3StaysNotInFieldOfView) {
  const l3::Phantom ph = held_out_phantom(9000);  // no L3 in view
  ASSERT_FALSE(ph.l3_body);
  const auto f = l3::find_levels(ph.ct.hu, bundled_atlas());
  EXPECT_EQ(f.status, l3::LevelStatus::not_in_view) << f.reason;
  EXPECT_EQ(f.level_check_verdict, "agrees");
}
