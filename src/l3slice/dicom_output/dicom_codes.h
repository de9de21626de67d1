#pragma once
// Every coded concept l3slice writes into DICOM, in one place. Standard codes where DICOM has
// them (PS3.16: CID 7150/7166 segmentation categories and types, CID 7469 measurements, UCUM
// units); a private scheme, 99L3SLICE, for what has no standard code (the L3 measurement slice,
// the skeletal muscle index).
#include <string>

namespace l3::dicom_codes {

struct Code {
  std::string value, scheme, meaning;
};

inline const Code kTissue{"85756007", "SCT", "Tissue"};
inline const Code kMuscle{"91727004", "SCT", "Muscle"};
inline const Code kFat{"55603005", "SCT", "Fat"};
inline const Code kSubcutaneousTissue{"71966008", "SCT", "Subcutaneous tissue"};
inline const Code kAbdominalCavity{"52731004", "SCT", "Abdominal cavity"};
inline const Code kSourceImage{"121322", "DCM", "Source image for image processing operation"};
inline const Code kSegmentation{"113076", "DCM", "Segmentation"};
inline const Code kL3Slice{"L3SLICE-1", "99L3SLICE", "Axial slice through the middle of the L3 vertebral body"};
inline const Code kSkeletalMuscleIndex{"L3SLICE-2", "99L3SLICE", "Skeletal muscle index"};
inline const Code kMeasuredSlice{"L3SLICE-3", "99L3SLICE", "Measured slice"};
inline const Code kSettings{"L3SLICE-4", "99L3SLICE", "Measurement settings"};

}  // namespace l3::dicom_codes
