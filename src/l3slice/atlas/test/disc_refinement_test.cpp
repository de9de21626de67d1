// The discs next to L3 centre the atlas's answer on the scan's own body: from a mapped body a few mm
// off either way, the refined middle is the true one; without clear discs, or farther off than a
// fraction of a body, nothing moves. With the bundled real atlas, phantoms land on their middle slice.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "bundled_atlas.h"
#include "l3slice/atlas/disc_refinement.h"
#include "l3slice/atlas/level_finder.h"
#include "l3slice/atlas/spine_atlas.h"
#include "l3slice/core/slice_run.h"
#include "l3slice/phantom/phantom.h"

namespace {

struct Case {
  l3::Phantom phantom;
  l3::MappedDiscs truth;        // the discs' and L3's true middles (mm above slice 0's centre)
  std::vector<double> spine_x;  // the phantom's midline, every slice
};

// A vertebral body label's first and last slices, as the body's edges in mm.
std::pair<double, double> body_edges_mm(const l3::LabelImage& bodies, uint16_t label) {
  const auto run = l3::span_of(l3::slices_with_label(bodies, label));
  const double dz = bodies.grid.spacing[2];
  return {(run->first - 0.5) * dz, (run->last + 0.5) * dz};
}

Case phantom_case(double slice_mm, double cancellous_hu = 200) {
  l3::PhantomOptions o;
  o.seed = 9003;
  o.slice_mm = slice_mm;
  o.cancellous_hu = cancellous_hu;
  o.fov_inferior_mm = -150;
  o.fov_superior_mm = 230;
  Case c;
  c.phantom = l3::make_phantom(o);
  const auto& bodies = c.phantom.vertebral_bodies;
  const auto l4 = body_edges_mm(bodies, l3::verse::L4), l3b = body_edges_mm(bodies, l3::verse::L3),
             l2 = body_edges_mm(bodies, l3::verse::L2);
  c.truth = {(l4.second + l3b.first) / 2, (l3b.second + l2.first) / 2, (l3b.first + l3b.second) / 2};
  const auto& g = c.phantom.ct.hu.grid;
  c.spine_x.assign(std::size_t(g.size[2]), (g.size[0] - 1) * g.spacing[0] / 2);
  return c;
}

l3::MappedDiscs shifted(const Case& c, double off_mm) {
  return {c.truth.lower_mm + off_mm, c.truth.upper_mm + off_mm, c.truth.middle_mm + off_mm};
}

}  // namespace

TEST(DiscRefinement, CentresAMappedBodyThatIsAFewMillimetresOff) {
  for (double slice_mm : {1.0, 3.0, 5.0}) {
    const Case c = phantom_case(slice_mm);
    for (double off : {-7.0, -3.0, 3.0, 7.0}) {
      const auto r = l3::refine_by_discs(c.phantom.ct.hu, shifted(c, off), c.spine_x);
      ASSERT_TRUE(r.applied) << slice_mm << " mm slices, " << off << " mm off: " << r.reason;
      // Within a third of a slice (plus a millimetre for the discs' own sampling).
      EXPECT_NEAR(r.middle_mm, c.truth.middle_mm, slice_mm / 3 + 1.0) << slice_mm << " mm slices, " << off << " mm off";
      EXPECT_NEAR(r.lower_disc_mm, c.truth.lower_mm, slice_mm / 2 + 1.0);
      EXPECT_NEAR(r.upper_disc_mm, c.truth.upper_mm, slice_mm / 2 + 1.0);
      EXPECT_GT(std::min(r.lower_dip_hu, r.upper_dip_hu), 25.0);
      EXPECT_FALSE(r.doubts.disc_missing);
    }
  }
}

