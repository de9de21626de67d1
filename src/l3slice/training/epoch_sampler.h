#pragma once
// What one training epoch visits: every training slice once, as it is, plus the paper's
// oversampling of the rare class - each L3 slice `r` extra times as a randomly augmented copy.
// The copies are always augmented; whether the originals are too is AugmentationOptions::originals.
#include <cstdint>
#include <vector>

namespace l3 {

struct EpochItem {
  int64_t slice = 0;       // index into the dataset's slices
  bool augmented = false;  // an oversampled copy, to be augmented
  bool operator==(const EpochItem& o) const { return slice == o.slice && augmented == o.augmented; }
};

// The epoch's items in random order. Fractional r: floor(r) copies of each L3 slice plus one more
// with probability frac(r). Deterministic for (seed, epoch), so a resumed run needs only the epoch.
// `is_l3` is indexed by dataset slice; `train_slices` lists the slices of the training cases.
std::vector<EpochItem> epoch_plan(const std::vector<int64_t>& train_slices, const std::vector<uint8_t>& is_l3,
                                  double oversample, uint64_t seed, int epoch);

}  // namespace l3
