#pragma once
// The training checkpoint: model weights and buffers, optimiser state, and the loop's state as JSON
// (epochs done, best so far, history, the settings it was made with), in one file written
// atomically, so a killed run never leaves a half-written checkpoint.
#include <filesystem>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "l3slice/model/resnet.h"

namespace l3 {

void save_checkpoint(const std::filesystem::path& path, ResNet& net, torch::optim::Optimizer& optimizer,
                     const nlohmann::json& state);

// Restores weights and optimiser state into `net` and `optimizer` (built with the same settings)
// and returns the state. Throws InputError naming the file if it is missing or unreadable.
nlohmann::json load_checkpoint(const std::filesystem::path& path, ResNet& net, torch::optim::Optimizer& optimizer);

}  // namespace l3
