// `l3slice manifest` on small fixtures laid out like the TotalSegmentator and VerSe datasets (built
// from the shared real CT), then `evaluate` on the manifests it writes.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "l3slice/atlas/level_finder.h"
#include "l3slice/core/csv.h"
#include "l3slice/core/fingerprint.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/io/image_writer.h"
#include "l3slice/io/label_reader.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using l3::testing::run_cli;
using l3::testing::TempDir;

namespace {

fs::path example(const std::string& name) { return l3::testing::shared_data() / "totalseg-example" / name; }

// A binary mask of `value` from a multi-label file, written on the CT's grid in the CT file's layout.
void write_mask(const fs::path& ct_path, const fs::path& labels_path, int value, const fs::path& out) {
  const l3::CtScan ct = l3::read_ct(ct_path);
  l3::LabelImage mask(ct.hu.grid, 0);
  if (!labels_path.empty()) {
    const l3::LabelImage labels = l3::read_labels(labels_path, ct);
    for (std::size_t i = 0; i < mask.voxels.size(); ++i) mask.voxels[i] = labels.voxels[i] == value ? 1 : 0;
  }
  fs::create_directories(out.parent_path());
  l3::write_image(mask, out, {"RAS"});
}

std::vector<std::string> row_of(const l3::CsvTable& t, const std::string& case_id) {
  for (const auto& r : t.rows)
    if (r[t.column("case_id")] == case_id) return r;
  return {};
}

TEST(PublicDatasets, TotalSegmentatorLayoutToManifestToEvaluation) {
  TempDir dir;
  const fs::path root = dir / "Totalsegmentator_dataset";
  fs::create_directories(root / "s0001");
  fs::copy_file(example("ct.nii.gz"), root / "s0001" / "ct.nii.gz");
  write_mask(example("ct.nii.gz"), example("vertebrae.nii.gz"), 29, root / "s0001" / "segmentations" / "vertebrae_L3.nii.gz");
  fs::create_directories(root / "s0002");  // L3 not in view: an empty mask
  fs::copy_file(example("ct-upper-abdomen.nii.gz"), root / "s0002" / "ct.nii.gz");
  write_mask(example("ct-upper-abdomen.nii.gz"), "", 0, root / "s0002" / "segmentations" / "vertebrae_L3.nii.gz");
  fs::create_directories(root / "s0003");  // no segmentations: left out
  fs::copy_file(example("ct-upper-abdomen.nii.gz"), root / "s0003" / "ct.nii.gz");

  const auto m = run_cli({"manifest", "--totalsegmentator", root.string(), "--out", (dir / "ts.csv").string()});
  ASSERT_EQ(m.exit_code, 0) << m.err;
  EXPECT_NE(m.out.find("1 CTs without a label file left out"), std::string::npos) << m.out;
  const l3::CsvTable manifest = l3::read_csv(dir / "ts.csv");
  ASSERT_EQ(manifest.rows.size(), 2u);
  EXPECT_EQ(row_of(manifest, "s0001")[manifest.column("image")], "Totalsegmentator_dataset/s0001/ct.nii.gz");
  EXPECT_EQ(row_of(manifest, "s0001")[manifest.column("label_value")], "1");

  const auto e = run_cli({"evaluate", "--manifest", (dir / "ts.csv").string(), "--out", (dir / "eval").string()});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  const l3::CsvTable cases = l3::read_csv(dir / "eval" / "cases.csv");
  const auto s1 = row_of(cases, "s0001"), s2 = row_of(cases, "s0002");
  ASSERT_FALSE(s1.empty());
  EXPECT_EQ(s1[cases.column("true_first")], "65");  // whole vertebra: 65-79
  EXPECT_EQ(s1[cases.column("true_last")], "79");
  EXPECT_EQ(s1[cases.column("status")], "found");
  EXPECT_EQ(s2[cases.column("status")], "correct_no_l3");
}

TEST(PublicDatasets, VerseLayoutToManifestToEvaluation) {
  TempDir dir;
  const fs::path root = dir / "verse";
  fs::create_directories(root / "rawdata" / "sub-verse500");
  fs::create_directories(root / "derivatives" / "sub-verse500");
  fs::copy_file(example("ct.nii.gz"), root / "rawdata" / "sub-verse500" / "sub-verse500_ct.nii.gz");
  fs::copy_file(example("vertebral-bodies.nii.gz"), root / "derivatives" / "sub-verse500" / "sub-verse500_seg-vert_msk.nii.gz");

  const auto m = run_cli({"manifest", "--verse", root.string(), "--out", (dir / "verse.csv").string()});
  ASSERT_EQ(m.exit_code, 0) << m.err;
  const l3::CsvTable manifest = l3::read_csv(dir / "verse.csv");
  ASSERT_EQ(manifest.rows.size(), 1u);
  EXPECT_EQ(manifest.rows[0][manifest.column("case_id")], "sub-verse500");
  EXPECT_EQ(manifest.rows[0][manifest.column("label_value")], "22");
  EXPECT_EQ(manifest.rows[0][manifest.column("patient_id")], "sub-verse500");

  const auto e = run_cli({"evaluate", "--manifest", (dir / "verse.csv").string(), "--out", (dir / "eval").string()});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  const l3::CsvTable cases = l3::read_csv(dir / "eval" / "cases.csv");
  ASSERT_EQ(cases.rows.size(), 1u);
  EXPECT_EQ(cases.rows[0][cases.column("true_middle")], "74");  // vertebral body 69-79
  const int error = std::stoi(cases.rows[0][cases.column("error_slices")]);
  EXPECT_LE(error, 2);

  // Where the figures came from: the program, the manifest, every input, the model, the count.
  std::ifstream in(dir / "eval" / "evaluation.json");
  const auto provenance = nlohmann::json::parse(in);
  EXPECT_EQ(provenance["program_version"], L3SLICE_VERSION);
  EXPECT_EQ(provenance["manifest"]["fingerprint"], l3::input_fingerprint(dir / "verse.csv"));
  ASSERT_EQ(provenance["cases"].size(), 1u);
  const auto& c = provenance["cases"][0];
  EXPECT_EQ(c["case_id"], "sub-verse500");
  EXPECT_EQ(c["image_fingerprint"], l3::input_fingerprint(root / "rawdata" / "sub-verse500" / "sub-verse500_ct.nii.gz"));
  EXPECT_EQ(c["labels_fingerprint"], l3::input_fingerprint(example("vertebral-bodies.nii.gz")));
  EXPECT_EQ(c["label_value"], 22);
  ASSERT_EQ(provenance["models"].size(), 1u);
  EXPECT_EQ(provenance["models"][0]["model"]["rules"], l3::kLevelFinderRules);  // the bundled atlas by default
  EXPECT_NE(provenance["mid_l3_error"].get<std::string>().find("nearer middle slice"), std::string::npos);
}

TEST(PublicDatasets, WrongLayoutIsAOneLineError) {
  TempDir dir;
  fs::create_directories(dir / "empty");
  const auto a = run_cli({"manifest", "--verse", (dir / "empty").string(), "--out", (dir / "m.csv").string()});
  EXPECT_NE(a.exit_code, 0);
  EXPECT_NE(a.err.find("rawdata"), std::string::npos) << a.err;
  const auto b = run_cli({"manifest", "--totalsegmentator", (dir / "empty").string(), "--out", (dir / "m.csv").string()});
  EXPECT_NE(b.exit_code, 0);
  EXPECT_NE(b.err.find("no TotalSegmentator case"), std::string::npos) << b.err;
  EXPECT_FALSE(fs::exists(dir / "m.csv"));
}

}  // namespace
