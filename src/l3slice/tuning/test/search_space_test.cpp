#include "l3slice/tuning/search_space.h"

#include <cmath>
#include <random>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "l3slice/core/error.h"
#include "l3slice/tuning/random.h"

namespace l3 {
namespace {

TEST(SearchSpace, StandardSpaceMapsScalesToTheUnitCube) {
  const SearchSpace space = SearchSpace::standard(true);
  ASSERT_EQ(space.dimension(), 3);
  // Midpoints: r (log1p over [0, 10]) -> sqrt(11) - 1; w (log over [1, 50]) -> sqrt(50);
  // lr (log over [1e-4, 1e-2]) -> 1e-3.
  const ParamValues mid = space.from_unit({0.5, 0.5, 0.5});
  EXPECT_NEAR(mid[0], std::sqrt(11.0) - 1.0, 1e-12);
  EXPECT_NEAR(mid[1], std::sqrt(50.0), 1e-12);
  EXPECT_NEAR(mid[2], 1e-3, 1e-15);
  EXPECT_EQ(space.from_unit({0, 0, 0}), (ParamValues{0.0, 1.0, 1e-4}));
  EXPECT_EQ(space.from_unit({1, 1, 1}), (ParamValues{10.0, 50.0, 1e-2}));
  for (double u : {0.0, 0.13, 0.5, 0.77, 1.0}) {
    const std::vector<double> back = space.to_unit(space.from_unit({u, u, u}));
    for (double b : back) EXPECT_NEAR(b, u, 1e-12);
  }
  // Out of range values are clamped.
  EXPECT_EQ(space.to_unit({-3.0, 100.0, 1e-3})[0], 0.0);
  EXPECT_EQ(space.to_unit({-3.0, 100.0, 1e-3})[1], 1.0);
}

TEST(SearchSpace, RejectsBadRanges) {
  EXPECT_THROW(SearchSpace({{"w", 0.0, 50.0, Scale::log}}), UsageError);
  EXPECT_THROW(SearchSpace({{"w", 5.0, 5.0, Scale::linear}}), UsageError);
  EXPECT_THROW(SearchSpace({{"a", 0, 1, Scale::linear}, {"a", 0, 2, Scale::linear}}), UsageError);
  EXPECT_THROW(SearchSpace(std::vector<Parameter>{}), UsageError);
  EXPECT_THROW(scale_from_string("log2"), UsageError);
}

TEST(SearchSpace, JsonRoundTripAndNames) {
  const SearchSpace space = SearchSpace::standard(false);
  const nlohmann::json j = space;
  EXPECT_EQ(j.get<SearchSpace>(), space);
  EXPECT_EQ(space.from_named({{"r", 2.0}, {"w", 3.0}}), (ParamValues{2.0, 3.0}));
  EXPECT_THROW(space.from_named({{"r", 2.0}}), UsageError);
  EXPECT_THROW(space.from_named({{"r", 2.0}, {"w", 3.0}, {"x", 1.0}}), UsageError);
  EXPECT_NE(space, SearchSpace::standard(true));
}

TEST(LatinHypercube, EachStratumHoldsOnePointPerDimension) {
  std::mt19937_64 rng(42);
  const int n = 7, d = 3;
  const auto points = latin_hypercube(n, d, rng);
  ASSERT_EQ(points.size(), std::size_t(n));
  for (int j = 0; j < d; ++j) {
    std::set<int> strata;
    for (const auto& p : points) strata.insert(int(std::floor(p[std::size_t(j)] * n)));
    EXPECT_EQ(strata.size(), std::size_t(n)) << "dimension " << j;
  }
  std::mt19937_64 same(42);
  EXPECT_EQ(latin_hypercube(n, d, same), points);
}

}  // namespace
}  // namespace l3
