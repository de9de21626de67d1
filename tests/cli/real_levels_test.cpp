// The default `predict` (the bundled spine atlas, no --model, no training) on every shared real
// scan: L3 on the right vertebra of the real CT with L3, "not in field of view" on every real scan
// without it, the same physical answer from a flipped file and a shuffled DICOM series, and the
// bundled atlas (s0328 and its three phantom tie-breakers) rebuilt bit for bit from the shared data
// by `l3slice atlas`.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "l3slice/atlas/level_finder.h"
#include "l3slice/core/csv.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/io/image_writer.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using l3::testing::run_cli;
using l3::testing::TempDir;

namespace {

nlohmann::json prediction(const fs::path& out, const std::string& case_id) {
  std::ifstream in(out / case_id / "prediction.json");
  return nlohmann::json::parse(in);
}

TEST(RealLevels, DefaultModelFindsL3OnTheRealCtAndNothingOnScansWithoutIt) {
  TempDir dir;
  const fs::path data = l3::testing::shared_data();
  const auto r = run_cli({"predict", (data / "totalseg-example" / "ct.nii.gz").string(),
                          (data / "totalseg-example" / "ct-upper-abdomen.nii.gz").string(),
                          (data / "totalseg-example" / "partial-dicom").string(),
                          (data / "real-negatives" / "lidc-idri-0001-chest").string(),
                          (data / "real-negatives" / "acrin-flt-breast-001-headneck").string(), "--out",
                          (dir / "out").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto ct = prediction(dir / "out", "ct");
  ASSERT_EQ(ct["status"], "L3 found") << ct.dump(1);
  // Truth: L3 vertebral body slices 69-79, middle 74 (3 mm slices). The issue asks for 6 mm; the
  // discs next to L3 (disc_refinement.h) centre it within one slice, 3 mm.
  const int middle = ct["l3"]["middle"]["canonical_index"].get<int>();
  EXPECT_LE(std::abs(middle - 74), 1) << "middle " << middle;
  const auto& discs = ct["evidence"]["disc_refinement"];
  EXPECT_TRUE(discs["applied"].get<bool>()) << discs.dump();
  EXPECT_NEAR(ct["evidence"]["l3_middle_mm_above_first_slice"].get<double>(), 74 * 3.0, 3.0);
  EXPECT_TRUE(ct["model"]["settings"]["refine_by_discs"].get<bool>());
  EXPECT_EQ(ct["model"]["method"], "spine-atlas");
  EXPECT_EQ(ct["model"]["rules"], l3::kLevelFinderRules);
  EXPECT_FALSE(ct["model"]["crc32"].get<std::string>().empty());
  EXPECT_EQ(ct["evidence"]["level_per_slice"][74], "L3");
  // A clear answer of the real atlas: the phantom tie-breakers are carried (and recorded) but not asked.
  EXPECT_EQ(ct["model"]["tie_breakers"].size(), 3u);
  EXPECT_FALSE(ct["evidence"].contains("tie_break"));
  // The level check (a sequence network trained on phantoms and s0328, never on this scan) counts
  // the same vertebra; it is recorded with its CRC and training settings.
  EXPECT_EQ(ct["evidence"]["level_check"]["verdict"], "agrees") << ct["evidence"].dump(1);
  EXPECT_NEAR(ct["evidence"]["level_check"]["l3_middle_mm_above_first_slice"].get<double>(), 74 * 3.0, 27.0);
  EXPECT_EQ(ct["model"]["level_check"]["name"], "sequence-phantoms");
  EXPECT_EQ(ct["model"]["level_check"]["training"]["phantoms"], 1500);
  for (const char* negative : {"ct-upper-abdomen", "partial-dicom", "lidc-idri-0001-chest", "acrin-flt-breast-001-headneck"})
    EXPECT_EQ(prediction(dir / "out", negative)["status"], "L3 not in field of view") << negative;
}

TEST(RealLevels, FlippedFileAndShuffledDicomGiveTheSamePhysicalSlice) {
  TempDir dir;
  const l3::CtScan ct = l3::read_ct(l3::testing::shared_data() / "totalseg-example" / "ct.nii.gz");
  l3::write_image(ct.hu, dir / "flipped.nii.gz", {"LPI"});
  l3::DicomWriteOptions dicom;
  dicom.shuffle_file_names = true;
  dicom.seed = 11;
  l3::write_dicom_series(ct, dir / "dicom", dicom);
  const auto r = run_cli({"predict", (l3::testing::shared_data() / "totalseg-example" / "ct.nii.gz").string(),
                          (dir / "flipped.nii.gz").string(), (dir / "dicom").string(), "--out", (dir / "out").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto a = prediction(dir / "out", "ct"), b = prediction(dir / "out", "flipped"), c = prediction(dir / "out", "dicom");
  ASSERT_EQ(b["status"], "L3 found");
  ASSERT_EQ(c["status"], "L3 found");
  const double z = a["l3"]["middle"]["z_mm"].get<double>();
  EXPECT_NEAR(b["l3"]["middle"]["z_mm"].get<double>(), z, 0.01);
  EXPECT_NEAR(c["l3"]["middle"]["z_mm"].get<double>(), z, 0.01);
  EXPECT_EQ(b["l3"]["middle"]["file_index"].get<int>(), 111 - a["l3"]["middle"]["file_index"].get<int>());
  EXPECT_TRUE(c["l3"]["middle"].contains("sop_instance_uid"));
}

// The real CT made harder the ways real scans are: the patient rotated 10 degrees in the axial
// plane, a table whose carbon shells (400 HU) pass the 200 HU bone threshold, and fusion rods
// (metal, 3071 HU) beside the spine from S1 up to L4. L3 stays on its slice.
l3::HuImage rotated_on_a_table_with_rods(const l3::HuImage& hu) {
  const int nx = hu.grid.size[0], ny = hu.grid.size[1], nz = hu.grid.size[2];
  l3::HuImage out = hu;
  const double cx = (nx - 1) / 2.0, cy = (ny - 1) / 2.0, c = std::cos(10 * M_PI / 180), s = std::sin(10 * M_PI / 180);
  for (int z = 0; z < nz; ++z)
    for (int y = 0; y < ny; ++y)
      for (int x = 0; x < nx; ++x) {
        const int sx = int(std::lround(cx + (x - cx) * c - (y - cy) * s));
        const int sy = int(std::lround(cy + (x - cx) * s + (y - cy) * c));
        const bool inside = sx >= 0 && sx < nx && sy >= 0 && sy < ny;
        out.at(x, y, z) = inside ? hu.at(sx, sy, z) : int16_t(-1024);
      }
  for (int z = 0; z < nz; ++z)  // the table's two shells behind the patient (canonical y runs to posterior)
    for (int x = 0; x < nx; ++x) {
      out.at(x, ny - 2, z) = out.at(x, ny - 4, z) = 400;
      out.at(x, ny - 3, z) = -850;
    }
  for (int z = 30; z < 66; ++z) {  // S1 to L4 (the L3 body is 69-79): rods where the bone's median lies
    std::vector<int> xs, ys;
    for (int y = ny / 2; y < ny - 8; ++y)
      for (int x = nx / 4; x < 3 * nx / 4; ++x)
        if (out.at(x, y, z) >= 200) xs.push_back(x), ys.push_back(y);
    if (xs.empty()) continue;
    std::nth_element(xs.begin(), xs.begin() + xs.size() / 2, xs.end());
    std::nth_element(ys.begin(), ys.begin() + ys.size() / 2, ys.end());
    for (int side : {-7, 7})
      for (int dy = 0; dy < 2; ++dy)
        for (int dx = 0; dx < 2; ++dx)
          out.at(xs[xs.size() / 2] + side + dx, ys[ys.size() / 2] + dy, z) = 3071;
  }
  return out;
}

TEST(RealLevels, RotatedScanOnADenseTableWithSpinalRodsKeepsTheTrueSlice) {
  TempDir dir;
  const l3::CtScan ct = l3::read_ct(l3::testing::shared_data() / "totalseg-example" / "ct.nii.gz");
  const l3::HuImage hard = rotated_on_a_table_with_rods(ct.hu);
  ASSERT_GE(std::count(hard.voxels.begin(), hard.voxels.end(), int16_t(3071)), 36 * 2 * 4) << "a rod is missing";
  l3::write_image(hard, dir / "hard.nii.gz");
  const auto r = run_cli({"predict", (dir / "hard.nii.gz").string(), "--out", (dir / "out").string(), "--no-qc"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto p = prediction(dir / "out", "hard");
  ASSERT_EQ(p["status"], "L3 found") << p["evidence"]["reason"];
  EXPECT_LE(std::abs(p["l3"]["middle"]["canonical_index"].get<int>() - 74), 1) << p["evidence"]["reason"];
}

// The real CT cut through L4 (from slice 64; the L3 body is 69-79): no pelvis, sacrum or L5, so
// the atlas can only count from the ribs and the lumbar spine. Phantoms cut like this were counted
// one to three vertebrae low before the coverage cross-check (level_finder.h); the real CT was not.
TEST(RealLevels, ScanEndingAtL4WithoutThePelvisKeepsTheTrueSlice) {
  TempDir dir;
  const l3::CtScan ct = l3::read_ct(l3::testing::shared_data() / "totalseg-example" / "ct.nii.gz");
  constexpr int first = 64;
  l3::write_image(l3::axial_slab(ct.hu, first, ct.hu.grid.size[2] - 1), dir / "crop.nii.gz");
  const auto r = run_cli({"predict", (dir / "crop.nii.gz").string(), "--out", (dir / "out").string(), "--no-qc"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto p = prediction(dir / "out", "crop");
  ASSERT_EQ(p["status"], "L3 found") << p["evidence"]["reason"];
  EXPECT_LE(std::abs(p["l3"]["middle"]["canonical_index"].get<int>() - (74 - first)), 1) << p["evidence"]["reason"];
  EXPECT_EQ(p["model"]["settings"]["coverage_check_weight"].get<double>(), 0.3);
}

TEST(RealLevels, BundledAtlasIsRebuiltExactlyFromTheSharedData) {
  TempDir dir;
  const fs::path s0328 = l3::testing::shared_data() / "totalseg-s0328-bone-only";
  const auto r = run_cli({"atlas", (s0328 / "s0328_ct_bone_only_ge200HU.nii.gz").string(), "--labels",
                          (s0328 / "s0328_vertebrae_labelmap_gt.nii.gz").string(), "--tie-break-phantoms", "3",
                          "--level-check", L3SLICE_BUNDLED_LEVEL_CHECK, "--out", (dir / "a.l3a").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto bundled = nlohmann::json::parse(l3::testing::read_text(L3SLICE_BUNDLED_ATLAS));
  const auto rebuilt = nlohmann::json::parse(l3::testing::read_text(dir / "a.l3a"));
  EXPECT_EQ(rebuilt["crc32"], bundled["crc32"]);
  EXPECT_EQ(rebuilt["bodies"], bundled["bodies"]);
  EXPECT_EQ(rebuilt["tie_breakers"].size(), 3u);
  EXPECT_EQ(rebuilt["level_check"]["crc32"], bundled["level_check"]["crc32"]);
}

TEST(RealLevels, DamagedAtlasIsAOneLineError) {
  TempDir dir;
  std::ofstream(dir / "bad.l3a") << "{\"format\":\"l3slice-spine-atlas\",\"format_version\":1";
  const auto r = run_cli({"predict", (l3::testing::shared_data() / "totalseg-example" / "ct.nii.gz").string(), "--model",
                          (dir / "bad.l3a").string(), "--out", (dir / "out").string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("bad.l3a"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out" / "ct" / "prediction.json"));
}

TEST(RealLevels, DamagedLevelCheckIsAOneLineErrorAndNoAtlasIsWritten) {
  TempDir dir;
  std::string text = l3::testing::read_text(L3SLICE_BUNDLED_LEVEL_CHECK);
  std::ofstream(dir / "bad.l3q") << text.substr(0, text.size() / 3);  // truncated
  const fs::path s0328 = l3::testing::shared_data() / "totalseg-s0328-bone-only";
  const auto r = run_cli({"atlas", (s0328 / "s0328_ct_bone_only_ge200HU.nii.gz").string(), "--labels",
                          (s0328 / "s0328_vertebrae_labelmap_gt.nii.gz").string(), "--level-check", (dir / "bad.l3q").string(),
                          "--out", (dir / "a.l3a").string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("bad.l3q"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_FALSE(fs::exists(dir / "a.l3a"));
}

}  // namespace
