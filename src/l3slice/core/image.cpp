#include "l3slice/core/image.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace l3 {

std::array<double, 3> Grid::physical(double x, double y, double z) const {
  const double v[3] = {x * spacing[0], y * spacing[1], z * spacing[2]};
  std::array<double, 3> p = origin;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) p[r] += direction[r * 3 + c] * v[c];
  return p;
}

bool Grid::same_as(const Grid& other, std::string* why) const {
  std::ostringstream msg;
  if (size != other.size) {
    msg << "size " << other.size[0] << "x" << other.size[1] << "x" << other.size[2] << " differs from "
        << size[0] << "x" << size[1] << "x" << size[2];
  } else {
    for (int i = 0; i < 3 && msg.tellp() == 0; ++i)
      if (std::abs(spacing[i] - other.spacing[i]) > 1e-3 * std::max(1.0, spacing[i]))
        msg << "spacing differs on axis " << i << " (" << other.spacing[i] << " vs " << spacing[i] << " mm)";
    for (int i = 0; i < 9 && msg.tellp() == 0; ++i)
      if (std::abs(direction[i] - other.direction[i]) > 1e-3) msg << "orientation (direction cosines) differs";
    const double tol = 0.5 * std::min({spacing[0], spacing[1], spacing[2]});
    for (int i = 0; i < 3 && msg.tellp() == 0; ++i)
      if (std::abs(origin[i] - other.origin[i]) > tol)
        msg << "origin differs by " << std::abs(origin[i] - other.origin[i]) << " mm on axis " << i;
  }
  if (msg.tellp() == 0) return true;
  if (why) *why = msg.str();
  return false;
}

}  // namespace l3
