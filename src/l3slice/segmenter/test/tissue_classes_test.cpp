#include <gtest/gtest.h>

#include "l3slice/core/error.h"
#include "l3slice/segmenter/tissue_classes.h"

using l3::TissueClass;

TEST(TissueLabelValues, PresetsNameBodycompAndPhantomMaps) {
  const auto ours = l3::parse_tissue_label_values("l3slice");
  EXPECT_EQ(ours.class_of(4), TissueClass::muscle);
  EXPECT_EQ(ours.class_of(2), TissueClass::subcutaneous_fat);
  EXPECT_EQ(ours.class_of(3), TissueClass::visceral_fat);
  EXPECT_EQ(ours.class_of(5), TissueClass::intermuscular_fat);
  EXPECT_EQ(ours.class_of(6), TissueClass::other);  // bone
  const auto phantom = l3::parse_tissue_label_values("phantom");
  EXPECT_EQ(phantom.class_of(3), TissueClass::subcutaneous_fat);
  EXPECT_EQ(phantom.class_of(6), TissueClass::visceral_fat);
  EXPECT_EQ(phantom.class_of(7), TissueClass::other);  // organ
}

TEST(TissueLabelValues, CustomValuesAndTheirErrors) {
  const auto v = l3::parse_tissue_label_values("muscle=1,sat=7");
  EXPECT_EQ(v.class_of(1), TissueClass::muscle);
  EXPECT_EQ(v.class_of(7), TissueClass::subcutaneous_fat);
  EXPECT_EQ(v.class_of(2), TissueClass::other);
  for (const char* bad : {"sat=2", "muscle=1,sat=1", "muscle=0", "muscle=x", "muscle", "bone=3,muscle=1", ""})
    EXPECT_THROW(l3::parse_tissue_label_values(bad), l3::UsageError) << bad;
}

TEST(TissueLabelValues, SliceOfALabelMapBecomesClasses) {
  l3::LabelImage labels(l3::Grid{{3, 1, 2}, {1, 1, 1}, {0, 0, 0}});
  labels.voxels = {4, 2, 9, 5, 3, 0};
  const auto c = l3::to_tissue_classes(labels, 1, l3::parse_tissue_label_values("l3slice"));
  EXPECT_EQ(c.grid.size[2], 1);
  EXPECT_EQ(c.voxels, (std::vector<uint8_t>{4, 3, 0}));
}
