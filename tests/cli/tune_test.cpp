// `l3slice tune`: a tiny real study (training as the objective), its continuation, and bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "l3slice/io/png_io.h"
#include "support/test_support.h"

namespace fs = std::filesystem;

namespace l3 {
namespace {

using testing::read_text;
using testing::run_cli;
using testing::TempDir;

// Small enough for the sanitizer build: resnet18 at 32 px, one epoch per trial, 6 cases at 5 mm.
std::vector<std::string> tune_args(const fs::path& manifest, const fs::path& out, int trials) {
  return {"tune", "--manifest", manifest.string(), "--out", out.string(), "--trials", std::to_string(trials),
          "--initial-trials", "2", "--arch", "resnet18", "--input-size", "32", "--epochs-per-trial", "1",
          "--batch", "16", "--val-fraction", "0.34", "--r-range", "0,4", "--w-range", "1,20", "--seed", "3",
          "--threads", "1"};  // ctest runs two tests at once on two cores
}

nlohmann::json read_json(const fs::path& path) { return nlohmann::json::parse(read_text(path)); }

fs::path make_cohort(const TempDir& tmp) {
  const fs::path data = tmp / "cohort";
  const auto r = run_cli({"phantom", "--out", data.string(), "--count", "6", "--seed", "500", "--matrix", "64",
                          "--slice-mm", "5", "--no-l3-fraction", "0"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return data / "manifest.csv";
}

TEST(TuneCli, TinyStudyThenOneMoreTrial) {
  TempDir tmp;
  const fs::path manifest = make_cohort(tmp);
  const fs::path study = tmp / "study";

  const auto first = run_cli(tune_args(manifest, study, 3));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const nlohmann::json before = read_json(study / "study.json");
  ASSERT_EQ(before.at("trials").size(), 3u);
  for (const auto& t : before.at("trials")) {
    EXPECT_EQ(t.at("status"), "ok") << t.dump();
    EXPECT_TRUE(t.at("objective").is_number()) << t.dump();
    EXPECT_GE(t.at("objective").get<double>(), 0.0);
    EXPECT_TRUE(fs::is_regular_file(study / t.at("model_path").get<std::string>())) << t.dump();
    const double r = t.at("params").at("r"), w = t.at("params").at("w");
    EXPECT_TRUE(r >= 0 && r <= 4) << r;
    EXPECT_TRUE(w >= 1 && w <= 20) << w;
  }
  ASSERT_FALSE(before.at("best").is_null());
  // The table on stdout marks the best trial; the comparison command is printed.
  EXPECT_NE(first.out.find("best: trial"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("l3slice evaluate --manifest"), std::string::npos) << first.out;
  for (const char* png : {"objective.png", "surrogate.png"}) {
    const PngImage image = read_png(study / png);
    EXPECT_GT(image.width, 100) << png;
    EXPECT_EQ(image.channels, 3) << png;
  }
  EXPECT_TRUE(fs::is_regular_file(study / "best.l3m"));
  EXPECT_TRUE(fs::is_regular_file(study / "baseline.l3m"));
  EXPECT_FALSE(fs::exists(study / "best.l3m.ckpt"));
  // The final model was trained with the best trial's parameters.
  const nlohmann::json final_record = read_json(study / "final.json");
  EXPECT_EQ(final_record.at("best").at("r"), before.at("best").at("params").at("r"));
  EXPECT_EQ(final_record.at("best").at("w"), before.at("best").at("params").at("w"));
  EXPECT_EQ(final_record.at("baseline").at("r"), 0.0);
  EXPECT_EQ(final_record.at("baseline").at("w"), 1.0);

  // --trials 4 continues the study: exactly one more trial, the first three untouched.
  const auto second = run_cli(tune_args(manifest, study, 4));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const nlohmann::json after = read_json(study / "study.json");
  ASSERT_EQ(after.at("trials").size(), 4u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(after.at("trials")[i], before.at("trials")[i]) << i;
  EXPECT_EQ(after.at("trials")[3].at("index"), 3);
  EXPECT_TRUE(fs::is_regular_file(study / "trials" / "trial_003.l3m"));
  EXPECT_NE(second.err.find("resuming a study with 3 trials; 1 more to run"), std::string::npos) << second.err;

  // Other training settings on the same study folder: refused, naming the settings file, study unchanged.
  auto other = tune_args(manifest, study, 5);
  std::replace(other.begin(), other.end(), std::string("32"), std::string("48"));  // --input-size
  const auto refused = run_cli(other);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find((study / "tune.json").string()), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("input"), std::string::npos) << refused.err;
  EXPECT_EQ(read_json(study / "study.json").at("trials").size(), 4u);
}

TEST(TuneCli, BadManifestIsOneLineErrorAndNoStudy) {
  TempDir tmp;
  const fs::path manifest = tmp / "bad.csv";
  std::ofstream(manifest) << "patient,scan\nA,missing.nii.gz\n";
  const fs::path study = tmp / "study";
  const auto r = run_cli(tune_args(manifest, study, 3));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.err.rfind("l3slice: error: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(manifest.string()), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_FALSE(fs::exists(study / "study.json"));
  EXPECT_FALSE(fs::exists(study));
}

TEST(TuneCli, BadRangeIsUsageError) {
  TempDir tmp;
  auto args = tune_args(tmp / "none.csv", tmp / "study", 3);
  std::replace(args.begin(), args.end(), std::string("1,20"), std::string("20,1"));  // --w-range
  const auto r = run_cli(args);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--w-range"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(tmp / "study"));
}

}  // namespace
}  // namespace l3
