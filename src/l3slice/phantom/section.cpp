#include "l3slice/phantom/section.h"

namespace l3::phantom_detail {

Section::Section(int n, double pixel_mm, double y_offset_mm)
    : tissue(std::size_t(n) * n),
      hu(std::size_t(n) * n),
      vertebra(std::size_t(n) * n),
      body(std::size_t(n) * n),
      n_(n),
      pixel_mm_(pixel_mm),
      y_offset_mm_(y_offset_mm),
      xs_(n),
      ys_(n),
      radius_(std::size_t(n) * n),
      angle_(std::size_t(n) * n),
      bin_(std::size_t(n) * n) {
  for (int i = 0; i < n; ++i) {
    xs_[i] = (i - 0.5 * (n - 1)) * pixel_mm;
    ys_[i] = (i - 0.5 * (n - 1)) * pixel_mm + y_offset_mm;
  }
  for_all([&](std::size_t p, double x, double y) {
    radius_[p] = static_cast<float>(std::hypot(x, y));
    angle_[p] = static_cast<float>(std::atan2(y, x));
    const int b = int((angle_[p] + M_PI) / (2.0 * M_PI) * angle_bins);
    bin_[p] = std::clamp(b, 0, angle_bins - 1);
  });
  clear();
}

void Section::clear() {
  std::fill(tissue.begin(), tissue.end(), static_cast<uint8_t>(Tissue::air));
  std::fill(hu.begin(), hu.end(), -1000.0f);
  std::fill(vertebra.begin(), vertebra.end(), 0);
  std::fill(body.begin(), body.end(), 0);
}

}  // namespace l3::phantom_detail
