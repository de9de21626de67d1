// A wrong label value is an error before any training or evaluation, never a cohort of scans
// "without L3"; an empty labels cell is how a scan without L3 is declared.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace fs = std::filesystem;
using l3::testing::run_cli;
using l3::testing::TempDir;

TEST(LabelChecks, WrongLabelValueStopsTrainAndEvaluate) {
  TempDir dir;
  const auto made = run_cli({"phantom", "--out", (dir / "ph").string(), "--count", "3", "--seed", "21", "--slice-mm", "5",
                             "--matrix", "48", "--no-l3-fraction", "0"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const std::string manifest = l3::testing::read_text(dir / "ph" / "manifest.csv");
  std::string wrong = manifest;  // every label_value 22 -> 29
  for (auto at = wrong.find(",22\n"); at != std::string::npos; at = wrong.find(",22\n", at)) wrong.replace(at, 4, ",29\n");
  std::ofstream(dir / "ph" / "wrong.csv") << wrong;
  for (const char* command : {"train", "evaluate"}) {
    std::vector<std::string> args{command, "--manifest", (dir / "ph" / "wrong.csv").string(), "--out",
                                  (dir / (std::string(command) + "-out")).string()};
    if (std::string(command) == "train") args.insert(args.end(), {"--epochs", "1"});
    const auto r = run_cli(args);
    EXPECT_NE(r.exit_code, 0) << command;
    EXPECT_NE(r.err.find("label 29 occurs in none of the 3 label files"), std::string::npos) << command << ": " << r.err;
    EXPECT_FALSE(fs::exists(dir / "train-out")) << "no model written";
  }
  // Declared negatives (empty labels cell) next to labelled cases are fine.
  std::ofstream(dir / "ph" / "declared.csv") << manifest << "declared," << "phantom-00021/ct.nii.gz,,\n";
  const auto ok = run_cli({"evaluate", "--manifest", (dir / "ph" / "declared.csv").string(), "--out", (dir / "ev").string()});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}
