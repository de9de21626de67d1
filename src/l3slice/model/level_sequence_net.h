#pragma once
// A level-counting sequence network over a coronal bone projection (rows = 3 mm steps of z,
// columns = lateral positions, values = bone thickness in mm; atlas/bone_projection.h). A small 2-D
// CNN encodes each row with its neighbours, a bidirectional GRU runs along z over the whole scan,
// and every row regresses its signed distance to the middle of the L3 body (as the MGH
// body-composition pipeline does per slice). Every row's answer sees the ribs above and the pelvis
// below at once, the context that tells L3 from L2 and L4.
#include <vector>

#include <torch/torch.h>

namespace l3 {

constexpr int kLevelSequenceCols = 115;     // +-170 mm around the midline at 3 mm
constexpr double kLevelSequenceUnitMm = 50; // the regression's unit

class LevelSequenceNetImpl : public torch::nn::Module {
 public:
  LevelSequenceNetImpl();
  // x: (B, 1, rows, kLevelSequenceCols), bone mm / 10 -> (B, rows), signed distance (row above L3
  // positive) in kLevelSequenceUnitMm.
  torch::Tensor forward(torch::Tensor x);

 private:
  torch::nn::Conv2d c1{nullptr}, c2{nullptr}, c3{nullptr};
  torch::nn::Conv1d squeeze{nullptr};
  torch::nn::GRU gru{nullptr};
  torch::nn::Linear head{nullptr};
};
TORCH_MODULE(LevelSequenceNet);

// All parameters, flattened in the network's own order (for a model file), and back. set throws
// UsageError when the count does not match.
std::vector<float> flat_weights(LevelSequenceNet& net);
void set_flat_weights(LevelSequenceNet& net, const std::vector<float>& weights);

// A network with these weights, made without changing libtorch's global random generator: asking a
// trained check must not change what a later seeded training in the same process draws.
LevelSequenceNet level_sequence_net_from(const std::vector<float>& weights);

// Signed distance (mm) of every row to the L3 middle, for a rows x kLevelSequenceCols projection.
std::vector<float> row_distances_mm(LevelSequenceNet& net, const std::vector<float>& projection, int rows);

}  // namespace l3
