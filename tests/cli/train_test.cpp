// `l3slice train` end to end: a run killed (SIGKILL) after its first checkpoint and resumed with
// --resume gives the same model as an uninterrupted run; bad input gives a one-line error.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "l3slice/model/model_file.h"
#include "l3slice/phantom/phantom_dataset.h"
#include "l3slice/training/trainer.h"
#include "support/test_support.h"

namespace fs = std::filesystem;

namespace l3 {
namespace {

fs::path small_cohort(const fs::path& dir) {
  PhantomDatasetOptions o;
  o.count = 4;
  o.seed = 50;
  o.matrix = 40;
  o.slice_mm = 5.0;
  o.no_l3_fraction = 0.0;
  o.progress = nullptr;
  write_phantom_dataset(dir, o);
  return dir / "manifest.csv";
}

std::vector<std::string> train_args(const fs::path& manifest, const fs::path& out) {
  return {"train", "--manifest", manifest.string(), "--out", out.string(), "--arch", "resnet18",
          "--input-size", "32", "--epochs", "4", "--batch", "16", "--oversample", "1", "--class-weight", "2",
          "--val-fraction", "0.25", "--seed", "3", "--threads", "1"};
}

TEST(TrainCli, KilledAndResumedRunEqualsUninterruptedRun) {
  testing::TempDir tmp;
  const fs::path manifest = small_cohort(tmp / "cohort");

  const auto whole = testing::run_cli(train_args(manifest, tmp / "whole.l3m"));
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  EXPECT_NE(whole.out.find("validation mid-L3 error"), std::string::npos) << whole.out;

  const fs::path killed = tmp / "killed.l3m";
  const pid_t pid = l3::testing::spawn_cli(train_args(manifest, killed));
  ASSERT_GT(pid, 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  int status = 0;
  bool exited = false;
  while (!fs::exists(checkpoint_path(killed)) && std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_FALSE(exited) << "training ended before it could be killed";
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_TRUE(fs::exists(checkpoint_path(killed))) << "the killed run must leave its checkpoint";

  auto resume = train_args(manifest, killed);
  resume.push_back("--resume");
  const auto resumed = testing::run_cli(resume);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming after epoch"), std::string::npos) << resumed.err;
  EXPECT_FALSE(fs::exists(checkpoint_path(killed)));

  LoadedModel a = load_model(tmp / "whole.l3m"), b = load_model(killed);
  const auto pa = a.net->named_parameters(), pb = b.net->named_parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (const auto& item : pa) EXPECT_TRUE(torch::equal(item.value(), pb[item.key()])) << item.key();
  EXPECT_EQ(a.info.training.at("best_epoch"), b.info.training.at("best_epoch"));
}

TEST(TrainCli, BadInputGivesOneLineErrors) {
  testing::TempDir tmp;
  const auto missing = testing::run_cli(train_args(tmp / "nope.csv", tmp / "m.l3m"));
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("l3slice: error: "), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find("nope.csv"), std::string::npos) << missing.err;

  const fs::path manifest = small_cohort(tmp / "cohort");
  auto resume = train_args(manifest, tmp / "m.l3m");
  resume.push_back("--resume");
  const auto no_checkpoint = testing::run_cli(resume);
  EXPECT_NE(no_checkpoint.exit_code, 0);
  EXPECT_NE(no_checkpoint.err.find("no checkpoint to resume from"), std::string::npos) << no_checkpoint.err;

  auto bad_arch = train_args(manifest, tmp / "m.l3m");
  bad_arch[6] = "resnet7";
  const auto arch = testing::run_cli(bad_arch);
  EXPECT_NE(arch.exit_code, 0);
  EXPECT_NE(arch.err.find("resnet7"), std::string::npos) << arch.err;
  EXPECT_FALSE(fs::exists(tmp / "m.l3m"));
}

}  // namespace
}  // namespace l3
