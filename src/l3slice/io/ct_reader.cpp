#include "l3slice/io/ct_reader.h"

#include <system_error>

#include "l3slice/core/error.h"
#include "l3slice/io/dicom_reader.h"
#include "l3slice/io/image_file_reader.h"
#include "l3slice/io/itk_image_io.h"

namespace l3 {

namespace fs = std::filesystem;

bool is_image_file(const fs::path& path) { return image_file_format(path).has_value(); }

CtScan read_ct(const fs::path& path, const CtReadOptions& options, std::string* notes) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError(path, "does not exist");
  if (fs::is_directory(path, ec)) return read_dicom_folder(path, options, notes);
  if (const auto format = image_file_format(path)) return read_ct_image_file(path, *format);
  throw InputError(path, "is neither a DICOM folder nor an image file (.nii, .nii.gz, .nrrd, .nhdr, .mha, .mhd)");
}

}  // namespace l3
