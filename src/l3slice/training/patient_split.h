#pragma once
// Train/validation split by patient, never by slice: every slice of a case goes to the same side,
// and cases sharing a case id (several scans of one patient) stay together.
#include <cstdint>
#include <string>
#include <vector>

namespace l3 {

struct PatientSplit {
  std::vector<int> train;       // case indices, ascending
  std::vector<int> validation;  // case indices, ascending
};

// A random fraction of the patients (rounded, at least one when fraction > 0) for validation.
// Deterministic for a given seed and set of case ids (their order does not matter).
// fraction 0 puts everything in train. Throws UsageError if train would be empty.
PatientSplit split_by_fraction(const std::vector<std::string>& case_ids, double validation_fraction,
                               uint64_t seed);

// K-fold cross-validation: patients shuffled once by the seed and dealt into `folds` groups;
// fold `fold` (0-based) is the validation set. Over all folds every case is validated exactly once.
PatientSplit split_k_fold(const std::vector<std::string>& case_ids, int fold, int folds, uint64_t seed);

}  // namespace l3
