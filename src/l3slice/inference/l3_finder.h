#pragma once
// The ways to find L3 in a scan behind one interface, chosen by the file given as the model:
//  - a spine atlas (.l3a, atlas/spine_atlas.h): training-free registration of the scan's bone to a
//    labelled real spine; the default (models/spine-atlas-s0328.l3a, bundled);
//  - a trained slice classifier (.l3m, model/model_file.h): the published method.
#include <filesystem>
#include <memory>

#include <nlohmann/json.hpp>

#include "l3slice/inference/predictor.h"

namespace l3 {

class L3Finder {
 public:
  virtual ~L3Finder() = default;
  virtual Prediction find(const CtScan& ct) = 0;
  // Provenance for every output: method, file, CRC, settings.
  virtual nlohmann::json describe() const = 0;
};

// Opens an atlas (.l3a, by content) or a model file; throws InputError naming the file.
std::unique_ptr<L3Finder> open_l3_finder(const std::filesystem::path& path, const PredictOptions& options = {});

// The bundled default: $L3SLICE_DEFAULT_MODEL if set, else the atlas in the source tree's models/.
std::filesystem::path default_model_path();

}  // namespace l3
