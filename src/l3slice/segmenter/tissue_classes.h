#pragma once
// What the segmenter learns and predicts: one tissue class per pixel. A training label map names
// the classes with its own values: l3slice's own `bodycomp` output (<case>-tissues.nii.gz, also
// after correction in ITK-SNAP), the phantoms' tissues.nii.gz, or any values given by the user.
#include <string>

#include "l3slice/core/image.h"

namespace l3 {

enum class TissueClass : uint8_t { other = 0, muscle = 1, subcutaneous_fat = 2, visceral_fat = 3, intermuscular_fat = 4 };
inline constexpr int kTissueClasses = 5;

// Label values of each class in a label map; 0 = the class is not labelled in those maps.
struct TissueLabelValues {
  int muscle = 4, subcutaneous_fat = 2, visceral_fat = 3, intermuscular_fat = 5;  // l3slice's BodyLabel values
  std::string name = "l3slice";
  TissueClass class_of(int value) const;
};

// "l3slice" (bodycomp's tissue maps: muscle 4, SAT 2, VAT 3, IMAT 5), "phantom" (the phantoms'
// tissues.nii.gz: muscle 4, SAT 3, VAT 6, IMAT 5), or "muscle=1,sat=2,vat=3,imat=4" (any of the
// four; muscle required). Throws UsageError naming the problem.
TissueLabelValues parse_tissue_label_values(const std::string& text);

// Label map slice (any values) -> TissueClass per pixel.
MaskImage to_tissue_classes(const LabelImage& labels, int z, const TissueLabelValues& values);

}  // namespace l3
