#pragma once
// A contiguous run of axial slices (canonical indices), e.g. the L3 slices of a scan.
#include <optional>
#include <vector>
#include <cstdint>

#include "l3slice/core/image.h"

namespace l3 {

struct SliceRun {
  int first = 0;
  int last = 0;  // inclusive
  // The middle slice: floor((first + last) / 2). The clinical L3 slice is the middle of the
  // vertebral body's run. An even run has two middle slices, this the lower; evaluation counts
  // either as the middle (middle_error, evaluation/metrics.h).
  int middle() const { return (first + last) / 2; }
  int length() const { return last - first + 1; }
  bool operator==(const SliceRun& o) const { return first == o.first && last == o.last; }
};

// First and last slice whose flag is non-zero (gaps inside are included), or nothing.
std::optional<SliceRun> span_of(const std::vector<uint8_t>& flags);

// One flag per axial slice: does it hold any voxel of `value`?
std::vector<uint8_t> slices_with_label(const LabelImage& labels, uint16_t value);

}  // namespace l3
