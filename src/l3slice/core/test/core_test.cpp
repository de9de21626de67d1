#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "l3slice/core/atomic_file.h"
#include "l3slice/core/csv.h"
#include "l3slice/core/error.h"
#include "l3slice/core/image.h"
#include "l3slice/core/manifest.h"
#include "l3slice/core/parallel_for.h"
#include "l3slice/core/progress.h"
#include "l3slice/core/slice_run.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using l3::testing::TempDir;

TEST(Csv, ParsesQuotedFieldsAndRejectsRaggedRows) {
  const auto t = l3::parse_csv("a,b,c\n1,\"x, \"\"y\"\"\",3\n\n4,5,6\n");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0][1], "x, \"y\"");
  EXPECT_EQ(t.column("B"), 1);
  EXPECT_THROW(l3::parse_csv("a,b\n1,2,3\n"), l3::InputError);
  EXPECT_THROW(l3::parse_csv("a,b\n\"1,2\n"), l3::InputError);
  EXPECT_EQ(l3::csv_line({"a,b", "c"}), "\"a,b\",c\n");
}

TEST(Manifest, ResolvesRelativePathsAndChecksColumns) {
  TempDir dir;
  l3::write_text_atomically(dir / "m.csv", "case_id,image,labels,label_value\np1,ct/p1.nii.gz,lab.nii.gz,29\np2,/abs.nii,,\n");
  const auto m = l3::read_manifest(dir / "m.csv");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].image, dir.path() / "ct/p1.nii.gz");
  EXPECT_EQ(*m[0].label_value, 29);
  EXPECT_EQ(m[1].image, fs::path("/abs.nii"));
  EXPECT_FALSE(m[1].labels.has_value());

  l3::write_text_atomically(dir / "bad.csv", "id,path\n1,2\n");
  try {
    l3::read_manifest(dir / "bad.csv");
    FAIL() << "expected an error";
  } catch (const l3::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.csv"), std::string::npos);
  }
  l3::write_text_atomically(dir / "dup.csv", "case_id,image\na,x\na,y\n");
  EXPECT_THROW(l3::read_manifest(dir / "dup.csv"), l3::InputError);
}

TEST(Manifest, PatientIdColumnRoundTrips) {
  TempDir dir;
  l3::write_text_atomically(dir / "m.csv", "case_id,image,patient_id\nscan1,a.nii,pat7\nscan2,b.nii,pat7\nscan3,c.nii,\n");
  const auto m = l3::read_manifest(dir / "m.csv");
  EXPECT_EQ(m[0].patient(), "pat7");
  EXPECT_EQ(m[1].patient(), "pat7");
  EXPECT_EQ(m[2].patient(), "scan3");  // no patient id: the case is its own patient
  l3::write_manifest(dir / "again.csv", m);
  EXPECT_EQ(l3::read_manifest(dir / "again.csv")[1].patient_id, "pat7");
}

TEST(AtomicFile, LeavesNothingBehindWhenTheWriterFails) {
  TempDir dir;
  const fs::path target = dir / "out.nii.gz";
  EXPECT_THROW(l3::write_atomically(target,
                                    [](const fs::path& tmp) {
                                      EXPECT_EQ(tmp.string().substr(tmp.string().size() - 7), ".nii.gz");
                                      std::ofstream(tmp) << "partial";
                                      throw std::runtime_error("disk full");
                                    }),
               std::runtime_error);
  EXPECT_TRUE(fs::is_empty(dir.path()));
  l3::write_text_atomically(target, "whole");
  EXPECT_EQ(l3::testing::read_text(target), "whole");
}

TEST(AtomicFile, StagingDirIsRemovedUnlessCommitted) {
  TempDir dir;
  {
    l3::StagingDir staging(dir / "case1");
    std::ofstream(staging.path() / "a.png") << "x";
  }
  EXPECT_TRUE(fs::is_empty(dir.path()));
  {
    l3::StagingDir staging(dir / "case1");
    std::ofstream(staging.path() / "a.png") << "x";
    staging.commit();
  }
  EXPECT_TRUE(fs::exists(dir / "case1/a.png"));
}

TEST(Grid, PhysicalPositionAndComparison) {
  l3::Grid g;
  g.size = {4, 5, 6};
  g.spacing = {0.5, 0.5, 3.0};
  g.origin = {10, 20, 30};
  const auto p = g.physical(2, 0, 1);
  EXPECT_DOUBLE_EQ(p[0], 11.0);
  EXPECT_DOUBLE_EQ(p[2], 33.0);
  l3::Grid h = g;
  EXPECT_TRUE(g.same_as(h));
  h.origin[2] += 2.0;
  std::string why;
  EXPECT_FALSE(g.same_as(h, &why));
  EXPECT_NE(why.find("origin"), std::string::npos);
}

TEST(SliceRun, SpanAndMiddle) {
  EXPECT_FALSE(l3::span_of({0, 0, 0}).has_value());
  const auto r = l3::span_of({0, 1, 1, 0, 1, 0});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, 1);
  EXPECT_EQ(r->last, 4);
  EXPECT_EQ((l3::SliceRun{65, 79}.middle()), 72);
  EXPECT_EQ((l3::SliceRun{69, 79}.middle()), 74);
}

TEST(Progress, FormatsDurations) {
  EXPECT_EQ(l3::Progress::format_duration(62), "1:02");
  EXPECT_EQ(l3::Progress::format_duration(3725), "1:02:05");
}

TEST(ParallelFor, EveryIndexOnceOnAnyThreadCountAndErrorsComeBack) {
  for (unsigned threads : {0u, 1u, 2u, 7u}) {
    std::vector<int> hits(101, 0);
    l3::parallel_for(hits.size(), threads, [&](std::size_t i) { hits[i] += 1; });
    EXPECT_EQ(std::count(hits.begin(), hits.end(), 1), 101) << threads << " threads";
  }
  l3::parallel_for(0, 2, [](std::size_t) { FAIL() << "no index to run"; });
  EXPECT_THROW(l3::parallel_for(10, 2,
                                [](std::size_t i) {
                                  if (i == 7) throw std::runtime_error("seven");
                                }),
               std::runtime_error);
}
