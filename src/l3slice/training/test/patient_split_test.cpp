#include "l3slice/training/patient_split.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "l3slice/core/error.h"

namespace l3 {
namespace {

std::vector<std::string> ids(int n) {
  std::vector<std::string> v;
  for (int i = 0; i < n; ++i) v.push_back("case" + std::to_string(i));
  return v;
}

std::set<std::string> patients(const std::vector<std::string>& case_ids, const std::vector<int>& cases) {
  std::set<std::string> s;
  for (int c : cases) s.insert(case_ids[size_t(c)]);
  return s;
}

TEST(PatientSplit, FractionHasNoLeakageAndCoversAllCases) {
  // Several scans of one patient share a case id: they must land on the same side.
  auto case_ids = ids(30);
  case_ids.push_back("case3");
  case_ids.push_back("case3");
  case_ids.push_back("case17");
  const auto split = split_by_fraction(case_ids, 0.2, 7);
  const auto train = patients(case_ids, split.train), val = patients(case_ids, split.validation);
  for (const auto& p : val) EXPECT_EQ(train.count(p), 0u) << p << " is in both train and validation";
  EXPECT_EQ(split.train.size() + split.validation.size(), case_ids.size());
  EXPECT_EQ(val.size(), 6u);  // 20 % of 30 patients
  std::vector<int> all = split.train;
  all.insert(all.end(), split.validation.begin(), split.validation.end());
  std::sort(all.begin(), all.end());
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], int(i));
}

TEST(PatientSplit, DeterministicForSeedAndIndependentOfOrder) {
  const auto a = split_by_fraction(ids(40), 0.25, 3), b = split_by_fraction(ids(40), 0.25, 3);
  EXPECT_EQ(a.validation, b.validation);
  const auto c = split_by_fraction(ids(40), 0.25, 4);
  EXPECT_NE(a.validation, c.validation);
  auto reversed = ids(40);
  std::reverse(reversed.begin(), reversed.end());
  const auto r = split_by_fraction(reversed, 0.25, 3);
  EXPECT_EQ(patients(reversed, r.validation), patients(ids(40), a.validation));
}

TEST(PatientSplit, KFoldValidatesEveryPatientExactlyOnce) {
  auto case_ids = ids(23);
  case_ids.push_back("case5");  // a second scan of case5
  std::map<std::string, int> validated;
  for (int fold = 0; fold < 5; ++fold) {
    const auto split = split_k_fold(case_ids, fold, 5, 11);
    const auto train = patients(case_ids, split.train), val = patients(case_ids, split.validation);
    for (const auto& p : val) {
      EXPECT_EQ(train.count(p), 0u) << p;
      ++validated[p];
    }
    EXPECT_GE(val.size(), 4u);
    EXPECT_LE(val.size(), 5u);
  }
  EXPECT_EQ(validated.size(), 23u);
  for (const auto& [p, n] : validated) EXPECT_EQ(n, 1) << p;
}

TEST(PatientSplit, RejectsImpossibleSplits) {
  EXPECT_THROW(split_by_fraction(ids(1), 0.5, 1), UsageError);
  EXPECT_THROW(split_by_fraction(ids(10), 1.0, 1), UsageError);
  EXPECT_THROW(split_k_fold(ids(3), 0, 5, 1), UsageError);
  EXPECT_THROW(split_k_fold(ids(10), 5, 5, 1), UsageError);
  const auto none = split_by_fraction(ids(10), 0.0, 1);
  EXPECT_TRUE(none.validation.empty());
  EXPECT_EQ(none.train.size(), 10u);
  EXPECT_EQ(split_by_fraction(ids(10), 0.01, 1).validation.size(), 1u);  // at least one
}

}  // namespace
}  // namespace l3
