#include "l3slice/atlas/disc_refinement.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

namespace l3 {
namespace {

struct Dip {
  double z_mm = 0.0;
  double depth_hu = 0.0;
};

// The deepest point of `profile` (one value per slice) within [from, to] slices, with its depth: how
// much lower it is than the highest values between it and `inner` (the body's middle) and between it
// and `outer` (into the next vertebra). Sub-slice position by a parabola through its neighbours.
// (Taking instead the dip nearest the atlas's disc, of those at least half as deep, was measured on
// phantom seeds 3000 and 5000 and was no better.)
std::optional<Dip> find_dip(const std::vector<double>& profile, int from, int to, int inner, int outer, double dz) {
  const int n = int(profile.size());
  from = std::max(from, 1);
  to = std::min(to, n - 2);
  if (to < from) return std::nullopt;
  int best = from;
  for (int z = from; z <= to; ++z)
    if (profile[std::size_t(z)] < profile[std::size_t(best)]) best = z;
  auto highest = [&](int a, int b) {
    double m = -1e9;
    for (int z = std::max(0, std::min(a, b)); z <= std::min(n - 1, std::max(a, b)); ++z) m = std::max(m, profile[std::size_t(z)]);
    return m;
  };
  const double v = profile[std::size_t(best)];
  const double a = profile[std::size_t(best - 1)], c = profile[std::size_t(best + 1)];
  const double curvature = a - 2 * v + c;
  const double offset = curvature > 0 ? std::clamp(0.5 * (a - c) / curvature, -0.5, 0.5) : 0.0;
  return Dip{(best + offset) * dz, std::min(highest(best, inner), highest(best, outer)) - v};
}

}  // namespace

DiscRefinement refine_by_discs(const HuImage& hu, const MappedDiscs& mapped, const std::vector<double>& spine_x_mm,
                               const DiscRefinementOptions& o) {
  DiscRefinement r;
  const Grid& g = hu.grid;
  const int nx = g.size[0], ny = g.size[1], nz = g.size[2];
  const double dz = g.spacing[2], dx = g.spacing[0], dy = g.spacing[1];
  const double span = mapped.upper_mm - mapped.lower_mm, middle = mapped.middle_mm;
  r.middle_mm = middle;
  auto slice_of = [&](double z_mm) { return std::clamp(int(std::lround(z_mm / dz)), 0, nz - 1); };
  auto columns = [&](int z) {
    const double x = spine_x_mm[std::size_t(z)];
    return std::pair{std::max(0, int(std::ceil((x - o.column_half_width_mm) / dx))),
                     std::min(nx - 1, int(std::floor((x + o.column_half_width_mm) / dx)))};
  };

  // The body's front and back: along y through the middle third, the most anterior run whose mean HU
  // (over the column's width and those slices) is that of bone.
  const int zm0 = slice_of(middle - span / 6), zm1 = slice_of(middle + span / 6);
  std::vector<double> mean(std::size_t(ny), 0.0);
  long cells = 0;
  for (int z = zm0; z <= zm1; ++z) {
    const auto [x0, x1] = columns(z);
    for (int y = 0; y < ny; ++y)
      for (int x = x0; x <= x1; ++x) mean[std::size_t(y)] += hu.at(x, y, z);
    cells += std::max(0, x1 - x0 + 1);
  }
  int front = -1, back = -1;
  auto is_bone = [&](int y) { return cells > 0 && mean[std::size_t(y)] / double(cells) >= o.body_threshold_hu; };
  for (int y = 0; y < ny && front < 0;) {
    if (!is_bone(y)) {
      ++y;
      continue;
    }
    int end = y;
    while (end + 1 < ny && is_bone(end + 1)) ++end;
    const double depth = (end - y + 1) * dy;
    if (depth >= o.min_body_depth_mm && depth <= o.max_body_depth_mm) front = y, back = end;
    y = end + 1;
  }
  if (front < 0) {
    r.reason = "no vertebral body found in the spine's column at the L3 middle";
    return r;
  }
  const int inset = int(std::lround(0.15 * (back - front)));
  const int y0 = front + inset, y1 = back - inset;

  // Mean HU of the body's column at every slice near L3 (endplates clipped so they do not dominate).
  const int z_lo = slice_of(mapped.lower_mm - 0.75 * span), z_hi = slice_of(mapped.upper_mm + 0.75 * span);  // to the next bodies' middles
  std::vector<double> profile(std::size_t(nz), 0.0);
  long below_bone = 0, zero = 0;  // voxels under 200 HU, and those exactly 0
  for (int z = z_lo; z <= z_hi; ++z) {
    const auto [x0, x1] = columns(z);
    double sum = 0;
    long n = 0;
    for (int y = y0; y <= y1; ++y)
      for (int x = x0; x <= x1; ++x, ++n) {
        const int16_t v = hu.at(x, y, z);
        sum += std::clamp(double(v), -100.0, 400.0);
        below_bone += v < 200;
        zero += v == 0;
      }
    profile[std::size_t(z)] = n ? sum / double(n) : 0.0;
  }
  // A bone-only volume (everything under 200 HU set to 0, like the bundled atlas's source scan) has
  // no disc tissue to find: its "discs" would be wherever bone is missing.
  if (below_bone > 0 && zero > 0.9 * below_bone) {
    r.reason = "no soft tissue in the spine's column (a bone-only volume?): the discs cannot be seen";
    return r;
  }
  // Thin slices: average over about 3 mm so that the two endplates do not make two dips.
  if (const int k = int(std::lround(1.5 / dz)); k > 0) {
    std::vector<double> s(profile.size(), 0.0);
    for (int z = z_lo; z <= z_hi; ++z) {
      double sum = 0;
      int n = 0;
      for (int j = std::max(z_lo, z - k); j <= std::min(z_hi, z + k); ++j, ++n) sum += profile[std::size_t(j)];
      s[std::size_t(z)] = sum / n;
    }
    profile = s;
  }

  const double reach = o.search_fraction * span;
  const int mid = slice_of(middle);
  const auto lower = find_dip(profile, std::max(z_lo + 1, slice_of(mapped.lower_mm - reach)), slice_of(mapped.lower_mm + reach),
                              mid, z_lo, dz);
  const auto upper = find_dip(profile, slice_of(mapped.upper_mm - reach), std::min(z_hi - 1, slice_of(mapped.upper_mm + reach)),
                              mid, z_hi, dz);
  if (!lower || !upper) {
    r.reason = "the discs next to L3 are not both inside the scan";
    return r;
  }
  r.lower_disc_mm = lower->z_mm, r.upper_disc_mm = upper->z_mm;
  r.lower_dip_hu = lower->depth_hu, r.upper_dip_hu = upper->depth_hu;
  if (std::min(lower->depth_hu, upper->depth_hu) < o.min_dip_hu) {
    r.reason = fmt::format("the discs next to L3 are not clear (dips of {:.0f} and {:.0f} HU, need {:.0f})", lower->depth_hu,
                           upper->depth_hu, o.min_dip_hu);
    return r;
  }
  const double spacing = (upper->z_mm - lower->z_mm) / span;
  if (spacing < o.min_spacing_fraction || spacing > o.max_spacing_fraction) {
    r.reason = fmt::format("dips at {:.1f} and {:.1f} mm are {:.2f} times the atlas's disc spacing apart, not the discs of one vertebra",
                           lower->z_mm, upper->z_mm, spacing);
    return r;
  }
  const double refined = (lower->z_mm + upper->z_mm) / 2;
  if (std::abs(refined - middle) > o.max_shift_fraction * span) {
    r.reason = fmt::format("the discs put the middle {:+.1f} mm from the atlas's, too far to trust", refined - middle);
    return r;
  }
  r.applied = true;
  r.middle_mm = refined;
  r.reason = fmt::format("discs at {:.1f} and {:.1f} mm (dips of {:.0f} and {:.0f} HU, {:.2f} times the atlas's spacing) move the middle {:+.1f} mm",
                         lower->z_mm, upper->z_mm, lower->depth_hu, upper->depth_hu, spacing, refined - middle);
  return r;
}

}  // namespace l3
