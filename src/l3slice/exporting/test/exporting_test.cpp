#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "l3slice/core/csv.h"
#include "l3slice/core/error.h"
#include "l3slice/core/manifest.h"
#include "l3slice/exporting/export_case.h"
#include "l3slice/exporting/export_manifest.h"
#include "l3slice/io/image_writer.h"
#include "l3slice/io/png_io.h"
#include "l3slice/phantom/phantom.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using l3::testing::TempDir;

namespace {

// A small phantom (64 x 64, 5 mm slices) keeps the sanitizer build quick.
const l3::Phantom& small_phantom() {
  static const l3::Phantom p = [] {
    l3::PhantomOptions o;
    o.seed = 7;
    o.matrix = 64;
    o.pixel_mm = 6.4;
    o.slice_mm = 5.0;
    return l3::make_phantom(o);
  }();
  return p;
}

// Writes the phantom's CT and vertebral-body labels in a NIfTI-typical RAS layout, so reading
// them back exercises the reorientation too.
l3::ManifestEntry write_case(const fs::path& dir, const std::string& id, const l3::Phantom& p) {
  l3::write_image(p.ct.hu, dir / (id + ".nii.gz"), {"RAS"});
  l3::write_image(p.vertebral_bodies, dir / (id + "-bodies.nii.gz"), {"RAS"});
  return {id, dir / (id + ".nii.gz"), dir / (id + "-bodies.nii.gz"), l3::verse::L3, ""};
}

std::vector<fs::path> pngs_in(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".png") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

nlohmann::json read_json(const fs::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

std::vector<std::string> entries_of(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST(ExportCase, WritesOnePngPerSliceAndLabelsMatchingThePhantomsL3Body) {
  const auto& p = small_phantom();
  ASSERT_TRUE(p.l3_body.has_value());
  TempDir dir;
  const auto entry = write_case(dir.path(), "p7", p);
  const auto result = l3::export_case(entry, dir / "out", {});

  const auto& size = p.ct.hu.grid.size;
  EXPECT_EQ(result.folder, dir / "out" / "p7");
  EXPECT_EQ(result.slices, size[2]);
  ASSERT_TRUE(result.l3.has_value());
  EXPECT_EQ(*result.l3, *p.l3_body);

  const auto pngs = pngs_in(result.folder);
  ASSERT_EQ(int(pngs.size()), size[2]);
  EXPECT_EQ(pngs.front().filename(), "slice_0000.png");
  const auto first = l3::read_png(pngs.front());
  EXPECT_EQ(first.width, size[0]);
  EXPECT_EQ(first.height, size[1]);
  EXPECT_EQ(first.channels, 1);

  const auto table = l3::read_csv(result.folder / "labels.csv");
  ASSERT_EQ(table.header, (std::vector<std::string>{"slice", "file_index", "z_mm", "label"}));
  ASSERT_EQ(int(table.rows.size()), size[2]);
  std::vector<int> l3_rows;
  for (const auto& row : table.rows)
    if (row[3] == "1") l3_rows.push_back(std::stoi(row[0]));
    else EXPECT_EQ(row[3], "0");
  ASSERT_FALSE(l3_rows.empty());
  EXPECT_EQ(l3_rows.front(), p.l3_body->first);
  EXPECT_EQ(l3_rows.back(), p.l3_body->last);
  EXPECT_EQ(int(l3_rows.size()), p.l3_body->length());
  // z_mm increases with the slice index (slice 0 = most inferior).
  EXPECT_LT(std::stod(table.rows.front()[2]), std::stod(table.rows.back()[2]));

  const auto info = read_json(result.folder / "case.json");
  EXPECT_EQ(info["l3"]["first"], p.l3_body->first);
  EXPECT_EQ(info["l3"]["last"], p.l3_body->last);
  EXPECT_EQ(info["l3"]["middle"], p.l3_body->middle());
  EXPECT_EQ(info["labels"]["value"], l3::verse::L3);
  EXPECT_EQ(info["format"], "nifti");
  EXPECT_EQ(info["window"]["low_hu"], -200.0);
  EXPECT_EQ(info["size"][2], size[2]);
}

TEST(ExportCase, PngOfASliceIsTheWindowedSliceInCanonicalOrientation) {
  const auto& p = small_phantom();
  TempDir dir;
  const auto entry = write_case(dir.path(), "p7", p);
  l3::ExportOptions options;
  options.window = {-160, 240};
  const auto result = l3::export_case(entry, dir / "out", options);
  const int n = p.ct.hu.grid.size[2];
  for (int z : {0, p.l3_body->middle(), n - 1}) {
    const auto png = l3::read_png(result.folder / l3::slice_file_name(z, n));
    EXPECT_EQ(png.pixels, l3::window_slice(p.ct.hu, z, options.window)) << "slice " << z;
  }
}

TEST(ExportCase, WithoutLabelsTheLabelColumnIsOmitted) {
  const auto& p = small_phantom();
  TempDir dir;
  auto entry = write_case(dir.path(), "p7", p);
  entry.labels.reset();
  entry.label_value.reset();
  const auto result = l3::export_case(entry, dir / "out", {});
  EXPECT_FALSE(result.labelled);
  const auto table = l3::read_csv(result.folder / "labels.csv");
  EXPECT_EQ(table.header, (std::vector<std::string>{"slice", "file_index", "z_mm"}));
  EXPECT_TRUE(read_json(result.folder / "case.json")["l3"].is_null());
}

TEST(ExportCase, ALabelAbsentFromTheFileMeansNoL3) {
  const auto& p = small_phantom();
  TempDir dir;
  auto entry = write_case(dir.path(), "p7", p);
  entry.label_value = 99;
  const auto result = l3::export_case(entry, dir / "out", {});
  EXPECT_TRUE(result.labelled);
  EXPECT_FALSE(result.l3.has_value());
  const auto table = l3::read_csv(result.folder / "labels.csv");
  for (const auto& row : table.rows) EXPECT_EQ(row[3], "0");
  const auto info = read_json(result.folder / "case.json");
  EXPECT_TRUE(info["l3"].is_null());
  EXPECT_NE(info["l3_note"].get<std::string>().find("99"), std::string::npos);
}

TEST(ExportCase, BadLabelsFileLeavesNothingBehind) {
  const auto& p = small_phantom();
  TempDir dir;
  auto entry = write_case(dir.path(), "p7", p);
  // Labels on another grid: a 32-matrix phantom.
  l3::PhantomOptions other = p.options;
  other.matrix = 32;
  other.pixel_mm = 12.8;
  l3::write_image(l3::make_phantom(other).vertebral_bodies, dir / "wrong.nii.gz");
  entry.labels = dir / "wrong.nii.gz";
  fs::create_directories(dir / "out");
  try {
    l3::export_case(entry, dir / "out", {});
    ADD_FAILURE() << "no error";
  } catch (const l3::InputError& e) {
    EXPECT_EQ(e.path(), dir / "wrong.nii.gz");
  }
  EXPECT_TRUE(entries_of(dir / "out").empty());

  entry.labels = dir / "missing.nii.gz";
  EXPECT_THROW(l3::export_case(entry, dir / "out", {}), l3::InputError);
  EXPECT_TRUE(entries_of(dir / "out").empty());
}

TEST(ExportCase, RejectsCaseIdsThatAreNotPlainFolderNames) {
  const auto& p = small_phantom();
  TempDir dir;
  auto entry = write_case(dir.path(), "p7", p);
  for (const char* id : {"", "..", "a/b", ".hidden"}) {
    entry.case_id = id;
    EXPECT_THROW(l3::export_case(entry, dir / "out", {}), l3::UsageError) << id;
  }
}

TEST(ExportNames, SliceFilesAndCaseIds) {
  EXPECT_EQ(l3::slice_file_name(7, 112), "slice_0007.png");
  EXPECT_EQ(l3::slice_file_name(12, 12345), "slice_00012.png");
  EXPECT_EQ(l3::case_id_from_path("/data/p1.nii.gz"), "p1");
  EXPECT_EQ(l3::case_id_from_path("/data/P2.NII"), "P2");
  EXPECT_EQ(l3::case_id_from_path("scan.v2.mha"), "scan.v2");
  EXPECT_EQ(l3::case_id_from_path("/data/dicom/patient3/"), "patient3");
}

TEST(ExportManifest, ExportsGoodCasesRecordsFailuresAndResumes) {
  const auto& p = small_phantom();
  TempDir dir;
  std::vector<l3::ManifestEntry> entries{write_case(dir.path(), "a", p), write_case(dir.path(), "b", p)};
  entries.insert(entries.begin() + 1, l3::ManifestEntry{"broken", dir / "nothing-here.nii.gz", std::nullopt, std::nullopt, ""});
  l3::write_manifest(dir / "m.csv", entries);

  l3::ManifestExportOptions options;
  options.progress = false;
  auto summary = l3::export_manifest(dir / "m.csv", dir / "out", options);
  EXPECT_EQ(summary.total, 3);
  EXPECT_EQ(summary.exported, 2);
  EXPECT_EQ(summary.skipped, 0);
  ASSERT_EQ(summary.failures.size(), 1u);
  EXPECT_EQ(summary.failures[0].case_id, "broken");
  EXPECT_NE(summary.failures[0].error.find("nothing-here.nii.gz"), std::string::npos);
  EXPECT_EQ(entries_of(dir / "out"), (std::vector<std::string>{"a", "b", "errors.csv"}));
  const auto errors = l3::read_csv(dir / "out" / "errors.csv");
  ASSERT_EQ(errors.rows.size(), 1u);
  EXPECT_EQ(errors.rows[0][0], "broken");

  // Rerun: complete cases are skipped.
  summary = l3::export_manifest(dir / "m.csv", dir / "out", options);
  EXPECT_EQ(summary.exported, 0);
  EXPECT_EQ(summary.skipped, 2);
  EXPECT_EQ(summary.failures.size(), 1u);

  // Other settings (window) are not the same export: redone. Fixed manifest: errors.csv goes.
  entries.erase(entries.begin() + 1);
  l3::write_manifest(dir / "m.csv", entries);
  options.case_options.window = {-100, 300};
  summary = l3::export_manifest(dir / "m.csv", dir / "out", options);
  EXPECT_EQ(summary.exported, 2);
  EXPECT_EQ(summary.skipped, 0);
  EXPECT_TRUE(summary.failures.empty());
  EXPECT_FALSE(fs::exists(dir / "out" / "errors.csv"));
  EXPECT_EQ(read_json(dir / "out" / "a" / "case.json")["window"]["high_hu"], 300.0);
}
