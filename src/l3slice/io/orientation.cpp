#include "l3slice/io/orientation.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

namespace l3 {
namespace {

constexpr char kPositive[3] = {'L', 'P', 'S'};  // LPS: where each canonical axis increases towards
constexpr char kNegative[3] = {'R', 'A', 'I'};

// Strides of the file image, indexed by canonical axis, and the offset of canonical voxel (0,0,0),
// so file offset = base + sum_k c_k * stride[k] for canonical index c.
struct CanonicalWalk {
  std::array<std::ptrdiff_t, 3> stride{};
  std::ptrdiff_t base = 0;
};

CanonicalWalk walk_of(const std::array<int, 3>& file_size, const AxisMap& map) {
  const std::array<std::ptrdiff_t, 3> file_stride{1, file_size[0], std::ptrdiff_t(file_size[0]) * file_size[1]};
  CanonicalWalk w;
  for (int i = 0; i < 3; ++i) {
    const int k = map.canonical_axis[i];
    if (map.flipped[i]) {
      w.stride[k] = -file_stride[i];
      w.base += std::ptrdiff_t(file_size[i] - 1) * file_stride[i];
    } else {
      w.stride[k] = file_stride[i];
    }
  }
  return w;
}

void check_map(const AxisMap& map) {
  std::array<int, 3> used{0, 0, 0};
  for (int k : map.canonical_axis) {
    if (k < 0 || k > 2) throw std::invalid_argument("axis map names an axis outside 0..2");
    ++used[k];
  }
  if (used != std::array<int, 3>{1, 1, 1}) throw std::invalid_argument("axis map is not a permutation");
}

}  // namespace

int AxisMap::file_axis_of(int axis) const {
  for (int i = 0; i < 3; ++i)
    if (canonical_axis[i] == axis) return i;
  throw std::invalid_argument("axis map is not a permutation");
}

AxisMap axis_map_from_direction(const std::array<double, 9>& d) {
  AxisMap map;
  for (int i = 0; i < 3; ++i) {
    int best = 0;
    for (int k = 1; k < 3; ++k)
      if (std::abs(d[k * 3 + i]) > std::abs(d[best * 3 + i])) best = k;
    map.canonical_axis[i] = best;
    map.flipped[i] = d[best * 3 + i] < 0;
  }
  try {
    check_map(map);
  } catch (const std::invalid_argument&) {
    throw std::invalid_argument("voxel axes are too oblique to tell which is left-right, front-back, up-down");
  }
  return map;
}

double obliquity_degrees(const std::array<double, 9>& d) {
  double worst = 0;
  for (int i = 0; i < 3; ++i) {
    const double x = d[i], y = d[3 + i], z = d[6 + i];
    const double length = std::sqrt(x * x + y * y + z * z);
    if (length <= 0) return 90.0;  // a degenerate axis is as bad as it gets
    const double cosine = std::max({std::abs(x), std::abs(y), std::abs(z)}) / length;
    worst = std::max(worst, std::acos(std::min(1.0, cosine)) * 180.0 / M_PI);
  }
  return worst;
}

AxisMap axis_map_from_code(const std::string& code) {
  if (code.size() != 3) throw std::invalid_argument("orientation code '" + code + "' is not 3 letters like RAS or LPS");
  AxisMap map;
  for (int i = 0; i < 3; ++i) {
    const char c = char(std::toupper(static_cast<unsigned char>(code[i])));
    bool found = false;
    for (int k = 0; k < 3 && !found; ++k) {
      if (c == kPositive[k] || c == kNegative[k]) {
        map.canonical_axis[i] = k;
        map.flipped[i] = c == kNegative[k];
        found = true;
      }
    }
    if (!found) throw std::invalid_argument("orientation code '" + code + "' has a letter other than L/R, P/A, S/I");
  }
  try {
    check_map(map);
  } catch (const std::invalid_argument&) {
    throw std::invalid_argument("orientation code '" + code + "' must name each of L/R, P/A, S/I once");
  }
  return map;
}

std::string orientation_code(const AxisMap& map) {
  std::string code(3, '?');
  for (int i = 0; i < 3; ++i) {
    const int k = map.canonical_axis[i];
    code[i] = map.flipped[i] ? kNegative[k] : kPositive[k];
  }
  return code;
}

Grid canonical_grid(const Grid& f, const AxisMap& map) {
  check_map(map);
  Grid c;
  std::array<double, 3> corner{0, 0, 0};  // file index of canonical voxel (0,0,0)
  for (int i = 0; i < 3; ++i) {
    const int k = map.canonical_axis[i];
    c.size[k] = f.size[i];
    c.spacing[k] = f.spacing[i];
    const double sign = map.flipped[i] ? -1.0 : 1.0;
    for (int r = 0; r < 3; ++r) c.direction[r * 3 + k] = sign * f.direction[r * 3 + i];
    corner[i] = map.flipped[i] ? f.size[i] - 1 : 0;
  }
  c.origin = f.physical(corner[0], corner[1], corner[2]);
  return c;
}

Grid file_grid(const Grid& c, const AxisMap& map) {
  check_map(map);
  Grid f;
  std::array<double, 3> corner{0, 0, 0};  // canonical index of file voxel (0,0,0)
  for (int i = 0; i < 3; ++i) {
    const int k = map.canonical_axis[i];
    f.size[i] = c.size[k];
    f.spacing[i] = c.spacing[k];
    const double sign = map.flipped[i] ? -1.0 : 1.0;
    for (int r = 0; r < 3; ++r) f.direction[r * 3 + i] = sign * c.direction[r * 3 + k];
    corner[k] = map.flipped[i] ? c.size[k] - 1 : 0;
  }
  f.origin = c.physical(corner[0], corner[1], corner[2]);
  return f;
}

template <typename T>
Image<T> to_canonical(const Image<T>& file_image, const AxisMap& map) {
  Image<T> out(canonical_grid(file_image.grid, map));
  const CanonicalWalk w = walk_of(file_image.grid.size, map);
  const auto& n = out.grid.size;
  T* dst = out.voxels.data();
  for (int z = 0; z < n[2]; ++z)
    for (int y = 0; y < n[1]; ++y) {
      std::ptrdiff_t src = w.base + z * w.stride[2] + y * w.stride[1];
      for (int x = 0; x < n[0]; ++x, src += w.stride[0]) *dst++ = file_image.voxels[std::size_t(src)];
    }
  return out;
}

template <typename T>
Image<T> from_canonical(const Image<T>& canonical, const AxisMap& map) {
  Image<T> out(file_grid(canonical.grid, map));
  const CanonicalWalk w = walk_of(out.grid.size, map);
  const auto& n = canonical.grid.size;
  const T* src = canonical.voxels.data();
  for (int z = 0; z < n[2]; ++z)
    for (int y = 0; y < n[1]; ++y) {
      std::ptrdiff_t dst = w.base + z * w.stride[2] + y * w.stride[1];
      for (int x = 0; x < n[0]; ++x, dst += w.stride[0]) out.voxels[std::size_t(dst)] = *src++;
    }
  return out;
}

template Image<int16_t> to_canonical(const Image<int16_t>&, const AxisMap&);
template Image<uint16_t> to_canonical(const Image<uint16_t>&, const AxisMap&);
template Image<uint8_t> to_canonical(const Image<uint8_t>&, const AxisMap&);
template Image<int16_t> from_canonical(const Image<int16_t>&, const AxisMap&);
template Image<uint16_t> from_canonical(const Image<uint16_t>&, const AxisMap&);
template Image<uint8_t> from_canonical(const Image<uint8_t>&, const AxisMap&);

}  // namespace l3
