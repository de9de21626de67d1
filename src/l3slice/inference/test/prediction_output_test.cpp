// Outputs of `predict`: the JSON/CSV schema, and that a slice is located identically in the
// user's own files whatever their layout (flipped NIfTI, shuffled DICOM).
#include "l3slice/inference/prediction_output.h"

#include <gtest/gtest.h>

#include "l3slice/core/csv.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/io/image_writer.h"
#include "l3slice/phantom/phantom.h"
#include "support/test_support.h"

namespace {

using l3::testing::TempDir;

l3::Phantom small_phantom() {
  l3::PhantomOptions o;
  o.matrix = 64;
  o.pixel_mm = 6.5;
  o.slice_mm = 5.0;
  return l3::make_phantom(o);
}

l3::Prediction fake_prediction(int slices, l3::SliceRun run) {
  l3::Prediction p;
  p.probabilities.p.assign(slices, 0.02f);
  p.probabilities.scored.assign(slices, 0);
  for (int z = 0; z < slices; z += 2) p.probabilities.scored[z] = 1;
  for (int z = run.first; z <= run.last; ++z) p.probabilities.p[z] = 0.9f;
  p.run = run;
  p.confidence = 0.9;
  return p;
}

TEST(PredictionOutput, JsonAndCsvHaveTheDocumentedFields) {
  const auto ph = small_phantom();
  const int n = ph.ct.hu.grid.size[2];
  const auto pred = fake_prediction(n, {n / 2 - 2, n / 2 + 2});
  const nlohmann::json method{{"method", "slice-classifier"}, {"architecture", "resnet18"}, {"mode", "coarse-to-fine"}};
  const auto j = l3::prediction_json("p1", ph.ct, pred, method, {0.1, 0.2, 0.3});
  EXPECT_EQ(j["case_id"], "p1");
  EXPECT_EQ(j["status"], "L3 found");
  EXPECT_EQ(j["l3"]["middle"]["canonical_index"], n / 2);
  EXPECT_EQ(j["l3"]["first"]["canonical_index"], n / 2 - 2);
  EXPECT_TRUE(j["l3"]["middle"].contains("z_mm"));
  EXPECT_TRUE(j["l3"]["middle"].contains("file_index"));
  EXPECT_EQ(j["model"], method);  // the finder's provenance, as given
  EXPECT_EQ(j["slices_scored"], (n + 1) / 2);
  EXPECT_DOUBLE_EQ(j["timings_s"]["total"].get<double>(), 0.3);

  const auto csv = l3::parse_csv(l3::probabilities_csv(ph.ct, pred));
  ASSERT_EQ(int(csv.rows.size()), n);
  EXPECT_EQ(csv.header, (std::vector<std::string>{"slice", "file_index", "z_mm", "probability", "scored", "in_l3_run"}));
  EXPECT_EQ(csv.rows[n / 2][5], "1");
  EXPECT_EQ(csv.rows[0][5], "0");

  l3::Prediction none = pred;
  none.run.reset();
  const auto k = l3::prediction_json("p2", ph.ct, none, method, {});
  EXPECT_EQ(k["status"], "L3 not in field of view");
  EXPECT_FALSE(k["l3_found"].get<bool>());
  EXPECT_TRUE(k["l3"].is_null());

  l3::Prediction unsure = none;
  unsure.uncertain = true;
  unsure.details = {{"reason", "two answers"}};
  const auto u = l3::prediction_json("p3", ph.ct, unsure, method, {});
  EXPECT_EQ(u["status"], "uncertain");
  EXPECT_FALSE(u["l3_found"].get<bool>());
  EXPECT_EQ(u["evidence"]["reason"], "two answers");
}

TEST(PredictionOutput, SliceLocationIsTheSamePhysicalSliceInEveryLayout) {
  TempDir dir;
  const auto ph = small_phantom();
  const int z = ph.ct.hu.grid.size[2] / 3;
  const int n = ph.ct.hu.grid.size[2];

  l3::write_image(ph.ct.hu, dir / "ras.nii.gz", {"RAS"});
  l3::write_image(ph.ct.hu, dir / "flipped.nii.gz", {"LPI"});
  l3::DicomWriteOptions dicom;
  dicom.shuffle_file_names = true;
  dicom.seed = 3;
  l3::write_dicom_series(ph.ct, dir / "dicom", dicom);

  const auto ras = l3::read_ct(dir / "ras.nii.gz");
  const auto flipped = l3::read_ct(dir / "flipped.nii.gz");
  const auto series = l3::read_ct(dir / "dicom");
  const auto a = l3::slice_location_json(ras, z), b = l3::slice_location_json(flipped, z),
             c = l3::slice_location_json(series, z);
  EXPECT_NEAR(a["z_mm"].get<double>(), b["z_mm"].get<double>(), 1e-3);
  EXPECT_NEAR(a["z_mm"].get<double>(), c["z_mm"].get<double>(), 1e-3);
  EXPECT_EQ(a["file_index"], z);              // RAS: the file's z axis runs inferior -> superior
  EXPECT_EQ(b["file_index"], n - 1 - z);      // flipped: superior -> inferior
  ASSERT_TRUE(c.contains("file_name"));
  ASSERT_TRUE(c.contains("instance_number"));
  EXPECT_EQ(ras.hu.voxels, series.hu.voxels);
}

}  // namespace
