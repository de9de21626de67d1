#include "support/untrained_model.h"

#include <torch/torch.h>

#include "l3slice/model/model_file.h"
#include "l3slice/model/resnet.h"

namespace l3::testing {

std::filesystem::path write_untrained_model(const std::filesystem::path& path, unsigned seed, int input_size) {
  torch::manual_seed(seed);
  ModelInfo info;
  info.arch = {18, 1, 2};
  info.input_size = input_size;
  ResNet net = make_resnet(info.arch);
  save_model(path, info, net);
  return path;
}

}  // namespace l3::testing
