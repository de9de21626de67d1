// HU conversion of DICOM series stored in every way scanners store them (signed and unsigned,
// BitsStored 12 with other bits set, RescaleSlope other than 1, PixelPaddingValue, JPEG-LS),
// checked against an independent decoder: ITK's GDCMImageIO, which applies slope and intercept
// itself. Padding is the one place where l3slice must differ from it: padding is air, not the
// naive rescale of the padding value (-3024 HU, or 62512 HU when GE stores it as unsigned 63536).
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <itkGDCMImageIO.h>
#include <itkImage.h>
#include <itkImageFileReader.h>

#include "l3slice/io/ct_reader.h"
#include "l3slice/io/image_writer.h"
#include "support/test_support.h"

namespace l3 {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

constexpr int kPaddingHu = -3024;  // what the test volume holds outside its "reconstruction circle"
constexpr int kInRangeHu = -3018;  // padding only where PixelPaddingRangeLimit covers it
constexpr int kAirHu = -1024;      // what l3slice makes of padding

// Voxels spread over -1000..2999 HU, with padding in two corners of every slice (10 voxels) and
// kInRangeHu in two more.
CtScan hu_volume() {
  CtScan ct;
  Grid g;
  g.size = {16, 12, 4};
  g.spacing = {0.8, 0.8, 3.0};
  ct.hu = HuImage(g);
  for (int z = 0; z < g.size[2]; ++z)
    for (int y = 0; y < g.size[1]; ++y)
      for (int x = 0; x < g.size[0]; ++x) {
        const bool corner = (x < 3 && y < 2) || (x >= g.size[0] - 2 && y >= g.size[1] - 2);
        const bool in_range = x < 2 && y == g.size[1] - 1;
        ct.hu.at(x, y, z) = int16_t(corner     ? kPaddingHu
                                    : in_range ? kInRangeHu
                                               : -1000 + (x * 37 + y * 101 + z * 613) % 4000);
      }
  ct.slices.resize(std::size_t(g.size[2]));
  return ct;
}

// One slice decoded by ITK's GDCMImageIO, rescaled by ITK.
using ItkSlice = itk::Image<double, 2>;
ItkSlice::Pointer itk_decode(const fs::path& file) {
  auto reader = itk::ImageFileReader<ItkSlice>::New();
  reader->SetImageIO(itk::GDCMImageIO::New());
  reader->SetFileName(file.string());
  reader->Update();
  return reader->GetOutput();
}

struct HuCase {
  const char* name;
  DicomPixelEncoding encoding;
  DicomCompression compression = DicomCompression::none;
};

DicomPixelEncoding encoding(bool is_signed, double slope, double intercept, unsigned bits_stored = 16,
                            uint16_t high_bits = 0, std::optional<int> padding = std::nullopt,
                            std::optional<int> range_limit = std::nullopt) {
  DicomPixelEncoding e;
  e.is_signed = is_signed;
  e.slope = slope;
  e.intercept = intercept;
  e.bits_stored = bits_stored;
  e.high_bits = high_bits;
  e.padding_value = padding;
  e.padding_hu = kPaddingHu;
  e.padding_range_limit = range_limit;
  return e;
}

void PrintTo(const HuCase& c, std::ostream* os) { *os << c.name; }

class DicomHu : public ::testing::TestWithParam<HuCase> {};

TEST_P(DicomHu, MatchesItkGdcmImageIoExceptThatPaddingIsAir) {
  const HuCase c = GetParam();
  const CtScan ct = hu_volume();
  TempDir dir;
  DicomWriteOptions o;
  o.encoding = c.encoding;
  o.compression = c.compression;
  write_dicom_series(ct, dir / "series", o);
  const CtScan back = read_ct(dir / "series");
  const Grid& g = back.hu.grid;
  ASSERT_EQ(g.size, ct.hu.grid.size);

  const bool padded = c.encoding.padding_value.has_value();
  const bool ranged = c.encoding.padding_range_limit.has_value();
  const auto is_padding = [&](int hu) { return (padded && hu == kPaddingHu) || (ranged && hu == kInRangeHu); };
  int padding_voxels = 0, padding_as_air = 0, naive_padding_not_air = 0;
  double naive_padding = 0;
  for (int z = 0; z < g.size[2]; ++z) {
    const auto itk = itk_decode(dir / "series" / fmt::format("IM{:05d}.dcm", z + 1));  // LPS: file z = canonical z
    for (int y = 0; y < g.size[1]; ++y)
      for (int x = 0; x < g.size[0]; ++x) {
        const double independent = itk->GetPixel({{x, y}});
        const int ours = back.hu.at(x, y, z);
        if (is_padding(ct.hu.at(x, y, z))) {
          ++padding_voxels;
          padding_as_air += ours == kAirHu;
          naive_padding_not_air += independent != kAirHu;
          naive_padding = independent;
        } else {
          ASSERT_LE(std::abs(ours - independent), 0.5 + 1e-9)
              << "at " << x << "," << y << "," << z << ": l3slice " << ours << ", ITK " << independent;
        }
      }
  }
  EXPECT_EQ(padding_voxels, ((padded ? 10 : 0) + (ranged ? 2 : 0)) * g.size[2]);
  EXPECT_EQ(padding_as_air, padding_voxels) << "padding must read as air, " << kAirHu << " HU";
  EXPECT_EQ(naive_padding_not_air, padding_voxels) << "ITK's naive rescale of padding: " << naive_padding;
}

INSTANTIATE_TEST_SUITE_P(
    Encodings, DicomHu,
    ::testing::Values(
        HuCase{"unsigned_intercept_minus_1024", encoding(false, 1, -1024)},
        HuCase{"signed_intercept_0", encoding(true, 1, 0)},
        HuCase{"signed_intercept_minus_1024", encoding(true, 1, -1024)},
        HuCase{"unsigned_12_bits_with_high_bits_set", encoding(false, 1, -1024, 12, 0xf000)},
        HuCase{"signed_12_bits_with_high_bits_set", encoding(true, 1, 0, 12, 0xa000)},
        HuCase{"slope_half", encoding(false, 0.5, -1024)},
        HuCase{"slope_two_signed", encoding(true, 2, -1024)},
        HuCase{"ge_signed_padding_minus_2000", encoding(true, 1, -1024, 16, 0, -2000)},
        HuCase{"ge_unsigned_padding_63536", encoding(false, 1, -1024, 16, 0, 63536)},
        HuCase{"ge_unsigned_12_bits_padding_63536", encoding(false, 1, -1024, 12, 0, 63536)},
        HuCase{"padding_range_limit", encoding(true, 1, -1024, 16, 0, -2000, -1990)},
        HuCase{"jpegls_unsigned", encoding(false, 1, -1024), DicomCompression::jpegls_lossless},
        HuCase{"jpegls_signed_padding", encoding(true, 1, -1024, 16, 0, -2000), DicomCompression::jpegls_lossless},
        HuCase{"jpegls_slope_half", encoding(false, 0.5, -1024), DicomCompression::jpegls_lossless}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace l3
