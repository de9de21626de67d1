// `l3slice phantom`: a small dataset on disk, its manifest and truth, read back through io.
#include <gtest/gtest.h>

#include <filesystem>

#include "l3slice/core/csv.h"
#include "l3slice/core/manifest.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/io/label_reader.h"
#include "support/test_support.h"

namespace fs = std::filesystem;

namespace l3 {
namespace {

using testing::run_cli;
using testing::TempDir;

TEST(PhantomCli, WritesCasesManifestAndTruth) {
  TempDir tmp;
  const fs::path out = tmp / "set";
  const auto r = run_cli({"phantom", "--out", out.string(), "--count", "2", "--seed", "7", "--matrix", "64",
                          "--slice-mm", "5", "--no-l3-fraction", "0", "--orientation", "RAS"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* id : {"phantom-00007", "phantom-00008"})
    for (const char* file : {"ct.nii.gz", "vertebrae.nii.gz", "vertebral-bodies.nii.gz", "tissues.nii.gz"})
      EXPECT_TRUE(fs::is_regular_file(out / id / file)) << id << "/" << file;

  const auto manifest = read_manifest(out / "manifest.csv");
  ASSERT_EQ(manifest.size(), 2u);
  EXPECT_EQ(manifest[0].case_id, "phantom-00007");
  ASSERT_TRUE(manifest[0].labels);
  EXPECT_EQ(manifest[0].labels->filename(), "vertebral-bodies.nii.gz");
  EXPECT_EQ(manifest[0].label_value, 22);

  const CsvTable truth = read_csv(out / "truth.csv");
  ASSERT_EQ(truth.rows.size(), 2u);
  for (const char* column : {"case_id", "l3_body_first", "l3_body_last", "l3_body_middle", "l3_whole_first",
                             "l3_whole_last", "slice_mm", "pixel_mm", "has_l3"})
    ASSERT_GE(truth.column(column), 0) << column;
  // The truth matches the label file read back (reoriented from RAS to canonical).
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& row = truth.rows[i];
    EXPECT_EQ(row[truth.column("has_l3")], "1");
    EXPECT_EQ(row[truth.column("slice_mm")], "5");
    const CtScan ct = read_ct(manifest[i].image);
    EXPECT_EQ(ct.file_orientation, "RAS");
    const LabelImage bodies = read_labels(*manifest[i].labels, ct);
    const auto run = span_of(slice_labels(bodies, 22));
    ASSERT_TRUE(run);
    EXPECT_EQ(std::to_string(run->first), row[truth.column("l3_body_first")]);
    EXPECT_EQ(std::to_string(run->last), row[truth.column("l3_body_last")]);
    EXPECT_EQ(std::to_string(run->middle()), row[truth.column("l3_body_middle")]);
  }
}

TEST(PhantomCli, WritesDicom) {
  TempDir tmp;
  const fs::path out = tmp / "set";
  const auto r = run_cli({"phantom", "--out", out.string(), "--format", "dicom", "--dicom-compression", "rle",
                          "--matrix", "32", "--slice-mm", "5", "--seed", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path dicom = out / "phantom-00003" / "dicom";
  ASSERT_TRUE(fs::is_directory(dicom));
  EXPECT_FALSE(fs::exists(out / "phantom-00003" / "ct.nii.gz"));
  const CtScan ct = read_ct(dicom);
  EXPECT_EQ(ct.hu.grid.size[0], 32);
  EXPECT_EQ(read_manifest(out / "manifest.csv").at(0).image.filename(), "dicom");
}

TEST(PhantomCli, BadOrientationIsOneLineError) {
  TempDir tmp;
  const auto r = run_cli({"phantom", "--out", (tmp / "set").string(), "--orientation", "XYZ"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.err.rfind("l3slice: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_FALSE(fs::exists(tmp / "set" / "manifest.csv"));
}

}  // namespace
}  // namespace l3
