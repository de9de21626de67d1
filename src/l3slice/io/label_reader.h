#pragma once
// Reading label volumes (ITK-SNAP segmentations, TotalSegmentator/VerSe multi-label files) on a CT's
// grid, and deriving per-slice L3 labels from them.
#include <filesystem>
#include <optional>
#include <vector>

#include "l3slice/core/image.h"
#include "l3slice/core/slice_run.h"

namespace l3 {

// Reads a label image file, reorients it like the CT and checks it lies on the CT's grid
// (size, spacing, origin, orientation); throws InputError naming the label file otherwise.
LabelImage read_labels(const std::filesystem::path& path, const CtScan& ct);

// Per canonical axial slice: 1 if any voxel of the slice has label `value`, else 0.
std::vector<uint8_t> slice_labels(const LabelImage& labels, int value);

// The label value to use: `requested` if given (checked to be present), else the only non-zero
// label in the file; throws InputError (naming `path`) if absent or ambiguous.
int resolve_label_value(const LabelImage& labels, std::optional<int> requested,
                        const std::filesystem::path& path);

}  // namespace l3
