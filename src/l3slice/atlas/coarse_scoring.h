#pragma once
// The registration's coarse search scores some hundred thousand alignments, most of its time. Many
// share the lateral part (x scale, x shift, bend) and differ only along z, so the atlas is resampled
// at the scan's columns once per lateral part, and each alignment only blends two resampled rows.
// The bend is taken at each atlas row's own height (score_transform takes it at the height between
// rows: within a coarse row, a few tenths of a column), and the scan's sums come from prefix sums;
// the fine search scores with score_transform.
#include <vector>

#include "l3slice/atlas/registration.h"

namespace l3 {

class CoarseScorer {
 public:
  CoarseScorer(const BoneProjection& scan, const BoneProjection& atlas);

  // The atlas resampled at the scan's columns under one lateral part of a transform.
  struct Resampled {
    std::vector<double> values;   // atlas rows * scan columns
    std::vector<int> first, end;  // per atlas row: the scan columns [first, end) inside the atlas
  };
  Resampled resample(const AtlasTransform& lateral) const;

  // The NCC and overlap of `t`, whose scale_x, shift_x and bend are those `r` was resampled with.
  AtlasMatch score(const Resampled& r, const AtlasTransform& t) const;

 private:
  const BoneProjection& scan_;
  const BoneProjection& atlas_;
  std::vector<double> sum_, sum_sq_;  // per scan row, prefix sums over columns (cols + 1 each)
};

}  // namespace l3
