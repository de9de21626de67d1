#pragma once
// One model file (.l3m): weights + metadata, loadable by `predict` without extra flags.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "l3slice/model/resnet.h"
#include "l3slice/preprocessing/window.h"

namespace l3 {

// Everything needed to preprocess slices exactly as in training and to interpret the outputs.
struct ModelInfo {
  ResNetConfig arch;
  int input_size = 224;          // square input, pixels
  int channels = 1;              // 1 = single slice; 3 = 2.5D (slices z-1, z, z+1)
  double neighbour_mm = 0.0;     // 2.5D: distance of neighbour slices in mm (0 = adjacent slices)
  double fov_mm = 0.0;           // input field of view around the body, mm (0 = whole slice)
  Window window;                 // HU window used to make 8-bit slices
  std::string truth_definition;  // e.g. "vertebral body (label 22)" - what "L3 slice" meant in training
  nlohmann::json training;       // summary: data, cases, slices, r, w, epochs, seed, metrics
  // Shortest and longest true L3 run among the training cases, in mm (0 = unknown, e.g. older
  // files): predict derives its plausible run lengths from them (evaluation/run_selection.h).
  double l3_shortest_mm = 0.0;
  double l3_longest_mm = 0.0;
  std::string program_version = L3SLICE_VERSION;
  int format_version = 1;
};

nlohmann::json to_json(const ModelInfo& info);
ModelInfo model_info_from_json(const nlohmann::json& j, const std::filesystem::path& path_for_errors);

struct LoadedModel {
  ModelInfo info;
  ResNet net{nullptr};
};

// Writes atomically. Refuses (UsageError) to save weights containing NaN/Inf.
void save_model(const std::filesystem::path& path, const ModelInfo& info, ResNet& net);
// Throws InputError naming the file: not a model file, truncated, unknown format version,
// weights not matching the architecture, NaN/Inf weights.
LoadedModel load_model(const std::filesystem::path& path);

}  // namespace l3
