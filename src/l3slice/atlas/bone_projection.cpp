#include "l3slice/atlas/bone_projection.h"

#include <algorithm>
#include <cmath>

namespace l3 {
namespace {

// Resamples `n_in` samples spaced `in_step` apart onto `n_out` samples spaced `out_step` apart
// (both starting at 0): the mean of the inputs within half an output step when downsampling,
// linear interpolation when upsampling. Returns weights as (index, weight) lists per output.
struct Tap {
  int index;
  float weight;
};
std::vector<std::vector<Tap>> resampling_taps(int n_in, double in_step, int n_out, double out_step) {
  std::vector<std::vector<Tap>> taps(static_cast<std::size_t>(n_out));
  for (int o = 0; o < n_out; ++o) {
    const double centre = o * out_step;
    auto& t = taps[std::size_t(o)];
    if (in_step < out_step) {
      const int lo = std::max(0, int(std::ceil((centre - out_step / 2) / in_step - 1e-9)));
      const int hi = std::min(n_in - 1, int(std::floor((centre + out_step / 2) / in_step - 1e-9)));
      for (int i = lo; i <= hi; ++i) t.push_back({i, 1.0f / float(hi - lo + 1)});
    }
    if (t.empty()) {
      const double f = std::clamp(centre / in_step, 0.0, double(n_in - 1));
      const int i0 = std::min(int(f), std::max(0, n_in - 2));
      const float w = float(f - i0);
      t.push_back({i0, 1.0f - w});
      if (n_in > 1) t.push_back({i0 + 1, w});
    }
  }
  return taps;
}

}  // namespace

BoneProjection coronal_bone_projection(const HuImage& hu, const BoneProjectionOptions& options) {
  const Grid& g = hu.grid;
  const int nx = g.size[0], ny = g.size[1], nz = g.size[2];
  // Native projection: thickness per (z, x).
  std::vector<float> native(std::size_t(nz) * nx, 0.0f);
  const auto threshold = static_cast<int16_t>(std::lround(options.threshold_hu));
  for (int z = 0; z < nz; ++z) {
    const int16_t* s = hu.slice(z);
    float* row = native.data() + std::size_t(z) * nx;
    for (int y = 0; y < ny; ++y)
      for (int x = 0; x < nx; ++x) row[x] += s[std::size_t(y) * nx + x] >= threshold ? 1.0f : 0.0f;
    for (int x = 0; x < nx; ++x) row[x] *= float(g.spacing[1]);
  }
  // Midline: the bone-weighted mean column (spine and pelvis are symmetric about it).
  double sum = 0.0, weighted = 0.0;
  for (int z = 0; z < nz; ++z)
    for (int x = 0; x < nx; ++x) {
      sum += native[std::size_t(z) * nx + x];
      weighted += native[std::size_t(z) * nx + x] * x;
    }
  const double mid_x_mm = (sum > 0 ? weighted / sum : (nx - 1) / 2.0) * g.spacing[0];

  BoneProjection p;
  p.step_mm = options.step_mm;
  p.rows = std::max(1, int(std::floor((nz - 1) * g.spacing[2] / p.step_mm + 1e-9)) + 1);
  const int half = int(std::ceil(options.half_width_mm / p.step_mm));
  p.cols = 2 * half + 1;
  p.centre_col = half;
  p.midline_x_mm = mid_x_mm;
  p.mm.assign(std::size_t(p.rows) * p.cols, 0.0f);
  // Output column c is at x_mm = mid_x_mm + (c - half) * step in the scan; resample in x with taps
  // on a grid offset to that origin.
  const auto ztaps = resampling_taps(nz, g.spacing[2], p.rows, p.step_mm);
  std::vector<float> xrow(std::size_t(p.cols));
  for (int r = 0; r < p.rows; ++r) {
    for (int c = 0; c < p.cols; ++c) {
      const double x_mm = mid_x_mm + (c - half) * p.step_mm;
      const double lo = x_mm - p.step_mm / 2, hi = x_mm + p.step_mm / 2;
      const int x0 = std::max(0, int(std::ceil(lo / g.spacing[0] - 1e-9)));
      const int x1 = std::min(nx - 1, int(std::floor(hi / g.spacing[0] - 1e-9)));
      double v = 0.0;
      int n = 0;
      for (const Tap& t : ztaps[std::size_t(r)]) {
        const float* src = native.data() + std::size_t(t.index) * nx;
        if (x1 >= x0) {
          double m = 0.0;
          for (int x = x0; x <= x1; ++x) m += src[x];
          v += t.weight * m / (x1 - x0 + 1);
          n = 1;
        } else {
          const double f = x_mm / g.spacing[0];
          if (f < 0 || f > nx - 1) continue;
          const int i0 = std::min(int(f), nx - 2);
          const double w = f - i0;
          v += t.weight * ((1 - w) * src[i0] + w * src[std::min(i0 + 1, nx - 1)]);
          n = 1;
        }
      }
      p.mm[std::size_t(r) * p.cols + c] = n ? float(v) : 0.0f;
    }
  }
  return p;
}

BoneProjection halve(const BoneProjection& p) {
  BoneProjection h;
  h.step_mm = p.step_mm * 2;
  h.rows = (p.rows + 1) / 2;
  h.cols = (p.cols + 1) / 2;
  h.centre_col = (p.centre_col - 0.5) / 2;  // coarse column c covers fine columns 2c and 2c + 1
  h.z0_mm = p.z0_mm + p.step_mm / 2;
  h.midline_x_mm = p.midline_x_mm;
  h.mm.assign(std::size_t(h.rows) * h.cols, 0.0f);
  for (int r = 0; r < h.rows; ++r)
    for (int c = 0; c < h.cols; ++c) {
      float s = 0;
      int n = 0;
      for (int dr = 0; dr < 2; ++dr)
        for (int dc = 0; dc < 2; ++dc) {
          const int rr = 2 * r + dr, cc = 2 * c + dc;
          if (rr < p.rows && cc < p.cols) {
            s += p.at(rr, cc);
            ++n;
          }
        }
      h.mm[std::size_t(r) * h.cols + c] = s / float(n);
    }
  return h;
}

}  // namespace l3
