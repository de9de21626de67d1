// Training a level check: deterministic for given options (the bundled one is retrained by
// scripts/train-level-check.sh), recorded settings, and refused options. Tiny runs: 16 phantoms.
#include <gtest/gtest.h>

#include <cmath>

#include "bundled_atlas.h"
#include "l3slice/atlas/level_check_training.h"
#include "l3slice/core/error.h"
#include "l3slice/model/torch_threads.h"

TEST(LevelCheckTraining, SameOptionsGiveTheSameWeights) {
  l3::set_torch_threads(2);
  l3::LevelCheckTrainingOptions o;
  o.phantoms = 16;
  o.epochs = 2;
  o.progress = false;
  const l3::LevelCheck a = l3::train_level_check(bundled_atlas(), o);
  const l3::LevelCheck b = l3::train_level_check(bundled_atlas(), o);
  EXPECT_EQ(a.weights, b.weights);
  EXPECT_EQ(a.crc32, b.crc32);
  EXPECT_EQ(a.weights.size(), bundled_atlas().level_check->weights.size());
  EXPECT_TRUE(std::isfinite(a.settings.at("final_loss").get<double>()));
  EXPECT_EQ(a.settings.at("phantoms").get<int>(), 16);
  EXPECT_NE(a.provenance.find("s0328"), std::string::npos) << a.provenance;
  o.seed = 2;
  EXPECT_NE(l3::train_level_check(bundled_atlas(), o).weights, a.weights);
}

TEST(LevelCheckTraining, RefusesOptionsThatCannotTrain) {
  l3::LevelCheckTrainingOptions o;
  o.progress = false;
  o.phantoms = 4;  // fewer than one batch
  EXPECT_THROW(l3::train_level_check(bundled_atlas(), o), l3::UsageError);
  o.phantoms = 16;
  o.real_share = 1.0;
  EXPECT_THROW(l3::train_level_check(bundled_atlas(), o), l3::UsageError);
}
