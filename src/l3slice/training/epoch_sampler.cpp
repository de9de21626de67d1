#include "l3slice/training/epoch_sampler.h"

#include <cmath>
#include <random>

#include "l3slice/core/error.h"
#include "l3slice/training/random.h"

namespace l3 {

std::vector<EpochItem> epoch_plan(const std::vector<int64_t>& train_slices, const std::vector<uint8_t>& is_l3,
                                  double oversample, uint64_t seed, int epoch) {
  if (!(oversample >= 0.0 && oversample <= 1000.0)) throw UsageError("oversampling ratio must be in [0, 1000]");
  std::mt19937_64 rng(derive_seed(seed, SeedStream::epoch_order, static_cast<uint64_t>(epoch)));
  const int whole = static_cast<int>(std::floor(oversample));
  const double fraction = oversample - whole;
  std::vector<EpochItem> items;
  items.reserve(train_slices.size());
  for (const int64_t s : train_slices) {
    items.push_back({s, false});
    if (!is_l3.at(static_cast<size_t>(s))) continue;
    const int copies = whole + (fraction > 0 && uniform01(rng) < fraction ? 1 : 0);
    for (int c = 0; c < copies; ++c) items.push_back({s, true});
  }
  portable_shuffle(items, rng);
  return items;
}

}  // namespace l3
