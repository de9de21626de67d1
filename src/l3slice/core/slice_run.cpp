#include "l3slice/core/slice_run.h"

#include <algorithm>

namespace l3 {

std::optional<SliceRun> span_of(const std::vector<uint8_t>& flags) {
  int first = -1, last = -1;
  for (int i = 0; i < static_cast<int>(flags.size()); ++i) {
    if (!flags[i]) continue;
    if (first < 0) first = i;
    last = i;
  }
  if (first < 0) return std::nullopt;
  return SliceRun{first, last};
}

std::vector<uint8_t> slices_with_label(const LabelImage& labels, uint16_t value) {
  std::vector<uint8_t> flags(std::size_t(labels.grid.size[2]), 0);
  const std::size_t n = labels.grid.slice_voxels();
  for (int z = 0; z < labels.grid.size[2]; ++z) {
    const uint16_t* s = labels.slice(z);
    flags[std::size_t(z)] = std::find(s, s + n, value) != s + n;
  }
  return flags;
}

}  // namespace l3
