#include "l3slice/training/training_batch.h"

#include <cstring>

namespace l3 {

TrainingBatch make_training_batch(const SliceDataset& data, const std::vector<EpochItem>& plan, std::size_t begin,
                                  std::size_t end, const AugmentationOptions& augmentation, uint64_t seed) {
  const int64_t n = int64_t(end - begin), bytes = data.slice_bytes();
  auto images = torch::empty({n, data.input().channels, data.input().size, data.input().size}, torch::kUInt8);
  auto targets = torch::empty({n}, torch::kLong);
  std::vector<bool> augment(static_cast<std::size_t>(n));
  uint8_t* dst = images.data_ptr<uint8_t>();
  int64_t* t = targets.data_ptr<int64_t>();
  for (int64_t i = 0; i < n; ++i) {
    const EpochItem& item = plan.at(begin + std::size_t(i));
    std::memcpy(dst + i * bytes, data.slice(item.slice), std::size_t(bytes));
    t[i] = data.labels()[std::size_t(item.slice)];
    augment[std::size_t(i)] = item.augmented || augmentation.originals;
  }
  return {augment_rows(images, augment, augmentation, seed), targets};
}

}  // namespace l3
