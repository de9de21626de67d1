#include "l3slice/preprocessing/window.h"

#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "l3slice/core/error.h"

namespace l3 {
namespace {

// value = (hu - low) * 255 / (high - low), clamped to [0, 255] and rounded half up (values are
// >= 0 there). Multiplying before dividing keeps exact halves exact (e.g. 650 HU -> 127.5 -> 128).
struct WindowMap {
  double low;
  double width;
  explicit WindowMap(const Window& w) : low(w.low), width(w.high - w.low) {}
  uint8_t operator()(int16_t hu) const {
    const double v = (double(hu) - low) * 255.0 / width;
    if (!(v > 0.0)) return 0;
    if (v >= 255.0) return 255;
    return static_cast<uint8_t>(v + 0.5);
  }
};

}  // namespace

uint8_t window_value(int16_t hu, const Window& window) { return WindowMap(window)(hu); }

std::vector<uint8_t> window_slice(const HuImage& image, int z, const Window& window) {
  check_window(window);
  if (z < 0 || z >= image.grid.size[2]) {
    throw UsageError(fmt::format("slice {} is outside the scan (0..{})", z, image.grid.size[2] - 1));
  }
  const WindowMap map(window);
  const std::size_t n = image.grid.slice_voxels();
  const int16_t* hu = image.slice(z);
  std::vector<uint8_t> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = map(hu[i]);
  return out;
}

void check_window(const Window& window) {
  if (!std::isfinite(window.low) || !std::isfinite(window.high) || !(window.low < window.high)) {
    throw UsageError(fmt::format("bad window {},{}: need LOW < HIGH (HU)", window.low, window.high));
  }
}

Window parse_window(const std::string& text) {
  const auto comma = text.find(',');
  const auto bad = [&] { return UsageError("bad window '" + text + "': expected LOW,HIGH in HU, e.g. -200,1500"); };
  if (comma == std::string::npos) throw bad();
  const std::string a = text.substr(0, comma), b = text.substr(comma + 1);
  char* end_a = nullptr;
  char* end_b = nullptr;
  Window w;
  w.low = std::strtod(a.c_str(), &end_a);
  w.high = std::strtod(b.c_str(), &end_b);
  if (a.empty() || b.empty() || *end_a != '\0' || *end_b != '\0') throw bad();
  if (!std::isfinite(w.low) || !std::isfinite(w.high) || !(w.low < w.high)) throw bad();
  return w;
}

std::string format_window(const Window& window) { return fmt::format("{},{}", window.low, window.high); }

}  // namespace l3
