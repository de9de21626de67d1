#include "l3slice/segmenter/segmenter_file.h"

#include <cstdlib>

#include <fmt/format.h>

#include "l3slice/core/error.h"
#include "l3slice/model/weights_archive.h"
#include "l3slice/segmenter/tissue_classes.h"

namespace l3 {
namespace {

constexpr const char* kFormatName = "l3slice-segmenter";
constexpr int kFormatVersion = 1;

nlohmann::json to_json(const SegmenterInfo& info) {
  return {{"format", kFormatName},
          {"format_version", info.format_version},
          {"program_version", info.program_version},
          {"architecture", architecture_name(info.arch)},
          {"in_channels", info.arch.in_channels},
          {"classes", {"other", "muscle", "subcutaneous_fat", "visceral_fat", "intermuscular_fat"}},
          {"base_channels", info.arch.base_channels},
          {"levels", info.arch.levels},
          {"input_size", info.geometry.size},
          {"pixel_mm", info.geometry.pixel_mm},
          {"window", {{"low", kSegmenterHuLow}, {"high", kSegmenterHuHigh}}},
          {"training", info.training}};
}

SegmenterInfo info_from_json(const nlohmann::json& j, const std::filesystem::path& path) {
  if (!j.is_object() || j.value("format", "") != kFormatName)
    throw InputError(path, fmt::format("not an l3slice segmenter file (format \"{}\"; a U-Net from train-bodycomp is needed)",
                                       j.is_object() ? j.value("format", "") : ""));
  SegmenterInfo info;
  try {
    info.format_version = j.at("format_version").get<int>();
    info.program_version = j.at("program_version").get<std::string>();
    info.arch.in_channels = j.at("in_channels").get<int>();
    info.arch.classes = int(j.at("classes").size());
    info.arch.base_channels = j.at("base_channels").get<int>();
    info.arch.levels = j.at("levels").get<int>();
    info.geometry.size = j.at("input_size").get<int>();
    info.geometry.pixel_mm = j.at("pixel_mm").get<double>();
    info.training = j.value("training", nlohmann::json());
    if (j.at("window").at("low").get<double>() != kSegmenterHuLow || j.at("window").at("high").get<double>() != kSegmenterHuHigh)
      throw InputError(path, "segmenter was trained with another HU window than this l3slice uses");
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path, fmt::format("segmenter metadata is incomplete or has a wrong type ({})", e.what()));
  }
  if (info.format_version > kFormatVersion)
    throw InputError(path, fmt::format("segmenter file format version {} is newer than this l3slice (reads up to {})",
                                       info.format_version, kFormatVersion));
  if (info.arch.classes != kTissueClasses || info.arch.in_channels != 1)
    throw InputError(path, "segmenter metadata: expected 1 input channel and the 5 tissue classes");
  const int stride = 1 << (std::max(2, std::min(info.arch.levels, 6)) - 1);
  if (info.geometry.size < 32 || info.geometry.size > 1024 || info.geometry.size % stride != 0 ||
      !(info.geometry.pixel_mm > 0.2 && info.geometry.pixel_mm < 10.0))
    throw InputError(path, fmt::format("segmenter metadata: implausible input {} px of {} mm", info.geometry.size,
                                       info.geometry.pixel_mm));
  return info;
}

}  // namespace

std::filesystem::path default_segmenter_path() {
  if (const char* env = std::getenv("L3SLICE_BODYCOMP_UNET"); env && *env) return env;
  return L3SLICE_DEFAULT_SEGMENTER;
}

void save_segmenter(const std::filesystem::path& path, const SegmenterInfo& info, UNet& net) {
  const UNetConfig& c = net->config();
  if (c.in_channels != info.arch.in_channels || c.classes != info.arch.classes || c.base_channels != info.arch.base_channels ||
      c.levels != info.arch.levels)
    throw UsageError(fmt::format("segmenter metadata ({}) does not describe the network ({})", architecture_name(info.arch),
                                 architecture_name(c)));
  try {
    info_from_json(to_json(info), path);  // save never writes what load would refuse
  } catch (const InputError& e) {
    throw UsageError("refusing to save " + path.string() + ": " + e.problem());
  }
  save_weights_archive(path, *net, to_json(info));
}

LoadedSegmenter load_segmenter(const std::filesystem::path& path) {
  torch::serialize::InputArchive archive;
  const nlohmann::json j = open_weights_archive(path, archive);
  LoadedSegmenter s{info_from_json(j, path), nullptr, 0};
  s.net = UNet(s.info.arch);
  load_weights(archive, *s.net, path, architecture_name(s.info.arch));
  s.crc32 = uint32_t(weights_crc32(*s.net));
  return s;
}

}  // namespace l3
