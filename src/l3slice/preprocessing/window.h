#pragma once
// The published preprocessing: HU -> window [low, high] -> 8-bit.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "l3slice/core/image.h"

namespace l3 {

struct Window {
  double low = -200.0;   // HU mapped to 0
  double high = 1500.0;  // HU mapped to 255
};

// Linear map, clamped, rounded to nearest: 0 at low, 255 at high.
uint8_t window_value(int16_t hu, const Window& window);
std::vector<uint8_t> window_slice(const HuImage& image, int z, const Window& window);

// Throws UsageError unless low < high and both are finite.
void check_window(const Window& window);
// Parses "LOW,HIGH" (e.g. "-200,1500"); throws UsageError naming the text if malformed.
Window parse_window(const std::string& text);
std::string format_window(const Window& window);  // "-200,1500"

}  // namespace l3
