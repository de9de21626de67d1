// The tissue mask lands on the CT: same grid after reading both back, the CT file's own voxel
// layout (so ITK-SNAP opens it over the CT), and each labelled file voxel over the CT file voxel
// that was measured, for a flipped NIfTI and a DICOM series stored head first.
#include <gtest/gtest.h>

#include <itkImage.h>
#include <itkImageFileReader.h>
#include <itkNiftiImageIO.h>

#include <filesystem>
#include <string>

#include "l3slice/bodycomp/batch.h"
#include "l3slice/bodycomp/tissue_mask.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/io/image_writer.h"
#include "l3slice/io/label_reader.h"
#include "l3slice/phantom/phantom.h"
#include "support/test_support.h"

namespace {

namespace fs = std::filesystem;
using Raw = itk::Image<short, 3>;

Raw::Pointer read_raw(const fs::path& path) {
  auto reader = itk::ImageFileReader<Raw>::New();
  reader->SetImageIO(itk::NiftiImageIO::New());  // l3slice registers no IO factories
  reader->SetFileName(path.string());
  reader->Update();
  return reader->GetOutput();
}

// Writes the mask of `ct`'s slice z and checks it against the CT; returns the muscle voxel count.
long check_mask(const l3::CtScan& ct, int z, const fs::path& mask_path) {
  const auto m = l3::measure_body_composition(ct, z);
  l3::write_tissue_mask(ct, m, mask_path);
  const l3::LabelImage back = l3::read_labels(mask_path, ct);  // throws unless on the CT's grid
  EXPECT_EQ(back.voxels, l3::tissue_label_volume(ct, m).voxels);
  long muscle = 0;
  for (std::size_t i = 0; i < back.voxels.size(); ++i)
    if (back.voxels[i] == uint16_t(l3::BodyLabel::muscle)) {
      ++muscle;
      EXPECT_TRUE(l3::TissueThresholds{}.muscle.contains(ct.hu.voxels[i])) << "voxel " << i;
    }
  EXPECT_GT(muscle * ct.hu.grid.spacing[0] * ct.hu.grid.spacing[1] / 100.0, 50.0) << "cm2 of muscle";
  return muscle;
}

}  // namespace

TEST(TissueMask, FlippedNiftiKeepsTheFilesLayoutAndVoxels) {
  l3::testing::TempDir dir;
  l3::PhantomOptions o;
  o.seed = 3;
  o.fov_inferior_mm = -30;
  o.fov_superior_mm = 30;
  const l3::Phantom ph = l3::make_phantom(o);
  l3::write_image(ph.ct.hu, dir / "ct.nii.gz", {"RAI"});  // x to the right, y anterior, head first
  const l3::CtScan ct = l3::read_ct(dir / "ct.nii.gz");
  ASSERT_EQ(ct.file_orientation, "RAI");
  const long muscle = check_mask(ct, ph.l3_body->middle(), dir / "mask.nii.gz");

  // The raw files: same size, origin and axes, and every muscle voxel of the mask file lies on a
  // muscle-range voxel of the CT file at the same index.
  const auto ct_raw = read_raw(dir / "ct.nii.gz"), mask_raw = read_raw(dir / "mask.nii.gz");
  EXPECT_EQ(mask_raw->GetLargestPossibleRegion(), ct_raw->GetLargestPossibleRegion());
  EXPECT_EQ(mask_raw->GetOrigin(), ct_raw->GetOrigin());
  EXPECT_EQ(mask_raw->GetDirection(), ct_raw->GetDirection());
  const short* mv = mask_raw->GetBufferPointer();
  const short* cv = ct_raw->GetBufferPointer();
  long raw_muscle = 0;
  for (std::size_t i = 0; i < ct.hu.voxels.size(); ++i)
    if (mv[i] == short(l3::BodyLabel::muscle)) {
      ++raw_muscle;
      EXPECT_TRUE(l3::TissueThresholds{}.muscle.contains(cv[i])) << "file voxel " << i;
    }
  EXPECT_EQ(raw_muscle, muscle);
}

TEST(TissueMask, DicomSeriesStoredHeadFirst) {
  l3::testing::TempDir dir;
  l3::PhantomOptions o;
  o.seed = 4;
  o.matrix = 96;
  o.pixel_mm = 4.5;
  o.fov_inferior_mm = -30;
  o.fov_superior_mm = 30;
  const l3::Phantom ph = l3::make_phantom(o);
  l3::DicomWriteOptions w;
  w.orientation = "LPI";
  w.shuffle_file_names = true;
  l3::write_dicom_series(ph.ct, dir / "series", w);
  const l3::CtScan ct = l3::read_ct(dir / "series");
  check_mask(ct, ph.l3_body->middle(), dir / "mask.nii.gz");
}

TEST(TissueMask, BatchWritesItWithTheOtherOutputs) {
  l3::testing::TempDir dir;
  const fs::path ct = l3::testing::shared_data() / "totalseg-example" / "ct.nii.gz";
  const auto summary = l3::run_bodycomp_batch({{"ct", ct, 74, std::nullopt, std::nullopt, std::nullopt}}, dir / "out", {}, nullptr);
  ASSERT_EQ(summary.measured, 1);
  const fs::path mask = l3::case_outputs(dir / "out", "ct").mask;
  ASSERT_TRUE(fs::exists(mask));
  const l3::CtScan scan = l3::read_ct(ct);
  const l3::LabelImage labels = l3::read_labels(mask, scan);
  long labelled = 0;
  for (int z = 0; z < scan.hu.grid.size[2]; ++z) {
    const uint16_t* s = labels.slice(z);
    const long n = long(std::count_if(s, s + labels.grid.slice_voxels(), [](uint16_t v) { return v >= 2; }));
    if (z != 74) EXPECT_EQ(n, 0) << "slice " << z;
    else labelled = n;
  }
  EXPECT_GT(labelled, 1000);
}
