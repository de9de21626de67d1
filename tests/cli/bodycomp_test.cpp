// `l3slice bodycomp` end to end on the shared real CT: outputs, errors, and a resumable batch.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "l3slice/core/atomic_file.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using l3::testing::run_cli;
using l3::testing::TempDir;

namespace {
fs::path real_ct() { return l3::testing::shared_data() / "totalseg-example" / "ct.nii.gz"; }
}  // namespace

TEST(BodycompCli, MeasuresOneSliceAndWritesJsonCsvPng) {
  TempDir out;
  const auto r = run_cli({"bodycomp", real_ct().string(), "--slice", "74", "--out", out.path().string(),
                          "--height-m", "1.70", "--weight-kg", "70"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("SMA"), std::string::npos) << r.out;
  const auto j = nlohmann::json::parse(l3::testing::read_text(out / "ct.json"));
  EXPECT_EQ(j["slice"], 74);
  EXPECT_GT(j["sma_cm2"].get<double>(), 50);
  EXPECT_NEAR(j["smi_cm2_m2"].get<double>(), j["sma_cm2"].get<double>() / (1.7 * 1.7), 0.02);
  EXPECT_EQ(j["method"], "l3slice-bodycomp-5");
  EXPECT_EQ(j["measured_slice"]["canonical_index"], 74);
  EXPECT_EQ(j["measured_slice"]["file_index"], 74);  // RAS file: canonical order is the file's
  const std::string csv = l3::testing::read_text(out / "ct.csv");
  EXPECT_EQ(csv.rfind("case_id,slice,", 0), 0u) << csv;
  EXPECT_TRUE(fs::file_size(out / "ct.png") > 1000);
}

// Volumes over the L3 body's slices, from a prediction file (as `predict` writes it) or given.
TEST(BodycompCli, L3VolumeFromThePredictionOrGivenSlices) {
  TempDir out;
  const fs::path prediction = out / "prediction.json";
  l3::write_text_atomically(prediction, R"({"status": "L3 found", "l3": {"first": {"canonical_index": 69},
      "middle": {"canonical_index": 74}, "last": {"canonical_index": 79}}})");
  const auto r = run_cli({"bodycomp", real_ct().string(), "--prediction", prediction.string(), "--l3-volume", "--out",
                          (out / "a").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(l3::testing::read_text(out / "a" / "ct.json"));
  EXPECT_EQ(j["slice"], 74);
  EXPECT_EQ(j["volumes"]["first_slice"], 69);
  EXPECT_EQ(j["volumes"]["last_slice"], 79);
  // 11 slices of 3 mm: the volume is about 3.3 cm times the mid-slice area.
  EXPECT_NEAR(j["volumes"]["muscle_cm3"].get<double>() / (3.3 * j["sma_cm2"].get<double>()), 1.0, 0.2);
  const auto given = run_cli({"bodycomp", real_ct().string(), "--slice", "74", "--volume-slices", "69,79", "--out",
                              (out / "b").string()});
  ASSERT_EQ(given.exit_code, 0) << given.err;
  EXPECT_EQ(nlohmann::json::parse(l3::testing::read_text(out / "b" / "ct.json"))["volumes"], j["volumes"]);
  const auto bad = run_cli({"bodycomp", real_ct().string(), "--slice", "74", "--l3-volume", "--out", (out / "c").string()});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("--l3-volume needs --prediction"), std::string::npos) << bad.err;
}

