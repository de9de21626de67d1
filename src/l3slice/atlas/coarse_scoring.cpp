#include "l3slice/atlas/coarse_scoring.h"

#include <algorithm>
#include <cmath>

namespace l3 {

CoarseScorer::CoarseScorer(const BoneProjection& scan, const BoneProjection& atlas) : scan_(scan), atlas_(atlas) {
  const std::size_t stride = std::size_t(scan.cols) + 1;
  sum_.assign(std::size_t(scan.rows) * stride, 0.0);
  sum_sq_.assign(sum_.size(), 0.0);
  for (int r = 0; r < scan.rows; ++r)
    for (int c = 0; c < scan.cols; ++c) {
      const double a = scan.at(r, c);
      const std::size_t i = std::size_t(r) * stride + std::size_t(c);
      sum_[i + 1] = sum_[i] + a;
      sum_sq_[i + 1] = sum_sq_[i] + a * a;
    }
}

CoarseScorer::Resampled CoarseScorer::resample(const AtlasTransform& t) const {
  const auto cols = std::size_t(scan_.cols);
  Resampled r;
  r.values.assign(std::size_t(atlas_.rows) * cols, 0.0);
  r.first.assign(std::size_t(atlas_.rows), 0);
  r.end.assign(std::size_t(atlas_.rows), 0);
  for (int j = 0; j < atlas_.rows; ++j) {
    const double bend = t.x_offset(atlas_.z_mm(j)) / atlas_.step_mm;
    const float* a = atlas_.mm.data() + std::size_t(j) * std::size_t(atlas_.cols);
    double* out = r.values.data() + std::size_t(j) * cols;
    int first = scan_.cols, end = 0;
    for (int c = 0; c < scan_.cols; ++c) {
      // Increasing with c: the columns inside the atlas are one run.
      const double ac = (t.scale_x * scan_.x_mm(c) + t.shift_x_mm) / atlas_.step_mm + atlas_.centre_col + bend;
      if (ac < 0 || ac > atlas_.cols - 1) continue;
      const int c0 = std::min(int(ac), std::max(atlas_.cols - 2, 0));
      const double fc = ac - c0;
      out[c] = atlas_.cols > 1 ? (1 - fc) * a[c0] + fc * a[c0 + 1] : a[c0];
      first = std::min(first, c);
      end = c + 1;
    }
    r.first[std::size_t(j)] = first;
    r.end[std::size_t(j)] = std::max(first, end);
  }
  return r;
}

AtlasMatch CoarseScorer::score(const Resampled& rs, const AtlasTransform& t) const {
  const auto cols = std::size_t(scan_.cols), stride = cols + 1;
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  long n = 0;
  int rows_covered = 0;
  for (int r = 0; r < scan_.rows; ++r) {
    const double ar = (t.to_atlas_z(scan_.z_mm(r)) - atlas_.z0_mm) / atlas_.step_mm;
    if (ar < 0 || ar > atlas_.rows - 1) continue;
    const int r0 = std::min(int(ar), std::max(atlas_.rows - 2, 0)), r1 = std::min(r0 + 1, atlas_.rows - 1);
    const double fr = ar - r0;
    const int first = std::max(rs.first[std::size_t(r0)], rs.first[std::size_t(r1)]);
    const int end = std::min(rs.end[std::size_t(r0)], rs.end[std::size_t(r1)]);
    if (first >= end) continue;
    const double* b0 = rs.values.data() + std::size_t(r0) * cols;
    const double* b1 = rs.values.data() + std::size_t(r1) * cols;
    const float* s = scan_.mm.data() + std::size_t(r) * cols;
    for (int c = first; c < end; ++c) {
      const double b = (1 - fr) * b0[c] + fr * b1[c];
      sb += b;
      sbb += b * b;
      sab += s[c] * b;
    }
    const std::size_t row = std::size_t(r) * stride;
    sa += sum_[row + std::size_t(end)] - sum_[row + std::size_t(first)];
    saa += sum_sq_[row + std::size_t(end)] - sum_sq_[row + std::size_t(first)];
    n += end - first;
    ++rows_covered;
  }
  AtlasMatch m;
  m.transform = t;
  m.overlap_mm = rows_covered * scan_.step_mm;
  if (n < 2) return m;
  const double cov = sab - sa * sb / double(n), va = saa - sa * sa / double(n), vb = sbb - sb * sb / double(n);
  m.ncc = (va > 0 && vb > 0) ? cov / std::sqrt(va * vb) : -1.0;
  return m;
}

}  // namespace l3
