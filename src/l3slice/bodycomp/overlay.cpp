#include "l3slice/bodycomp/overlay.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace l3 {
namespace {

std::array<uint8_t, 3> tint(BodyLabel label, bool& tinted) {
  tinted = true;
  switch (label) {
    case BodyLabel::muscle: return {230, 40, 40};
    case BodyLabel::subcutaneous_fat: return {250, 215, 40};
    case BodyLabel::visceral_fat: return {40, 200, 80};
    case BodyLabel::intermuscular_fat: return {30, 200, 235};
    case BodyLabel::bone: return {110, 120, 200};
    default: tinted = false; return {0, 0, 0};
  }
}

}  // namespace

PngImage body_composition_overlay(const HuImage& slice, const MaskImage& labels, const OverlayOptions& o) {
  const Grid& g = slice.grid;
  // Output pixel size: the finer spacing, halved until the picture is wide enough.
  double out_mm = std::min(g.spacing[0], g.spacing[1]);
  while (g.size[0] * g.spacing[0] / out_mm < o.min_width && out_mm > 0.05) out_mm /= 2;
  PngImage png;
  png.width = std::max(1, int(std::lround(g.size[0] * g.spacing[0] / out_mm)));
  png.height = std::max(1, int(std::lround(g.size[1] * g.spacing[1] / out_mm)));
  png.channels = 3;
  png.pixels.resize(std::size_t(png.width) * png.height * 3);
  const double scale = 255.0 / (o.window_high - o.window_low);
  for (int row = 0; row < png.height; ++row) {
    const int y = std::min(g.size[1] - 1, int((row + 0.5) * out_mm / g.spacing[1]));
    for (int col = 0; col < png.width; ++col) {
      // Canonical columns already run patient right -> left: radiological view as they are.
      const int x = std::min(g.size[0] - 1, int((col + 0.5) * out_mm / g.spacing[0]));
      const double grey = std::clamp((slice.at(x, y, 0) - o.window_low) * scale, 0.0, 255.0);
      bool tinted = false;
      const auto colour = tint(BodyLabel(labels.at(x, y, 0)), tinted);
      uint8_t* px = &png.pixels[(std::size_t(row) * png.width + col) * 3];
      for (int c = 0; c < 3; ++c) {
        const double v = tinted ? (1 - o.opacity) * grey + o.opacity * colour[c] : grey;
        px[c] = uint8_t(std::lround(v));
      }
    }
  }
  return png;
}

void write_body_composition_png(const std::filesystem::path& path, const SliceMeasurement& m, const OverlayOptions& o) {
  write_png(path, body_composition_overlay(m.slice, m.labels, o));
}

}  // namespace l3