TEST(BodycompCli, SliceOutsideTheVolumeIsAOneLineError) {
  TempDir out;
  const auto r = run_cli({"bodycomp", real_ct().string(), "--slice", "500", "--out", out.path().string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.err.rfind("l3slice: error: " + real_ct().string() + ": slice 500 is outside the volume", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_FALSE(fs::exists(out / "ct.json"));
}

TEST(BodycompCli, BatchRecordsBadCasesAndResumes) {
  TempDir dir;
  l3::write_text_atomically(dir / "m.csv", "case_id,image,slice,height_m\n"
                                           "good," + real_ct().string() + ",74,1.8\n"
                                           "outside," + real_ct().string() + ",999,\n"
                                           "missing,nowhere.nii.gz,10,\n");
  const std::string out = (dir / "out").string();
  const auto first = run_cli({"bodycomp", "--manifest", (dir / "m.csv").string(), "--out", out});
  EXPECT_NE(first.exit_code, 0);  // two cases failed
  EXPECT_TRUE(fs::exists(dir / "out" / "good.json"));
  EXPECT_TRUE(fs::exists(dir / "out" / "good.png"));
  const std::string failures = l3::testing::read_text(dir / "out" / "failures.csv");
  EXPECT_NE(failures.find("outside,"), std::string::npos) << failures;
  EXPECT_NE(failures.find("missing,"), std::string::npos) << failures;
  const std::string table = l3::testing::read_text(dir / "out" / "bodycomp.csv");
  EXPECT_NE(table.find("\ngood,74,"), std::string::npos) << table;

  const auto again = run_cli({"bodycomp", "--manifest", (dir / "m.csv").string(), "--out", out});
  EXPECT_NE(again.out.find("1 already done"), std::string::npos) << again.out;
}

// For DICOM input the JSON names the measured slice's file, InstanceNumber and SOPInstanceUID,
// as predict does, so the slice can be found in PACS.
TEST(BodycompCli, DicomInputNamesTheMeasuredImage) {
  TempDir dir;
  ASSERT_EQ(run_cli({"phantom", "--count", "1", "--seed", "11", "--format", "dicom", "--out", (dir / "ph").string()}).exit_code, 0);
  const auto r = run_cli({"bodycomp", (dir / "ph" / "phantom-00011" / "dicom").string(), "--slice", "10", "--out",
                          (dir / "bc").string(), "--case-id", "p"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto s = nlohmann::json::parse(l3::testing::read_text(dir / "bc" / "p.json"))["measured_slice"];
  EXPECT_EQ(s["canonical_index"], 10);
  EXPECT_GE(s["instance_number"].get<int>(), 1);
  EXPECT_FALSE(s["sop_instance_uid"].get<std::string>().empty());
  EXPECT_TRUE(fs::exists(dir / "ph" / "phantom-00011" / "dicom" / s["file_name"].get<std::string>())) << s.dump();
}

// --dicom-out: SEG and SR beside the other outputs for a DICOM series; refused for other inputs
// before anything is written.
TEST(BodycompCli, DicomOutWritesSegAndSrForDicomSeriesOnly) {
  TempDir out;
  const fs::path series = l3::testing::shared_data() / "totalseg-example" / "partial-dicom";
  const auto r = run_cli({"bodycomp", series.string(), "--slice", "10", "--out", out.path().string(), "--dicom-out"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::file_size(out / "partial-dicom-seg.dcm") > 4 * 512 * 512 / 8);  // four bit-packed 512² frames
  EXPECT_TRUE(fs::file_size(out / "partial-dicom-sr.dcm") > 1000);
  EXPECT_TRUE(fs::exists(out / "partial-dicom.json"));
  // This anonymised series has no study or series UID: said once each, on stderr.
  EXPECT_NE(r.err.find("no Study Instance UID"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("W: "), std::string::npos) << "DCMTK's own log lines leak: " << r.err;

  TempDir nifti;
  const auto bad = run_cli({"bodycomp", real_ct().string(), "--slice", "74", "--out", nifti.path().string(), "--dicom-out"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("ct.nii.gz: --dicom-out needs a DICOM series"), std::string::npos) << bad.err;
  EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
  EXPECT_TRUE(!fs::exists(nifti.path()) || fs::is_empty(nifti.path()));
}

// A batch with --dicom-out: SEG and SR for each DICOM case; a NIfTI case fails alone (recorded);
// a resumed run reuses cases measured with DICOM output, and measures again those without.
TEST(BodycompCli, BatchWithDicomOutWritesSegAndSrPerDicomCaseAndResumes) {
  TempDir out;
  const fs::path shared = l3::testing::shared_data();
  const fs::path manifest = out / "cases.csv";
  l3::write_text_atomically(manifest, "case_id,image,slice\n"
                                      "chest," + (shared / "real-negatives" / "lidc-idri-0001-chest").string() + ",40\n"
                                      "nifti," + real_ct().string() + ",74\n");
  const fs::path results = out / "results";
  const auto plain = run_cli({"bodycomp", "--manifest", manifest.string(), "--out", results.string(), "--allow-failures"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_FALSE(fs::exists(results / "chest-sr.dcm"));
  const auto r = run_cli({"bodycomp", "--manifest", manifest.string(), "--out", results.string(), "--dicom-out"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("1 measured, 0 already done, 1 failed"), std::string::npos) << r.out;  // chest redone: no DICOM before
  EXPECT_TRUE(fs::exists(results / "chest-seg.dcm"));
  EXPECT_TRUE(fs::exists(results / "chest-sr.dcm"));
  EXPECT_FALSE(fs::exists(results / "nifti-sr.dcm"));
  EXPECT_FALSE(fs::exists(results / "nifti.json")) << "a failed case must not look complete";
  EXPECT_NE(l3::testing::read_text(results / "failures.csv").find("need a DICOM series"), std::string::npos);
  const auto again = run_cli({"bodycomp", "--manifest", manifest.string(), "--out", results.string(), "--dicom-out",
                              "--allow-failures"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("0 measured, 1 already done, 1 failed"), std::string::npos) << again.out;
}
