#pragma once
// One axial cross-section of the phantom being painted: tissue, HU and vertebra labels on the
// pixel grid, with each pixel's position in anatomical millimetres (x patient right -> left,
// y anterior -> posterior, origin at the body's centre) and polar coordinates around that centre.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "l3slice/phantom/phantom.h"

namespace l3::phantom_detail {

struct Vec2 {
  double x = 0.0, y = 0.0;
};

// sqrt(dx^2 + dy^2): std::hypot guards against overflow we never meet and is several times slower.
inline double length(double dx, double dy) { return std::sqrt(dx * dx + dy * dy); }

// Distance from p to the segment a-b.
inline double segment_distance(Vec2 p, Vec2 a, Vec2 b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  return length(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

inline double smoothstep(double edge0, double edge1, double v) {
  const double t = std::clamp((v - edge0) / (edge1 - edge0), 0.0, 1.0);
  return t * t * (3.0 - 2.0 * t);
}

inline double lerp(double a, double b, double t) { return a + (b - a) * t; }

class Section {
 public:
  static constexpr int angle_bins = 720;

  // n x n pixels of pixel_mm; the image centre lies y_offset_mm posterior of the body's centre.
  Section(int n, double pixel_mm, double y_offset_mm);

  int n() const { return n_; }
  double pixel_mm() const { return pixel_mm_; }
  std::size_t pixels() const { return std::size_t(n_) * n_; }
  double x(int i) const { return xs_[i]; }
  double y(int j) const { return ys_[j]; }
  double radius(std::size_t p) const { return radius_[p]; }
  double angle(std::size_t p) const { return angle_[p]; }  // atan2(y, x), radians
  int angle_bin(std::size_t p) const { return bin_[p]; }
  static double bin_angle(int bin) { return -M_PI + (bin + 0.5) * (2.0 * M_PI / angle_bins); }

  void clear();
  void set(std::size_t p, Tissue t, double hu) {
    tissue[p] = static_cast<uint8_t>(t);
    this->hu[p] = static_cast<float>(hu);
  }
  Tissue tissue_at(std::size_t p) const { return static_cast<Tissue>(tissue[p]); }

  // Painters' x origin, mm to the patient's left of the body's centre line: a painter of the spine
  // draws about x = 0 and lands on a scoliotic spine. radius() and angle() stay about the body's centre.
  void set_x_shift(double mm) { x_shift_ = mm; }

  // Calls f(p, x, y) for every pixel whose centre lies in the box [x0, x1] x [y0, y1] (mm).
  template <typename F>
  void for_box(double x0, double x1, double y0, double y1, F&& f) const {
    const int i0 = std::max(0, int(std::ceil(col_of(x0 + x_shift_))));
    const int i1 = std::min(n_ - 1, int(std::floor(col_of(x1 + x_shift_))));
    const int j0 = std::max(0, int(std::ceil(row_of(y0))));
    const int j1 = std::min(n_ - 1, int(std::floor(row_of(y1))));
    for (int j = j0; j <= j1; ++j)
      for (int i = i0; i <= i1; ++i) f(std::size_t(j) * n_ + i, xs_[i] - x_shift_, ys_[j]);
  }
  // Same over every pixel.
  template <typename F>
  void for_all(F&& f) const {
    for (int j = 0; j < n_; ++j)
      for (int i = 0; i < n_; ++i) f(std::size_t(j) * n_ + i, xs_[i] - x_shift_, ys_[j]);
  }

  std::vector<uint8_t> tissue;
  std::vector<float> hu;
  std::vector<uint16_t> vertebra;  // whole-vertebra label (VerSe)
  std::vector<uint16_t> body;      // vertebral-body label (VerSe)

 private:
  double col_of(double x_mm) const { return x_mm / pixel_mm_ + 0.5 * (n_ - 1); }
  double row_of(double y_mm) const { return (y_mm - y_offset_mm_) / pixel_mm_ + 0.5 * (n_ - 1); }

  int n_;
  double pixel_mm_;
  double y_offset_mm_;
  double x_shift_ = 0.0;
  std::vector<double> xs_, ys_;
  std::vector<float> radius_, angle_;
  std::vector<int> bin_;
};

}  // namespace l3::phantom_detail
