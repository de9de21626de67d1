#include "l3slice/io/itk_image_io.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include <itkImage.h>
#include <itkImageFileReader.h>
#include <itkImageFileWriter.h>
#include <itkMetaImageIO.h>
#include <itkNiftiImageIO.h>
#include <itkNrrdImageIO.h>

#include "l3slice/core/error.h"
#include "l3slice/io/file_length_check.h"

namespace l3 {
namespace {

namespace fs = std::filesystem;
using Component = itk::IOComponentEnum;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The ImageIO for a format, made directly (no global factory registration needed).
itk::ImageIOBase::Pointer make_io(ImageFileFormat format) {
  switch (format) {
    case ImageFileFormat::nifti: return itk::NiftiImageIO::New().GetPointer();
    case ImageFileFormat::nrrd: return itk::NrrdImageIO::New().GetPointer();
    case ImageFileFormat::meta: return itk::MetaImageIO::New().GetPointer();
  }
  return nullptr;
}

// ITK's exception text is multi-line and names source files; keep the first meaningful line.
std::string short_itk_message(const itk::ExceptionObject& e) {
  std::string text = e.GetDescription();
  std::istringstream lines(text);
  std::string line, best;
  while (std::getline(lines, line)) {
    line.erase(0, line.find_first_not_of(" \t"));
    if (!line.empty()) {
      best = line;
      break;
    }
  }
  return best.empty() ? "unreadable" : best;
}

// Header of the file, checked to hold one 3-D scalar volume. For NIfTI, `non_finite` (if given)
// gets the NaN and infinite voxels that ITK's reader would hide.
itk::ImageIOBase::Pointer read_header(const fs::path& path, ImageFileFormat format, NonFinite* non_finite = nullptr) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw InputError(path, fs::exists(path, ec) ? "is not a file" : "does not exist");
  auto io = make_io(format);
  if (!io->CanReadFile(path.c_str()))
    throw InputError(path, "is not a readable " + format_name(format) + " file (bad header or compression)");
  io->SetFileName(path.string());
  try {
    io->ReadImageInformation();
  } catch (const itk::ExceptionObject& e) {
    throw InputError(path, "cannot read header: " + short_itk_message(e));
  }
  if (io->GetNumberOfComponents() != 1)
    throw InputError(path, "has " + std::to_string(io->GetNumberOfComponents()) +
                               " values per voxel (vector/RGB image); expected a scalar volume");
  const unsigned dims = io->GetNumberOfDimensions();
  if (dims < 3) throw InputError(path, "is a " + std::to_string(dims) + "-D image; expected a 3-D volume");
  for (unsigned d = 3; d < dims; ++d)
    if (io->GetDimensions(d) > 1)
      throw InputError(path, "is a " + std::to_string(dims) + "-D image with " + std::to_string(io->GetDimensions(d)) +
                                 " volumes; expected a single 3-D volume");
  for (unsigned d = 0; d < 3; ++d)
    if (io->GetDimensions(d) < 1) throw InputError(path, "has an empty dimension");
  if (format == ImageFileFormat::nifti) {
    const NonFinite found = check_nifti_complete(path, io->GetImageSizeInBytes());
    if (non_finite) *non_finite = found;
  }
  if (format == ImageFileFormat::meta) check_metaimage_complete(path, io->GetImageSizeInBytes());
  return io;
}

template <typename Pixel>
typename itk::Image<Pixel, 3>::Pointer read_pixels(const fs::path& path, ImageFileFormat format) {
  using ItkImage = itk::Image<Pixel, 3>;
  auto reader = itk::ImageFileReader<ItkImage>::New();
  reader->SetImageIO(make_io(format));
  reader->SetFileName(path.string());
  try {
    reader->Update();
  } catch (const itk::ExceptionObject& e) {
    throw InputError(path, "cannot read voxels (truncated or corrupt file?): " + short_itk_message(e));
  }
  return reader->GetOutput();
}

template <typename Pixel>
Grid grid_of(const itk::Image<Pixel, 3>& image) {
  Grid g;
  const auto size = image.GetLargestPossibleRegion().GetSize();
  for (int i = 0; i < 3; ++i) {
    g.size[i] = int(size[i]);
    g.spacing[i] = image.GetSpacing()[i];
    g.origin[i] = image.GetOrigin()[i];
    for (int c = 0; c < 3; ++c) g.direction[i * 3 + c] = image.GetDirection()[i][c];
  }
  return g;
}

template <typename Out, typename Pixel, typename Convert>
Image<Out> convert(const itk::Image<Pixel, 3>& image, Convert convert_one) {
  Image<Out> out(grid_of(image));
  const Pixel* src = image.GetBufferPointer();
  for (std::size_t i = 0; i < out.voxels.size(); ++i) out.voxels[i] = convert_one(src[i]);
  return out;
}

// NaN and infinite voxels have no HU, and any value put in their place would be measured as tissue
// or air: refuse the file, saying how many there are.
// `found`: what the file scan counted (NIfTI; ITK's reader has made them 0 in `image`).
void check_finite(const itk::Image<double, 3>& image, NonFinite found, const fs::path& path) {
  const double* values = image.GetBufferPointer();
  const std::size_t n = image.GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i) {
    found.nan += std::isnan(values[i]) ? 1 : 0;
    found.infinite += std::isinf(values[i]) ? 1 : 0;
  }
  const uint64_t bad = found.nan + found.infinite;
  if (bad == 0) return;
  throw InputError(path, fmt::format("has {} voxel{} without a number ({} NaN, {} infinite) of {}; "
                                     "refused: fill them with HU (e.g. -1024 for air) first",
                                     bad, bad == 1 ? "" : "s", found.nan, found.infinite, n));
}

