// The level check's network rebuilt from its weights, as every vote and every file check does: the
// same weights come back, a wrong count is refused, and libtorch's global random generator is left
// where it was, so asking the check cannot change what a later seeded training draws.
#include <gtest/gtest.h>

#include <vector>

#include "l3slice/core/error.h"
#include "l3slice/model/level_sequence_net.h"

TEST(LevelSequenceNet, RebuiltFromItsWeightsLeavesTheGlobalGeneratorAlone) {
  torch::manual_seed(3);
  l3::LevelSequenceNet trained;
  const std::vector<float> weights = l3::flat_weights(trained);
  torch::manual_seed(11);
  const torch::Tensor expected = torch::rand({8});
  torch::manual_seed(11);
  l3::LevelSequenceNet rebuilt = l3::level_sequence_net_from(weights);
  const torch::Tensor drawn = torch::rand({8});
  EXPECT_TRUE(torch::equal(expected, drawn));
  EXPECT_EQ(l3::flat_weights(rebuilt), weights);
}

TEST(LevelSequenceNet, AWrongWeightCountIsRefused) {
  EXPECT_THROW(l3::level_sequence_net_from(std::vector<float>(10, 0.0f)), l3::UsageError);
}
