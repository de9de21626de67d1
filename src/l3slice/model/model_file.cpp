#include "l3slice/model/model_file.h"

#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "l3slice/core/error.h"
#include "l3slice/model/input_tensor.h"
#include "l3slice/model/weights_archive.h"

namespace l3 {
namespace {

constexpr const char* kFormatName = "l3slice-model";
constexpr int kFormatVersion = 1;
const std::vector<std::string> kClasses = {"not_l3", "l3"};

template <typename T>
T required(const nlohmann::json& j, const char* key, const std::filesystem::path& path) {
  if (!j.contains(key)) throw InputError(path, fmt::format("model metadata lacks \"{}\"", key));
  try {
    return j.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw InputError(path, fmt::format("model metadata: \"{}\" has the wrong type ({})", key,
                                       j.at(key).dump()));
  }
}

}  // namespace

nlohmann::json to_json(const ModelInfo& info) {
  return {
      {"format", kFormatName},
      {"format_version", info.format_version},
      {"program_version", info.program_version},
      {"architecture", architecture_name(info.arch)},
      {"depth", info.arch.depth},
      {"num_classes", info.arch.num_classes},
      {"classes", kClasses},
      {"input_size", info.input_size},
      {"channels", info.channels},
      {"neighbour_mm", info.neighbour_mm},
      {"fov_mm", info.fov_mm},
      {"window", {{"low", info.window.low}, {"high", info.window.high}}},
      {"input_normalisation", {{"scale", 1.0 / 255.0}, {"mean", kInputMean}, {"std", kInputStd}}},
      {"truth_definition", info.truth_definition},
      {"training", info.training},
      {"l3_run_mm", {{"shortest", info.l3_shortest_mm}, {"longest", info.l3_longest_mm}}},
  };
}

ModelInfo model_info_from_json(const nlohmann::json& j, const std::filesystem::path& path) {
  if (!j.is_object() || j.value("format", "") != kFormatName)
    throw InputError(path, "not an l3slice model file (metadata lacks format \"l3slice-model\")");
  ModelInfo info;
  info.format_version = required<int>(j, "format_version", path);
  if (info.format_version > kFormatVersion)
    throw InputError(path, fmt::format("model file format version {} is newer than this l3slice "
                                       "(reads up to {}); update l3slice",
                                       info.format_version, kFormatVersion));
  if (info.format_version < 1)
    throw InputError(path, fmt::format("invalid model file format version {}", info.format_version));
  info.program_version = required<std::string>(j, "program_version", path);
  info.arch.depth = required<int>(j, "depth", path);
  info.arch.num_classes = required<int>(j, "num_classes", path);
  info.input_size = required<int>(j, "input_size", path);
  info.channels = required<int>(j, "channels", path);
  info.arch.in_channels = info.channels;
  info.neighbour_mm = required<double>(j, "neighbour_mm", path);
  if (j.contains("fov_mm")) info.fov_mm = required<double>(j, "fov_mm", path);  // optional: older files lack it
  const auto window = required<nlohmann::json>(j, "window", path);
  info.window.low = required<double>(window, "low", path);
  info.window.high = required<double>(window, "high", path);
  info.truth_definition = required<std::string>(j, "truth_definition", path);
  info.training = j.value("training", nlohmann::json());
  if (j.contains("l3_run_mm")) {  // optional: absent in files written before it existed
    const auto run = required<nlohmann::json>(j, "l3_run_mm", path);
    info.l3_shortest_mm = required<double>(run, "shortest", path);
    info.l3_longest_mm = required<double>(run, "longest", path);
  }

  if (info.arch.depth != 18 && info.arch.depth != 34 && info.arch.depth != 50)
    throw InputError(path, fmt::format("model metadata: unsupported ResNet depth {}", info.arch.depth));
  if (required<std::string>(j, "architecture", path) != architecture_name(info.arch))
    throw InputError(path, "model metadata: \"architecture\" contradicts \"depth\"");
  if (info.arch.num_classes != 2 || required<std::vector<std::string>>(j, "classes", path) != kClasses)
    throw InputError(path, "model metadata: classes must be [\"not_l3\", \"l3\"]");
  if (info.input_size < 16 || info.input_size > 4096)
    throw InputError(path, fmt::format("model metadata: implausible input size {}", info.input_size));
  if (info.channels < 1 || info.channels % 2 == 0)
    throw InputError(path, fmt::format("model metadata: channels must be odd (slice +- neighbours), got {}",
                                       info.channels));
  if (!(info.neighbour_mm >= 0.0) || !std::isfinite(info.neighbour_mm))
    throw InputError(path, "model metadata: neighbour_mm must be >= 0");
  if (!(info.fov_mm == 0.0 || (info.fov_mm >= 50.0 && info.fov_mm <= 2000.0)))
    throw InputError(path, "model metadata: fov_mm must be 0 (whole slice) or 50..2000");
  if (!(info.window.low < info.window.high))
    throw InputError(path, fmt::format("model metadata: empty window [{}, {}]", info.window.low,
                                       info.window.high));
  // A model trained with other input scaling would silently give wrong answers.
  const auto norm = required<nlohmann::json>(j, "input_normalisation", path);
  if (required<float>(norm, "mean", path) != kInputMean || required<float>(norm, "std", path) != kInputStd)
    throw InputError(path, fmt::format("model was trained with input normalisation mean {} std {}; "
                                       "this l3slice uses mean {} std {}",
                                       norm.at("mean").dump(), norm.at("std").dump(), kInputMean, kInputStd));
  return info;
}

void save_model(const std::filesystem::path& path, const ModelInfo& info, ResNet& net) {
  const ResNetConfig& c = net->config();
  if (c.depth != info.arch.depth || c.in_channels != info.arch.in_channels ||
      c.num_classes != info.arch.num_classes || info.channels != c.in_channels)
    throw UsageError(fmt::format("model metadata ({}, {} channels) does not describe the network ({}, {} channels)",
                                 architecture_name(info.arch), info.channels, architecture_name(c),
                                 c.in_channels));
  // Round trip through our own reader's checks, so save never writes what load would refuse.
  try {
    model_info_from_json(to_json(info), path);
  } catch (const InputError& e) {
    throw UsageError("refusing to save " + path.string() + ": " + e.problem());
  }

  save_weights_archive(path, *net, to_json(info));
}

LoadedModel load_model(const std::filesystem::path& path) {
  torch::serialize::InputArchive archive;
  const nlohmann::json j = open_weights_archive(path, archive);
  LoadedModel model{model_info_from_json(j, path), nullptr};
  model.net = make_resnet(model.info.arch);
  const std::string arch = fmt::format("{}, {} channel(s)", architecture_name(model.info.arch),
                                       model.info.channels);
  load_weights(archive, *model.net, path, arch);
  return model;
}

}  // namespace l3
