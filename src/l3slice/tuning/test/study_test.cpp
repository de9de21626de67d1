#include "l3slice/tuning/study.h"

#include <cmath>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "l3slice/core/error.h"
#include "support/test_support.h"

namespace l3 {
namespace {

// A cheap stand-in for training: smooth in (log1p r, log w) with its minimum inside the space,
// and a loss that varies so ties can be broken.
TrialOutcome fake_training(const std::map<std::string, double>& p, int index) {
  const double a = std::log1p(p.at("r")) - std::log1p(3.0), b = std::log(p.at("w")) - std::log(8.0);
  return {1.0 + 4.0 * a * a + 2.0 * b * b, 0.3 + 0.1 * a * a, "models/trial" + std::to_string(index) + ".pt"};
}

StudySettings settings() {
  StudySettings s;
  s.space = SearchSpace::standard(false);
  s.optimizer.seed = 11;
  s.optimizer.initial_trials = 4;
  s.optimizer.random_candidates = 300;
  return s;
}

StudyRunOptions quiet() {
  StudyRunOptions o;
  o.show_progress = false;
  return o;
}

TEST(Study, KilledStudyResumesWithTheSameProposals) {
  testing::TempDir dir;
  // Uninterrupted: 9 trials.
  Study whole(dir / "whole.json", settings());
  run_study(whole, 9, fake_training, quiet());
  ASSERT_EQ(whole.trials().size(), 9u);

  // Killed during trial 6 (an error that stops the study), then resumed from the file.
  Study killed(dir / "killed.json", settings());
  const TrialFunction dies_at_6 = [](const std::map<std::string, double>& p, int index) {
    if (index == 6) throw InputError("data.csv", "simulated kill");
    return fake_training(p, index);
  };
  EXPECT_THROW(run_study(killed, 9, dies_at_6, quiet()), InputError);
  Study resumed = Study::load(dir / "killed.json");
  ASSERT_EQ(resumed.trials().size(), 6u);

  // The next proposal equals the uninterrupted optimiser's after the same 6 trials.
  BayesianOptimizer in_memory(settings().space, settings().optimizer);
  for (int i = 0; i < 6; ++i) {
    const Trial& t = whole.trials()[std::size_t(i)];
    in_memory.observe(t.params, t.objective, t.loss);
  }
  EXPECT_EQ(resumed.optimizer().propose().params, in_memory.propose().params);
  EXPECT_EQ(resumed.optimizer().propose().params, whole.trials()[6].params);

  // Continuing with 3 more trials reproduces the uninterrupted study exactly.
  run_study(resumed, 3, fake_training, quiet());
  ASSERT_EQ(resumed.trials().size(), 9u);
  for (std::size_t i = 0; i < 9; ++i) {
    EXPECT_EQ(resumed.trials()[i].params, whole.trials()[i].params) << "trial " << i;
    EXPECT_EQ(resumed.trials()[i].objective, whole.trials()[i].objective) << "trial " << i;
  }
  EXPECT_EQ(resumed.best()->index, whole.best()->index);
}

TEST(Study, FileHoldsEveryTrialAndTheBest) {
  testing::TempDir dir;
  Study study = Study::open(dir / "study.json", settings());
  run_study(study, 5, fake_training, quiet());
  std::ifstream in(dir / "study.json");
  const nlohmann::json j = nlohmann::json::parse(in);
  EXPECT_EQ(j.at("format"), "l3slice-tuning-study");
  ASSERT_EQ(j.at("trials").size(), 5u);
  const auto best = study.best();
  ASSERT_TRUE(best);
  for (const Trial& t : study.trials()) EXPECT_GE(t.objective, best->objective);
  EXPECT_EQ(j.at("best").at("index"), best->index);
  EXPECT_EQ(j.at("best").at("model_path"), best->model_path);
  EXPECT_EQ(j.at("trials")[2].at("model_path"), "models/trial2.pt");
  EXPECT_GE(j.at("trials")[2].at("seconds").get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(j.at("trials")[2].at("params").at("w").get<double>(), study.trials()[2].params[1]);

  // The table lists every trial and marks the best.
  const std::string table = study.table();
  EXPECT_NE(table.find(std::to_string(best->index) + "*"), std::string::npos) << table;
  EXPECT_NE(table.find("models/trial4.pt"), std::string::npos) << table;
  EXPECT_NE(table.find("best: trial " + std::to_string(best->index)), std::string::npos) << table;

  // open() of the same file resumes it.
  EXPECT_EQ(Study::open(dir / "study.json", settings()).trials().size(), 5u);
}

TEST(Study, FailedTrialsAreRecordedAndRepeatedFailuresStop) {
  testing::TempDir dir;
  Study study(dir / "study.json", settings());
  const TrialFunction flaky = [](const std::map<std::string, double>& p, int index) -> TrialOutcome {
    if (index == 1) throw std::runtime_error("loss became NaN");
    if (index == 2) return {std::nan(""), std::nan(""), ""};
    return fake_training(p, index);
  };
  run_study(study, 4, flaky, quiet());
  ASSERT_EQ(study.trials().size(), 4u);
  EXPECT_FALSE(study.trials()[1].ok());
  EXPECT_EQ(study.trials()[1].message, "loss became NaN");
  EXPECT_FALSE(study.trials()[2].ok());
  EXPECT_TRUE(study.best()->ok());
  // Survives a reload with the failures intact.
  const Study loaded = Study::load(dir / "study.json");
  EXPECT_EQ(loaded.trials()[1].status, "failed");
  EXPECT_TRUE(std::isnan(loaded.trials()[2].objective));

  const TrialFunction always_fails = [](const std::map<std::string, double>&, int) -> TrialOutcome {
    throw std::runtime_error("out of disk");
  };
  try {
    run_study(study, 10, always_fails, quiet());
    FAIL() << "expected repeated failures to stop the study";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("3 trials in a row failed"), std::string::npos) << e.what();
  }
  EXPECT_EQ(study.trials().size(), 7u);
}

TEST(Study, BadFilesAndOtherSettingsAreOneLineErrors) {
  testing::TempDir dir;
  EXPECT_THROW(Study::load(dir / "missing.json"), InputError);
  {
    std::ofstream(dir / "garbage.json") << "{ not json";
  }
  try {
    Study::load(dir / "garbage.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("garbage.json"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
  }
  {
    std::ofstream(dir / "other.json") << R"({"format": "something else"})";
  }
  EXPECT_THROW(Study::load(dir / "other.json"), InputError);

  Study study(dir / "study.json", settings());
  run_study(study, 1, fake_training, quiet());
  StudySettings changed = settings();
  changed.optimizer.seed = 12;
  try {
    Study::open(dir / "study.json", changed);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("seed 11 vs 12"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace l3
