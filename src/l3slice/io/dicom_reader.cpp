#include "l3slice/io/dicom_reader.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include <fmt/format.h>
#include <gdcmImageReader.h>

#include "l3slice/core/error.h"
#include "l3slice/core/progress.h"
#include "l3slice/io/canonical_scan.h"
#include "l3slice/io/dicom_scan.h"
#include "l3slice/io/dicom_series.h"
#include "l3slice/io/gdcm_quiet.h"

namespace l3 {
namespace {

namespace fs = std::filesystem;

// Stored value of one pixel, keeping only the BitsStored low bits (sign-extended when signed):
// bits above them may hold overlays or garbage.
template <typename Raw>
double stored_value(Raw raw, unsigned bits_stored, bool is_signed) {
  if (bits_stored >= sizeof(Raw) * 8) return double(raw);
  using U = std::make_unsigned_t<Raw>;
  const U mask = U((U(1) << bits_stored) - 1);
  const U bits = U(U(raw) & mask);
  if (is_signed && (bits >> (bits_stored - 1)) & 1U) return double(bits) - double(U(1) << bits_stored);
  return double(bits);
}

template <typename Raw>
void to_hu(const std::vector<char>& buffer, std::size_t count, unsigned bits_stored, bool is_signed, double slope,
           double intercept, int16_t* out) {
  for (std::size_t i = 0; i < count; ++i) {
    Raw raw;
    std::memcpy(&raw, buffer.data() + i * sizeof(Raw), sizeof(Raw));
    const double hu = stored_value(raw, bits_stored, is_signed) * slope + intercept;
    out[i] = int16_t(std::clamp(std::round(hu), -32768.0, 32767.0));
  }
}

// Decodes one slice (any transfer syntax GDCM supports) into HU.
void decode_slice(const DicomImageHeader& h, const CtReadOptions& options, int16_t* out) {
  gdcm::ImageReader reader;
  reader.SetFileName(h.path.c_str());
  bool read = false;
  try {
    read = reader.Read();
  } catch (const std::exception&) {
    read = false;  // some GDCM parse failures throw instead of returning false
  }
  if (!read) throw InputError(h.path, "cannot be read (truncated or corrupt DICOM file)");
  const gdcm::Image& image = reader.GetImage();
  const gdcm::PixelFormat& pf = image.GetPixelFormat();
  if (pf.GetSamplesPerPixel() != 1) throw InputError(h.path, "is a colour image, not a CT slice");
  if (int(image.GetColumns()) != h.columns || int(image.GetRows()) != h.rows)
    throw InputError(h.path, "pixel data size does not match its Rows/Columns");
  const std::size_t count = std::size_t(h.rows) * std::size_t(h.columns);
  const unsigned bytes = pf.GetBitsAllocated() / 8;
  if (bytes != 1 && bytes != 2 && bytes != 4)
    throw InputError(h.path, fmt::format("has {} bits per pixel, which is not supported", pf.GetBitsAllocated()));
  std::vector<char> buffer(image.GetBufferLength());
  if (buffer.size() < count * bytes || !image.GetBuffer(buffer.data()))
    throw InputError(h.path, fmt::format("pixel data cannot be decoded (truncated or corrupt; transfer syntax {})",
                                         image.GetTransferSyntax().GetString() ? image.GetTransferSyntax().GetString() : "?"));
  const double slope = options.assume_hu && !h.rescale_slope ? 1.0 : h.rescale_slope.value_or(1.0);
  const double intercept = options.assume_hu && !h.rescale_intercept ? 0.0 : h.rescale_intercept.value_or(0.0);
  const unsigned stored = std::max<unsigned>(1, pf.GetBitsStored());
  const bool is_signed = pf.GetPixelRepresentation() == 1;
  if (bytes == 1) {
    if (is_signed) to_hu<int8_t>(buffer, count, stored, true, slope, intercept, out);
    else to_hu<uint8_t>(buffer, count, stored, false, slope, intercept, out);
  } else if (bytes == 2) {
    if (is_signed) to_hu<int16_t>(buffer, count, stored, true, slope, intercept, out);
    else to_hu<uint16_t>(buffer, count, stored, false, slope, intercept, out);
  } else {
    if (is_signed) to_hu<int32_t>(buffer, count, stored, true, slope, intercept, out);
    else to_hu<uint32_t>(buffer, count, stored, false, slope, intercept, out);
  }
}

}  // namespace

CtScan read_dicom_folder(const fs::path& folder, const CtReadOptions& options, std::string* notes) {
  DicomSeries series = select_series(scan_dicom_folder(folder), folder, options, notes);

  Image<int16_t> volume(series.grid);
  {
    Progress progress("decoding DICOM", long(series.slices.size()), "slices");
    for (std::size_t k = 0; k < series.slices.size(); ++k) {
      decode_slice(series.slices[k], options, volume.slice(int(k)));
      progress.advance();
    }
    progress.finish();
  }

  CtScan ct = canonical_scan(volume, folder);
  ct.format = "dicom";
  ct.series_uid = series.uid;
  for (SliceSource& s : ct.slices) {
    // Only axial series map canonical slices one-to-one onto files.
    if (ct.file_slice_axis != 2) break;
    const DicomImageHeader& h = series.slices[std::size_t(s.file_index)];
    s.file_name = h.name;
    s.instance_number = h.instance_number;
    s.sop_instance_uid = h.sop_instance_uid;
  }
  return ct;
}

}  // namespace l3
