#pragma once
// The DICOM Segmentation (binary, one frame per tissue) of a body-composition slice: skeletal
// muscle, visceral, subcutaneous and intermuscular fat, on the measured CT image's plane, each
// frame referencing that image (Derivation Image) in its frame of reference.
#include <filesystem>
#include <string>
#include <vector>

#include "l3slice/bodycomp/body_composition.h"
#include "l3slice/dicom_output/source_image.h"

namespace l3 {

// One segment per measured tissue, in this order (segment numbers 1..4).
struct TissueSegment {
  BodyLabel label;
  std::string name;       // e.g. "Skeletal muscle"
  std::string tracking;   // e.g. "SMA": what the SR's measurement group calls it
};
const std::vector<TissueSegment>& tissue_segments();

struct WrittenSegmentation {
  std::string sop_instance_uid, series_uid;
};

// Writes the SEG to `target` (atomically), in the source's study and frame of reference.
WrittenSegmentation write_tissue_segmentation(const std::filesystem::path& target, const SourceImage& source,
                                              const SliceMeasurement& measurement, const std::string& algorithm);

}  // namespace l3