bool fits_int16_exactly(Component c) {
  return c == Component::SHORT || c == Component::CHAR || c == Component::UCHAR;
}

bool fits_uint16_exactly(Component c) { return c == Component::USHORT || c == Component::UCHAR; }

template <typename T>
void write_any(const Image<T>& image, const fs::path& path, ImageFileFormat format) {
  using ItkImage = itk::Image<T, 3>;
  auto out = ItkImage::New();
  typename ItkImage::SizeType size;
  typename ItkImage::SpacingType spacing;
  typename ItkImage::PointType origin;
  typename ItkImage::DirectionType direction;
  for (int i = 0; i < 3; ++i) {
    size[i] = image.grid.size[i];
    spacing[i] = image.grid.spacing[i];
    origin[i] = image.grid.origin[i];
    for (int c = 0; c < 3; ++c) direction[i][c] = image.grid.direction[i * 3 + c];
  }
  out->SetRegions(typename ItkImage::RegionType(size));
  out->SetSpacing(spacing);
  out->SetOrigin(origin);
  out->SetDirection(direction);
  out->Allocate();
  std::copy(image.voxels.begin(), image.voxels.end(), out->GetBufferPointer());

  auto writer = itk::ImageFileWriter<ItkImage>::New();
  writer->SetImageIO(make_io(format));
  writer->SetFileName(path.string());
  writer->SetInput(out);
  writer->SetUseCompression(true);
  try {
    writer->Update();
  } catch (const itk::ExceptionObject& e) {
    throw InputError(path, "cannot write: " + short_itk_message(e));
  }
}

}  // namespace

std::optional<ImageFileFormat> image_file_format(const fs::path& path) {
  const std::string name = lower(path.filename().string());
  if (ends_with(name, ".nii") || ends_with(name, ".nii.gz")) return ImageFileFormat::nifti;
  if (ends_with(name, ".nrrd") || ends_with(name, ".nhdr")) return ImageFileFormat::nrrd;
  if (ends_with(name, ".mha") || ends_with(name, ".mhd")) return ImageFileFormat::meta;
  return std::nullopt;
}

std::string format_name(ImageFileFormat format) {
  switch (format) {
    case ImageFileFormat::nifti: return "nifti";
    case ImageFileFormat::nrrd: return "nrrd";
    case ImageFileFormat::meta: return "mha";
  }
  return "unknown";
}

Image<int16_t> read_hu_file(const fs::path& path, ImageFileFormat format) {
  NonFinite non_finite;
  const auto io = read_header(path, format, &non_finite);
  if (fits_int16_exactly(io->GetComponentType())) {
    const auto image = read_pixels<int16_t>(path, format);
    return convert<int16_t>(*image, [](int16_t v) { return v; });
  }
  // Wider or floating-point storage (or a NIfTI scl_slope, which ITK reports as float): round, clamp.
  const auto image = read_pixels<double>(path, format);
  check_finite(*image, non_finite, path);
  return convert<int16_t>(*image, [](double v) { return int16_t(std::clamp(std::round(v), -32768.0, 32767.0)); });
}

Image<uint16_t> read_label_file(const fs::path& path, ImageFileFormat format) {
  const auto io = read_header(path, format);
  if (fits_uint16_exactly(io->GetComponentType())) {
    const auto image = read_pixels<uint16_t>(path, format);
    return convert<uint16_t>(*image, [](uint16_t v) { return v; });
  }
  const auto image = read_pixels<double>(path, format);
  const double* values = image->GetBufferPointer();
  const std::size_t n = image->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i) {
    const double v = values[i];
    if (!(v >= -1e-3 && v <= 65535.001 && std::abs(v - std::round(v)) < 1e-3)) {
      std::ostringstream msg;
      msg << "holds the value " << v << ", which is not a label (labels are whole numbers 0..65535)";
      throw InputError(path, msg.str());
    }
  }
  return convert<uint16_t>(*image, [](double v) { return uint16_t(std::lround(v)); });
}

void write_image_file(const Image<int16_t>& image, const fs::path& path, ImageFileFormat format) {
  write_any(image, path, format);
}
void write_image_file(const Image<uint16_t>& image, const fs::path& path, ImageFileFormat format) {
  write_any(image, path, format);
}

}  // namespace l3
