// The shared real JPEG 2000 DICOM series: geometry agrees with its NIfTI label file, and HU agree
// with an independent decode through ITK's GDCMImageIO (which applies the rescale itself).
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
  ASSERT_EQ(ct.file_orientation, "LPS");  // so ITK's buffer order is the canonical one
  std::vector<std::string> files;
  for (const SliceSource& s : ct.slices) files.push_back((folder / s.file_name).string());
  using ItkImage = itk::Image<float, 3>;
  auto reader = itk::ImageSeriesReader<ItkImage>::New();
  reader->SetImageIO(itk::GDCMImageIO::New());
  reader->SetFileNames(files);
  reader->Update();
  const float* itk_hu = reader->GetOutput()->GetBufferPointer();
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

}  // namespace
}  // namespace l3
