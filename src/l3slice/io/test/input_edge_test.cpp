// Image inputs that cannot be taken as HU as they are: float files with NaN or infinite voxels
// (refused, naming the count), integer files that are not HU (warned about, from where the air and
// fat peaks sit), and oblique volumes (refused, naming the angle).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <itkImage.h>
#include <itkImageFileWriter.h>
#include <itkMetaImageIO.h>
#include <itkNiftiImageIO.h>
#include <itkNrrdImageIO.h>

#include "io_test_util.h"
#include "l3slice/core/error.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/io/hu_check.h"
#include "l3slice/io/image_writer.h"
#include "l3slice/io/orientation.h"
#include "support/test_support.h"

namespace l3 {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// A float image file of the synthetic volume with some voxels replaced by `bad` values.
void write_float_image(const fs::path& path, const std::vector<float>& bad) {
  const CtScan ct = io_test::synthetic_ct(8, 6, 4);
  using Float3 = itk::Image<float, 3>;
  auto image = Float3::New();
  Float3::SizeType size;
  for (int i = 0; i < 3; ++i) size[i] = std::size_t(ct.hu.grid.size[i]);
  image->SetRegions(Float3::RegionType(size));
  image->Allocate();
  float* voxels = image->GetBufferPointer();
  for (std::size_t i = 0; i < ct.hu.voxels.size(); ++i) voxels[i] = float(ct.hu.voxels[i]) + 0.25f;
  for (std::size_t i = 0; i < bad.size(); ++i) voxels[7 * i + 3] = bad[i];
  auto writer = itk::ImageFileWriter<Float3>::New();
  // IOs made directly: no factory registration in this program.
  const std::string name = path.filename().string();
  if (name.find(".nii") != std::string::npos) writer->SetImageIO(itk::NiftiImageIO::New());
  else if (name.find(".nrrd") != std::string::npos) writer->SetImageIO(itk::NrrdImageIO::New());
  else writer->SetImageIO(itk::MetaImageIO::New());
  writer->SetUseCompression(true);
  writer->SetInput(image);
  writer->SetFileName(path.string());
  writer->Update();
}

class FloatImage : public ::testing::TestWithParam<const char*> {};

TEST_P(FloatImage, NanAndInfiniteVoxelsAreRefusedWithTheirCount) {
  TempDir dir;
  const fs::path bad = dir / (std::string("bad") + GetParam()), good = dir / (std::string("good") + GetParam());
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  write_float_image(bad, {nan, nan, nan, inf, inf, -inf});
  const std::string message = io_test::read_error(bad);
  EXPECT_EQ(message.rfind(bad.string() + ": ", 0), 0u) << message;
  EXPECT_NE(message.find("6 voxels"), std::string::npos) << message;
  EXPECT_NE(message.find("3 NaN"), std::string::npos) << message;
  EXPECT_NE(message.find("3 infinite"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;

  write_float_image(good, {});
  EXPECT_EQ(read_ct(good).hu.voxels, io_test::synthetic_ct(8, 6, 4).hu.voxels);  // x.25 rounds to x
}

INSTANTIATE_TEST_SUITE_P(Formats, FloatImage, ::testing::Values(".nii.gz", ".nii", ".nrrd", ".mha"),
                         [](const auto& info) {
                           std::string name = info.param + 1;
                           for (char& c : name) c = c == '.' ? '_' : c;
                           return name;
                         });

// A torso-like volume in HU: air around, fat, muscle, bone.
HuImage torso_hu() {
  Grid g;
  g.size = {40, 40, 3};
  HuImage hu(g);
  for (int z = 0; z < 3; ++z)
    for (int y = 0; y < 40; ++y)
      for (int x = 0; x < 40; ++x) {
        const double r = std::hypot(x - 19.5, y - 19.5);
        const int noise = (x * 7 + y * 13 + z) % 21 - 10;
        hu.at(x, y, z) = int16_t((r > 17 ? -1000 : r > 13 ? -100 : r > 4 ? 50 : 700) + noise);
      }
  return hu;
}

TEST(HuCheck, HuVolumeIsNotWarnedAbout) { EXPECT_FALSE(not_hu_warning(torso_hu())); }

TEST(HuCheck, StoredValuesWithoutInterceptAreWarnedAbout) {
  HuImage stored = torso_hu();
  for (int16_t& v : stored.voxels) v = int16_t(v + 1024);  // 0..4095 style, no rescale
  const auto warning = not_hu_warning(stored);
  ASSERT_TRUE(warning);
  EXPECT_NE(warning->find("not HU"), std::string::npos) << *warning;
  EXPECT_NE(warning->find("fat"), std::string::npos) << *warning;
  EXPECT_NE(warning->find("1024"), std::string::npos) << *warning;
}

TEST(HuCheck, BoneOnlyVolumeIsNotWarnedAbout) {
  // Like the shared s0328 file: everything below 200 HU set to 0. In HU, just unusual.
  HuImage bone = torso_hu();
  for (int16_t& v : bone.voxels) v = v < 200 ? 0 : v;
  EXPECT_FALSE(not_hu_warning(bone));
}

TEST(HuCheck, IntegerNiftiNotInHuGetsAWarningOnStderr) {
  TempDir dir;
  HuImage stored = torso_hu();
  for (int16_t& v : stored.voxels) v = int16_t(v + 1024);
  write_image(stored, dir / "raw.nii.gz");
  write_image(torso_hu(), dir / "hu.nii.gz");
  ::testing::internal::CaptureStderr();
  const CtScan raw = read_ct(dir / "raw.nii.gz");
  const std::string raw_err = ::testing::internal::GetCapturedStderr();
  ::testing::internal::CaptureStderr();
  read_ct(dir / "hu.nii.gz");
  const std::string hu_err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(raw.hu.voxels, stored.voxels);  // a warning, not a refusal: the values are kept
  EXPECT_EQ(raw_err.rfind("l3slice: warning: " + (dir / "raw.nii.gz").string() + ": ", 0), 0u) << raw_err;
  EXPECT_EQ(hu_err, "");
}

// The synthetic volume with its axes turned by `degrees` about the patient's z (in-plane) or x.
CtScan turned_ct(double degrees, bool about_x) {
  CtScan ct = io_test::synthetic_ct(10, 8, 6);
  const double c = std::cos(degrees * M_PI / 180), s = std::sin(degrees * M_PI / 180);
  ct.hu.grid.direction = about_x ? std::array<double, 9>{1, 0, 0, 0, c, -s, 0, s, c}
                                 : std::array<double, 9>{c, -s, 0, s, c, 0, 0, 0, 1};
  return ct;
}

TEST(Oblique, ObliquityIsTheLargestAxisAngle) {
  EXPECT_NEAR(obliquity_degrees(turned_ct(0, false).hu.grid.direction), 0.0, 1e-9);
  EXPECT_NEAR(obliquity_degrees(turned_ct(12, false).hu.grid.direction), 12.0, 1e-9);
  EXPECT_NEAR(obliquity_degrees(turned_ct(-7, true).hu.grid.direction), 7.0, 1e-9);
  EXPECT_NEAR(obliquity_degrees({0, 0, -1, 1, 0, 0, 0, -1, 0}), 0.0, 1e-9);  // PIR: permuted, not oblique
}

TEST(Oblique, NiftiMoreThanFiveDegreesOffIsRefusedNamingTheAngle) {
  TempDir dir;
  write_image(turned_ct(12, true).hu, dir / "oblique.nii.gz", WriteLayout{"RAS"});
  const std::string message = io_test::read_error(dir / "oblique.nii.gz");
  EXPECT_EQ(message.rfind((dir / "oblique.nii.gz").string() + ": ", 0), 0u) << message;
  EXPECT_NE(message.find("12.0 degrees"), std::string::npos) << message;
  EXPECT_NE(message.find("refused"), std::string::npos) << message;
  EXPECT_NE(message.find("not resampled"), std::string::npos) << message;

  write_image(turned_ct(3, true).hu, dir / "slightly.nii.gz", WriteLayout{"RAS"});
  const CtScan slightly = read_ct(dir / "slightly.nii.gz");
  EXPECT_EQ(slightly.hu.voxels, turned_ct(3, true).hu.voxels);
}

TEST(Oblique, DicomSeriesMoreThanFiveDegreesOffIsRefused) {
  TempDir dir;
  write_dicom_series(turned_ct(20, false), dir / "oblique");
  const std::string message = io_test::read_error(dir / "oblique");
  EXPECT_EQ(message.rfind((dir / "oblique").string() + ": ", 0), 0u) << message;
  EXPECT_NE(message.find("20.0 degrees"), std::string::npos) << message;
  EXPECT_NE(message.find("refused"), std::string::npos) << message;
  write_dicom_series(turned_ct(2, false), dir / "slightly");
  EXPECT_EQ(read_ct(dir / "slightly").hu.voxels, turned_ct(2, false).hu.voxels);
}

}  // namespace
}  // namespace l3
