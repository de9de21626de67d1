#include "l3slice/io/image_writer.h"

#include <stdexcept>

#include "l3slice/core/atomic_file.h"
#include "l3slice/core/error.h"
#include "l3slice/io/itk_image_io.h"
#include "l3slice/io/orientation.h"

namespace l3 {

namespace fs = std::filesystem;

namespace {

template <typename T>
void write_laid_out(const Image<T>& image, const fs::path& path, const WriteLayout& layout) {
  const auto format = image_file_format(path);
  const std::string ext = path.extension().string();
  // Header + separate data file cannot be renamed into place in one step.
  if (!format || ext == ".nhdr" || ext == ".mhd")
    throw UsageError(path.string() + ": cannot write this kind of file (use .nii, .nii.gz, .nrrd or .mha)");
  AxisMap map;
  try {
    map = axis_map_from_code(layout.orientation);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  const Image<T> file_image = from_canonical(image, map);
  write_atomically(path, [&](const fs::path& tmp) { write_image_file(file_image, tmp, *format); });
}

}  // namespace

void write_image(const HuImage& image, const fs::path& path, const WriteLayout& layout) {
  write_laid_out(image, path, layout);
}

void write_image(const LabelImage& image, const fs::path& path, const WriteLayout& layout) {
  write_laid_out(image, path, layout);
}

}  // namespace l3
