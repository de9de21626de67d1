// The shared real DICOM series: geometry agrees with the JPEG 2000 series' NIfTI label file, and HU
// agree with an independent decode through ITK's GDCMImageIO (which applies the rescale itself),
// except GE's padding (PixelPaddingValue), which is air here and -3024 HU there.
#include <gtest/gtest.h>

#include <itkGDCMImageIO.h>
#include <itkImage.h>
#include <itkImageSeriesReader.h>

#include <cmath>

#include "l3slice/io/ct_reader.h"
#include "l3slice/io/label_reader.h"
#include "support/test_support.h"

namespace l3 {
namespace {

namespace fs = std::filesystem;

// The series of `folder` decoded by ITK in l3slice's canonical slice order (LPS files only).
std::vector<float> itk_decode(const CtScan& ct, const fs::path& folder) {
  EXPECT_EQ(ct.file_orientation, "LPS");  // so ITK's buffer order is the canonical one
  std::vector<std::string> files;
  for (const SliceSource& s : ct.slices) files.push_back((folder / s.file_name).string());
  using ItkImage = itk::Image<float, 3>;
  auto reader = itk::ImageSeriesReader<ItkImage>::New();
  reader->SetImageIO(itk::GDCMImageIO::New());
  reader->SetFileNames(files);
  reader->Update();
  const float* begin = reader->GetOutput()->GetBufferPointer();
  return std::vector<float>(begin, begin + ct.hu.voxels.size());
}

TEST(RealDicom, Jpeg2000SeriesMatchesItsLabelGridAndItksDecode) {
  const fs::path data = testing::shared_data() / "totalseg-example";
  const fs::path folder = data / "partial-dicom";
  std::string notes;
  const CtScan ct = read_ct(folder, {}, &notes);
  EXPECT_EQ(ct.format, "dicom");
  EXPECT_EQ(ct.hu.grid.size, (std::array<int, 3>{512, 512, 20}));
  EXPECT_NEAR(ct.hu.grid.spacing[0], 0.977, 1e-3);
  EXPECT_NEAR(ct.hu.grid.spacing[2], 2.0, 1e-3) << "slice spacing comes from positions, not SliceThickness (3)";
  EXPECT_TRUE(notes.empty()) << notes;

  // The label NIfTI (LAS) was made on this series: same grid after both are reoriented.
  const LabelImage labels = read_labels(data / "partial-dicom-labels.nii.gz", ct);
  EXPECT_EQ(labels.grid.size, ct.hu.grid.size);

  // Independent decode: ITK + GDCM on our sorted file list, HU from GDCMImageIO's own rescale.
  const std::vector<float> itk_hu = itk_decode(ct, folder);
  std::size_t differing = 0;
  for (std::size_t i = 0; i < ct.hu.voxels.size(); ++i)
    if (ct.hu.voxels[i] != int16_t(std::lround(itk_hu[i]))) ++differing;
  EXPECT_EQ(differing, 0u);

  // Plausible CT: air outside the body near -1000, and the values span air to bone.
  const auto [lo, hi] = std::minmax_element(ct.hu.voxels.begin(), ct.hu.voxels.end());
  EXPECT_GE(*lo, -2048);
  EXPECT_LE(*lo, -1000);
  EXPECT_GE(*hi, 700);
  double corner = 0;
  for (int y = 0; y < 20; ++y)
    for (int x = 0; x < 20; ++x) corner += ct.hu.at(x, y, 10);
  EXPECT_LT(corner / 400.0, -900.0);
  // DICOM provenance for each canonical slice.
  for (const SliceSource& s : ct.slices) {
    EXPECT_TRUE(fs::exists(folder / s.file_name));
    EXPECT_GE(s.instance_number, 0);
    EXPECT_FALSE(s.sop_instance_uid.empty()) << s.file_name << " " << s.instance_number;
  }
}

struct GeSeries {
  const char* folder;
  std::size_t padding_voxels;  // stored -2000 (PixelPaddingValue SS -2000, or US 63536 on signed pixels)
};

class RealGePadding : public ::testing::TestWithParam<GeSeries> {};

TEST_P(RealGePadding, PaddingIsAirAndEverythingElseMatchesItk) {
  const fs::path folder = testing::shared_data() / "real-negatives" / GetParam().folder;
  const CtScan ct = read_ct(folder);
  const std::vector<float> itk_hu = itk_decode(ct, folder);
  std::size_t padding = 0, differing = 0;
  for (std::size_t i = 0; i < ct.hu.voxels.size(); ++i) {
    const long independent = std::lround(itk_hu[i]);
    if (independent == -3024) {  // ITK's naive rescale of -2000 with intercept -1024
      ++padding;
      differing += ct.hu.voxels[i] != -1024;
    } else {
      differing += ct.hu.voxels[i] != independent;
    }
  }
  EXPECT_EQ(padding, GetParam().padding_voxels);
  EXPECT_EQ(differing, 0u);
}

INSTANTIATE_TEST_SUITE_P(Shared, RealGePadding,
                         ::testing::Values(GeSeries{"lidc-idri-0001-chest", 0},  // US 63536 tag, no padded pixels
                                           GeSeries{"acrin-flt-breast-001-headneck", 2788600}),
                         [](const auto& info) { return std::string(info.param.folder[0] == 'l' ? "lidc" : "acrin"); });

}  // namespace
}  // namespace l3
