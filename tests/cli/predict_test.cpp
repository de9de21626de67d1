// `l3slice predict` and `l3slice evaluate` run as a user runs them, on tiny data with a tiny
// untrained model: outputs, exit codes and one-line errors (accuracy is tested where models are trained).
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "l3slice/core/csv.h"
#include "support/test_support.h"
#include "support/untrained_model.h"

namespace fs = std::filesystem;
using l3::testing::run_cli;
using l3::testing::TempDir;

namespace {

TEST(PredictCli, PredictsABatchRecordsTheBadCaseAndEvaluates) {
  TempDir dir;
  const auto made = run_cli({"phantom", "--out", (dir / "ph").string(), "--count", "2", "--seed", "5",
                             "--slice-mm", "5", "--matrix", "64"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const fs::path model = l3::testing::write_untrained_model(dir / "tiny.l3m", 3);
  std::ofstream(dir / "empty.nii.gz") << "";

  const auto cases = l3::read_csv(dir / "ph" / "manifest.csv");
  const int image = cases.column("image");
  const fs::path ct1 = dir / "ph" / cases.rows[0][image];
  const auto r = run_cli({"predict", ct1.string(), (dir / "empty.nii.gz").string(), "--model", model.string(),
                          "--out", (dir / "pred").string()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;  // one case failed -> non-zero, but the other is done
  EXPECT_NE(r.err.find("1 of 2 cases failed"), std::string::npos) << r.err;
  const auto summary = l3::read_csv(dir / "pred" / "summary.csv");
  ASSERT_EQ(summary.rows.size(), 2u);
  EXPECT_NE(summary.rows[0][summary.column("status")], "error");
  EXPECT_EQ(summary.rows[1][summary.column("status")], "error");
  EXPECT_NE(summary.rows[1][summary.column("error")].find("empty.nii.gz"), std::string::npos);
  const auto failures = l3::read_csv(dir / "pred" / "failures.csv");  // the same columns in every batch command
  EXPECT_EQ(failures.header, (std::vector<std::string>{"case_id", "input", "error"}));
  ASSERT_EQ(failures.rows.size(), 1u);
  EXPECT_EQ(failures.rows[0][0], "empty");
  const auto allowed = run_cli({"predict", (dir / "empty.nii.gz").string(), "--model", model.string(), "--out",
                                (dir / "pred3").string(), "--allow-failures"});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_NE(allowed.err.find("warning: 1 of 1 cases failed"), std::string::npos) << allowed.err;

  // evaluate: a case that cannot be read is a failure too (non-zero exit, failures.csv), the rest is measured.
  {
    std::ofstream bad(dir / "ph" / "with-bad.csv");
    bad << l3::testing::read_text(dir / "ph" / "manifest.csv") << "broken,../empty.nii.gz,"
        << cases.rows[0][cases.column("labels")] << ",22\n";
  }
  const auto partial = run_cli({"evaluate", "--manifest", (dir / "ph" / "with-bad.csv").string(), "--model",
                                model.string(), "--out", (dir / "eval-bad").string()});
  EXPECT_EQ(partial.exit_code, 1) << partial.err;
  EXPECT_NE(partial.err.find("1 of 3 cases failed"), std::string::npos) << partial.err;
  EXPECT_EQ(l3::read_csv(dir / "eval-bad" / "failures.csv").rows.size(), 1u);
  EXPECT_TRUE(fs::exists(dir / "eval-bad" / "summary.csv"));

  const auto e = run_cli({"evaluate", "--manifest", (dir / "ph" / "manifest.csv").string(), "--model", model.string(),
                          "--model", model.string(), "--out", (dir / "eval").string()});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_NE(e.out.find("| tiny |"), std::string::npos) << e.out;
  EXPECT_NE(e.out.find("| tiny_2 |"), std::string::npos) << e.out;
  EXPECT_EQ(l3::read_csv(dir / "eval" / "cases.csv").rows.size(), 4u);

  // The run lengths used are recorded; an override replaces the model's (here: generic) ones.
  const auto limited = run_cli({"predict", ct1.string(), "--model", model.string(), "--out", (dir / "pred2").string(),
                                "--run-length-mm", "12", "40", "--no-qc"});
  ASSERT_EQ(limited.exit_code, 0) << limited.err;
  const auto written = l3::read_csv(dir / "pred2" / "summary.csv");
  ASSERT_EQ(written.rows.size(), 1u);
  const std::string case_id = written.rows[0][written.column("case_id")];
  const auto report = nlohmann::json::parse(l3::testing::read_text(dir / "pred2" / case_id / "prediction.json"));
  EXPECT_EQ(report["model"]["run_length_limits_mm"]["min"], 12.0);
  EXPECT_EQ(report["model"]["run_length_limits_mm"]["max"], 40.0);
  const auto bad = run_cli({"evaluate", "--manifest", (dir / "ph" / "manifest.csv").string(), "--model", model.string(),
                            "--out", (dir / "eval2").string(), "--run-length-mm", "40", "12"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("--run-length-mm 40 12"), std::string::npos) << bad.err;
}

TEST(PredictCli, MissingModelIsAOneLineError) {
  TempDir dir;
  const auto r = run_cli({"predict", (dir / "x.nii.gz").string(), "--model", (dir / "nope.l3m").string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("nope.l3m"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

}  // namespace
