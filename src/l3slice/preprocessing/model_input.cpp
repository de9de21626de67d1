#include "l3slice/preprocessing/model_input.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "l3slice/core/error.h"

namespace l3 {

void check_model_input_options(const ModelInputOptions& options) {
  check_window(options.window);
  if (options.size < 1) throw UsageError(fmt::format("bad model input size {}", options.size));
  if (options.channels < 1 || options.channels % 2 == 0) {
    throw UsageError(fmt::format("bad channel count {}: need an odd number (1 = single slice, 3 = 2.5D)",
                                 options.channels));
  }
  if (!(options.neighbour_mm >= 0) || !std::isfinite(options.neighbour_mm)) {
    throw UsageError(fmt::format("bad neighbour distance {} mm", options.neighbour_mm));
  }
  if (!(options.fov_mm == 0 || (options.fov_mm >= 50 && options.fov_mm <= 2000))) {
    throw UsageError(fmt::format("bad input field of view {} mm: 0 (whole slice) or 50..2000 mm", options.fov_mm));
  }
}

int neighbour_step(const Grid& grid, const ModelInputOptions& options) {
  if (options.neighbour_mm <= 0) return 1;
  return std::max(1, int(std::lround(options.neighbour_mm / grid.spacing[2])));
}

std::vector<int> channel_slices(const Grid& grid, int z, const ModelInputOptions& options) {
  const int half = options.channels / 2, step = neighbour_step(grid, options), last = grid.size[2] - 1;
  std::vector<int> zs;
  for (int k = -half; k <= half; ++k) zs.push_back(std::clamp(z + k * step, 0, last));
  return zs;
}

Slice8 body_centred_square(const Slice8& windowed, double fov_mm) {
  double sx = 0, sy = 0;
  long n = 0;
  for (int y = 0; y < windowed.height; ++y)
    for (int x = 0; x < windowed.width; ++x)
      if (windowed.pixels[std::size_t(y) * windowed.width + x] > 0) { sx += x; sy += y; ++n; }
  const double cx = n ? sx / double(n) : 0.5 * (windowed.width - 1);
  const double cy = n ? sy / double(n) : 0.5 * (windowed.height - 1);
  Slice8 out;
  out.pixel_width_mm = windowed.pixel_width_mm;
  out.pixel_height_mm = windowed.pixel_height_mm;
  out.width = std::max(1, int(std::lround(fov_mm / windowed.pixel_width_mm)));
  out.height = std::max(1, int(std::lround(fov_mm / windowed.pixel_height_mm)));
  out.pixels.assign(std::size_t(out.width) * out.height, 0);
  const int x0 = int(std::lround(cx - 0.5 * (out.width - 1))), y0 = int(std::lround(cy - 0.5 * (out.height - 1)));
  for (int y = 0; y < out.height; ++y) {
    const int sy_ = y0 + y;
    if (sy_ < 0 || sy_ >= windowed.height) continue;
    for (int x = 0; x < out.width; ++x) {
      const int sx_ = x0 + x;
      if (sx_ >= 0 && sx_ < windowed.width)
        out.pixels[std::size_t(y) * out.width + x] = windowed.pixels[std::size_t(sy_) * windowed.width + sx_];
    }
  }
  return out;
}

std::vector<uint8_t> prepared_slice(const HuImage& hu, int z, const ModelInputOptions& options) {
  Slice8 s;
  s.width = hu.grid.size[0];
  s.height = hu.grid.size[1];
  s.pixel_width_mm = hu.grid.spacing[0];
  s.pixel_height_mm = hu.grid.spacing[1];
  s.pixels = window_slice(hu, z, options.window);
  if (options.fov_mm > 0) s = body_centred_square(s, options.fov_mm);
  return resize_to_square(s, ResizeOptions{options.size, options.keep_aspect, 0});
}

std::vector<uint8_t> make_model_input(const CtScan& ct, int z, const ModelInputOptions& options) {
  check_model_input_options(options);
  const Grid& g = ct.hu.grid;
  if (z < 0 || z >= g.size[2]) throw UsageError(fmt::format("slice {} is outside the scan (0..{})", z, g.size[2] - 1));
  std::vector<uint8_t> out;
  out.reserve(std::size_t(options.channels) * options.size * options.size);
  for (int zc : channel_slices(g, z, options)) {
    const auto s = prepared_slice(ct.hu, zc, options);
    out.insert(out.end(), s.begin(), s.end());
  }
  return out;
}

PreparedScan::PreparedScan(const CtScan& ct, const ModelInputOptions& options)
    : grid_(ct.hu.grid), options_(options) {
  check_model_input_options(options);
  slices_.reserve(std::size_t(grid_.size[2]));
  for (int z = 0; z < grid_.size[2]; ++z) slices_.push_back(prepared_slice(ct.hu, z, options));
}

std::vector<uint8_t> PreparedScan::model_input(int z) const {
  if (z < 0 || z >= slice_count()) throw UsageError(fmt::format("slice {} is outside the scan (0..{})", z, slice_count() - 1));
  std::vector<uint8_t> out;
  out.reserve(std::size_t(options_.channels) * options_.size * options_.size);
  for (int zc : channel_slices(grid_, z, options_)) out.insert(out.end(), slices_[zc].begin(), slices_[zc].end());
  return out;
}

}  // namespace l3
