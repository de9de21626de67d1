#include "l3slice/phantom/phantom_dataset.h"

#include <gtest/gtest.h>

#include "l3slice/core/csv.h"
#include "l3slice/core/error.h"
#include "l3slice/core/manifest.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/io/label_reader.h"
#include "support/test_support.h"

namespace fs = std::filesystem;

namespace l3 {
namespace {

PhantomDatasetOptions small_dataset() {
  PhantomDatasetOptions d;
  d.count = 2;
  d.seed = 40;
  d.matrix = 48;
  d.slice_mm = 5.0;
  d.no_l3_fraction = 0.0;
  d.progress = nullptr;
  return d;
}

TEST(PhantomDataset, CaseOptionsFollowTheDatasetOptions) {
  const PhantomDatasetOptions d = small_dataset();
  const PhantomOptions o = dataset_case_options(d, 1);
  EXPECT_EQ(o.seed, 41u);
  EXPECT_EQ(o.matrix, 48);
  EXPECT_DOUBLE_EQ(o.slice_mm, 5.0);
  const PhantomOptions drawn = random_phantom_options(41, 0.0);
  EXPECT_NEAR(o.pixel_mm * o.matrix, drawn.pixel_mm * drawn.matrix, 1e-9) << "field of view kept";
  EXPECT_EQ(phantom_case_id(41), "phantom-00041");
}

TEST(PhantomDataset, WritesFilesManifestAndTruthThatReadBack) {
  testing::TempDir tmp;
  PhantomDatasetOptions d = small_dataset();
  d.orientation = "PIR";
  const auto ids = write_phantom_dataset(tmp.path(), d);
  ASSERT_EQ(ids, (std::vector<std::string>{"phantom-00040", "phantom-00041"}));
  const auto manifest = read_manifest(tmp / "manifest.csv");
  ASSERT_EQ(manifest.size(), 2u);
  const CsvTable truth = read_csv(tmp / "truth.csv");
  ASSERT_EQ(truth.rows.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(manifest[i].case_id, ids[i]);
    EXPECT_EQ(manifest[i].label_value, 22);
    for (const char* f : {"ct.nii.gz", "vertebrae.nii.gz", "vertebral-bodies.nii.gz", "tissues.nii.gz"})
      EXPECT_TRUE(fs::is_regular_file(tmp / ids[i] / f)) << f;
    EXPECT_FALSE(fs::exists(tmp / ids[i] / "dicom"));

    // Read back: same voxels as generated, truth = the L3 run of the labels.
    const Phantom ph = make_phantom(dataset_case_options(d, int(i)));
    const CtScan ct = read_ct(manifest[i].image);
    EXPECT_EQ(ct.file_orientation, "PIR");
    EXPECT_EQ(ct.hu.voxels, ph.ct.hu.voxels);
    const LabelImage bodies = read_labels(*manifest[i].labels, ct);
    EXPECT_EQ(bodies.voxels, ph.vertebral_bodies.voxels);
    const LabelImage tissues = read_labels(tmp / ids[i] / "tissues.nii.gz", ct);
    ASSERT_EQ(tissues.voxels.size(), ph.tissues.voxels.size());
    EXPECT_TRUE(std::equal(tissues.voxels.begin(), tissues.voxels.end(), ph.tissues.voxels.begin()));
    const auto& row = truth.rows[i];
    ASSERT_TRUE(ph.l3_body && ph.l3_whole);
    EXPECT_EQ(row[truth.column("case_id")], ids[i]);
    EXPECT_EQ(row[truth.column("l3_body_first")], std::to_string(ph.l3_body->first));
    EXPECT_EQ(row[truth.column("l3_body_last")], std::to_string(ph.l3_body->last));
    EXPECT_EQ(row[truth.column("l3_body_middle")], std::to_string(ph.l3_body->middle()));
    EXPECT_EQ(row[truth.column("l3_whole_first")], std::to_string(ph.l3_whole->first));
    EXPECT_EQ(row[truth.column("l3_whole_last")], std::to_string(ph.l3_whole->last));
    EXPECT_EQ(row[truth.column("slice_mm")], "5");
    EXPECT_EQ(row[truth.column("has_l3")], "1");
  }
}

TEST(PhantomDataset, CasesWithoutL3HaveEmptyTruth) {
  testing::TempDir tmp;
  PhantomDatasetOptions d = small_dataset();
  d.count = 1;
  d.no_l3_fraction = 1.0;
  write_phantom_dataset(tmp.path(), d);
  const CsvTable truth = read_csv(tmp / "truth.csv");
  ASSERT_EQ(truth.rows.size(), 1u);
  EXPECT_EQ(truth.rows[0][truth.column("has_l3")], "0");
  EXPECT_EQ(truth.rows[0][truth.column("l3_body_first")], "");
}

TEST(PhantomDataset, BadSettingsFailBeforeWriting) {
  testing::TempDir tmp;
  PhantomDatasetOptions d = small_dataset();
  d.orientation = "XYZ";
  EXPECT_THROW(write_phantom_dataset(tmp / "out", d), UsageError);
  EXPECT_FALSE(fs::exists(tmp / "out"));
  d = small_dataset();
  d.nifti = d.dicom = false;
  EXPECT_THROW(write_phantom_dataset(tmp / "out", d), UsageError);
}

}  // namespace
}  // namespace l3
