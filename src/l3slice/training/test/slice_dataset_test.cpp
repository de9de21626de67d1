#include "l3slice/training/slice_dataset.h"

#include <gtest/gtest.h>

#include "l3slice/core/error.h"
#include "l3slice/training/patient_split.h"
#include "l3slice/training/training_batch.h"

#include <set>
#include <string>
#include "phantom_cohort.h"

namespace l3 {
namespace {

TEST(SliceDataset, HoldsEveryPhantomSliceAsItsModelInputWithItsLabel) {
  ModelInputOptions input;
  input.size = 32;
  input.channels = 3;
  SliceDataset data(input);
  const Phantom a = make_phantom(testing::small_phantom(1, 48));
  const Phantom b = make_phantom(testing::small_phantom(2, 48));
  testing::add_phantom(data, a, "a");
  testing::add_phantom(data, b, "b");
  const int na = a.ct.hu.grid.size[2], nb = b.ct.hu.grid.size[2];
  ASSERT_EQ(data.slice_count(), na + nb);
  EXPECT_EQ(data.slice_bytes(), 3 * 32 * 32);
  EXPECT_EQ(data.memory_bytes(), size_t(na + nb) * (3 * 32 * 32 + 1));
  ASSERT_EQ(data.cases().size(), 2u);
  EXPECT_EQ(data.cases()[1].first_slice, na);
  EXPECT_DOUBLE_EQ(data.cases()[1].slice_mm, 5.0);
  // The truth run is the phantom's L3 body, and the labels are its slices.
  ASSERT_TRUE(a.l3_body && data.cases()[0].truth);
  EXPECT_EQ(*data.cases()[0].truth, *a.l3_body);
  EXPECT_EQ(*data.cases()[1].truth, *b.l3_body);
  EXPECT_EQ(data.l3_slice_count(), a.l3_body->length() + b.l3_body->length());
  for (int z = 0; z < nb; ++z)
    EXPECT_EQ(data.labels()[size_t(na + z)], z >= b.l3_body->first && z <= b.l3_body->last) << z;
  // Pixels are exactly the model input of that slice.
  for (const int z : {0, b.l3_body->middle(), nb - 1}) {
    const auto expected = make_model_input(b.ct, z, input);
    EXPECT_TRUE(std::equal(expected.begin(), expected.end(), data.slice(na + z))) << z;
  }
  EXPECT_EQ(data.slices_of({1}).front(), na);
  EXPECT_EQ(data.slices_of({1, 0}).size(), size_t(na + nb));
}

TEST(SliceDataset, RejectsLabelsOfTheWrongLength) {
  SliceDataset data(ModelInputOptions{});
  const Phantom a = make_phantom(testing::small_phantom(3, 32));
  EXPECT_THROW(data.add_case("a", a.ct, std::vector<uint8_t>(3, 0)), InputError);
}

// The originals are augmented too by default (so "warped" does not mean "L3"); the paper's
// copies-only mode leaves them bit-identical.
TEST(TrainingBatch, AugmentsOriginalsUnlessCopiesOnly) {
  ModelInputOptions input;
  input.size = 32;
  SliceDataset data(input);
  const Phantom a = make_phantom(testing::small_phantom(1, 48));
  testing::add_phantom(data, a, "a");
  const std::vector<EpochItem> plan{{0, false}, {1, false}, {a.l3_body->first, true}};
  auto differs = [&](const TrainingBatch& batch, int row) {
    const uint8_t* got = batch.images[row].contiguous().data_ptr<uint8_t>();
    return !std::equal(got, got + data.slice_bytes(), data.slice(plan[size_t(row)].slice));
  };
  AugmentationOptions copies_only;
  copies_only.originals = false;
  const TrainingBatch paper = make_training_batch(data, plan, 0, plan.size(), copies_only, 7);
  EXPECT_FALSE(differs(paper, 0));
  EXPECT_FALSE(differs(paper, 1));
  EXPECT_TRUE(differs(paper, 2));
  const TrainingBatch all = make_training_batch(data, plan, 0, plan.size(), AugmentationOptions{}, 7);
  EXPECT_TRUE(differs(all, 0));
  EXPECT_TRUE(differs(all, 1));
  EXPECT_TRUE(differs(all, 2));
  EXPECT_EQ(all.targets[2].item<int64_t>(), 1);
}

}  // namespace
}  // namespace l3

namespace l3 {
namespace {

TEST(SliceDataset, ScansOfOnePatientStayOnOneSideOfTheSplit) {
  ModelInputOptions input;
  input.size = 16;
  SliceDataset data(input);
  const Phantom p = make_phantom(testing::small_phantom(1, 32));
  std::vector<uint8_t> labels(std::size_t(p.ct.hu.grid.size[2]), 0);
  for (int i = 0; i < 12; ++i) data.add_case("scan" + std::to_string(i), p.ct, labels, "patient" + std::to_string(i / 3));
  const auto patients = data.patient_ids();
  EXPECT_EQ(patients[4], "patient1");
  const PatientSplit split = split_by_fraction(patients, 0.25, 3);
  std::set<std::string> train, validation;
  for (int i : split.train) train.insert(patients[std::size_t(i)]);
  for (int i : split.validation) validation.insert(patients[std::size_t(i)]);
  EXPECT_EQ(validation.size(), 1u);  // 25 % of 4 patients
  EXPECT_EQ(split.validation.size(), 3u);  // with all 3 of its scans
  for (const auto& v : validation) EXPECT_EQ(train.count(v), 0u) << v;
}

}  // namespace
}  // namespace l3
