// Image files (NIfTI, NRRD, MetaImage) written in various layouts read back to the same canonical scan.
#include <gtest/gtest.h>

#include <fstream>

#include "io_test_util.h"
#include "l3slice/core/error.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/io/image_writer.h"
#include "l3slice/io/label_reader.h"
#include "support/test_support.h"

namespace l3 {
namespace {

using testing::TempDir;

struct RoundTripCase {
  const char* file;
  const char* orientation;
  int slice_axis;      // file axis that is axial
  bool z_flipped;      // file slice order inferior <- superior
};

class ImageFileRoundTrip : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(ImageFileRoundTrip, SameCanonicalVoxelsGridAndSliceMap) {
  const RoundTripCase c = GetParam();
  const CtScan ct = io_test::synthetic_ct();
  TempDir dir;
  write_image(ct.hu, dir / c.file, WriteLayout{c.orientation});
  const CtScan back = read_ct(dir / c.file);

  EXPECT_EQ(back.hu.voxels, ct.hu.voxels);
  std::string why;
  EXPECT_TRUE(back.hu.grid.same_as(ct.hu.grid, &why)) << why;
  EXPECT_EQ(back.file_orientation, c.orientation);
  EXPECT_EQ(back.file_slice_axis, c.slice_axis);
  ASSERT_EQ(back.slices.size(), ct.slices.size());
  const int nz = int(ct.slices.size());
  for (int z = 0; z < nz; ++z) {
    EXPECT_NEAR(back.slices[std::size_t(z)].z_mm, ct.slices[std::size_t(z)].z_mm, 1e-3) << z;
    EXPECT_EQ(back.slices[std::size_t(z)].file_index, c.z_flipped ? nz - 1 - z : z) << z;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Layouts, ImageFileRoundTrip,
    ::testing::Values(RoundTripCase{"ras.nii.gz", "RAS", 2, false}, RoundTripCase{"lps.nii", "LPS", 2, false},
                      RoundTripCase{"pir.nii.gz", "PIR", 1, true}, RoundTripCase{"flipped_z.nii.gz", "LPI", 2, true},
                      RoundTripCase{"ras.nrrd", "RAS", 2, false}, RoundTripCase{"sal.nrrd", "SAL", 0, false},
                      RoundTripCase{"lpi.mha", "LPI", 2, true}, RoundTripCase{"ipl.mha", "IPL", 0, true}));

TEST(ImageFile, LabelsRoundTrip) {
  const CtScan ct = io_test::synthetic_ct();
  LabelImage labels(ct.hu.grid);
  for (std::size_t i = 0; i < labels.voxels.size(); ++i) labels.voxels[i] = uint16_t(i % 1000);
  TempDir dir;
  write_image(labels, dir / "labels.nii.gz", WriteLayout{"PIR"});
  CtScan on_grid = ct;
  EXPECT_NO_THROW({
    const LabelImage back = read_labels(dir / "labels.nii.gz", on_grid);
    EXPECT_EQ(back.voxels, labels.voxels);
  });
}

class TruncatedImageFile : public ::testing::TestWithParam<const char*> {};

TEST_P(TruncatedImageFile, IsRefusedNamingTheFile) {
  const CtScan ct = io_test::synthetic_ct();
  TempDir dir;
  const auto path = dir / GetParam();
  write_image(ct.hu, path);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) * 3 / 4);
  try {
    read_ct(path);
    FAIL() << "no error for " << GetParam();
  } catch (const InputError& e) {
    EXPECT_EQ(e.path(), path);
    EXPECT_EQ(std::string(e.what()).rfind(path.string() + ": ", 0), 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, TruncatedImageFile,
                         ::testing::Values("cut.nii", "cut.nii.gz", "cut.nrrd", "cut.mha"));

TEST(ImageFile, GarbageAndMissingFilesAreNamed) {
  TempDir dir;
  {
    std::ofstream out(dir / "garbage.nii.gz", std::ios::binary);
    out << "this is not a nifti file at all";
  }
  EXPECT_THROW(read_ct(dir / "garbage.nii.gz"), InputError);
  EXPECT_THROW(read_ct(dir / "missing.nii.gz"), InputError);
  {
    std::ofstream out(dir / "notes.txt");
    out << "x";
  }
  try {
    read_ct(dir / "notes.txt");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.path(), dir / "notes.txt");
  }
}

TEST(ImageFile, FailedWriteLeavesNothing) {
  const CtScan ct = io_test::synthetic_ct();
  TempDir dir;
  EXPECT_ANY_THROW(write_image(ct.hu, dir / "x.nii.gz", WriteLayout{"RAX"}));
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(ImageFile, IsImageFile) {
  EXPECT_TRUE(is_image_file("a/b.nii.gz"));
  EXPECT_TRUE(is_image_file("b.NII"));
  EXPECT_TRUE(is_image_file("b.nrrd"));
  EXPECT_TRUE(is_image_file("b.mhd"));
  EXPECT_FALSE(is_image_file("b.png"));
  EXPECT_FALSE(is_image_file("dicom_folder"));
}

}  // namespace
}  // namespace l3
