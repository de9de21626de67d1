// Label checks that stop a wrong label from silently becoming "scan without L3" or a moved middle.
#include "l3slice/io/l3_truth.h"

#include <gtest/gtest.h>

#include "l3slice/core/error.h"
#include "l3slice/io/image_writer.h"
#include "support/test_support.h"

using l3::testing::TempDir;

namespace {

l3::CtScan small_ct() {
  l3::Grid g;
  g.size = {8, 8, 20};
  g.spacing = {2, 2, 3};
  l3::CtScan ct;
  ct.hu = l3::HuImage(g, int16_t(0));
  return ct;
}

// L3 (22) on slices 5-9, plus a stray voxel on slice `stray` (or none).
std::filesystem::path write_labels(const TempDir& dir, const l3::CtScan& ct, int stray) {
  l3::LabelImage labels(ct.hu.grid, 0);
  for (int z = 5; z <= 9; ++z) labels.at(4, 4, z) = 22;
  if (stray >= 0) labels.at(1, 1, stray) = 22;
  const auto path = dir / ("labels" + std::to_string(stray) + ".nii.gz");
  l3::write_image(labels, path);
  return path;
}

}  // namespace

TEST(L3Truth, ContiguousLabelIsTheRun) {
  TempDir dir;
  l3::CtScan ct = small_ct();
  l3::write_image(ct.hu, dir / "ct.nii.gz");
  const auto truth = l3::read_l3_truth(write_labels(dir, ct, -1), 22, ct);
  EXPECT_EQ(truth.flags[5], 1);
  EXPECT_EQ(truth.flags[10], 0);
}

TEST(L3Truth, StrayVoxelAwayFromTheVertebraIsAnError) {
  TempDir dir;
  const l3::CtScan ct = small_ct();
  const auto path = write_labels(dir, ct, 15);
  try {
    l3::read_l3_truth(path, 22, ct);
    FAIL() << "a label with a gap was accepted";
  } catch (const l3::InputError& e) {
    EXPECT_EQ(e.path(), path);
    EXPECT_NE(std::string(e.what()).find("5-15"), std::string::npos) << e.what();
  }
}

TEST(CohortTruthCheck, WrongLabelValueIsAnErrorExplicitNegativesAreNot) {
  l3::L3Truth with{{0, 1, 1, 0}, 22, ""}, without{{0, 0, 0, 0}, 29, "absent"};
  l3::CohortTruthCheck none;
  none.add(without);
  none.add(without);
  EXPECT_THROW(none.finish("m.csv"), l3::InputError);

  l3::CohortTruthCheck most;
  most.add(with);
  most.add(without);
  most.add(without);
  EXPECT_THROW(most.finish("m.csv"), l3::InputError);

  l3::CohortTruthCheck fine;
  fine.add(with);
  fine.add(with);
  fine.add(without);  // one genuine scan without L3 among labelled ones
  for (int i = 0; i < 5; ++i) fine.add_explicit_negative();
  EXPECT_NO_THROW(fine.finish("m.csv"));
}

TEST(L3Truth, DefinitionNamesTheLabelValuesUsed) {
  EXPECT_EQ(l3::label_truth_definition({22}), "slices containing label 22 of the manifest's label files");
  EXPECT_EQ(l3::label_truth_definition({29, 22, 29}), "slices containing labels 22, 29 of the manifest's label files");
}
