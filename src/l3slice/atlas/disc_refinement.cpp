#include "l3slice/atlas/disc_refinement.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

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

// Columns [x0, x1] of the body column at slice z, around the spine's x there.
std::pair<int, int> column_at(const Grid& g, const std::vector<double>& spine_x_mm, int z, double half_width_mm) {
  const double x = spine_x_mm[std::size_t(z)], dx = g.spacing[0];
  return {std::max(0, int(std::ceil((x - half_width_mm) / dx))), std::min(g.size[0] - 1, int(std::floor((x + half_width_mm) / dx)))};
}

// The vertebral body's front and back rows (y) through slices [z0, z1]: the most anterior run whose
// mean HU over the column is that of bone and whose depth is that of a body; nothing if none is.
std::optional<std::pair<int, int>> body_rows(const HuImage& hu, const std::vector<double>& spine_x_mm, int z0, int z1,
                                             const DiscRefinementOptions& o, double threshold_hu) {
  const int ny = hu.grid.size[1];
  std::vector<double> mean(std::size_t(ny), 0.0);
  long cells = 0;
  for (int z = z0; z <= z1; ++z) {
    const auto [x0, x1] = column_at(hu.grid, spine_x_mm, z, o.column_half_width_mm);
    for (int y = 0; y < ny; ++y)
      for (int x = x0; x <= x1; ++x) mean[std::size_t(y)] += hu.at(x, y, z);
    cells += std::max(0, x1 - x0 + 1);
  }
  auto is_bone = [&](int y) { return cells > 0 && mean[std::size_t(y)] / double(cells) >= threshold_hu; };
  for (int y = 0; y < ny;) {
    if (!is_bone(y)) {
      ++y;
      continue;
    }
    int end = y;
    while (end + 1 < ny && is_bone(end + 1)) ++end;
    const double depth = (end - y + 1) * hu.grid.spacing[1];
    if (depth >= o.min_body_depth_mm && depth <= o.max_body_depth_mm) return std::pair{y, end};
    y = end + 1;
  }
  return std::nullopt;
}

// Mean HU (clipped to -100..400 so that endplates do not dominate) inside rows [y0, y1] of the body
// column, for slices [z0, z1] (0 elsewhere), averaged over about 3 mm along z so that thin slices'
// two endplates do not make two dips. `bone_only`: the column holds no soft tissue, only exact zeros
// under 200 HU (a bone-only volume, like the bundled atlas's source scan).
std::vector<double> column_profile(const HuImage& hu, const std::vector<double>& spine_x_mm, int y0, int y1, int z0, int z1,
                                   const DiscRefinementOptions& o, bool& bone_only) {
  const double dz = hu.grid.spacing[2];
  std::vector<double> profile(std::size_t(hu.grid.size[2]), 0.0);
  long below_bone = 0, zero = 0;
  for (int z = z0; z <= z1; ++z) {
    const auto [x0, x1] = column_at(hu.grid, spine_x_mm, z, o.column_half_width_mm);
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
  bone_only = below_bone > 0 && zero > 0.9 * below_bone;
  const int k = int(std::lround(1.5 / dz));
  if (k == 0) return profile;
  std::vector<double> smooth(profile.size(), 0.0);
  for (int z = z0; z <= z1; ++z) {
    double sum = 0;
    int n = 0;
    for (int j = std::max(z0, z - k); j <= std::min(z1, z + k); ++j, ++n) sum += profile[std::size_t(j)];
    smooth[std::size_t(z)] = sum / n;
  }
  return smooth;
}

}  // namespace

DiscRefinement refine_by_discs(const HuImage& hu, const MappedDiscs& mapped, const std::vector<double>& spine_x_mm,
                               const DiscRefinementOptions& o) {
  DiscRefinement r;
  const int nz = hu.grid.size[2];
  const double dz = hu.grid.spacing[2];
  const double span = mapped.upper_mm - mapped.lower_mm, middle = mapped.middle_mm;
  r.middle_mm = middle;
  if (span <= 0 || spine_x_mm.size() != std::size_t(nz)) {
    r.reason = "no disc spacing mapped";
    return r;
  }
  auto slice_of = [&](double z_mm) { return std::clamp(int(std::lround(z_mm / dz)), 0, nz - 1); };

  // Osteoporotic bone first; where that merges the body with tissue in front, denser bone.
  const int z0 = slice_of(middle - span / 6), z1 = slice_of(middle + span / 6);
  auto rows = body_rows(hu, spine_x_mm, z0, z1, o, o.osteoporotic_body_threshold_hu);
  if (!rows) rows = body_rows(hu, spine_x_mm, z0, z1, o, o.body_threshold_hu);
  if (!rows) {
    r.reason = "no vertebral body found in the spine's column at the L3 middle";
    return r;
  }
  const int inset = int(std::lround(0.15 * (rows->second - rows->first)));  // off the cortex
  // From the next bodies' middles below to above.
  const double profile_lo_mm = mapped.lower_mm - 0.75 * span, profile_hi_mm = mapped.upper_mm + 0.75 * span;
  const int z_lo = slice_of(profile_lo_mm), z_hi = slice_of(profile_hi_mm);
  bool bone_only = false;
  const auto profile = column_profile(hu, spine_x_mm, rows->first + inset, rows->second - inset, z_lo, z_hi, o, bone_only);
  if (bone_only) {
    r.reason = "no soft tissue in the spine's column (a bone-only volume?): the discs cannot be seen";
    return r;
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
  // Only a disc whose profile, out to the next body's middle, is wholly inside the scan counts: one
  // cut off by the scan's end is not missing.
  const bool lower_inside = profile_lo_mm >= 0.0, upper_inside = profile_hi_mm <= (nz - 1) * dz;
  r.doubts.disc_missing = (lower_inside && lower->depth_hu < o.no_disc_hu) || (upper_inside && upper->depth_hu < o.no_disc_hu);
  if (std::min(lower->depth_hu, upper->depth_hu) < o.min_dip_hu) {
    r.reason = fmt::format("the discs next to L3 are not clear (dips of {:.0f} and {:.0f} HU, need {:.0f})", lower->depth_hu,
                           upper->depth_hu, o.min_dip_hu);
    return r;
  }
  const double spacing = (upper->z_mm - lower->z_mm) / span;
  if (spacing < o.min_spacing_fraction || spacing > o.max_spacing_fraction) {
    r.doubts.dips_misspaced = lower_inside && upper_inside;
    r.reason = fmt::format("dips at {:.1f} and {:.1f} mm are {:.2f} times the atlas's disc spacing apart, not the discs of one vertebra",
                           lower->z_mm, upper->z_mm, spacing);
    return r;
  }
  const double refined = (lower->z_mm + upper->z_mm) / 2;
  if (std::abs(refined - middle) > o.max_shift_fraction * span) {
    r.doubts.discs_too_far = lower_inside && upper_inside;
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
