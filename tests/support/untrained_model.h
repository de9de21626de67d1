#pragma once
// A small untrained ResNet18 model file, for tests of the file, batch and report plumbing around a
// model (not of its accuracy: those tests train a real model).
#include <filesystem>

namespace l3::testing {

std::filesystem::path write_untrained_model(const std::filesystem::path& path, unsigned seed, int input_size = 32);

}  // namespace l3::testing