// Osteoporotic bone (cancellous 110 HU, as in the shared real CT, and 90 HU) still shows its discs.
// At 90 HU the body's rows average just under the 90 HU threshold, and with that threshold alone the
// column fell on the posterior elements, whose gaps lie about 10 mm below the discs.
TEST(DiscRefinement, LowBoneDensity) {
  for (double cancellous : {110.0, 90.0}) {
    const Case c = phantom_case(3.0, cancellous);
    const auto r = l3::refine_by_discs(c.phantom.ct.hu, shifted(c, 4), c.spine_x);
    ASSERT_TRUE(r.applied) << cancellous << " HU: " << r.reason;
    EXPECT_NEAR(r.middle_mm, c.truth.middle_mm, 2.0) << cancellous << " HU";
  }
  const Case c = phantom_case(3.0, 90.0);
  l3::DiscRefinementOptions dense_only;
  dense_only.osteoporotic_body_threshold_hu = dense_only.body_threshold_hu;
  const auto r = l3::refine_by_discs(c.phantom.ct.hu, shifted(c, 4), c.spine_x, dense_only);
  EXPECT_FALSE(r.applied && std::abs(r.middle_mm - c.truth.middle_mm) <= 2.0) << r.reason;
}

TEST(DiscRefinement, NeverMovesFartherThanItsLimit) {
  const Case c = phantom_case(3.0);
  const double span = c.truth.upper_mm - c.truth.lower_mm;
  l3::DiscRefinementOptions o;
  int too_far = 0;
  for (double off : {-17.0, -13.0, 13.0, 17.0}) {
    const auto r = l3::refine_by_discs(c.phantom.ct.hu, shifted(c, off), c.spine_x, o);
    const double mapped = c.truth.middle_mm + off;
    EXPECT_LE(std::abs(r.middle_mm - mapped), o.max_shift_fraction * span + 1e-9) << off << ": " << r.reason;
    if (!r.applied) {
      EXPECT_EQ(r.middle_mm, mapped);
    }
    // Clear discs one vertebra apart that would move it farther argue against the alignment.
    EXPECT_EQ(r.doubts.discs_too_far, r.reason.find("too far to trust") != std::string::npos) << off << ": " << r.reason;
    too_far += r.doubts.discs_too_far;
  }
  EXPECT_GE(too_far, 1);
}

// Every slice a copy of the L3 middle's: bone all the way, nothing to centre on.
Case all_bone_case() {
  Case c = phantom_case(3.0);
  auto& hu = c.phantom.ct.hu;
  const int middle = c.phantom.l3_body->middle();
  for (int z = 0; z < hu.grid.size[2]; ++z)
    std::copy(hu.slice(middle), hu.slice(middle) + hu.grid.slice_voxels(), hu.slice(z));
  return c;
}

// Where no disc is, nothing moves, and the discs the atlas maps are reported missing (the level
// finder's sign of an alignment that puts a disc inside a body).
TEST(DiscRefinement, NoDiscsNoChange) {
  const Case c = all_bone_case();
  const auto r = l3::refine_by_discs(c.phantom.ct.hu, shifted(c, 3), c.spine_x);
  EXPECT_FALSE(r.applied) << r.reason;
  EXPECT_DOUBLE_EQ(r.middle_mm, c.truth.middle_mm + 3);
  EXPECT_FALSE(r.reason.empty());
  EXPECT_TRUE(r.doubts.disc_missing);
}

// A disc is missing only where the scan holds its whole neighbourhood: a scan that ends within a
// few mm of both discs cannot show them, and says nothing against the alignment.
TEST(DiscRefinement, DiscsAtTheScansEndsAreNotMissing) {
  const Case c = all_bone_case();
  const auto& full = c.phantom.ct.hu;
  const double dz = full.grid.spacing[2];
  const int first = int(std::lround((c.truth.lower_mm - 6.0) / dz)), last = int(std::lround((c.truth.upper_mm + 6.0) / dz));
  const l3::HuImage cut = l3::axial_slab(full, first, last);
  const std::vector<double> spine_x(c.spine_x.begin() + first, c.spine_x.begin() + last + 1);
  const auto r = l3::refine_by_discs(cut, shifted(c, -first * dz), spine_x);
  EXPECT_FALSE(r.applied);
  EXPECT_FALSE(r.doubts.disc_missing) << r.reason;
}

