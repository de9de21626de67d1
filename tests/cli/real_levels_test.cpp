// The default `predict` (the bundled spine atlas, no --model, no training) on every shared real
// scan: L3 on the right vertebra of the real CT with L3, "not in field of view" on every real scan
// without it, the same physical answer from a flipped file and a shuffled DICOM series, and the
// bundled atlas (s0328 and its three phantom tie-breakers) rebuilt bit for bit from the shared data
// by `l3slice atlas`.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

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
  EXPECT_FALSE(ct["model"]["crc32"].get<std::string>().empty());
  EXPECT_EQ(ct["evidence"]["level_per_slice"][74], "L3");
  // A clear answer of the real atlas: the phantom tie-breakers are carried (and recorded) but not asked.
  EXPECT_EQ(ct["model"]["tie_breakers"].size(), 3u);
  EXPECT_FALSE(ct["evidence"].contains("tie_break"));
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

TEST(RealLevels, BundledAtlasIsRebuiltExactlyFromTheSharedData) {
  TempDir dir;
  const fs::path s0328 = l3::testing::shared_data() / "totalseg-s0328-bone-only";
  const auto r = run_cli({"atlas", (s0328 / "s0328_ct_bone_only_ge200HU.nii.gz").string(), "--labels",
                          (s0328 / "s0328_vertebrae_labelmap_gt.nii.gz").string(), "--tie-break-phantoms", "3", "--out",
                          (dir / "a.l3a").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto bundled = nlohmann::json::parse(l3::testing::read_text(L3SLICE_BUNDLED_ATLAS));
  const auto rebuilt = nlohmann::json::parse(l3::testing::read_text(dir / "a.l3a"));
  EXPECT_EQ(rebuilt["crc32"], bundled["crc32"]);
  EXPECT_EQ(rebuilt["bodies"], bundled["bodies"]);
  EXPECT_EQ(rebuilt["tie_breakers"].size(), 3u);
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

}  // namespace
