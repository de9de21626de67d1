#pragma once
// Internal: reading/writing NIfTI, NRRD and MetaImage files through ITK, in the file's own voxel
// layout (reorientation is done by the callers, with orientation.h).
#include <filesystem>
#include <optional>
#include <string>

#include "l3slice/core/image.h"

namespace l3 {

enum class ImageFileFormat { nifti, nrrd, meta };

// The format by extension (.nii, .nii.gz, .nrrd, .nhdr, .mha, .mhd; any case), or nothing.
std::optional<ImageFileFormat> image_file_format(const std::filesystem::path& path);
// "nifti", "nrrd", "mha".
std::string format_name(ImageFileFormat format);

// Reads a 3-D image file as HU: values rounded and clamped to int16. Throws InputError.
Image<int16_t> read_hu_file(const std::filesystem::path& path, ImageFileFormat format);
// Reads a 3-D label file; every value must be a whole number in 0..65535. Throws InputError.
Image<uint16_t> read_label_file(const std::filesystem::path& path, ImageFileFormat format);

// Writes an image as it is laid out (its grid's direction goes into the header). Not atomic.
void write_image_file(const Image<int16_t>& image, const std::filesystem::path& path, ImageFileFormat format);
void write_image_file(const Image<uint16_t>& image, const std::filesystem::path& path, ImageFileFormat format);

}  // namespace l3
