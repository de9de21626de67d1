#include "l3slice/training/patient_split.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <random>

#include "l3slice/core/error.h"
#include "l3slice/training/random.h"

namespace l3 {
namespace {

// Distinct patient ids in a seed-determined order (sorted first, so input order does not matter).
std::vector<std::string> shuffled_patients(const std::vector<std::string>& case_ids, uint64_t seed) {
  std::vector<std::string> ids = case_ids;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::mt19937_64 rng(derive_seed(seed, SeedStream::split));
  portable_shuffle(ids, rng);
  return ids;
}

PatientSplit assign(const std::vector<std::string>& case_ids, const std::set<std::string>& validation_ids) {
  PatientSplit split;
  for (int i = 0; i < static_cast<int>(case_ids.size()); ++i) {
    (validation_ids.count(case_ids[i]) ? split.validation : split.train).push_back(i);
  }
  if (split.train.empty()) throw UsageError("the split leaves no cases for training");
  return split;
}

}  // namespace

PatientSplit split_by_fraction(const std::vector<std::string>& case_ids, double validation_fraction,
                               uint64_t seed) {
  if (!(validation_fraction >= 0.0 && validation_fraction < 1.0))
    throw UsageError("validation fraction must be in [0, 1)");
  const auto patients = shuffled_patients(case_ids, seed);
  size_t n_val = static_cast<size_t>(std::lround(validation_fraction * patients.size()));
  if (validation_fraction > 0 && n_val == 0) n_val = 1;
  if (n_val >= patients.size())
    throw UsageError("validation fraction leaves no patients for training (" + std::to_string(patients.size()) +
                     " patients)");
  return assign(case_ids, std::set<std::string>(patients.begin(), patients.begin() + n_val));
}

PatientSplit split_k_fold(const std::vector<std::string>& case_ids, int fold, int folds, uint64_t seed) {
  if (folds < 2) throw UsageError("k-fold needs at least 2 folds");
  if (fold < 0 || fold >= folds) throw UsageError("fold must be between 1 and the number of folds");
  const auto patients = shuffled_patients(case_ids, seed);
  if (static_cast<int>(patients.size()) < folds)
    throw UsageError(std::to_string(folds) + " folds need at least as many patients (have " +
                     std::to_string(patients.size()) + ")");
  std::set<std::string> val;
  for (size_t p = 0; p < patients.size(); ++p)
    if (static_cast<int>(p % folds) == fold) val.insert(patients[p]);
  return assign(case_ids, val);
}

}  // namespace l3
