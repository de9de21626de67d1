#include "l3slice/core/slice_run.h"

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

}  // namespace l3
