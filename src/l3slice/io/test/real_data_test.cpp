// The shared real CT examples: orientation codes and the L3 truths from their READMEs.
#include <gtest/gtest.h>

#include "l3slice/core/error.h"
#include "l3slice/core/slice_run.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/io/label_reader.h"
#include "support/test_support.h"

namespace l3 {
namespace {

namespace fs = std::filesystem;

fs::path totalseg() { return testing::shared_data() / "totalseg-example"; }

SliceRun l3_run(const CtScan& ct, const fs::path& label_file, int value) {
  const LabelImage labels = read_labels(label_file, ct);
  const int resolved = resolve_label_value(labels, value, label_file);
  EXPECT_EQ(resolved, value);
  const auto run = span_of(slice_labels(labels, resolved));
  EXPECT_TRUE(run.has_value());
  return run.value_or(SliceRun{-1, -1});
}

TEST(RealData, TotalsegCtIsRasAndWholeVertebraL3Is65To79) {
  const CtScan ct = read_ct(totalseg() / "ct.nii.gz");
  EXPECT_EQ(ct.format, "nifti");
  EXPECT_EQ(ct.file_orientation, "RAS");
  EXPECT_EQ(ct.hu.grid.size, (std::array<int, 3>{122, 101, 112}));
  const SliceRun run = l3_run(ct, totalseg() / "vertebrae.nii.gz", 29);
  EXPECT_EQ(run.first, 65);
  EXPECT_EQ(run.last, 79);
  EXPECT_EQ(run.middle(), 72);
  // RAS: the file's slice index is the canonical one.
  EXPECT_EQ(ct.slices[72].file_index, 72);
  // 3 mm slices, inferior to superior.
  EXPECT_NEAR(ct.slices[73].z_mm - ct.slices[72].z_mm, 3.0, 1e-3);
}

TEST(RealData, TotalsegVertebralBodyL3Is69To79) {
  const CtScan ct = read_ct(totalseg() / "ct.nii.gz");
  const SliceRun run = l3_run(ct, totalseg() / "vertebral-bodies.nii.gz", 22);
  EXPECT_EQ(run.first, 69);
  EXPECT_EQ(run.last, 79);
  EXPECT_EQ(run.middle(), 74);
}

TEST(RealData, TptboxCropIsPirAndL3Is5To41) {
  const fs::path dir = testing::shared_data() / "tptbox-spine-crop";
  const CtScan ct = read_ct(dir / "ct.nii.gz");
  EXPECT_EQ(ct.file_orientation, "PIR");
  EXPECT_EQ(ct.file_slice_axis, 1);
  ASSERT_EQ(ct.hu.grid.size[2], 47);
  const SliceRun run = l3_run(ct, dir / "vertebrae.nii.gz", 22);
  EXPECT_EQ(run.first, 5);
  EXPECT_EQ(run.last, 41);
  EXPECT_EQ(run.middle(), 23);
  // The file's second axis runs superior -> inferior, so canonical slice 0 is its last.
  EXPECT_EQ(ct.slices[0].file_index, 46);
  EXPECT_EQ(ct.slices[23].file_index, 23);
  EXPECT_LT(ct.slices[0].z_mm, ct.slices[46].z_mm);
}

TEST(RealData, PartialDicomLabelsAreLas) {
  const fs::path labels = totalseg() / "partial-dicom-labels.nii.gz";
  // Read as a CT (an image file like any other) only to get its orientation.
  EXPECT_EQ(read_ct(labels).file_orientation, "LAS");
}

TEST(RealData, LabelGridMismatchNamesTheLabelFile) {
  const CtScan ct = read_ct(totalseg() / "ct.nii.gz");
  const fs::path wrong = totalseg() / "ct-upper-abdomen-labels.nii.gz";
  try {
    read_labels(wrong, ct);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.path(), wrong);
    EXPECT_NE(e.problem().find("size"), std::string::npos) << e.what();
  }
}

TEST(RealData, AbsentAndAmbiguousLabelValuesAreRefused) {
  const CtScan ct = read_ct(totalseg() / "ct.nii.gz");
  const fs::path file = totalseg() / "vertebral-bodies.nii.gz";
  const LabelImage labels = read_labels(file, ct);
  try {
    resolve_label_value(labels, 99, file);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.path(), file);
    EXPECT_NE(e.problem().find("99"), std::string::npos);
    EXPECT_NE(e.problem().find("22"), std::string::npos) << "should list the labels present: " << e.what();
  }
  EXPECT_THROW(resolve_label_value(labels, std::nullopt, file), InputError);  // several vertebrae
}

TEST(Labels, SingleLabelIsResolvedAndEmptyIsRefused) {
  Grid g;
  g.size = {4, 3, 5};
  LabelImage labels(g);
  EXPECT_THROW(resolve_label_value(labels, std::nullopt, "x.nii"), InputError);
  labels.at(1, 2, 3) = 7;
  labels.at(0, 0, 1) = 7;
  EXPECT_EQ(resolve_label_value(labels, std::nullopt, "x.nii"), 7);
  EXPECT_EQ(slice_labels(labels, 7), (std::vector<uint8_t>{0, 1, 0, 1, 0}));
  EXPECT_EQ(span_of(slice_labels(labels, 7)), (SliceRun{1, 3}));
  EXPECT_EQ(slice_labels(labels, 8), (std::vector<uint8_t>(5, 0)));
}

}  // namespace
}  // namespace l3
