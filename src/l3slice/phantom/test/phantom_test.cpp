#include "l3slice/phantom/phantom.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "l3slice/core/error.h"

namespace l3 {
namespace {

// Small, fast options: half the matrix, same field of view.
PhantomOptions small_options(unsigned seed = 3) {
  PhantomOptions o;
  o.seed = seed;
  return with_matrix(o, 64);
}

std::vector<uint8_t> slices_with(const LabelImage& labels, int value) {
  std::vector<uint8_t> flags(labels.grid.size[2], 0);
  for (int z = 0; z < labels.grid.size[2]; ++z) {
    const uint16_t* s = labels.slice(z);
    flags[z] = std::count(s, s + labels.grid.slice_voxels(), uint16_t(value)) > 0;
  }
  return flags;
}

// Bone voxels that belong to no vertebra (ribs, sternum, pelvis) on slice z, at |x| > min_x_mm.
int loose_bone(const Phantom& p, int z, double min_x_mm) {
  const Grid& g = p.ct.hu.grid;
  int count = 0;
  for (int y = 0; y < g.size[1]; ++y)
    for (int x = 0; x < g.size[0]; ++x) {
      const double x_mm = (x - 0.5 * (g.size[0] - 1)) * g.spacing[0];
      if (Tissue(p.tissues.at(x, y, z)) == Tissue::bone && p.vertebrae.at(x, y, z) == 0 && std::abs(x_mm) > min_x_mm)
        ++count;
    }
  return count;
}

// Bone voxels that belong to no vertebra on slice z, at min_x_mm < |x| < max_x_mm.
int loose_bone_between(const Phantom& p, int z, double min_x_mm, double max_x_mm) {
  return loose_bone(p, z, min_x_mm) - loose_bone(p, z, max_x_mm);
}

int count_tissue(const Phantom& p, int z, Tissue t) {
  const uint8_t* s = p.tissues.slice(z);
  return int(std::count(s, s + p.tissues.grid.slice_voxels(), uint8_t(t)));
}

// The default phantom (T8 to below S1, 3 mm slices), built once for the anatomy tests.
class PhantomAnatomy : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { phantom_ = new Phantom(make_phantom(PhantomOptions{})); }
  static void TearDownTestSuite() {
    delete phantom_;
    phantom_ = nullptr;
  }
  static const Phantom& phantom() { return *phantom_; }
  static SliceRun body_run(int label) {
    const auto run = span_of(slices_with(phantom().vertebral_bodies, label));
    EXPECT_TRUE(run.has_value()) << "no vertebral body " << label;
    return run.value_or(SliceRun{0, 0});
  }

