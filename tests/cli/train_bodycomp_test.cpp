// `l3slice train-bodycomp` and `bodycomp --method unet` end to end on a tiny U-Net: the model
// trained from a phantom dataset's tissue-manifest.csv is used and named (with its CRC) in the
// output; without --model the bundled U-Net is used; bad models and label values are one-line
// errors naming the file.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace fs = std::filesystem;
using l3::testing::run_cli;
using l3::testing::TempDir;

TEST(TrainBodycompCli, TrainsAUNetThatBodycompUsesAndNames) {
  TempDir dir;
  const fs::path phantoms = dir / "phantoms";
  ASSERT_EQ(run_cli({"phantom", "--count", "2", "--seed", "7", "--matrix", "64", "--out", phantoms.string()}).exit_code, 0);
  ASSERT_TRUE(fs::exists(phantoms / "tissue-manifest.csv"));
  const fs::path model = dir / "u.l3u";
  const std::vector<std::string> tiny = {"--base-channels", "4", "--levels", "3", "--input-size", "64", "--pixel-mm", "7",
                                         "--slices-per-case", "3", "-e", "2", "-s", "5"};
  std::vector<std::string> train = {"train-bodycomp", "-m", (phantoms / "tissue-manifest.csv").string(), "-o",
                                    model.string(), "-l", "phantom"};
  train.insert(train.end(), tiny.begin(), tiny.end());
  const auto t = run_cli(train);
  ASSERT_EQ(t.exit_code, 0) << t.err;
  EXPECT_NE(t.out.find("2 cases, 6 slices"), std::string::npos) << t.out;
  std::smatch crc;
  ASSERT_TRUE(std::regex_search(t.out, crc, std::regex("weights crc32 ([0-9a-f]{8})"))) << t.out;

  const fs::path ct = phantoms / "phantom-00007" / "ct.nii.gz";
  const auto b = run_cli({"bodycomp", ct.string(), "--slice", "3", "--method", "unet", "--model", model.string(), "--out",
                          (dir / "bc").string(), "-j", "1"});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const auto j = nlohmann::json::parse(l3::testing::read_text(dir / "bc" / "ct.json"));
  const std::string method = j["method"];
  EXPECT_EQ(method.rfind("l3slice-unet-1 (unet-l3-c4", 0), 0u) << method;
  EXPECT_NE(method.find(crc[1].str()), std::string::npos) << method;
  EXPECT_TRUE(fs::exists(dir / "bc" / "ct-tissues.nii.gz"));

  // The same seed trains the same weights.
  train[4] = (dir / "again.l3u").string();
  const auto again = run_cli(train);
  EXPECT_NE(again.out.find(crc[1].str()), std::string::npos) << again.out;
}

TEST(TrainBodycompCli, MissingOrWrongModelsAndLabelValuesAreOneLineErrors) {
  TempDir dir;
  const fs::path phantoms = dir / "phantoms";
  ASSERT_EQ(run_cli({"phantom", "--count", "1", "--seed", "8", "--matrix", "32", "--out", phantoms.string()}).exit_code, 0);
  const fs::path ct = phantoms / "phantom-00008" / "ct.nii.gz";
  const std::string out = (dir / "bc").string();

  auto r = run_cli({"bodycomp", ct.string(), "--slice", "2", "--model", ct.string(), "--out", out});
  EXPECT_NE(r.exit_code, 0);  // a model with the classical method
  EXPECT_NE(r.err.find("--model is for --method unet"), std::string::npos) << r.err;

  r = run_cli({"bodycomp", ct.string(), "--slice", "2", "--method", "unet", "--model", ct.string(), "--out", out});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find(ct.string()), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_FALSE(fs::exists(dir / "bc" / "ct.json"));

  r = run_cli({"train-bodycomp", "-m", (phantoms / "tissue-manifest.csv").string(), "-o", (dir / "u.l3u").string(), "-l",
               "muscle=99", "-e", "1"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("tissues.nii.gz"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no slice holds muscle"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "u.l3u"));
}

TEST(TrainBodycompCli, MethodUnetWithoutModelUsesTheBundledOne) {
  TempDir dir;
  ASSERT_EQ(run_cli({"phantom", "--count", "1", "--seed", "12", "--matrix", "64", "--out", (dir / "ph").string()}).exit_code, 0);
  const auto r = run_cli({"bodycomp", (dir / "ph" / "phantom-00012" / "ct.nii.gz").string(), "--slice", "5", "--method", "unet",
                          "--out", (dir / "bc").string(), "--case-id", "p", "-j", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(l3::testing::read_text(dir / "bc" / "p.json"));
  EXPECT_EQ(j["method"].get<std::string>().rfind("l3slice-unet-1 (unet-l5-c8, weights crc32 ", 0), 0u) << j["method"];
  EXPECT_GT(j["sma_cm2"].get<double>(), 20.0);
}
