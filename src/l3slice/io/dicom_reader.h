#pragma once
// Internal: read_ct for a DICOM series folder.
#include <filesystem>
#include <string>

#include "l3slice/core/image.h"
#include "l3slice/io/ct_reader.h"

namespace l3 {

CtScan read_dicom_folder(const std::filesystem::path& folder, const CtReadOptions& options, std::string* notes);

}  // namespace l3
