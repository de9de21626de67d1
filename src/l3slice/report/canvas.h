#pragma once
// A small RGB raster for QC pictures: gray images, translucent bands, lines and curves.
// Written by hand because the need is tiny (no text, no anti-aliasing) and a drawing library
// would be a large dependency for it.
#include <array>
#include <cstdint>
#include <vector>

namespace l3 {

using Rgb = std::array<uint8_t, 3>;

namespace colors {
inline constexpr Rgb black{0, 0, 0}, white{255, 255, 255}, gray{128, 128, 128};
inline constexpr Rgb red{230, 40, 40}, green{40, 200, 80}, blue{60, 120, 255}, yellow{250, 210, 40};
}  // namespace colors

class Canvas {
 public:
  Canvas(int width, int height, Rgb background = colors::black);

  int width() const { return width_; }
  int height() const { return height_; }
  const std::vector<uint8_t>& rgb() const { return rgb_; }  // row-major, 3 bytes a pixel
  Rgb at(int x, int y) const;

  // Pixels outside the canvas are ignored by every drawing call.
  void set(int x, int y, Rgb color);
  void blend(int x, int y, Rgb color, double alpha);
  void fill_rect(int x0, int y0, int w, int h, Rgb color, double alpha = 1.0);
  void line(int x0, int y0, int x1, int y1, Rgb color);
  // A gray image (row-major, w x h) placed with its top-left at (x0, y0).
  void draw_gray(const std::vector<uint8_t>& pixels, int w, int h, int x0, int y0);

 private:
  int width_, height_;
  std::vector<uint8_t> rgb_;
};

}  // namespace l3
