#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <random>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <gdcmAttribute.h>
#include <gdcmImageChangeTransferSyntax.h>
#include <gdcmImageWriter.h>
#include <gdcmMediaStorage.h>
#include <gdcmReader.h>
#include <gdcmUIDGenerator.h>
#include <gdcmWriter.h>

#include "l3slice/core/atomic_file.h"
#include "l3slice/core/error.h"
#include "l3slice/io/image_writer.h"
#include "l3slice/io/gdcm_quiet.h"
#include "l3slice/io/orientation.h"

namespace l3 {
namespace {

namespace fs = std::filesystem;

// FNV-1a over bytes: a stable key for deterministic UIDs (same volume + options -> same UIDs).
struct Fnv {
  uint64_t h = 1469598103934665603ULL;
  void add(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ULL;
  }
  void add(const std::string& s) { add(s.data(), s.size() + 1); }
  template <typename T>
  void add_value(const T& v) { add(&v, sizeof v); }
};

uint64_t series_key(const CtScan& ct, const DicomWriteOptions& o) {
  Fnv f;
  f.add(ct.hu.voxels.data(), ct.hu.voxels.size() * sizeof(int16_t));
  for (double v : ct.hu.grid.spacing) f.add_value(v);
  for (double v : ct.hu.grid.origin) f.add_value(v);
  f.add_value(o.seed);
  f.add_value(int(o.compression));
  f.add_value(o.write_rescale);
  f.add_value(o.gantry_tilt_deg);
  const DicomPixelEncoding& e = o.encoding;
  f.add_value(e.is_signed);
  f.add_value(e.bits_stored);
  f.add_value(e.high_bits);
  f.add_value(e.slope);
  f.add_value(e.intercept);
  f.add_value(e.padding_value.value_or(0x7fffffff));
  f.add_value(e.padding_hu);
  f.add_value(e.padding_range_limit.value_or(0x7fffffff));
  f.add(o.orientation);
  f.add(o.patient_id);
  f.add(o.series_description);
  f.add(o.modality);
  return f.h | 1;  // never 0, so the UID component has no leading zero
}

// UIDs under GDCM's root, deterministic: <root>.<key>.<role>.<index>.
std::string uid(uint64_t key, int role, int index = 0) {
  return fmt::format("{}.{}.{}.{}", gdcm::UIDGenerator::GetGDCMUID(), key, role, index);
}

gdcm::TransferSyntax::TSType transfer_syntax(DicomCompression c) {
  switch (c) {
    case DicomCompression::jpeg_lossless: return gdcm::TransferSyntax::JPEGLosslessProcess14_1;
    case DicomCompression::jpegls_lossless: return gdcm::TransferSyntax::JPEGLSLossless;
    case DicomCompression::jpeg2000_lossless: return gdcm::TransferSyntax::JPEG2000Lossless;
    case DicomCompression::rle: return gdcm::TransferSyntax::RLELossless;
    case DicomCompression::none: break;
  }
  return gdcm::TransferSyntax::ExplicitVRLittleEndian;
}

// A text element with its VR, padded to even length as DICOM requires (UIDs with NUL, text with space).
void put(gdcm::DataSet& ds, uint16_t group, uint16_t element, gdcm::VR::VRType vr, std::string value) {
  if (value.size() % 2) value += vr == gdcm::VR::UI ? '\0' : ' ';
  gdcm::DataElement de(gdcm::Tag(group, element));
  de.SetVR(vr);
  de.SetByteValue(value.data(), uint32_t(value.size()));
  ds.Replace(de);
}

std::string ds_number(double v) { return fmt::format("{:.6g}", v); }

// CT rescale tags are mandatory, so gdcm always writes them; remove them afterwards on request.
void remove_rescale_tags(const fs::path& file) {
  gdcm::Reader reader;
  reader.SetFileName(file.c_str());
  if (!reader.Read()) throw std::runtime_error("cannot re-read " + file.string());
  gdcm::DataSet& ds = reader.GetFile().GetDataSet();
  ds.Remove(gdcm::Tag(0x0028, 0x1052));
  ds.Remove(gdcm::Tag(0x0028, 0x1053));
  ds.Remove(gdcm::Tag(0x0028, 0x1054));
  gdcm::Writer writer;
  writer.SetFile(reader.GetFile());
  writer.SetFileName(file.c_str());
  if (!writer.Write()) throw std::runtime_error("cannot rewrite " + file.string());
}

// The encoding actually written: write_rescale = false stores HU as signed values without rescale.
DicomPixelEncoding effective_encoding(const DicomWriteOptions& o) {
  if (o.write_rescale) {
    if (o.encoding.bits_stored < 1 || o.encoding.bits_stored > 16 || o.encoding.slope == 0)
      throw UsageError("DICOM pixel encoding needs BitsStored 1..16 and a non-zero slope");
    return o.encoding;
  }
  DicomPixelEncoding raw;
  raw.is_signed = true;
  raw.intercept = 0.0;
  return raw;
}

// The 16 bits stored for one HU value: rescaled, clamped to BitsStored, high bits filled in.
uint16_t stored_bits(int16_t hu, const DicomPixelEncoding& e) {
  // Padding goes in with all 16 bits, as GE writes 63536 even when BitsStored is 12.
  if (e.padding_value && hu == e.padding_hu) return uint16_t(*e.padding_value);
  const unsigned bits = e.bits_stored;
  const long low = e.is_signed ? -(1L << (bits - 1)) : 0L;
  const long high = e.is_signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
  const long value = std::clamp(std::lround((hu - e.intercept) / e.slope), low, high);
  const auto mask = uint16_t((1U << bits) - 1U);
  const auto low_bits = uint16_t(uint16_t(value) & mask);  // two's complement for negative values
  return uint16_t(low_bits | (e.high_bits & ~mask));
}

// A US-or-SS element with the VR of the pixel representation, as 16 bits.
void put_us_or_ss(gdcm::DataSet& ds, const gdcm::Tag& tag, int value, bool is_signed) {
  const uint16_t bits = uint16_t(value);
  gdcm::DataElement de(tag);
  de.SetVR(is_signed ? gdcm::VR::SS : gdcm::VR::US);
  de.SetByteValue(reinterpret_cast<const char*>(&bits), 2);
  ds.Replace(de);
}

void put_padding(gdcm::DataSet& ds, const DicomPixelEncoding& e) {
  if (e.padding_value) put_us_or_ss(ds, gdcm::Tag(0x0028, 0x0120), *e.padding_value, e.is_signed);
  if (e.padding_range_limit) put_us_or_ss(ds, gdcm::Tag(0x0028, 0x0121), *e.padding_range_limit, e.is_signed);
}

std::vector<std::string> file_names(int count, const DicomWriteOptions& o) {
  std::vector<std::string> names;
  std::mt19937_64 rng(o.seed);
  std::set<std::string> used;
  for (int k = 0; k < count; ++k) {
    if (!o.shuffle_file_names) {
      names.push_back(fmt::format("IM{:05d}.dcm", k + 1));
      continue;
    }
    std::string name;
    do name = fmt::format("{:016x}", rng());
    while (!used.insert(name).second);
    names.push_back(name);
  }
  return names;
}

}  // namespace

void write_dicom_series(const CtScan& ct, const fs::path& folder, const DicomWriteOptions& o) {
  AxisMap map;
  try {
    map = axis_map_from_code(o.orientation);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  if (map.canonical_axis[2] != 2)
    throw UsageError("DICOM series are written as axial slices; orientation '" + o.orientation + "' is not axial");
  quiet_gdcm();
  const HuImage file = from_canonical(ct.hu, map);
  const Grid& g = file.grid;
  const uint64_t key = series_key(ct, o);
  const std::string study_uid = uid(key, 1), series_uid = uid(key, 2), frame_uid = uid(key, 3);
  const double tilt = std::tan(o.gantry_tilt_deg * M_PI / 180.0);
  const std::vector<std::string> names = file_names(g.size[2], o);

  StagingDir staging(folder);
  const DicomPixelEncoding encoding = effective_encoding(o);
  gdcm::PixelFormat pixel_format(encoding.is_signed ? gdcm::PixelFormat::INT16 : gdcm::PixelFormat::UINT16);
  pixel_format.SetBitsStored(static_cast<unsigned short>(encoding.bits_stored));
  std::vector<char> pixels(g.slice_voxels() * 2);
  for (int k = 0; k < g.size[2]; ++k) {
    const int16_t* hu = file.slice(k);
    for (std::size_t i = 0; i < g.slice_voxels(); ++i) {
      const uint16_t stored = stored_bits(hu[i], encoding);
      std::memcpy(pixels.data() + 2 * i, &stored, 2);
    }

    gdcm::ImageWriter writer;
    gdcm::Image& image = writer.GetImage();
    image.SetNumberOfDimensions(2);
    image.SetDimension(0, unsigned(g.size[0]));
    image.SetDimension(1, unsigned(g.size[1]));
    image.SetPixelFormat(pixel_format);
    image.SetPhotometricInterpretation(gdcm::PhotometricInterpretation::MONOCHROME2);
    image.SetSpacing(0, g.spacing[0]);
    image.SetSpacing(1, g.spacing[1]);
    image.SetSpacing(2, g.spacing[2]);
    auto position = g.physical(0, 0, k);
    // Gantry tilt: each slice slides along the column direction as the table moves.
    for (int r = 0; r < 3; ++r) position[r] += k * g.spacing[2] * tilt * g.direction[r * 3 + 1];
    // Per index: SetOrigin(const double*) only copies NumberOfDimensions (2) values.
    for (unsigned r = 0; r < 3; ++r) image.SetOrigin(r, position[r]);
    const double cosines[6] = {g.direction[0], g.direction[3], g.direction[6],
                               g.direction[1], g.direction[4], g.direction[7]};
    image.SetDirectionCosines(cosines);
    image.SetIntercept(encoding.intercept);
    image.SetSlope(encoding.slope);
    gdcm::DataElement pixel_data(gdcm::Tag(0x7fe0, 0x0010));
    pixel_data.SetByteValue(pixels.data(), uint32_t(pixels.size()));
    image.SetDataElement(pixel_data);
    image.SetTransferSyntax(gdcm::TransferSyntax::ExplicitVRLittleEndian);

    gdcm::DataSet& ds = writer.GetFile().GetDataSet();
    put(ds, 0x0008, 0x0016, gdcm::VR::UI, gdcm::MediaStorage::GetMSString(gdcm::MediaStorage::CTImageStorage));
    put(ds, 0x0008, 0x0018, gdcm::VR::UI, uid(key, 4, k + 1));
    put(ds, 0x0008, 0x0060, gdcm::VR::CS, o.modality);
    put(ds, 0x0008, 0x0070, gdcm::VR::LO, "l3slice");
    put(ds, 0x0008, 0x103e, gdcm::VR::LO, o.series_description);
    put(ds, 0x0010, 0x0010, gdcm::VR::PN, o.patient_id);
    put(ds, 0x0010, 0x0020, gdcm::VR::LO, o.patient_id);
    put(ds, 0x0018, 0x0050, gdcm::VR::DS, ds_number(g.spacing[2]));
    if (o.gantry_tilt_deg != 0) put(ds, 0x0018, 0x1120, gdcm::VR::DS, ds_number(o.gantry_tilt_deg));
    put(ds, 0x0020, 0x000d, gdcm::VR::UI, study_uid);
    put(ds, 0x0020, 0x000e, gdcm::VR::UI, series_uid);
    put(ds, 0x0020, 0x0011, gdcm::VR::IS, "1");
    put(ds, 0x0020, 0x0013, gdcm::VR::IS, std::to_string(k + 1));
    put(ds, 0x0020, 0x0052, gdcm::VR::UI, frame_uid);
    put(ds, 0x0020, 0x1041, gdcm::VR::DS, ds_number(position[2]));
    put_padding(ds, encoding);

    gdcm::ImageChangeTransferSyntax change;
    if (o.compression != DicomCompression::none) {
      change.SetTransferSyntax(transfer_syntax(o.compression));
      change.SetInput(image);
      if (!change.Change())
        throw std::runtime_error(fmt::format("GDCM cannot compress slice {} as {}", k,
                                             gdcm::TransferSyntax(transfer_syntax(o.compression)).GetString()));
      writer.SetImage(change.GetOutput());
    }
    const fs::path path = staging.path() / names[std::size_t(k)];
    writer.SetFileName(path.c_str());
    if (!writer.Write()) throw InputError(path, "cannot write DICOM file");
    if (!o.write_rescale) remove_rescale_tags(path);
  }
  staging.commit();
}

}  // namespace l3
