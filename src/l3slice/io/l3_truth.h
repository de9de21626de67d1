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

// Reads the label file on the CT's grid (read_labels) and derives the per-slice truth. Throws
// InputError naming the label file when the label's slices have gaps (a stray voxel away from the
// vertebra would stretch the run and move its middle).
L3Truth read_l3_truth(const std::filesystem::path& labels_path, std::optional<int> requested, const CtScan& ct);

// What "L3" means for a model trained on these label values: "slices containing label 22 of the
// manifest's label files" (recorded in model files, compared by evaluate).
std::string label_truth_definition(std::vector<int> values);

// Checks a whole cohort's truth before it is used: a label value that occurs in no case, or L3
// missing in more than half of the cases that have a label file, is almost always a wrong label
// value (e.g. 29 on files that use 22), so both are errors naming the manifest. A scan meant to
// have no L3 says so with an empty labels cell (counted as an explicit negative, not as missing).
class CohortTruthCheck {
 public:
  void add(const L3Truth& truth);  // a case with a label file
  void add_explicit_negative() { ++explicit_negatives_; }
  void finish(const std::filesystem::path& manifest) const;
  std::string truth_definition() const { return label_truth_definition(values_); }

 private:
  int labelled_ = 0, without_l3_ = 0, explicit_negatives_ = 0;
  std::vector<int> values_;
};

}  // namespace l3
