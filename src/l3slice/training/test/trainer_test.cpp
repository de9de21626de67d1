#include "l3slice/training/trainer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "l3slice/core/error.h"
#include "l3slice/model/model_file.h"
#include "phantom_cohort.h"
#include "support/test_support.h"

namespace l3 {
namespace {

ModelInputOptions tiny_input(int size) {
  ModelInputOptions input;
  input.size = size;
  return input;
}

TrainOptions tiny_training(const std::filesystem::path& out) {
  TrainOptions o;
  o.depth = 18;
  o.epochs = 3;
  o.batch = 16;
  o.lr = 2e-3;
  o.oversample = 1.5;  // exercises augmentation and fractional copies
  o.class_weight = 2.0;
  o.seed = 5;
  o.threads = 1;  // ctest runs two tests at once on two cores: one thread each, no oversubscription
  o.out = out;
  o.log = nullptr;
  return o;
}

void expect_same_weights(const std::filesystem::path& a, const std::filesystem::path& b) {
  LoadedModel ma = load_model(a), mb = load_model(b);
  const auto pa = ma.net->named_parameters(), pb = mb.net->named_parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (const auto& item : pa)
    EXPECT_TRUE(torch::equal(item.value(), pb[item.key()])) << item.key() << " differs";
  const auto ba = ma.net->named_buffers(), bb = mb.net->named_buffers();
  for (const auto& item : ba) EXPECT_TRUE(torch::equal(item.value(), bb[item.key()])) << item.key() << " differs";
}

TEST(Trainer, ResumedRunEqualsUninterruptedRun) {
  testing::TempDir tmp;
  const SliceDataset data = testing::phantom_dataset(3, 100, 32, tiny_input(32));
  const PatientSplit split = split_by_fraction(data.case_ids(), 0.34, 1);

  const TrainResult whole = train(data, split, tiny_training(tmp / "whole.l3m"));
  ASSERT_TRUE(whole.finished);
  EXPECT_FALSE(std::filesystem::exists(checkpoint_path(tmp / "whole.l3m")));  // removed when done

  TrainOptions first_half = tiny_training(tmp / "resumed.l3m");
  first_half.stop_after_epoch = 1;
  const TrainResult interrupted = train(data, split, first_half);
  EXPECT_FALSE(interrupted.finished);
  ASSERT_EQ(interrupted.history.size(), 1u);
  ASSERT_TRUE(std::filesystem::exists(checkpoint_path(tmp / "resumed.l3m")));

  TrainOptions second_half = tiny_training(tmp / "resumed.l3m");  // a fresh trainer, as after a kill
  second_half.resume = true;
  const TrainResult resumed = train(data, split, second_half);
  ASSERT_TRUE(resumed.finished);
  ASSERT_EQ(resumed.history.size(), whole.history.size());
  for (size_t e = 0; e < whole.history.size(); ++e) {
    EXPECT_EQ(resumed.history[e].train_loss, whole.history[e].train_loss) << "epoch " << e + 1;
    EXPECT_EQ(resumed.history[e].augmented, whole.history[e].augmented);
    EXPECT_EQ(resumed.history[e].validation.loss, whole.history[e].validation.loss);
  }
  EXPECT_GT(whole.history[0].augmented, 0);
  EXPECT_EQ(resumed.best_epoch, whole.best_epoch);
  expect_same_weights(tmp / "whole.l3m", tmp / "resumed.l3m");
}

TEST(Trainer, ResumeRefusesOtherSettingsAndMissingCheckpoints) {
  testing::TempDir tmp;
  const SliceDataset data = testing::phantom_dataset(3, 200, 32, tiny_input(32));
  const PatientSplit split = split_by_fraction(data.case_ids(), 0.34, 1);
  TrainOptions o = tiny_training(tmp / "m.l3m");
  o.epochs = 2;
  o.stop_after_epoch = 1;
  train(data, split, o);
  TrainOptions other = o;
  other.resume = true;
  other.class_weight = 3.0;
  EXPECT_THROW(train(data, split, other), InputError);
  TrainOptions missing = o;
  missing.resume = true;
  missing.out = tmp / "never-trained.l3m";
  EXPECT_THROW(train(data, split, missing), InputError);
}

// Fine-tuning (train --init-from, e.g. on reviewed cases): the run starts from the given model's
// weights, not from a random initialisation; a model of another network or input is refused.
TEST(Trainer, InitFromStartsFromTheGivenWeightsAndRefusesAnotherNetwork) {
  testing::TempDir tmp;
  const SliceDataset data = testing::phantom_dataset(3, 300, 32, tiny_input(32));
  const PatientSplit split = split_by_fraction(data.case_ids(), 0.34, 1);
  TrainOptions base = tiny_training(tmp / "start.l3m");
  base.epochs = 1;
  train(data, split, base);
  // With a vanishing learning rate the weights stay where they started.
  auto largest_difference = [&](const std::filesystem::path& a, const std::filesystem::path& b) {
    LoadedModel ma = load_model(a), mb = load_model(b);
    double d = 0.0;
    auto pb = mb.net->named_parameters();
    for (const auto& item : ma.net->named_parameters())
      d = std::max(d, (item.value() - pb[item.key()]).abs().max().item<double>());
    return d;
  };
  TrainOptions still = base;
  still.lr = 1e-12;
  still.seed = 6;  // another initialisation, had it been random
  still.out = tmp / "fine-tuned.l3m";
  still.init_from = tmp / "start.l3m";
  train(data, split, still);
  EXPECT_LT(largest_difference(tmp / "start.l3m", tmp / "fine-tuned.l3m"), 1e-6);
  TrainOptions scratch = still;
  scratch.init_from.clear();
  scratch.out = tmp / "scratch.l3m";
  train(data, split, scratch);
  EXPECT_GT(largest_difference(tmp / "start.l3m", tmp / "scratch.l3m"), 1e-2);
  TrainOptions other = still;
  other.depth = 34;
  other.out = tmp / "other.l3m";
  EXPECT_THROW(train(data, split, other), InputError);
}

TEST(Trainer, ModelFileCarriesPreprocessingAndTrainingSummary) {
  testing::TempDir tmp;
  ModelInputOptions input = tiny_input(32);
  input.window = {-100, 900};
  const SliceDataset data = testing::phantom_dataset(3, 300, 32, input);
  const PatientSplit split = split_by_fraction(data.case_ids(), 0.34, 1);
  TrainOptions o = tiny_training(tmp / "m.l3m");
  o.epochs = 1;
  const TrainResult r = train(data, split, o);
  const LoadedModel m = load_model(r.model);
  EXPECT_EQ(m.info.arch.depth, 18);
  EXPECT_EQ(m.info.input_size, 32);
  EXPECT_EQ(m.info.channels, 1);
  EXPECT_DOUBLE_EQ(m.info.window.low, -100);
  EXPECT_DOUBLE_EQ(m.info.window.high, 900);
  EXPECT_EQ(m.info.training.at("settings").at("oversample"), 1.5);
  EXPECT_EQ(m.info.training.at("settings").at("class_weight"), 2.0);
  EXPECT_EQ(m.info.training.at("cases").at("train"), 2);
  EXPECT_EQ(m.info.training.at("history").size(), 1u);
}

// Chance: the middle of each scan, knowing nothing about anatomy.
double chance_error(const SliceDataset& data, const std::vector<int>& cases) {
  double sum = 0;
  int n = 0;
  for (int c : cases) {
    const auto& dc = data.cases()[size_t(c)];
    if (!dc.truth) continue;
    sum += std::abs((dc.slice_count - 1) / 2 - dc.truth->middle());
    ++n;
  }
  return sum / n;
}

TEST(Trainer, ShortTrainingLocatesL3FarBetterThanChance) {
  testing::TempDir tmp;
  const SliceDataset data = testing::phantom_dataset(16, 1000, 48, tiny_input(64));
  const PatientSplit split = split_by_fraction(data.case_ids(), 0.25, 3);
  TrainOptions o = tiny_training(tmp / "m.l3m");
  o.epochs = 6;
  o.oversample = 2.0;
  o.class_weight = 2.0;
  const TrainResult r = train(data, split, o);
  const double chance = chance_error(data, split.validation);
  const auto& best = r.best;
  std::printf("validation mid-L3 error %.2f ± %.2f slices (%d/%d located), chance %.2f slices\n",
              best.mid_error_mean_slices, best.mid_error_sd_slices, best.located, best.cases_with_l3, chance);
  ASSERT_EQ(best.cases_with_l3, 4);
  EXPECT_EQ(best.missed, 0);
  EXPECT_LE(best.selection_error, 3.0);
  EXPECT_LT(best.selection_error, chance / 3.0);
}

}  // namespace
}  // namespace l3
