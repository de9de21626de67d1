// The whole job as a user runs it, with a model that has learnt something: phantom cohorts ->
// `l3slice train` (a short run, one thread) -> `l3slice evaluate` on held-out phantoms ->
// `l3slice predict` on the shared real scans that do not contain L3, which must be answered
// "L3 not in field of view" (not a false L3 somewhere in the thoracolumbar spine).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

#include "l3slice/core/csv.h"
#include "l3slice/io/ct_reader.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using l3::testing::run_cli;

namespace {

double number(const l3::CsvTable& table, const std::string& column, int row = 0) {
  return std::stod(table.rows[size_t(row)][size_t(table.column(column))]);
}

// Chance: the middle slice of each scan with L3, knowing nothing about anatomy.
double chance_error(const fs::path& cohort) {
  const auto truth = l3::read_csv(cohort / "truth.csv");
  double sum = 0;
  int n = 0;
  for (const auto& row : truth.rows) {
    if (row[size_t(truth.column("has_l3"))] != "1") continue;
    const std::string case_id = row[size_t(truth.column("case_id"))];
    const int slices = l3::read_ct(cohort / case_id / "ct.nii.gz").hu.grid.size[2];
    sum += std::abs((slices - 1) / 2 - std::stoi(row[size_t(truth.column("l3_body_middle"))]));
    ++n;
  }
  return sum / n;
}

TEST(TrainedModelCli, LocatesL3OnHeldOutPhantomsAndAnswersNotInFieldOfViewOnRealScansWithoutL3) {
  const fs::path shared = l3::testing::shared_data() / "totalseg-example";
  l3::testing::TempDir dir;
  for (const auto& [name, count, seed] : {std::tuple{"train", "32", "2000"}, std::tuple{"test", "12", "9100"}}) {
    const auto made = run_cli({"phantom", "--out", (dir / name).string(), "--count", count, "--seed", seed,
                               "--slice-mm", "3"});
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }
  const fs::path model = dir / "model.l3m";
  const auto trained = run_cli({"train", "--manifest", (dir / "train" / "manifest.csv").string(), "--out",
                                model.string(), "--arch", "resnet18", "--input-size", "64", "--fov-mm", "400",
                                "--epochs", "4", "--batch", "32", "--oversample", "2", "--class-weight", "2",
                                "--seed", "1", "--threads", "1"});
  ASSERT_EQ(trained.exit_code, 0) << trained.err;

  const auto evaluated = run_cli({"evaluate", "--manifest", (dir / "test" / "manifest.csv").string(), "--model",
                                  model.string(), "--out", (dir / "eval").string(), "--threads", "1"});
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.err;
  std::printf("%s", evaluated.out.c_str());
  const auto summary = l3::read_csv(dir / "eval" / "summary.csv");
  ASSERT_EQ(summary.rows.size(), 1u);
  // A short run on 32 phantoms is no accurate model (one-vertebra confusions remain; accuracy is
  // tested in the training module): here it must find L3 where it is and say where it is not.
  const double with_l3 = number(summary, "cases_with_l3");
  EXPECT_LE(number(summary, "missed"), 0.2 * with_l3);
  EXPECT_LE(number(summary, "median_error_slices"), 2.0) << "chance: " << chance_error(dir / "test") << " slices";

  const auto predicted = run_cli({"predict", (shared / "partial-dicom").string(),
                                  (shared / "ct-upper-abdomen.nii.gz").string(), "--model", model.string(), "--out",
                                  (dir / "pred").string(), "--threads", "1"});
  ASSERT_EQ(predicted.exit_code, 0) << predicted.err;
  const auto cases = l3::read_csv(dir / "pred" / "summary.csv");
  ASSERT_EQ(cases.rows.size(), 2u);
  for (int r = 0; r < 2; ++r) {
    const std::string case_id = cases.rows[size_t(r)][size_t(cases.column("case_id"))];
    EXPECT_EQ(cases.rows[size_t(r)][size_t(cases.column("status"))], "l3_not_in_field_of_view") << case_id;
    EXPECT_EQ(cases.rows[size_t(r)][size_t(cases.column("l3_middle"))], "") << case_id;
    const auto report = nlohmann::json::parse(l3::testing::read_text(dir / "pred" / case_id / "prediction.json"));
    EXPECT_EQ(report["status"], "L3 not in field of view") << case_id;
    EXPECT_FALSE(report["l3_found"].get<bool>()) << case_id;
    EXPECT_TRUE(report["l3"].is_null()) << case_id;
    EXPECT_TRUE(fs::exists(dir / "pred" / case_id / "qc.png")) << case_id;
  }
}

}  // namespace
