#include "l3slice/report/canvas.h"

#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace l3 {

Canvas::Canvas(int width, int height, Rgb background) : width_(width), height_(height) {
  if (width <= 0 || height <= 0) throw std::invalid_argument("canvas size must be positive");
  rgb_.resize(std::size_t(width) * height * 3);
  for (std::size_t i = 0; i < rgb_.size(); i += 3)
    for (int c = 0; c < 3; ++c) rgb_[i + c] = background[c];
}

Rgb Canvas::at(int x, int y) const {
  const std::size_t i = (std::size_t(y) * width_ + x) * 3;
  return {rgb_[i], rgb_[i + 1], rgb_[i + 2]};
}

void Canvas::set(int x, int y, Rgb color) { blend(x, y, color, 1.0); }

void Canvas::blend(int x, int y, Rgb color, double alpha) {
  if (x < 0 || y < 0 || x >= width_ || y >= height_) return;
  const std::size_t i = (std::size_t(y) * width_ + x) * 3;
  for (int c = 0; c < 3; ++c)
    rgb_[i + c] = static_cast<uint8_t>(std::lround(rgb_[i + c] * (1.0 - alpha) + color[c] * alpha));
}

void Canvas::fill_rect(int x0, int y0, int w, int h, Rgb color, double alpha) {
  for (int y = y0; y < y0 + h; ++y)
    for (int x = x0; x < x0 + w; ++x) blend(x, y, color, alpha);
}

void Canvas::line(int x0, int y0, int x1, int y1, Rgb color) {
  // Bresenham.
  const int dx = std::abs(x1 - x0), dy = -std::abs(y1 - y0);
  const int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
  for (int err = dx + dy;;) {
    set(x0, y0, color);
    if (x0 == x1 && y0 == y1) break;
    const int e2 = 2 * err;
    if (e2 >= dy) { err += dy; x0 += sx; }
    if (e2 <= dx) { err += dx; y0 += sy; }
  }
}

void Canvas::draw_gray(const std::vector<uint8_t>& pixels, int w, int h, int x0, int y0) {
  if (pixels.size() != std::size_t(w) * h) throw std::invalid_argument("gray image size mismatch");
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const uint8_t g = pixels[std::size_t(y) * w + x];
      set(x0 + x, y0 + y, {g, g, g});
    }
}

}  // namespace l3
