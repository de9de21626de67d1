#pragma once
// One segmenter file (.l3u): U-Net weights + what is needed to use them (architecture, input
// geometry and window) + how they were trained. `bodycomp --method unet --model FILE` loads it.
#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "l3slice/segmenter/slice_sampling.h"
#include "l3slice/segmenter/unet.h"

namespace l3 {

struct SegmenterInfo {
  UNetConfig arch;
  SegmenterGeometry geometry;
  nlohmann::json training;  // data, cases, slices, epochs, seed, loss
  std::string program_version = L3SLICE_VERSION;
  int format_version = 1;
};

struct LoadedSegmenter {
  SegmenterInfo info;
  UNet net{nullptr};
  uint32_t crc32 = 0;  // of the weights: names the model in every output
};

// The bundled U-Net (models/bodycomp-unet-phantoms.l3u, trained on phantoms only), unless the
// environment variable L3SLICE_BODYCOMP_UNET names another file.
std::filesystem::path default_segmenter_path();

// Writes atomically; refuses (UsageError) NaN/Inf weights or metadata not describing `net`.
void save_segmenter(const std::filesystem::path& path, const SegmenterInfo& info, UNet& net);
// Throws InputError naming the file: missing, not a segmenter file (e.g. an .l3m classifier),
// truncated, newer format, weights not matching the architecture, NaN/Inf, checksum.
LoadedSegmenter load_segmenter(const std::filesystem::path& path);

}  // namespace l3
