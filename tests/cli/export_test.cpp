// `l3slice export` end to end: the real binary on the shared CT and on phantom manifests.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "l3slice/core/csv.h"
#include "l3slice/core/manifest.h"
#include "l3slice/io/image_writer.h"
#include "l3slice/io/png_io.h"
#include "l3slice/phantom/phantom.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using l3::testing::run_cli;
using l3::testing::TempDir;

namespace {

int count_pngs(const fs::path& dir) {
  return int(std::count_if(fs::directory_iterator(dir), fs::directory_iterator(),
                           [](const fs::directory_entry& e) { return e.path().extension() == ".png"; }));
}

std::vector<int> l3_rows(const fs::path& labels_csv) {
  const auto t = l3::read_csv(labels_csv);
  const int slice = t.column("slice"), label = t.column("label");
  std::vector<int> rows;
  for (const auto& r : t.rows)
    if (r[std::size_t(label)] == "1") rows.push_back(std::stoi(r[std::size_t(slice)]));
  return rows;
}

std::vector<int> range(int first, int last) {
  std::vector<int> v;
  for (int i = first; i <= last; ++i) v.push_back(i);
  return v;
}

bool one_line(const std::string& s) { return !s.empty() && s.find('\n') == s.size() - 1; }

}  // namespace

TEST(CliExport, SharedCtWithVertebralBodiesGivesL3Slices69To79) {
  const fs::path data = l3::testing::shared_data() / "totalseg-example";
  TempDir dir;
  const auto r = run_cli({"export", (data / "ct.nii.gz").string(), "--labels", (data / "vertebral-bodies.nii.gz").string(),
                          "--l3-label", "22", "--out", (dir / "out").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("L3 slices 69-79, middle 74"), std::string::npos) << r.out;
  const fs::path folder = dir / "out" / "ct";
  EXPECT_EQ(count_pngs(folder), 112);
  EXPECT_EQ(l3_rows(folder / "labels.csv"), range(69, 79));
  const auto png = l3::read_png(folder / "slice_0074.png");
  EXPECT_EQ(png.width, 122);
  EXPECT_EQ(png.height, 101);
}

TEST(CliExport, BadLabelsFileIsAOneLineErrorAndWritesNothing) {
  const fs::path data = l3::testing::shared_data() / "totalseg-example";
  TempDir dir;
  // ct-upper-abdomen's labels lie on another grid (30 slices).
  const auto r = run_cli({"export", (data / "ct.nii.gz").string(), "--labels",
                          (data / "ct-upper-abdomen-labels.nii.gz").string(), "--l3-label", "29", "--out",
                          (dir / "out").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(one_line(r.err)) << r.err;
  EXPECT_EQ(r.err.rfind("l3slice: error: " + (data / "ct-upper-abdomen-labels.nii.gz").string() + ": ", 0), 0u) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out" / "ct"));
}

TEST(CliExport, BadWindowIsAUsageError) {
  TempDir dir;
  const auto r = run_cli({"export", "whatever.nii.gz", "--out", (dir / "out").string(), "--window", "1500,-200"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("window"), std::string::npos) << r.err;
}

TEST(CliExport, ManifestWithABadCaseExportsTheOthersAndFailsAtTheEnd) {
  TempDir dir;
  std::vector<l3::ManifestEntry> entries;
  std::vector<l3::SliceRun> l3_whole;
  for (unsigned seed : {3u, 4u}) {
    l3::PhantomOptions o;
    o.seed = seed;
    o.matrix = 48;
    o.pixel_mm = 8.0;
    o.slice_mm = 5.0;
    const auto p = l3::make_phantom(o);
    ASSERT_TRUE(p.l3_whole.has_value());
    l3_whole.push_back(*p.l3_whole);
    const std::string id = "phantom" + std::to_string(seed);
    l3::write_image(p.ct.hu, dir / (id + ".nii.gz"));
    l3::write_image(p.vertebrae, dir / (id + "-vertebrae.nii.gz"));
    entries.push_back({id, dir / (id + ".nii.gz"), dir / (id + "-vertebrae.nii.gz"), std::nullopt, ""});
    if (seed == 3) entries.push_back({"bad", dir / "missing.nii.gz", std::nullopt, std::nullopt, ""});
  }
  l3::write_manifest(dir / "m.csv", entries);

  auto r = run_cli({"export", "--manifest", (dir / "m.csv").string(), "--out", (dir / "out").string(), "--l3-label", "22"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("errors.csv: 1 of 3 cases failed"), std::string::npos) << r.err;
  for (int i = 0; i < 2; ++i) {
    const fs::path folder = dir / "out" / ("phantom" + std::to_string(3 + i));
    EXPECT_GT(count_pngs(folder), 0) << folder;
    EXPECT_EQ(l3_rows(folder / "labels.csv"), range(l3_whole[i].first, l3_whole[i].last)) << folder;
  }
  EXPECT_FALSE(fs::exists(dir / "out" / "bad"));
  const auto errors = l3::read_csv(dir / "out" / "errors.csv");
  ASSERT_EQ(errors.rows.size(), 1u);
  EXPECT_EQ(errors.rows[0][0], "bad");

  // Run again: the two complete cases are skipped, the bad one fails again.
  r = run_cli({"export", "--manifest", (dir / "m.csv").string(), "--out", (dir / "out").string(), "--l3-label", "22"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("0 exported, 2 already complete, 1 failed"), std::string::npos) << r.out;
}
