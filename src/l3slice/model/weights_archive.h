#pragma once
// A network's weights in one PyTorch serialization archive, with a metadata JSON string and a
// CRC-32 of all weights (PyTorch's reader does not check the zip CRCs, so damaged weight bytes
// would otherwise load silently). Shared by every l3slice model file (.l3m classifiers, .l3u
// segmenters); each file type owns its metadata.
#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

namespace l3 {

// CRC-32 over the names and bytes of every parameter and buffer, in the network's own order.
int64_t weights_crc32(torch::nn::Module& net);

// Names the first parameter or floating-point buffer holding NaN/Inf, or "".
std::string first_non_finite(torch::nn::Module& net);

// c10 messages carry a backtrace and source locations: the first line only.
std::string first_line(const std::string& text);

// Writes atomically. Refuses (UsageError) weights containing NaN/Inf.
void save_weights_archive(const std::filesystem::path& path, torch::nn::Module& net, const nlohmann::json& metadata);

// Opens the file and returns its metadata. Throws InputError naming the file: missing, a folder,
// not an archive, truncated, no l3slice metadata, metadata not JSON.
nlohmann::json open_weights_archive(const std::filesystem::path& path, torch::serialize::InputArchive& archive);

// Loads the weights into `net` (built from the metadata), checking names both ways, shapes,
// dtypes, NaN/Inf and the CRC. `arch` describes the network in messages. Leaves `net` in eval mode.
void load_weights(torch::serialize::InputArchive& archive, torch::nn::Module& net, const std::filesystem::path& path,
                  const std::string& arch);

}  // namespace l3
