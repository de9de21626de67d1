// The manifest batch: outputs per case, failures recorded without stopping, resume, combined table.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "l3slice/bodycomp/batch.h"
#include "l3slice/bodycomp/report.h"
#include "l3slice/core/atomic_file.h"
#include "l3slice/core/csv.h"
#include "l3slice/core/error.h"
#include "l3slice/core/fingerprint.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using l3::testing::TempDir;

TEST(BodycompBatch, RecordsFailuresResumesAndWritesOneTable) {
  TempDir dir;
  const fs::path ct = l3::testing::shared_data() / "totalseg-example" / "ct.nii.gz";
  l3::write_text_atomically(dir / "m.csv", "case_id,image,slice,height_m,weight_kg\n"
                                           "good," + ct.string() + ",74,1.8,81\n"
                                           "outside," + ct.string() + ",999,,\n"
                                           "missing,nowhere.nii.gz,10,,\n");
  const auto cases = l3::read_bodycomp_manifest(dir / "m.csv");
  ASSERT_EQ(cases.size(), 3u);
  EXPECT_EQ(cases[2].image, dir.path() / "nowhere.nii.gz");
  ASSERT_TRUE(cases[0].height_m);

  const auto first = l3::run_bodycomp_batch(cases, dir / "out", {}, nullptr);
  EXPECT_EQ(first.measured, 1);
  ASSERT_EQ(first.failures.size(), 2u);
  EXPECT_EQ(first.failures[0].case_id, "outside");
  EXPECT_EQ(first.failures[0].input, ct.string());
  EXPECT_NE(first.failures[0].error.find("outside the volume"), std::string::npos);
  for (const char* f : {"good.json", "good.csv", "good.png", "bodycomp.csv", "failures.csv"})
    EXPECT_TRUE(fs::exists(dir / "out" / f)) << f;
  const l3::CsvTable table = l3::read_csv(dir / "out" / "bodycomp.csv");
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0][table.column("case_id")], "good");
  EXPECT_FALSE(table.rows[0][table.column("smi_cm2_m2")].empty());

  const auto second = l3::run_bodycomp_batch(cases, dir / "out", {}, nullptr);
  EXPECT_EQ(second.skipped, 1);
  EXPECT_EQ(second.measured, 0);
  EXPECT_EQ(second.failures.size(), 2u);

  // Other thresholds: the stored result is not reused, and the new ones are recorded everywhere.
  l3::BodyCompOptions other;
  other.thresholds.muscle = {-30, 150};
  const auto third = l3::run_bodycomp_batch(cases, dir / "out", other, nullptr);
  EXPECT_EQ(third.skipped, 0);
  EXPECT_EQ(third.measured, 1);
  const auto json = nlohmann::json::parse(l3::testing::read_text(dir / "out" / "good.json"));
  EXPECT_EQ(json["thresholds_hu"]["muscle"], nlohmann::json::array({-30, 150}));
  EXPECT_EQ(json["provenance"]["thresholds_hu"]["muscle"], nlohmann::json::array({-30, 150}));
  EXPECT_EQ(json["provenance"]["input_fingerprint"], l3::input_fingerprint(ct));
  const l3::CsvTable again = l3::read_csv(dir / "out" / "bodycomp.csv");
  EXPECT_NE(again.rows[0][again.column("thresholds_hu")].find("SMA -30..150"), std::string::npos);
  EXPECT_EQ(l3::run_bodycomp_batch(cases, dir / "out", other, nullptr).skipped, 1);
}

TEST(BodycompBatch, ManifestProblemsNameTheFileAndLine) {
  TempDir dir;
  l3::write_text_atomically(dir / "a.csv", "case_id,image\np,x.nii\n");
  EXPECT_THROW(l3::read_bodycomp_manifest(dir / "a.csv"), l3::InputError);
  l3::write_text_atomically(dir / "b.csv", "case_id,image,slice\np,x.nii,7.5\n");
  try {
    l3::read_bodycomp_manifest(dir / "b.csv");
    FAIL();
  } catch (const l3::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
  }
  l3::write_text_atomically(dir / "c.csv", "case_id,image,slice\np,x.nii,1\np,y.nii,2\n");
  EXPECT_THROW(l3::read_bodycomp_manifest(dir / "c.csv"), l3::InputError);
  l3::write_text_atomically(dir / "d.csv", "case_id,image,slice\n../p,x.nii,1\n");
  EXPECT_THROW(l3::read_bodycomp_manifest(dir / "d.csv"), l3::InputError);
}

