#pragma once
// Body composition by a trained U-Net: the network gives each pixel a tissue class (the
// compartments), then the same HU ranges as the classical method decide what is measured: muscle
// compartment pixels in the muscle range are muscle, in the IMAT range IMAT; SAT and VAT pixels
// count only inside their ranges. `bodycomp --method unet --model FILE`.
#include <memory>
#include <string>

#include "l3slice/bodycomp/body_composition.h"
#include "l3slice/segmenter/segmenter_file.h"

namespace l3 {

inline constexpr const char* kUNetBodyCompMethod = "l3slice-unet-1";

// The segmenter for BodyCompOptions::segmenter (shares the loaded model).
SliceSegmenter unet_slice_segmenter(std::shared_ptr<LoadedSegmenter> model);
// "l3slice-unet-1 (unet-l4-c8, weights crc32 1a2b3c4d)": BodyCompOptions::method.
std::string unet_method_name(const LoadedSegmenter& model);

// TissueClass per pixel -> BodyLabel per pixel, by the HU ranges (outside: below the body HU).
MaskImage body_labels_from_classes(const HuImage& slice, const MaskImage& classes, const TissueThresholds& thresholds);

}  // namespace l3
