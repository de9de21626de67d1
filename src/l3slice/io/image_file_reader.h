#pragma once
// Internal: read_ct for NIfTI/NRRD/MetaImage files.
#include <filesystem>

#include "l3slice/core/image.h"
#include "l3slice/io/itk_image_io.h"

namespace l3 {

CtScan read_ct_image_file(const std::filesystem::path& path, ImageFileFormat format);

}  // namespace l3
