#include "l3slice/model/level_sequence_net.h"

#include <mutex>

#include <ATen/CPUGeneratorImpl.h>

#include <fmt/format.h>

#include "l3slice/core/error.h"

namespace l3 {

LevelSequenceNetImpl::LevelSequenceNetImpl() {
  using namespace torch::nn;
  c1 = register_module("c1", Conv2d(Conv2dOptions(1, 16, 3).padding(1)));
  c2 = register_module("c2", Conv2d(Conv2dOptions(16, 32, 3).padding(1)));
  c3 = register_module("c3", Conv2d(Conv2dOptions(32, 32, 3).padding(1)));
  squeeze = register_module("squeeze", Conv1d(Conv1dOptions(32 * 14, 64, 1)));
  gru = register_module("gru", GRU(GRUOptions(64, 64).num_layers(2).bidirectional(true).batch_first(true)));
  head = register_module("head", Linear(128, 1));
}

torch::Tensor LevelSequenceNetImpl::forward(torch::Tensor x) {
  namespace F = torch::nn::functional;
  const auto pool = F::MaxPool2dFuncOptions({1, 2});  // lateral only: every row keeps its own output
  x = F::max_pool2d(torch::relu(c1(x)), pool);  // 57 columns
  x = F::max_pool2d(torch::relu(c2(x)), pool);  // 28
  x = F::max_pool2d(torch::relu(c3(x)), pool);  // 14
  const auto batch = x.size(0), rows = x.size(2);
  x = x.permute({0, 1, 3, 2}).reshape({batch, 32 * 14, rows});
  x = torch::relu(squeeze(x)).permute({0, 2, 1});  // (B, rows, 64)
  x = std::get<0>(gru(x));
  return head(x).squeeze(-1);
}

std::vector<float> flat_weights(LevelSequenceNet& net) {
  std::vector<float> out;
  for (const auto& p : net->parameters()) {
    const auto t = p.detach().to(torch::kFloat32).contiguous().view(-1);
    out.insert(out.end(), t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
  }
  return out;
}

void set_flat_weights(LevelSequenceNet& net, const std::vector<float>& weights) {
  std::size_t total = 0;
  for (const auto& p : net->parameters()) total += std::size_t(p.numel());
  if (total != weights.size())
    throw UsageError(fmt::format("level sequence network has {} weights, the file {}", total, weights.size()));
  torch::NoGradGuard no_grad;
  std::size_t at = 0;
  for (auto& p : net->parameters()) {
    const auto n = p.numel();
    p.copy_(torch::from_blob(const_cast<float*>(weights.data() + at), p.sizes(), torch::kFloat32));
    at += std::size_t(n);
  }
}

namespace {

// Puts libtorch's global CPU generator back as it was when this guard was made.
class GlobalGeneratorRestorer {
 public:
  GlobalGeneratorRestorer() : generator_(at::detail::getDefaultCPUGenerator()) {
    std::lock_guard<std::mutex> lock(generator_.mutex());
    state_ = generator_.get_state();
  }
  ~GlobalGeneratorRestorer() {
    std::lock_guard<std::mutex> lock(generator_.mutex());
    generator_.set_state(state_);
  }
  GlobalGeneratorRestorer(const GlobalGeneratorRestorer&) = delete;
  GlobalGeneratorRestorer& operator=(const GlobalGeneratorRestorer&) = delete;

 private:
  at::Generator generator_;
  torch::Tensor state_;
};

}  // namespace

LevelSequenceNet level_sequence_net_from(const std::vector<float>& weights) {
  const GlobalGeneratorRestorer restore;  // the layers' default initialisation draws from it
  LevelSequenceNet net;
  set_flat_weights(net, weights);
  return net;
}

std::vector<float> row_distances_mm(LevelSequenceNet& net, const std::vector<float>& projection, int rows) {
  torch::NoGradGuard no_grad;
  net->eval();
  const auto x = torch::from_blob(const_cast<float*>(projection.data()), {1, 1, rows, kLevelSequenceCols}).clone() / 10.0;
  const auto d = (net->forward(x).squeeze(0) * kLevelSequenceUnitMm).contiguous();
  return {d.data_ptr<float>(), d.data_ptr<float>() + d.numel()};
}

}  // namespace l3
