// `l3slice predict` and `l3slice evaluate` run as a user runs them, on tiny data with a tiny
// untrained model: outputs, exit codes and one-line errors (accuracy is tested where models are trained).
#include <gtest/gtest.h>

#include <fstream>

#include "l3slice/core/csv.h"
#include "l3slice/model/model_file.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using l3::testing::run_cli;
using l3::testing::TempDir;

namespace {

fs::path tiny_model(const fs::path& path) {
  torch::manual_seed(3);
  l3::ModelInfo info;
  info.arch = {18, 1, 2};
  info.input_size = 32;
  auto net = l3::make_resnet(info.arch);
  l3::save_model(path, info, net);
  return path;
}

TEST(PredictCli, PredictsABatchRecordsTheBadCaseAndEvaluates) {
  TempDir dir;
  const auto made = run_cli({"phantom", "--out", (dir / "ph").string(), "--count", "2", "--seed", "5",
                             "--slice-mm", "5", "--matrix", "64"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const fs::path model = tiny_model(dir / "tiny.l3m");
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

  const auto e = run_cli({"evaluate", "--manifest", (dir / "ph" / "manifest.csv").string(), "--model", model.string(),
                          "--model", model.string(), "--out", (dir / "eval").string()});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_NE(e.out.find("| tiny |"), std::string::npos) << e.out;
  EXPECT_NE(e.out.find("| tiny_2 |"), std::string::npos) << e.out;
  EXPECT_EQ(l3::read_csv(dir / "eval" / "cases.csv").rows.size(), 4u);
}

TEST(PredictCli, MissingModelIsAOneLineError) {
  TempDir dir;
  const auto r = run_cli({"predict", (dir / "x.nii.gz").string(), "--model", (dir / "nope.l3m").string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("nope.l3m"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

}  // namespace
