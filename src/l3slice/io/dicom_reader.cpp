#include "l3slice/io/dicom_reader.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
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

// Padding is air: it marks voxels outside the reconstruction circle, whose naive rescale is -3024 HU
// (GE's -2000 stored) or, when the value is stored unsigned (63536), bright bone.
constexpr int16_t kPaddingHu = -1024;

// The stored values that are padding (PixelPaddingValue up to PixelPaddingRangeLimit, inclusive).
struct Padding {
  double low = 0, high = -1;  // empty range: no padding
  bool contains(double v) const { return v >= low && v <= high; }
};

// A US-or-SS element (VR from the pixel representation, whatever the file's VR says, as GE writes
// the unsigned 63536 for the signed -2000); nothing if absent. Little-endian transfer syntaxes only.
std::optional<double> us_or_ss(const gdcm::DataSet& ds, const gdcm::Tag& tag, bool is_signed) {
  if (!ds.FindDataElement(tag)) return std::nullopt;
  const gdcm::ByteValue* value = ds.GetDataElement(tag).GetByteValue();
  if (!value || value->GetLength() < 2) return std::nullopt;
  uint16_t bits = 0;
  std::memcpy(&bits, value->GetPointer(), 2);
  return is_signed ? double(int16_t(bits)) : double(bits);
}

Padding padding_of(const gdcm::DataSet& ds, bool is_signed) {
  const auto value = us_or_ss(ds, gdcm::Tag(0x0028, 0x0120), is_signed);
  if (!value) return {};
  const double limit = us_or_ss(ds, gdcm::Tag(0x0028, 0x0121), is_signed).value_or(*value);
  return {std::min(*value, limit), std::max(*value, limit)};
}

// How one file's pixel words become HU.
struct Rescale {
  unsigned bits_stored = 16;
  bool is_signed = false;
  double slope = 1.0, intercept = 0.0;
  Padding padding;
};

// `decoded`: the pixel words from GDCM (which clears the bits above BitsStored); `words`: the same
// words as the file stores them when it can tell (uncompressed), else `decoded` again.
template <typename Raw>
void to_hu(const char* decoded, const char* words, std::size_t count, const Rescale& r, int16_t* out) {
  for (std::size_t i = 0; i < count; ++i) {
    Raw raw, word;
    std::memcpy(&raw, decoded + i * sizeof(Raw), sizeof(Raw));
    std::memcpy(&word, words + i * sizeof(Raw), sizeof(Raw));
    const double stored = stored_value(raw, r.bits_stored, r.is_signed);
    // The whole word counts too: padding may use the bits above BitsStored (63536 with BitsStored 12).
    if (r.padding.contains(stored) || r.padding.contains(double(word))) {
      out[i] = kPaddingHu;
      continue;
    }
    out[i] = int16_t(std::clamp(std::round(stored * r.slope + r.intercept), -32768.0, 32767.0));
  }
}

template <typename Signed, typename Unsigned>
void to_hu_either(const char* decoded, const char* words, std::size_t count, const Rescale& r, int16_t* out) {
  if (r.is_signed) to_hu<Signed>(decoded, words, count, r, out);
  else to_hu<Unsigned>(decoded, words, count, r, out);
}

// The file's own pixel words (native little-endian pixel data), or nullptr when encoded otherwise.
const char* file_words(const gdcm::Image& image, std::size_t length) {
  const gdcm::TransferSyntax& ts = image.GetTransferSyntax();
  if (ts.IsEncapsulated() || ts.GetSwapCode() != gdcm::SwapCode::LittleEndian) return nullptr;
  const gdcm::ByteValue* value = image.GetDataElement().GetByteValue();
  return value && value->GetLength() >= length ? value->GetPointer() : nullptr;
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
  Rescale r;
  r.slope = options.assume_hu && !h.rescale_slope ? 1.0 : h.rescale_slope.value_or(1.0);
  r.intercept = options.assume_hu && !h.rescale_intercept ? 0.0 : h.rescale_intercept.value_or(0.0);
  r.bits_stored = std::max<unsigned>(1, pf.GetBitsStored());
  r.is_signed = pf.GetPixelRepresentation() == 1;
  r.padding = padding_of(reader.GetFile().GetDataSet(), r.is_signed);
  const char* words = file_words(image, count * bytes);
  if (!words) words = buffer.data();
  if (bytes == 1) to_hu_either<int8_t, uint8_t>(buffer.data(), words, count, r, out);
  else if (bytes == 2) to_hu_either<int16_t, uint16_t>(buffer.data(), words, count, r, out);
  else to_hu_either<int32_t, uint32_t>(buffer.data(), words, count, r, out);
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
