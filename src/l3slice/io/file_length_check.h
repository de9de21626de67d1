#pragma once
// Internal: catching truncated image files that ITK's NIfTI and MetaImage readers read without
// complaint (they zero-fill or leave the rest of the buffer as it was).
#include <cstdint>
#include <filesystem>

namespace l3 {

// Voxels without a number in a floating-point file.
struct NonFinite {
  uint64_t nan = 0, infinite = 0;
};

// Throws InputError if a NIfTI (.nii or .nii.gz) file holds fewer than header + `data_bytes` bytes.
// .nii.gz is decompressed once to count (and to check the gzip stream ends with a valid CRC).
// Returns the NaN and infinite voxels of a float32/float64 file in native byte order, which ITK's
// NIfTI reader silently turns into 0.
NonFinite check_nifti_complete(const std::filesystem::path& path, uint64_t data_bytes);

// Throws InputError if a .mha file's data part is shorter than its header says.
void check_metaimage_complete(const std::filesystem::path& path, uint64_t data_bytes);

}  // namespace l3
