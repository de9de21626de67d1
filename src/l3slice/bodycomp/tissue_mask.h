#pragma once
// The measured slice's tissue labels as a volume on the CT's grid, so that it opens over the CT in
// ITK-SNAP or 3D Slicer: values are BodyLabel's (1 other tissue, 2 SAT, 3 VAT, 4 muscle, 5 IMAT,
// 6 bone), on the central measured slice; every other slice is 0.
#include <filesystem>

#include "l3slice/bodycomp/body_composition.h"
#include "l3slice/core/image.h"

namespace l3 {

LabelImage tissue_label_volume(const CtScan& ct, const SliceMeasurement& measurement);

// Writes it (.nii.gz) in the CT file's own voxel layout (a DICOM series: its slice order), with the
// same physical positions; atomically.
void write_tissue_mask(const CtScan& ct, const SliceMeasurement& measurement, const std::filesystem::path& path);

}  // namespace l3
