// DICOM series written with GDCM (every compression, JPEG-LS included, shuffled names, flipped slice order) read back
// to the same canonical scan, and every kind of bad folder refused with a message naming the file.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "io_test_util.h"
#include "l3slice/core/error.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/io/image_writer.h"
#include "support/test_support.h"

namespace l3 {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

std::vector<fs::path> files_in(const fs::path& folder) {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(folder))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

struct Case {
  DicomCompression compression;
  const char* orientation;
  bool shuffle;
  const char* name;
};

class DicomRoundTrip : public ::testing::TestWithParam<Case> {};

TEST_P(DicomRoundTrip, SameCanonicalVoxelsGridAndSliceMap) {
  const Case c = GetParam();
  const CtScan ct = io_test::synthetic_ct();
  TempDir dir;
  const fs::path folder = dir / "series";
  DicomWriteOptions options;
  options.compression = c.compression;
  options.orientation = c.orientation;
  options.shuffle_file_names = c.shuffle;
  options.seed = 7;
  write_dicom_series(ct, folder, options);
  ASSERT_EQ(files_in(folder).size(), 15u);

  std::string notes;
  const CtScan back = read_ct(folder, {}, &notes);
  EXPECT_EQ(back.format, "dicom");
  EXPECT_FALSE(back.series_uid.empty());
  EXPECT_EQ(back.hu.voxels, ct.hu.voxels);
  std::string why;
  EXPECT_TRUE(back.hu.grid.same_as(ct.hu.grid, &why)) << why;
  EXPECT_TRUE(notes.empty()) << notes;
  ASSERT_EQ(back.slices.size(), 15u);
  // Slices written inferior->superior get InstanceNumber 1.. in that order; "RPI" writes them
  // superior->inferior, so InstanceNumber runs the other way.
  const bool reversed = std::string(c.orientation) == "RPI";
  std::set<std::string> names, uids;
  for (int z = 0; z < 15; ++z) {
    const SliceSource& s = back.slices[std::size_t(z)];
    EXPECT_NEAR(s.z_mm, ct.slices[std::size_t(z)].z_mm, 1e-3);
    EXPECT_EQ(s.instance_number, reversed ? 15 - z : z + 1);
    EXPECT_EQ(s.file_index, reversed ? 14 - z : z);
    EXPECT_TRUE(fs::exists(folder / s.file_name)) << s.file_name;
    names.insert(s.file_name);
    uids.insert(s.sop_instance_uid);
  }
  EXPECT_EQ(names.size(), 15u);
  EXPECT_EQ(uids.size(), 15u);
  EXPECT_EQ(back.file_orientation, reversed ? "RPI" : c.orientation);
}

INSTANTIATE_TEST_SUITE_P(
    Series, DicomRoundTrip,
    ::testing::Values(Case{DicomCompression::none, "LPS", false, "uncompressed"},
                      Case{DicomCompression::jpeg_lossless, "LPS", true, "jpeg_lossless_shuffled"},
                      Case{DicomCompression::jpegls_lossless, "RAS", true, "jpegls_ras_shuffled"},
                      Case{DicomCompression::jpeg2000_lossless, "RAS", false, "jpeg2000_ras"},
                      Case{DicomCompression::rle, "RPI", true, "rle_reversed_shuffled"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(DicomWrite, SameInputAndSeedGiveTheSameUidsAndNames) {
  const CtScan ct = io_test::synthetic_ct(8, 6, 4);
  TempDir dir;
  DicomWriteOptions o;
  o.shuffle_file_names = true;
  o.seed = 3;
  write_dicom_series(ct, dir / "a", o);
  write_dicom_series(ct, dir / "b", o);
  const CtScan a = read_ct(dir / "a"), b = read_ct(dir / "b");
  EXPECT_EQ(a.series_uid, b.series_uid);
  EXPECT_EQ(a.slices[2].file_name, b.slices[2].file_name);
  o.seed = 4;
  write_dicom_series(ct, dir / "c", o);
  EXPECT_NE(read_ct(dir / "c").series_uid, a.series_uid);
}

class DicomBadInput : public ::testing::Test {
 protected:
  void SetUp() override { write_dicom_series(ct, folder); }
  CtScan ct = io_test::synthetic_ct();
  TempDir dir;
  fs::path folder = dir / "series";
};

TEST(DicomFolder, EmptyFolderIsRefused) {
  TempDir dir;
  EXPECT_NE(io_test::read_error(dir.path()).find(dir.path().string() + ": is empty"), std::string::npos);
}

TEST(DicomFolder, FolderWithoutDicomIsRefused) {
  TempDir dir;
  std::ofstream(dir / "readme.txt") << "notes about the scan\n";
  std::ofstream(dir / "image.png", std::ios::binary) << "\x89PNG\r\n\x1a\n not really";
  write_image(io_test::synthetic_ct(6, 5, 4).hu, dir / "volume.nii.gz");
  const std::string message = io_test::read_error(dir.path());
  EXPECT_NE(message.find(dir.path().string() + ": has no DICOM files (3 files"), std::string::npos) << message;
}

TEST_F(DicomBadInput, NonDicomFilesAreSkippedAndCounted) {
  fs::create_directories(folder / "extra");
  std::ofstream(folder / "readme.txt") << "notes\n";
  std::ofstream(folder / "extra" / "thumbs.db", std::ios::binary) << std::string(300, '\x01');
  write_image(io_test::synthetic_ct(6, 5, 4).hu, folder / "extra" / "volume.nii.gz");
  std::string notes;
  const CtScan back = read_ct(folder, {}, &notes);
  EXPECT_EQ(back.hu.voxels, ct.hu.voxels);
  EXPECT_NE(notes.find("skipped 3 non-DICOM files"), std::string::npos) << notes;
}

TEST_F(DicomBadInput, SubfoldersAreScanned) {
  fs::create_directories(folder / "deeper");
  const auto files = files_in(folder);
  for (std::size_t i = 0; i < files.size(); i += 2) fs::rename(files[i], folder / "deeper" / files[i].filename());
  EXPECT_EQ(read_ct(folder).hu.voxels, ct.hu.voxels);
}

TEST_F(DicomBadInput, TruncatedFileIsNamed) {
  const fs::path victim = files_in(folder)[6];
  fs::resize_file(victim, fs::file_size(victim) / 2);
  const std::string message = io_test::read_error(folder);
  EXPECT_EQ(message.rfind(victim.string() + ": ", 0), 0u) << message;
}

TEST_F(DicomBadInput, CorruptHeaderIsNamed) {
  const fs::path victim = files_in(folder)[3];
  {
    std::fstream f(victim, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(140);
    const std::string garbage(64, '\xff');
    f.write(garbage.data(), std::streamsize(garbage.size()));
  }
  const std::string message = io_test::read_error(folder);
  EXPECT_EQ(message.rfind(victim.string() + ": ", 0), 0u) << message;
}

TEST_F(DicomBadInput, CorruptCompressedPixelsAreNamed) {
  TempDir other;
  DicomWriteOptions o;
  o.compression = DicomCompression::rle;
  write_dicom_series(ct, other / "rle", o);
  const fs::path victim = files_in(other / "rle")[5];
  // Cut inside the RLE fragment: the header parses, the pixels cannot be decoded.
  fs::resize_file(victim, fs::file_size(victim) - 200);
  const std::string message = io_test::read_error(other / "rle");
  EXPECT_EQ(message.rfind(victim.string() + ": ", 0), 0u) << message;
}

TEST(DicomFolder, NonCtModalityIsRefusedUnlessAllowed) {
  const CtScan ct = io_test::synthetic_ct(8, 6, 5);
  TempDir dir;
  DicomWriteOptions o;
  o.modality = "MR";
  write_dicom_series(ct, dir / "mr", o);
  const std::string message = io_test::read_error(dir / "mr");
  EXPECT_NE(message.find("modality 'MR', not CT"), std::string::npos) << message;
  EXPECT_EQ(message.rfind((dir / "mr").string(), 0), 0u) << message;
  CtReadOptions allow;
  allow.allow_non_ct = true;
  EXPECT_EQ(read_ct(dir / "mr", allow).hu.voxels, ct.hu.voxels);
}

TEST(DicomFolder, MissingRescaleIsRefusedUnlessAssumingHu) {
  const CtScan ct = io_test::synthetic_ct(8, 6, 5);
  TempDir dir;
  DicomWriteOptions o;
  o.write_rescale = false;
  write_dicom_series(ct, dir / "raw", o);
  const std::string message = io_test::read_error(dir / "raw");
  EXPECT_NE(message.find("RescaleSlope"), std::string::npos) << message;
  EXPECT_NE(message.find("--assume-hu"), std::string::npos) << message;
  EXPECT_EQ(message.rfind((dir / "raw").string(), 0), 0u) << message;
  CtReadOptions assume;
  assume.assume_hu = true;
  EXPECT_EQ(read_ct(dir / "raw", assume).hu.voxels, ct.hu.voxels);
}

TEST_F(DicomBadInput, MissingSliceIsRefused) {
  fs::remove(folder / "IM00008.dcm");
  const std::string message = io_test::read_error(folder);
  EXPECT_EQ(message.rfind(folder.string() + ": ", 0), 0u) << message;
  EXPECT_NE(message.find("non-uniform slice spacing: 5 mm"), std::string::npos) << message;
  EXPECT_NE(message.find("InstanceNumber 7"), std::string::npos) << message;
  EXPECT_NE(message.find("missing slice"), std::string::npos) << message;
}

TEST_F(DicomBadInput, DuplicatePositionIsRefused) {
  // A copy of a slice with its own file name: two images at the same position.
  fs::copy_file(folder / "IM00004.dcm", folder / "copy_of_4.dcm");
  const std::string message = io_test::read_error(folder);
  EXPECT_NE(message.find("same position"), std::string::npos) << message;
  EXPECT_NE(message.find("IM00004.dcm"), std::string::npos) << message;
}

TEST(DicomFolder, GantryTiltIsRefused) {
  const CtScan ct = io_test::synthetic_ct(8, 6, 5);
  TempDir dir;
  DicomWriteOptions o;
  o.gantry_tilt_deg = 15.0;
  write_dicom_series(ct, dir / "tilted", o);
  const std::string message = io_test::read_error(dir / "tilted");
  EXPECT_NE(message.find("gantry tilt of 15.0 degrees"), std::string::npos) << message;
  o.gantry_tilt_deg = 0.001;  // sub-voxel drift: rounding, not a tilt
  write_dicom_series(ct, dir / "straight", o);
  EXPECT_EQ(read_ct(dir / "straight").hu.voxels, ct.hu.voxels);
}

TEST(DicomFolder, LargestSeriesIsChosenAndSeriesOptionPicksAnother) {
  const CtScan big = io_test::synthetic_ct(8, 6, 9);
  const CtScan small = io_test::synthetic_ct(8, 6, 4);
  TempDir dir;
  write_dicom_series(big, dir / "study" / "a");
  write_dicom_series(small, dir / "study" / "b");
  std::string notes;
  const CtScan chosen = read_ct(dir / "study", {}, &notes);
  EXPECT_EQ(chosen.hu.grid.size[2], 9);
  const CtScan small_alone = read_ct(dir / "study" / "b");
  EXPECT_NE(notes.find("2 series found"), std::string::npos) << notes;
  EXPECT_NE(notes.find(small_alone.series_uid + " (4 images)"), std::string::npos) << notes;

  CtReadOptions pick;
  pick.series_uid = small_alone.series_uid;
  const CtScan picked = read_ct(dir / "study", pick);
  EXPECT_EQ(picked.hu.voxels, small.hu.voxels);
  EXPECT_EQ(picked.slices[0].file_name.rfind("b/", 0), 0u) << picked.slices[0].file_name;

  pick.series_uid = "1.2.3.999";
  EXPECT_NE(io_test::read_error(dir / "study", pick).find("has no series 1.2.3.999"), std::string::npos);
}

}  // namespace
}  // namespace l3
