#pragma once
// Per-slice L3 truth for a cohort case: which slices contain the L3 label.
// A label value given by the user that does not occur in the file means a scan without L3 — a
// legitimate negative case (e.g. a chest-only scan) — reported in `note`, since it may be a typo.
// Without a value, the file's only non-zero label is L3 (resolve_label_value).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "l3slice/core/image.h"

namespace l3 {

struct L3Truth {
  std::vector<uint8_t> flags;  // per canonical slice: 1 = contains the L3 label
  int value = 0;               // the label value used
  std::string note;            // why there is no L3, if so
};

// Reads the label file on the CT's grid (read_labels) and derives the per-slice truth.
L3Truth read_l3_truth(const std::filesystem::path& labels_path, std::optional<int> requested, const CtScan& ct);

}  // namespace l3
