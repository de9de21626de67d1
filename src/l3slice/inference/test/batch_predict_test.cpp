// Batch prediction mechanics with a real (untrained, tiny) model: outputs per case, summary rows,
// resume, and one corrupt case not stopping the batch. Accuracy is tested where models are trained.
#include "l3slice/inference/batch_predict.h"

#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "l3slice/core/csv.h"
#include "l3slice/core/error.h"
#include "l3slice/core/fingerprint.h"
#include "l3slice/io/image_writer.h"
#include "l3slice/model/model_file.h"
#include "l3slice/phantom/phantom.h"
#include "support/test_support.h"
#include "support/untrained_model.h"

namespace fs = std::filesystem;
using l3::testing::TempDir;

namespace {

l3::Phantom small_phantom(unsigned seed) {
  l3::PhantomOptions o;
  o.seed = seed;
  o.matrix = 64;
  o.pixel_mm = 6.5;
  o.slice_mm = 5.0;
  return l3::make_phantom(o);
}

TEST(BatchPredict, WritesEveryCaseRecordsFailuresAndResumes) {
  TempDir dir;
  l3::write_image(small_phantom(1).ct.hu, dir / "p1.nii.gz");
  l3::write_image(small_phantom(2).ct.hu, dir / "p2.nii.gz");
  std::ofstream(dir / "broken.nii.gz") << "this is not a NIfTI file";
  const fs::path model = l3::testing::write_untrained_model(dir / "tiny.l3m", 7);

  const auto jobs = l3::jobs_from_paths({dir / "p1.nii.gz", dir / "broken.nii.gz", dir / "p2.nii.gz"});
  ASSERT_EQ(jobs[1].case_id, "broken");
  l3::BatchPredictOptions options;
  options.out_dir = dir / "out";
  const auto first = l3::predict_batch(jobs, model, options);
  EXPECT_EQ(first.predicted, 2);
  EXPECT_EQ(first.failed, 1);
  EXPECT_EQ(first.skipped, 0);
  for (const char* c : {"p1", "p2"})
    for (const char* f : {"prediction.json", "probabilities.csv", "qc.png"})
      EXPECT_TRUE(fs::exists(dir / "out" / c / f)) << c << "/" << f;
  EXPECT_FALSE(fs::exists(dir / "out" / "broken"));

  const auto summary = l3::read_csv(dir / "out" / "summary.csv");
  ASSERT_EQ(summary.rows.size(), 3u);
  const int status = summary.column("status"), error = summary.column("error");
  EXPECT_EQ(summary.rows[1][status], "error");
  EXPECT_NE(summary.rows[1][error].find("broken.nii.gz"), std::string::npos) << summary.rows[1][error];
  EXPECT_NE(summary.rows[0][status], "error");

  const auto mtime = fs::last_write_time(dir / "out" / "p1" / "prediction.json");
  const auto again = l3::predict_batch(jobs, model, options);
  EXPECT_EQ(again.predicted, 0);
  EXPECT_EQ(again.skipped, 2);
  EXPECT_EQ(again.failed, 1);
  EXPECT_EQ(fs::last_write_time(dir / "out" / "p1" / "prediction.json"), mtime);
  EXPECT_EQ(l3::read_csv(dir / "out" / "summary.csv").rows, summary.rows);
}

TEST(BatchPredict, ResumeRedoesACaseWhoseInputModelOrSettingsChanged) {
  TempDir dir;
  l3::write_image(small_phantom(1).ct.hu, dir / "p.nii.gz");
  const fs::path model_a = l3::testing::write_untrained_model(dir / "a.l3m", 7);
  const fs::path model_b = l3::testing::write_untrained_model(dir / "b.l3m", 8);
  const auto jobs = l3::jobs_from_paths({dir / "p.nii.gz"});
  l3::BatchPredictOptions options;
  options.out_dir = dir / "out";
  options.qc_picture = false;
  EXPECT_EQ(l3::predict_batch(jobs, model_a, options).predicted, 1);
  EXPECT_EQ(l3::predict_batch(jobs, model_a, options).skipped, 1);

  // Another scan under the same file name: predicted again, not the old answer reported.
  l3::write_image(small_phantom(2).ct.hu, dir / "p.nii.gz");
  const auto changed_input = l3::predict_batch(jobs, model_a, options);
  EXPECT_EQ(changed_input.predicted, 1);
  EXPECT_EQ(changed_input.outdated, 1);
  // Another model.
  EXPECT_EQ(l3::predict_batch(jobs, model_b, options).outdated, 1);
  // Other settings.
  options.predict.schedule.exhaustive = true;
  EXPECT_EQ(l3::predict_batch(jobs, model_b, options).outdated, 1);
  EXPECT_EQ(l3::predict_batch(jobs, model_b, options).skipped, 1);

  std::ifstream in(dir / "out" / "p" / "prediction.json");
  const auto report = nlohmann::json::parse(in);
  EXPECT_EQ(report["provenance"]["source"], (dir / "p.nii.gz").string());
  EXPECT_EQ(report["provenance"]["input_fingerprint"], l3::input_fingerprint(dir / "p.nii.gz"));
  EXPECT_EQ(report["provenance"]["model"]["mode"], "exhaustive");
}

TEST(BatchPredict, CaseIdsKeepUidFolderNamesWhole) {
  const auto jobs = l3::jobs_from_paths({"/data/1.2.840.113619.2.1", "/data/1.2.840.113619.2.2/", "/x/ct.nii.gz",
                                         "/y/ct.nii.gz", "/z/scan.v2.mha"});
  EXPECT_EQ(jobs[0].case_id, "1.2.840.113619.2.1");
  EXPECT_EQ(jobs[1].case_id, "1.2.840.113619.2.2");
  EXPECT_EQ(jobs[2].case_id, "ct");
  EXPECT_EQ(jobs[3].case_id, "ct_2");
  EXPECT_EQ(jobs[4].case_id, "scan.v2");
}

TEST(BatchPredict, CoarseToFineScoresMatchExhaustiveWhereScored) {
  TempDir dir;
  l3::LoadedModel model = l3::load_model(l3::testing::write_untrained_model(dir / "tiny.l3m", 7));
  l3::SliceClassifier classifier(model);
  l3::PhantomOptions o;
  o.matrix = 64;
  o.pixel_mm = 6.5;
  o.slice_mm = 1.0;
  const auto ph = l3::make_phantom(o);
  l3::PredictOptions exhaustive;
  exhaustive.schedule.exhaustive = true;
  const auto all = l3::predict_l3(ph.ct, classifier, exhaustive);
  // An untrained model's probabilities are arbitrary: the point is that a slice's probability does
  // not depend on which other slices share its batch (and that refinement stays local to one run).
  const auto fast = l3::predict_l3(ph.ct, classifier);
  EXPECT_EQ(all.probabilities.scored_count(), ph.ct.hu.grid.size[2]);
  EXPECT_LT(fast.probabilities.scored_count(), all.probabilities.scored_count());
  for (int z = 0; z < ph.ct.hu.grid.size[2]; ++z)
    if (fast.probabilities.scored[z]) {
      EXPECT_NEAR(fast.probabilities.p[z], all.probabilities.p[z], 1e-4) << z;
    }
}

}  // namespace
