#include "l3slice/io/hu_check.h"

#include <algorithm>

#include <fmt/format.h>

namespace l3 {
namespace {

// Shares of voxels in HU windows: every CT of a body has an air peak (outside it, lungs, bowel gas)
// or a fat peak; stored values without RescaleIntercept -1024 move both up by 1024.
struct Peaks {
  double air = 0, fat = 0, fat_if_stored = 0;  // fraction of voxels
};

constexpr int kStoredOffset = 1024;
constexpr int kAirMax = -900, kFatMin = -200, kFatMax = -30;
constexpr double kPresent = 0.01;  // a peak holds at least 1 % of the voxels

Peaks peaks_of(const HuImage& hu) {
  std::size_t air = 0, fat = 0, fat_if_stored = 0;
  for (const int v : hu.voxels) {
    air += v <= kAirMax;
    fat += v >= kFatMin && v <= kFatMax;
    fat_if_stored += v >= kFatMin + kStoredOffset && v <= kFatMax + kStoredOffset;
  }
  const double n = double(std::max<std::size_t>(1, hu.voxels.size()));
  return {double(air) / n, double(fat) / n, double(fat_if_stored) / n};
}

}  // namespace

std::optional<std::string> not_hu_warning(const HuImage& hu) {
  const Peaks p = peaks_of(hu);
  // A cropped or bone-only scan may lack both peaks; only the shifted fat peak says "not HU".
  if (p.air >= kPresent || p.fat >= kPresent || p.fat_if_stored < kPresent) return std::nullopt;
  const auto [low, high] = std::minmax_element(hu.voxels.begin(), hu.voxels.end());
  return fmt::format("values {}..{} look like stored values, not HU: no air (<= {} HU) or fat ({}..{} HU) peak, "
                     "but {:.0f} % of voxels where fat is {} higher (RescaleIntercept -{} missing?); "
                     "convert the file to HU first, or measurements will be wrong",
                     *low, *high, kAirMax, kFatMin, kFatMax, 100 * p.fat_if_stored, kStoredOffset, kStoredOffset);
}

}  // namespace l3