TEST(BodycompReport, JsonRoundTripsAndCsvRowMatchesHeader) {
  l3::BodyComposition c;
  c.case_id = "p1";
  c.slice = 74;
  c.first_slice = 73;
  c.last_slice = 75;
  c.sma_cm2 = 140.123;
  c.muscle_hu = 38.26;
  c.height_m = 1.7;
  c.smi_cm2_m2 = 48.49;
  c.warnings = {"w"};
  const l3::BodyComposition back = l3::body_composition_from_json(l3::to_json(c));
  EXPECT_EQ(back.case_id, "p1");
  EXPECT_EQ(back.last_slice, 75);
  EXPECT_NEAR(back.sma_cm2, 140.12, 1e-9);
  EXPECT_NEAR(back.muscle_hu, 38.3, 1e-9);
  EXPECT_FALSE(back.weight_kg);
  EXPECT_EQ(back.warnings, c.warnings);
  EXPECT_EQ(l3::body_composition_csv_row(c).size(), l3::body_composition_csv_header().size());
}

// volume_first/volume_last columns: tissue volumes per case in the JSON and the combined table; a
// change of the volume slices is a change of settings, so the case is measured again.
TEST(BodycompBatch, VolumeColumnsAddTissueVolumesAndTakePartInResume) {
  TempDir dir;
  const fs::path ct = l3::testing::shared_data() / "totalseg-example" / "ct.nii.gz";
  l3::write_text_atomically(dir / "m.csv", "case_id,image,slice,volume_first,volume_last\n"
                                           "l3," + ct.string() + ",74,69,79\n"
                                           "slice-only," + ct.string() + ",74,,\n");
  const auto cases = l3::read_bodycomp_manifest(dir / "m.csv");
  ASSERT_TRUE(cases[0].volume);
  EXPECT_EQ(cases[0].volume->first, 69);
  EXPECT_FALSE(cases[1].volume);
  const auto first = l3::run_bodycomp_batch(cases, dir / "out", {}, nullptr);
  ASSERT_EQ(first.measured, 2) << (first.failures.empty() ? "" : first.failures[0].error);
  const auto j = nlohmann::json::parse(l3::testing::read_text(dir / "out" / "l3.json"));
  ASSERT_TRUE(j.contains("volumes"));
  EXPECT_GT(j["volumes"]["muscle_cm3"].get<double>(), 100.0);  // 11 slices of 3 mm, SMA ~150 cm2
  const l3::CsvTable table = l3::read_csv(dir / "out" / "bodycomp.csv");
  ASSERT_EQ(table.rows.size(), 2u);
  const int col = table.column("volume_muscle_cm3");
  ASSERT_GE(col, 0);
  EXPECT_NEAR(std::stod(table.rows[0][std::size_t(col)]), j["volumes"]["muscle_cm3"].get<double>(), 0.01);
  EXPECT_TRUE(table.rows[1][std::size_t(col)].empty());

  l3::write_text_atomically(dir / "m.csv", "case_id,image,slice,volume_first,volume_last\n"
                                           "l3," + ct.string() + ",74,70,78\n"
                                           "slice-only," + ct.string() + ",74,,\n");
  const auto second = l3::run_bodycomp_batch(l3::read_bodycomp_manifest(dir / "m.csv"), dir / "out", {}, nullptr);
  EXPECT_EQ(second.measured, 1);
  EXPECT_EQ(second.skipped, 1);

  l3::write_text_atomically(dir / "bad.csv", "case_id,image,slice,volume_first\np,x.nii,1,2\n");
  EXPECT_THROW(l3::read_bodycomp_manifest(dir / "bad.csv"), l3::InputError);
  l3::write_text_atomically(dir / "bad2.csv", "case_id,image,slice,volume_first,volume_last\np,x.nii,1,9,3\n");
  EXPECT_THROW(l3::read_bodycomp_manifest(dir / "bad2.csv"), l3::InputError);
}
