#include "l3slice/preprocessing/resize.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "l3slice/core/error.h"

namespace l3 {
namespace {

// Weights of input pixels [first, first + weights.size()) for one output pixel.
struct Taps {
  int first = 0;
  std::vector<float> weights;
};

// 1-D resampling kernel from n_in to n_out samples, pixel i covering [i, i+1) on each side.
std::vector<Taps> make_taps(int n_in, int n_out) {
  std::vector<Taps> taps(n_out);
  const double scale = double(n_in) / n_out;  // input pixels per output pixel
  for (int o = 0; o < n_out; ++o) {
    Taps& t = taps[o];
    if (scale >= 1.0) {
      // Area average: overlap of input pixel [j, j+1) with the footprint [a, b).
      const double a = o * scale, b = (o + 1) * scale;
      const int j0 = int(std::floor(a));
      const int j1 = std::min(n_in - 1, int(std::ceil(b)) - 1);
      t.first = j0;
      for (int j = j0; j <= j1; ++j) {
        const double overlap = std::min<double>(b, j + 1) - std::max<double>(a, j);
        t.weights.push_back(float(std::max(0.0, overlap) / scale));
      }
    } else {
      // Linear interpolation at the output pixel centre, clamped to the edge pixels.
      const double c = std::clamp((o + 0.5) * scale - 0.5, 0.0, double(n_in - 1));
      const int j0 = std::min(int(std::floor(c)), n_in - 1);
      const double f = c - j0;
      t.first = j0;
      t.weights.push_back(float(1.0 - f));
      if (j0 + 1 < n_in) t.weights.push_back(float(f));
    }
  }
  return taps;
}

uint8_t to_u8(float v) { return static_cast<uint8_t>(std::clamp(v + 0.5f, 0.0f, 255.0f)); }

}  // namespace

std::vector<uint8_t> resample(const uint8_t* pixels, int width, int height, int out_width, int out_height) {
  if (width < 1 || height < 1 || out_width < 1 || out_height < 1) {
    throw UsageError(fmt::format("cannot resample {}x{} to {}x{}", width, height, out_width, out_height));
  }
  const auto tx = make_taps(width, out_width);
  const auto ty = make_taps(height, out_height);
  // Horizontal pass into float rows, then vertical pass; one rounding at the end.
  std::vector<float> rows(std::size_t(height) * out_width);
  for (int y = 0; y < height; ++y) {
    const uint8_t* in = pixels + std::size_t(y) * width;
    float* out = rows.data() + std::size_t(y) * out_width;
    for (int o = 0; o < out_width; ++o) {
      float s = 0;
      const Taps& t = tx[o];
      for (std::size_t k = 0; k < t.weights.size(); ++k) s += t.weights[k] * in[t.first + k];
      out[o] = s;
    }
  }
  std::vector<uint8_t> result(std::size_t(out_height) * out_width);
  std::vector<float> acc(out_width);
  for (int o = 0; o < out_height; ++o) {
    std::fill(acc.begin(), acc.end(), 0.0f);
    const Taps& t = ty[o];
    for (std::size_t k = 0; k < t.weights.size(); ++k) {
      const float w = t.weights[k];
      const float* row = rows.data() + std::size_t(t.first + k) * out_width;
      for (int x = 0; x < out_width; ++x) acc[x] += w * row[x];
    }
    uint8_t* out = result.data() + std::size_t(o) * out_width;
    for (int x = 0; x < out_width; ++x) out[x] = to_u8(acc[x]);
  }
  return result;
}

ResizeLayout resize_layout(const Slice8& slice, const ResizeOptions& options) {
  ResizeLayout l{0, 0, options.size, options.size};
  if (!options.keep_aspect) return l;
  const double w_mm = slice.width * slice.pixel_width_mm, h_mm = slice.height * slice.pixel_height_mm;
  const double px_per_mm = options.size / std::max(w_mm, h_mm);
  l.width = std::clamp(int(std::lround(w_mm * px_per_mm)), 1, options.size);
  l.height = std::clamp(int(std::lround(h_mm * px_per_mm)), 1, options.size);
  l.x0 = (options.size - l.width) / 2;
  l.y0 = (options.size - l.height) / 2;
  return l;
}

std::vector<uint8_t> resize_to_square(const Slice8& slice, const ResizeOptions& options) {
  if (options.size < 1) throw UsageError(fmt::format("bad model input size {}", options.size));
  if (slice.width < 1 || slice.height < 1 || slice.pixels.size() != std::size_t(slice.width) * slice.height) {
    throw UsageError(fmt::format("bad slice: {}x{} with {} pixels", slice.width, slice.height, slice.pixels.size()));
  }
  if (!(slice.pixel_width_mm > 0) || !(slice.pixel_height_mm > 0)) {
    throw UsageError(fmt::format("bad pixel spacing {} x {} mm", slice.pixel_width_mm, slice.pixel_height_mm));
  }
  const ResizeLayout l = resize_layout(slice, options);
  const auto content = resample(slice.pixels.data(), slice.width, slice.height, l.width, l.height);
  if (l.width == options.size && l.height == options.size) return content;
  std::vector<uint8_t> out(std::size_t(options.size) * options.size, options.pad_value);
  for (int y = 0; y < l.height; ++y) {
    std::copy_n(content.data() + std::size_t(y) * l.width, l.width,
                out.data() + std::size_t(y + l.y0) * options.size + l.x0);
  }
  return out;
}

}  // namespace l3