TEST(DiscRefinement, NoBodyInTheColumnNoChange) {
  Case c = phantom_case(3.0);
  std::vector<double> beside(c.spine_x.size(), c.spine_x[0] + 120.0);  // 12 cm lateral: no spine there
  const auto r = l3::refine_by_discs(c.phantom.ct.hu, c.truth, beside);
  EXPECT_FALSE(r.applied);
  EXPECT_NE(r.reason.find("no vertebral body"), std::string::npos) << r.reason;
}

// The bundled real atlas (s0328) maps L3 a few mm off on phantoms, whose bodies and discs differ a
// little from that patient's; the discs bring it onto the phantom's own L3 middle slice.
TEST(DiscRefinement, TheRealAtlasOnPhantomsLandsOnTheMiddleSlice) {
  const l3::SpineAtlas& atlas = bundled_atlas();
  for (unsigned seed : {9006u, 9011u, 9013u, 9020u}) {
    l3::PhantomOptions o = l3::random_phantom_options(seed);
    o.slice_mm = 3.0;
    const auto ph = l3::make_phantom(o);
    ASSERT_TRUE(ph.l3_body);
    const auto f = l3::find_levels(ph.ct.hu, atlas);
    ASSERT_EQ(f.status, l3::LevelStatus::found) << seed << ": " << f.reason;
    ASSERT_TRUE(f.discs && f.discs->applied) << seed;
    const double true_middle_mm = (ph.l3_body->first + ph.l3_body->last) / 2.0 * o.slice_mm;  // slice centres
    EXPECT_NEAR(f.l3_middle_mm, true_middle_mm, 2.0) << seed << ": " << f.discs->reason;
    EXPECT_LE(std::abs(f.l3->middle() - ph.l3_body->middle()), 1) << seed;
  }
}

// Like the bundled atlas's source scan: every voxel under 200 HU set to 0. No disc tissue is left,
// so nothing moves.
TEST(DiscRefinement, BoneOnlyVolumeIsLeftAsMapped) {
  Case c = phantom_case(3.0);
  for (auto& v : c.phantom.ct.hu.voxels)
    if (v < 200) v = 0;
  const auto r = l3::refine_by_discs(c.phantom.ct.hu, shifted(c, 4), c.spine_x);
  EXPECT_FALSE(r.applied);
  EXPECT_NE(r.reason.find("bone-only"), std::string::npos) << r.reason;
  EXPECT_DOUBLE_EQ(r.middle_mm, c.truth.middle_mm + 4);
}


// Mapped 10-25 mm off, the two deepest points near the mapped discs can be a disc and a body's
// middle, not one vertebra apart: that too argues against the alignment. Never a few mm off.
TEST(DiscRefinement, DipsNotOneVertebraApartArgueAgainstTheAlignment) {
  const Case c = phantom_case(3.0);
  int misspaced = 0;
  for (double off = -25; off <= 25; off += 2) {
    const auto r = l3::refine_by_discs(c.phantom.ct.hu, shifted(c, off), c.spine_x);
    EXPECT_EQ(r.argues_against_alignment(), r.doubts.disc_missing || r.doubts.dips_misspaced || r.doubts.discs_too_far);
    if (std::abs(off) <= 3) {
      EXPECT_FALSE(r.argues_against_alignment()) << off << ": " << r.reason;
    }
    if (!r.doubts.dips_misspaced) continue;
    ++misspaced;
    EXPECT_GE(std::abs(off), 10) << r.reason;
    EXPECT_FALSE(r.applied);
    EXPECT_NE(r.reason.find("not the discs of one vertebra"), std::string::npos) << r.reason;
  }
  EXPECT_GE(misspaced, 2);
}