 private:
  static inline Phantom* phantom_ = nullptr;
};

TEST(Phantom, SameSeedGivesSameVoxels) {
  PhantomOptions o = small_options(11);
  o.fov_inferior_mm = -40;
  o.fov_superior_mm = 40;
  const Phantom a = make_phantom(o), b = make_phantom(o);
  EXPECT_EQ(a.ct.hu.voxels, b.ct.hu.voxels);
  EXPECT_EQ(a.tissues.voxels, b.tissues.voxels);
  EXPECT_EQ(a.vertebrae.voxels, b.vertebrae.voxels);
  EXPECT_EQ(a.vertebral_bodies.voxels, b.vertebral_bodies.voxels);

  o.seed = 12;
  const Phantom c = make_phantom(o);
  EXPECT_NE(a.ct.hu.voxels, c.ct.hu.voxels);
  EXPECT_NE(a.tissues.voxels, c.tissues.voxels) << "anatomy, not only noise, should vary with the seed";
}

TEST(Phantom, GridAndSlicesFollowOptions) {
  PhantomOptions o = small_options();
  o.slice_mm = 2.5;
  o.fov_inferior_mm = -50;
  o.fov_superior_mm = 50;
  const Phantom p = make_phantom(o);
  const Grid& g = p.ct.hu.grid;
  EXPECT_EQ(g.size[0], 64);
  EXPECT_EQ(g.size[2], 41);
  EXPECT_DOUBLE_EQ(g.spacing[2], 2.5);
  EXPECT_DOUBLE_EQ(g.spacing[0], o.pixel_mm);
  EXPECT_DOUBLE_EQ(g.origin[2], -50.0);
  ASSERT_EQ(p.ct.slices.size(), 41u);
  for (int k = 0; k < 41; ++k) {
    EXPECT_EQ(p.ct.slices[k].file_index, k);
    EXPECT_DOUBLE_EQ(p.ct.slices[k].z_mm, -50.0 + 2.5 * k);
  }
  EXPECT_EQ(p.ct.format, "phantom");
  EXPECT_TRUE(p.tissues.grid.same_as(g));
  EXPECT_TRUE(p.vertebrae.grid.same_as(g));
}

TEST_F(PhantomAnatomy, OneBodyPerLevelInOrderWithPlausibleHeights) {
  const double slice = phantom().options.slice_mm;
  std::vector<int> labels{verse::sacrum};
  for (int l = verse::L5; l >= verse::T8; --l) labels.push_back(l);
  int previous_last = -1;
  for (int label : labels) {
    const auto flags = slices_with(phantom().vertebral_bodies, label);
    const SliceRun run = body_run(label);
    for (int z = run.first; z <= run.last; ++z) EXPECT_TRUE(flags[z]) << "gap in body " << label << " at " << z;
    EXPECT_GT(run.first, previous_last) << "body " << label << " overlaps or is below the one under it";
    previous_last = run.last;
    if (label != verse::sacrum && label != verse::T8) {  // T8 may be cut by the field of view
      const double height = run.length() * slice;
      EXPECT_GE(height, label <= verse::T12 ? 15.0 : 20.0) << "body " << label;
      EXPECT_LE(height, 36.0) << "body " << label;
    }
  }
  // Whole vertebrae: one run each, containing the body.
  for (int label = verse::T8; label <= verse::L5; ++label) {
    const auto whole = span_of(slices_with(phantom().vertebrae, label));
    ASSERT_TRUE(whole) << label;
    const SliceRun body = body_run(label);
    EXPECT_LE(whole->first, body.first);
    EXPECT_GE(whole->last, body.last);
  }
  // No labels outside the spine numbering.
  for (uint16_t v : phantom().vertebrae.voxels)
    ASSERT_TRUE(v == 0 || (v >= 8 && v <= verse::L5) || v == verse::sacrum) << v;
}

TEST_F(PhantomAnatomy, L3BodyWidthIsAdultSized) {
  const Phantom& p = phantom();
  const int z = body_run(verse::L3).middle();
  int min_x = 1 << 30, max_x = -1;
  for (int y = 0; y < p.ct.hu.grid.size[1]; ++y)
    for (int x = 0; x < p.ct.hu.grid.size[0]; ++x)
      if (p.vertebral_bodies.at(x, y, z) == verse::L3) min_x = std::min(min_x, x), max_x = std::max(max_x, x);
  const double width = (max_x - min_x + 1) * p.ct.hu.grid.spacing[0];
  EXPECT_GT(width, 35.0);
  EXPECT_LT(width, 60.0);
}

TEST_F(PhantomAnatomy, RibsOnlyOnThoracicLevels) {
  const Phantom& p = phantom();
  for (int label = verse::T8; label <= verse::T12; ++label) {
    const auto whole = span_of(slices_with(p.vertebrae, label));
    ASSERT_TRUE(whole);
    int ribs = 0;
    for (int z = whole->first; z <= whole->last; ++z) ribs += loose_bone(p, z, 30.0);
    EXPECT_GT(ribs, 0) << "no rib at vertebra " << label;
  }
  // As on a real spine (the s0328 atlas): the lower ribs' ends reach the L2 level at the flank,
  // 0-35 mm above the L3 middle, and the L3 level is free of them.
  EXPECT_GT(loose_bone(p, body_run(verse::L1).middle(), 30.0), 0) << "no rib end beside L1";
  EXPECT_GT(loose_bone(p, body_run(verse::L2).middle(), 80.0), 0) << "no rib end at the flank beside L2";
  EXPECT_EQ(loose_bone(p, body_run(verse::L3).middle(), 0.0), 0) << "bone outside the spine at L3";
}

TEST_F(PhantomAnatomy, IliacWingsBesideLowLumbarSpineOnly) {
  const Phantom& p = phantom();
  const SliceRun l5 = body_run(verse::L5), sacrum = body_run(verse::sacrum);
  int wings = 0;
  for (int z = sacrum.first; z <= l5.last; ++z) wings += loose_bone(p, z, 45.0);
  EXPECT_GT(wings, 50);
  EXPECT_GT(loose_bone(p, sacrum.last, 45.0), 0) << "no iliac bone beside S1";
  // The crest's top is at the L4 body (the real atlas: upper L4), so the lower half of the L3 body
  // has no pelvis beside it (its upper half may have the tips of the lowest ribs, as on s0328).
  const SliceRun l3 = body_run(verse::L3), l4 = body_run(verse::L4);
  for (int z = l3.first; z <= l3.middle(); ++z) EXPECT_EQ(loose_bone(p, z, 45.0), 0) << "slice " << z;
  EXPECT_GT(loose_bone(p, l4.first, 45.0), 0) << "no iliac crest beside the lower L4 body";
}

// Below the blades the real pelvis (s0328) narrows to the femoral heads, 85-100 mm below S1's top,
// with the pubic symphysis in front below them; the blades must not run on down the scan.
TEST(PhantomPelvis, BladesEndAboveTheHipsAndPubis) {
  PhantomOptions o = small_options(4);
  o.fov_inferior_mm = -280.0;
  const Phantom p = make_phantom(o);
  const auto sacrum = span_of(slices_with(p.vertebral_bodies, verse::sacrum));
  ASSERT_TRUE(sacrum);
  const double dz = o.slice_mm;
  const auto below_s1 = [&](double mm) { return sacrum->last - int(std::lround(mm / dz)); };
  ASSERT_GE(below_s1(140.0), 0);
  EXPECT_GT(loose_bone_between(p, below_s1(30.0), 100.0, 1e9), 0) << "no iliac blade flaring out beside S1";
  EXPECT_EQ(loose_bone_between(p, below_s1(70.0), 125.0, 1e9), 0) << "iliac blade below the sacroiliac joints";
  const double pixel_mm2 = p.ct.hu.grid.spacing[0] * p.ct.hu.grid.spacing[1];
  // Two heads of radius 20-25 mm cut through the middle: at least 2500 mm^2 of bone.
  EXPECT_GT(loose_bone_between(p, below_s1(95.0), 60.0, 125.0) * pixel_mm2, 2500.0) << "no femoral heads";
  EXPECT_GT(loose_bone_between(p, below_s1(130.0), 0.0, 25.0), 0) << "no pubic symphysis";
}

// Measured on the real spine atlas (s0328), where the phantoms' pelvis used to pull the atlas a
// vertebra low: the sacral base slopes, so the sacrum's bone (its alae, beside and behind L5) starts
// level with the L5 body's middle; below S1 the sacrum is fatty (only its cortex passes 200 HU).
TEST(PhantomPelvis, SacrumRisesBesideL5AndIsDimBelowS1) {
  PhantomOptions o;
  o.seed = 5;
  o.cancellous_hu = 260.0;  // bright vertebral bodies, so a dim sacrum is the sacrum's own
  o.table = false;          // its shell is dense too
  o.fov_inferior_mm = -200.0;
  const Phantom p = make_phantom(o);
  const double dz = o.slice_mm;
  const auto l5 = span_of(slices_with(p.vertebral_bodies, verse::L5));
  const auto sacrum = span_of(slices_with(p.vertebrae, verse::sacrum));
  const auto s1 = span_of(slices_with(p.vertebral_bodies, verse::sacrum));
  ASSERT_TRUE(l5 && sacrum && s1);
  EXPECT_GE(sacrum->last, l5->middle() - 1) << "the sacrum's bone does not reach beside the L5 body";
  EXPECT_LT(s1->last, l5->first) << "S1's body overlaps L5's";
  // Bone >= 200 HU in the midline column (|x| < 15 mm) of a slice.
  const Grid& g = p.ct.hu.grid;
  const auto midline_bone = [&](int z) {
    int n = 0;
    for (int y = 0; y < g.size[1]; ++y)
      for (int x = 0; x < g.size[0]; ++x)
        if (std::abs((x - 0.5 * (g.size[0] - 1)) * g.spacing[0]) < 15.0 && p.ct.hu.at(x, y, z) >= 200) ++n;
    return n;
  };
  const int below_s1 = s1->last - int(std::lround(40.0 / dz));
  ASSERT_GE(below_s1, 0);
  EXPECT_LT(2 * midline_bone(below_s1), midline_bone(l5->middle())) << "the sacrum 40 mm below S1's top is as dense as L5";
}

// Lumbosacral transitional vertebrae: the sacrum and pelvis follow the last lumbar vertebra, so
// counting up from the sacrum gives the wrong level; labels keep counting from the top.
TEST(PhantomVariants, FourOrSixLumbarVertebrae) {
  PhantomOptions o = small_options(6);
  o.fov_inferior_mm = -220.0;
  const Phantom five = make_phantom(o);
  o.lumbar_vertebrae = 6;
  const Phantom six = make_phantom(o);
  o.lumbar_vertebrae = 4;
  const Phantom four = make_phantom(o);
  const auto run = [](const Phantom& p, int label) { return span_of(slices_with(p.vertebral_bodies, label)); };
  ASSERT_TRUE(run(six, verse::L6) && run(five, verse::L5) && run(four, verse::L4));
  EXPECT_FALSE(run(five, verse::L6));
  EXPECT_FALSE(run(four, verse::L5));
  EXPECT_LT(run(six, verse::L6)->last, run(six, verse::L5)->first);
  EXPECT_EQ(*six.l3_body, *five.l3_body);  // L3 stays at z = 0
  EXPECT_EQ(*four.l3_body, *five.l3_body);
  // The sacrum starts about one vertebra (30-45 mm) lower with six, higher with four.
  const double dz = o.slice_mm;
  const int s5 = run(five, verse::sacrum)->last, s6 = run(six, verse::sacrum)->last, s4 = run(four, verse::sacrum)->last;
  EXPECT_GT((s5 - s6) * dz, 30.0);
  EXPECT_LT((s5 - s6) * dz, 45.0);
  EXPECT_GT((s4 - s5) * dz, 30.0);
  EXPECT_LT((s4 - s5) * dz, 45.0);
  // With four, the iliac crest rises beside the lower L3 body.
  int wings = 0;
  for (int z = four.l3_body->first; z <= four.l3_body->middle(); ++z) wings += loose_bone(four, z, 45.0);
  EXPECT_GT(wings, 0);
}

TEST(PhantomVariants, ElevenOrThirteenRibPairs) {
  PhantomOptions o = small_options(7);
  const Phantom twelve = make_phantom(o);
  o.rib_pairs = 13;
  const Phantom thirteen = make_phantom(o);
  o.rib_pairs = 11;
  const Phantom eleven = make_phantom(o);
  const auto loose_beside = [](const Phantom& p, int label) {
    const auto whole = span_of(slices_with(p.vertebrae, label));
    int n = 0;
    for (int z = whole->first; z <= whole->last; ++z) n += loose_bone(p, z, 30.0);
    return n;
  };
  EXPECT_GT(loose_beside(thirteen, verse::L1), loose_beside(twelve, verse::L1)) << "no lumbar rib";
  EXPECT_LT(loose_beside(eleven, verse::T12), loose_beside(twelve, verse::T12)) << "T12 still has a rib";
}

TEST(PhantomVariants, RandomOptionsDrawThemRarely) {
  int lumbar[7] = {}, ribs[14] = {};
  for (unsigned seed = 0; seed < 1000; ++seed) {
    const PhantomOptions o = random_phantom_options(seed);
    ++lumbar[o.lumbar_vertebrae];
    ++ribs[o.rib_pairs];
  }
  for (int n : {lumbar[4], lumbar[6], ribs[11], ribs[13]}) {
    EXPECT_GT(n, 15);
    EXPECT_LT(n, 70);
  }
  EXPECT_GT(lumbar[5], 850);
  EXPECT_GT(ribs[12], 850);
}

// Lateral centre (mm, + = patient left) of a vertebra's body voxels on slice z, or NaN.
double body_centre_x(const Phantom& p, int z, int label) {
  const Grid& g = p.vertebral_bodies.grid;
  double sum = 0.0;
  int n = 0;
  for (int y = 0; y < g.size[1]; ++y)
    for (int x = 0; x < g.size[0]; ++x)
      if (p.vertebral_bodies.at(x, y, z) == label) {
        sum += (x - 0.5 * (g.size[0] - 1)) * g.spacing[0];
        ++n;
      }
  return n ? sum / n : std::nan("");
}

TEST(PhantomVariants, ScoliosisShiftsTheLumbarSpineAndKeepsTheLevels) {
  PhantomOptions o = small_options(9);
  const Phantom straight = make_phantom(o);
  o.scoliosis_cobb_deg = 40.0;
  const Phantom curved = make_phantom(o);
  o.scoliosis_cobb_deg = -40.0;
  const Phantom other_way = make_phantom(o);
  // The levels along z do not move: L3's truth is the same slices.
  EXPECT_EQ(*curved.l3_body, *straight.l3_body);
  const int mid = straight.l3_body->middle();
  // A 40 degree curve from the sacrum to T11 (about 300 mm) bows 30-40 mm at its apex near L2-L3,
  // to the patient's left for + and to the right for -.
  EXPECT_NEAR(body_centre_x(straight, mid, verse::L3), 0.0, 3.5);
  EXPECT_GT(body_centre_x(curved, mid, verse::L3), 25.0);
  EXPECT_LT(body_centre_x(curved, mid, verse::L3), 45.0);
  EXPECT_NEAR(body_centre_x(other_way, mid, verse::L3), -body_centre_x(curved, mid, verse::L3), 3.5);
  // The sacrum stays on the midline.
  const auto sacrum = span_of(slices_with(curved.vertebral_bodies, verse::sacrum));
  ASSERT_TRUE(sacrum);
  EXPECT_NEAR(body_centre_x(curved, sacrum->first, verse::sacrum), 0.0, 3.5);
  // The T12 ribs still start beside their (shifted) vertebra: bone that is no vertebra's within
  // 25-60 mm of the shifted spine on the side the spine moved to.
  const auto t12 = span_of(slices_with(curved.vertebrae, verse::T12));
  ASSERT_TRUE(t12);
  int near_head = 0;
  const Grid& g = curved.ct.hu.grid;
  for (int z = t12->first; z <= t12->last; ++z) {
    const double spine_x = body_centre_x(curved, z, verse::T12);
    if (std::isnan(spine_x)) continue;
    for (int y = 0; y < g.size[1]; ++y)
      for (int x = 0; x < g.size[0]; ++x) {
        const double dx = std::abs((x - 0.5 * (g.size[0] - 1)) * g.spacing[0] - spine_x);
        near_head += Tissue(curved.tissues.at(x, y, z)) == Tissue::bone && curved.vertebrae.at(x, y, z) == 0 && dx > 25.0 &&
                     dx < 60.0;
      }
  }
  EXPECT_GT(near_head, 0);
}

TEST(PhantomVariants, RandomOptionsDrawScoliosisOnlyWhenAskedAndKeepTheRest) {
  int curved = 0;
  for (unsigned seed = 0; seed < 1000; ++seed) {
    const PhantomOptions plain = random_phantom_options(seed);
    const PhantomOptions o = random_phantom_options(seed, 0.1, false, 0.2);
    EXPECT_EQ(plain.scoliosis_cobb_deg, 0.0);
    EXPECT_EQ(o.body_scale, plain.body_scale);
    EXPECT_EQ(o.fov_inferior_mm, plain.fov_inferior_mm);
    EXPECT_EQ(o.lumbar_vertebrae, plain.lumbar_vertebrae);
    const double cobb = std::abs(o.scoliosis_cobb_deg);
    if (cobb == 0.0) continue;
    ++curved;
    EXPECT_GE(cobb, 10.0);
    EXPECT_LE(cobb, 40.0);
  }
  EXPECT_GT(curved, 160);
  EXPECT_LT(curved, 240);
}

// Scanner and protocol options: each changes the image the way a real scanner or protocol does,
// and none changes the anatomy or the truth.
TEST(PhantomScanner, PaddingOutsideTheReconstructionCircle) {
  PhantomOptions o = small_options(8);
  const Phantom plain = make_phantom(o);
  o.padding_outside_circle = true;
  const Phantom padded = make_phantom(o);
  const int n = o.matrix, z = padded.l3_body->middle();
  EXPECT_EQ(padded.ct.hu.at(0, 0, z), -3024);          // a corner
  EXPECT_EQ(padded.ct.hu.at(n / 2, n / 2, z), plain.ct.hu.at(n / 2, n / 2, z));  // the centre
  EXPECT_EQ(padded.tissues.voxels, plain.tissues.voxels);
}

TEST(PhantomScanner, RandomOptionsDrawThemOnlyWhenAsked) {
  int sharp = 0, portal = 0, padded = 0, changed = 0;
  for (unsigned seed = 0; seed < 400; ++seed) {
    const PhantomOptions plain = random_phantom_options(seed), varied = random_phantom_options(seed, 0.1, true);
    changed += plain.kernel != 0 || plain.contrast != ContrastPhase::none || plain.padding_outside_circle;
    sharp += varied.kernel == 1;
    portal += varied.contrast == ContrastPhase::portal_venous;
    padded += varied.padding_outside_circle;
    EXPECT_EQ(plain.lumbar_vertebrae, varied.lumbar_vertebrae);  // the rest keeps its seed
    EXPECT_EQ(plain.fov_inferior_mm, varied.fov_inferior_mm);
  }
  EXPECT_EQ(changed, 0);
  EXPECT_NEAR(sharp / 400.0, 0.25, 0.07);
  EXPECT_NEAR(portal / 400.0, 0.5, 0.08);
  EXPECT_NEAR(padded / 400.0, 0.3, 0.07);
}

TEST(PhantomScanner, ContrastPhaseBrightensBloodAndOrgans) {
  const auto organ_mean = [](ContrastPhase phase) {
    PhantomOptions o = small_options(9);
    o.noise_hu = 0.0;
    o.contrast = phase;
    const Phantom p = make_phantom(o);
    double sum = 0;
    long n = 0;
    for (std::size_t i = 0; i < p.tissues.voxels.size(); ++i)
      if (Tissue(p.tissues.voxels[i]) == Tissue::organ) sum += p.ct.hu.voxels[i], ++n;
    return sum / double(n);
  };
  const double none = organ_mean(ContrastPhase::none), portal = organ_mean(ContrastPhase::portal_venous);
  EXPECT_LT(none, 60.0);
  EXPECT_GT(portal, none + 30.0);
  EXPECT_GT(organ_mean(ContrastPhase::arterial), none + 10.0);
}

TEST(PhantomScanner, SharpKernelOvershootsAndAddsNoise) {
  const auto fat_sd_and_max = [](int kernel) {
    PhantomOptions o = small_options(10);
    o.kernel = kernel;
    const Phantom p = make_phantom(o);
    double sum = 0, sum2 = 0, top = -1e9;
    long n = 0;
    const int w = p.ct.hu.grid.size[0];
    const auto fat = [&](std::size_t i) { return Tissue(p.tissues.voxels[i]) == Tissue::subcutaneous_fat; };
    for (std::size_t i = std::size_t(w); i + std::size_t(w) < p.tissues.voxels.size(); ++i) {
      top = std::max(top, double(p.ct.hu.voxels[i]));
      // Noise inside the fat, away from its edges (which a smooth kernel blurs into the fat).
      if (fat(i) && fat(i - 1) && fat(i + 1) && fat(i - std::size_t(w)) && fat(i + std::size_t(w)))
        sum += p.ct.hu.voxels[i], sum2 += std::pow(p.ct.hu.voxels[i], 2), ++n;
    }
    return std::pair{std::sqrt(sum2 / n - std::pow(sum / n, 2)), top};
  };
  const auto smooth = fat_sd_and_max(-1), standard = fat_sd_and_max(0), sharp = fat_sd_and_max(1);
  EXPECT_LT(smooth.first, standard.first);
  EXPECT_GT(sharp.first, standard.first);
  EXPECT_GT(sharp.second, standard.second);  // edge overshoot at the cortex
}

TEST_F(PhantomAnatomy, LungsOnlyInTheChest) {
  const Phantom& p = phantom();
  EXPECT_GT(count_tissue(p, body_run(verse::T8).middle(), Tissue::lung), 100);
  for (int label = verse::L1; label <= verse::L5; ++label)
    EXPECT_EQ(count_tissue(p, body_run(label).middle(), Tissue::lung), 0) << label;
  const int z = body_run(verse::L3).middle();
  for (Tissue t : {Tissue::skin, Tissue::subcutaneous_fat, Tissue::muscle, Tissue::intermuscular_fat,
                   Tissue::visceral_fat, Tissue::organ, Tissue::bone, Tissue::spinal_canal})
    EXPECT_GT(count_tissue(p, z, t), 0) << "no " << tissue_name(t) << " at L3";
}

TEST_F(PhantomAnatomy, L3TruthIsTheRunOfL3Labels) {
  const Phantom& p = phantom();
  ASSERT_TRUE(p.l3_body && p.l3_whole);
  EXPECT_EQ(*p.l3_body, *span_of(slices_with(p.vertebral_bodies, verse::L3)));
  EXPECT_EQ(*p.l3_whole, *span_of(slices_with(p.vertebrae, verse::L3)));
  EXPECT_LE(p.l3_whole->first, p.l3_body->first);
  EXPECT_GE(p.l3_whole->last, p.l3_body->last);
  // The L3 body's middle lies at z = 0 mm.
  EXPECT_LE(std::abs(p.ct.slices[p.l3_body->middle()].z_mm), p.options.slice_mm);
}

TEST(PhantomHu, TissueMeansMatchNominalValues) {
  PhantomOptions o = small_options(5);
  o.slice_mm = 1.0;  // no partial volume along z
  o.noise_hu = 20.0;
  o.muscle_hu = 40.0;
  o.fat_hu = -95.0;
  o.fov_inferior_mm = -25;
  o.fov_superior_mm = 25;
  const Phantom p = make_phantom(o);
  std::map<Tissue, double> sum, sum2;
  std::map<Tissue, long> n;
  for (std::size_t i = 0; i < p.tissues.voxels.size(); ++i) {
    const Tissue t = Tissue(p.tissues.voxels[i]);
    sum[t] += p.ct.hu.voxels[i];
    sum2[t] += double(p.ct.hu.voxels[i]) * p.ct.hu.voxels[i];
    ++n[t];
  }
  for (Tissue t : {Tissue::skin, Tissue::subcutaneous_fat, Tissue::visceral_fat, Tissue::muscle,
                   Tissue::intermuscular_fat, Tissue::disc, Tissue::spinal_canal}) {
    ASSERT_GT(n[t], 100) << tissue_name(t);
    EXPECT_NEAR(sum[t] / n[t], nominal_hu(t, o), 3.0) << tissue_name(t);
  }
  const Tissue sat = Tissue::subcutaneous_fat;
  const double mean = sum[sat] / n[sat];
  EXPECT_NEAR(std::sqrt(sum2[sat] / n[sat] - mean * mean), o.noise_hu, 0.15 * o.noise_hu) << "noise SD";
}

TEST(PhantomHu, LungsInTheChest) {
  PhantomOptions o = small_options(5);
  o.slice_mm = 1.0;
  o.fov_inferior_mm = 170;
  o.fov_superior_mm = 200;
  const Phantom p = make_phantom(o);
  double sum = 0;
  long n = 0;
  for (std::size_t i = 0; i < p.tissues.voxels.size(); ++i)
    if (Tissue(p.tissues.voxels[i]) == Tissue::lung) sum += p.ct.hu.voxels[i], ++n;
  ASSERT_GT(n, 1000);
  EXPECT_NEAR(sum / n, -850.0, 3.0);
}

TEST(PhantomHu, NoisyFatAndMuscleStayInsideClinicalThresholds) {
  PhantomOptions o = small_options(8);
  o.noise_hu = 25.0;  // the noisiest the random options produce
  o.fov_inferior_mm = -15;
  o.fov_superior_mm = 15;
  const Phantom p = make_phantom(o);
  long fat = 0, fat_in = 0, muscle = 0, muscle_in = 0;
  for (std::size_t i = 0; i < p.tissues.voxels.size(); ++i) {
    const Tissue t = Tissue(p.tissues.voxels[i]);
    const int hu = p.ct.hu.voxels[i];
    if (t == Tissue::subcutaneous_fat || t == Tissue::visceral_fat || t == Tissue::intermuscular_fat) {
      ++fat;
      fat_in += hu >= -190 && hu <= -30;
    } else if (t == Tissue::muscle) {
      ++muscle;
      muscle_in += hu >= -29 && hu <= 150;
    }
  }
  ASSERT_GT(fat, 1000);
  ASSERT_GT(muscle, 1000);
  EXPECT_GT(double(fat_in) / fat, 0.97);
  EXPECT_GT(double(muscle_in) / muscle, 0.97);
}

TEST(PhantomComposition, FatScaleGrowsSubcutaneousFat) {
  int previous_sat = 0, previous_fat = 0;
  for (double fat : {0.4, 0.8, 1.2, 1.6, 2.0}) {
    PhantomOptions o = small_options(21);
    o.fat_scale = fat;
    o.pixel_mm = 7.0;  // room for the largest body
    o.slice_mm = 1.0;
    o.fov_inferior_mm = -1;
    o.fov_superior_mm = 1;
    const Phantom p = make_phantom(o);
    const int sat = count_tissue(p, 1, Tissue::subcutaneous_fat);
    const int all_fat = sat + count_tissue(p, 1, Tissue::visceral_fat) + count_tissue(p, 1, Tissue::intermuscular_fat);
    EXPECT_GT(sat, previous_sat) << "fat_scale " << fat;
    EXPECT_GT(all_fat, previous_fat) << "fat_scale " << fat;
    previous_sat = sat;
    previous_fat = all_fat;
  }
}

TEST(PhantomComposition, MuscleScaleGrowsMuscle) {
  int previous = 0;
  for (double muscle : {0.7, 1.0, 1.3}) {
    PhantomOptions o = small_options(22);
    o.muscle_scale = muscle;
    o.slice_mm = 1.0;
    o.fov_inferior_mm = -1;
    o.fov_superior_mm = 1;
    const int m = count_tissue(make_phantom(o), 1, Tissue::muscle);
    EXPECT_GT(m, previous) << "muscle_scale " << muscle;
    previous = m;
  }
}

TEST(PhantomFov, NoL3OutsideTheFieldOfView) {
  PhantomOptions chest = small_options();
  chest.fov_inferior_mm = 60;
  chest.fov_superior_mm = 200;
  const Phantom c = make_phantom(chest);
  EXPECT_FALSE(c.l3_body);
  EXPECT_FALSE(c.l3_whole);
  EXPECT_TRUE(span_of(slices_with(c.vertebral_bodies, verse::T12))) << "the chest should hold T12";

  PhantomOptions pelvis = small_options();
  pelvis.fov_inferior_mm = -200;
  pelvis.fov_superior_mm = -45;
  const Phantom p = make_phantom(pelvis);
  EXPECT_FALSE(p.l3_body);
  EXPECT_FALSE(p.l3_whole);
  EXPECT_TRUE(span_of(slices_with(p.vertebral_bodies, verse::sacrum)));
}

TEST(PhantomFov, RandomOptionsHonourNoL3Fraction) {
  for (unsigned seed = 1; seed <= 4; ++seed) {
    const Phantom none = make_phantom(with_matrix(random_phantom_options(seed, 1.0), 32));
    EXPECT_FALSE(none.l3_whole) << "seed " << seed;
    const Phantom some = make_phantom(with_matrix(random_phantom_options(seed, 0.0), 32));
    EXPECT_TRUE(some.l3_body) << "seed " << seed;
  }
  int without = 0;
  for (unsigned seed = 1; seed <= 400; ++seed) {
    const PhantomOptions o = random_phantom_options(seed, 0.25);
    without += o.fov_inferior_mm > 30.0 || o.fov_superior_mm < -30.0;
  }
  EXPECT_GT(without, 60);
  EXPECT_LT(without, 140);
}

TEST(PhantomSlices, OneAndFiveMillimetres) {
  for (double slice : {1.0, 5.0}) {
    PhantomOptions o = small_options(9);
    o.slice_mm = slice;
    o.fov_inferior_mm = -40;
    o.fov_superior_mm = 40;
    const Phantom p = make_phantom(o);
    EXPECT_EQ(p.ct.hu.grid.size[2], int(80 / slice) + 1);
    ASSERT_TRUE(p.l3_body) << slice;
    const double height = p.l3_body->length() * slice;
    EXPECT_GT(height, 22.0 - slice) << slice;
    EXPECT_LT(height, 33.0 + slice) << slice;
    EXPECT_LE(std::abs(p.ct.slices[p.l3_body->middle()].z_mm), slice);
  }
}

TEST(PhantomOptions, RandomOptionsStayInRange) {
  for (unsigned seed = 1; seed <= 300; ++seed) {
    const PhantomOptions o = random_phantom_options(seed);
    EXPECT_EQ(o.seed, seed);
    EXPECT_GE(o.body_scale, 0.85);
    EXPECT_LE(o.body_scale, 1.2);
    EXPECT_GE(o.fat_scale, 0.4);
    EXPECT_LE(o.fat_scale, 2.0);
    EXPECT_GE(o.muscle_scale, 0.7);
    EXPECT_LE(o.muscle_scale, 1.3);
    EXPECT_GE(o.vertebra_scale, 0.9);
    EXPECT_LE(o.vertebra_scale, 1.1);
    EXPECT_GE(o.slice_mm, 1.0);
    EXPECT_LE(o.slice_mm, 5.0);
    EXPECT_GE(o.noise_hu, 5.0);
    EXPECT_LE(o.noise_hu, 25.0);
    EXPECT_GE(o.matrix * o.pixel_mm, 400.0);
    EXPECT_LT(o.matrix * o.pixel_mm, 560.0);
    EXPECT_LT(o.fov_inferior_mm, o.fov_superior_mm);
  }
  EXPECT_NE(random_phantom_options(1).fat_scale, random_phantom_options(2).fat_scale);
}

TEST(PhantomOptions, LargestBodyFitsTheImage) {
  unsigned biggest = 1;
  double size = 0;
  for (unsigned seed = 1; seed <= 300; ++seed) {
    const PhantomOptions o = random_phantom_options(seed);
    const double s = o.body_scale * (1.0 + 0.2 * o.fat_scale);
    if (s > size) size = s, biggest = seed;
  }
  PhantomOptions o = with_matrix(random_phantom_options(biggest), 64);
  o.fov_inferior_mm = -120;
  o.fov_superior_mm = 120;
  o.slice_mm = 5;
  const Phantom p = make_phantom(o);
  const Grid& g = p.ct.hu.grid;
  for (int z = 0; z < g.size[2]; ++z)
    for (int i = 0; i < g.size[0]; ++i)
      for (const auto& [x, y] : {std::pair{i, 0}, {i, g.size[1] - 1}, {0, i}, {g.size[0] - 1, i}}) {
        const Tissue t = Tissue(p.tissues.at(x, y, z));
        ASSERT_TRUE(t == Tissue::air || t == Tissue::table) << "body touches the image edge at " << x << "," << y;
      }
}

TEST(PhantomOptions, InvalidOptionsAreRejected) {
  PhantomOptions o = small_options();
  o.slice_mm = 0.0;
  EXPECT_THROW(make_phantom(o), UsageError);
  o = small_options();
  o.fov_superior_mm = o.fov_inferior_mm;
  EXPECT_THROW(make_phantom(o), UsageError);
}

// crowded_abdomen: organs lie against the muscle wall at T12-L1, as on real CT; without it the
// cavity keeps visceral fat between them. The skeleton and the wall are the same either way.
TEST(PhantomCrowdedAbdomen, OrgansTouchTheWallAndTheRestKeepsItsSeed) {
  const auto organ_on_muscle = [](const Phantom& p, int z) {
    long n = 0;
    const Grid& g = p.tissues.grid;
    for (int y = 1; y + 1 < g.size[1]; ++y)
      for (int x = 1; x + 1 < g.size[0]; ++x) {
        if (Tissue(p.tissues.at(x, y, z)) != Tissue::organ) continue;
        for (const auto& [dx, dy] : {std::pair{1, 0}, {-1, 0}, {0, 1}, {0, -1}})
          if (Tissue(p.tissues.at(x + dx, y + dy, z)) == Tissue::muscle) { ++n; break; }
      }
    return n;
  };
  for (unsigned seed : {1u, 2u, 3u}) {
    PhantomOptions o = with_matrix(PhantomOptions{}, 128);
    o.seed = seed;
    o.fov_inferior_mm = 60;
    o.fov_superior_mm = 90;
    const Phantom plain = make_phantom(o);
    o.crowded_abdomen = true;
    const Phantom crowded = make_phantom(o);
    const int z = plain.ct.hu.grid.size[2] / 2;  // about 75 mm above the middle of L3: T12-L1
    const long touching_plain = organ_on_muscle(plain, z), touching_crowded = organ_on_muscle(crowded, z);
    std::printf("seed %u: organ pixels on muscle %ld plain, %ld crowded\n", seed, touching_plain, touching_crowded);
    EXPECT_GT(touching_crowded, 2 * touching_plain) << seed;
    EXPECT_EQ(crowded.vertebrae.voxels, plain.vertebrae.voxels);
    long muscle_plain = 0, muscle_crowded = 0;
    for (std::size_t i = 0; i < plain.tissues.voxels.size(); ++i) {
      muscle_plain += Tissue(plain.tissues.voxels[i]) == Tissue::muscle;
      muscle_crowded += Tissue(crowded.tissues.voxels[i]) == Tissue::muscle;
    }
    EXPECT_EQ(muscle_crowded, muscle_plain);  // organs only replace visceral fat
  }
}

}  // namespace
}  // namespace l3
