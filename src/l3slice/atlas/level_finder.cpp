#include "l3slice/atlas/level_finder.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace l3 {

const char* level_status_text(LevelStatus s) {
  switch (s) {
    case LevelStatus::found: return "L3 found";
    case LevelStatus::not_in_view: return "L3 not in field of view";
    case LevelStatus::uncertain: return "uncertain";
  }
  return "";
}

std::optional<SliceRun> slices_within(double lo_mm, double hi_mm, double slice_mm, int slice_count) {
  const int first = std::max(0, int(std::ceil(lo_mm / slice_mm - 1e-9)));
  const int last = std::min(slice_count - 1, int(std::floor(hi_mm / slice_mm + 1e-9)));
  if (last < first) return std::nullopt;
  return SliceRun{first, last};
}

LevelFinding find_levels(const HuImage& hu, const SpineAtlas& atlas, const LevelFinderOptions& o) {
  BoneProjectionOptions po = atlas.projection_options;
  const BoneProjection scan = coronal_bone_projection(hu, po);
  const LevelExtent& l3 = *atlas.level("L3");
  const auto matches = register_projection(scan, atlas.projection, l3.middle_mm(), o.registration);

  LevelFinding f;
  const double dz = hu.grid.spacing[2];
  const int nz = hu.grid.size[2];
  f.level_per_slice.assign(std::size_t(nz), "");
  if (matches.empty()) {
    f.reason = "the scan is too short to compare with the atlas";
    return f;
  }
  f.best = matches[0];
  const AtlasTransform& t = f.best.transform;
  for (const auto& b : atlas.bodies)
    if (auto run = slices_within(t.to_scan_z(b.lo_mm), t.to_scan_z(b.hi_mm), dz, nz))
      for (int z = run->first; z <= run->last; ++z) f.level_per_slice[std::size_t(z)] = b.name;

  const double lo = t.to_scan_z(l3.lo_mm), hi = t.to_scan_z(l3.hi_mm);
  {
    const LevelExtent* top = atlas.level("L1");
    const LevelExtent* bottom = atlas.level("S1");
    f.lumbar_ncc = score_transform(scan, atlas.projection, t, bottom ? bottom->lo_mm : l3.lo_mm - 80,
                                   top ? top->hi_mm : l3.hi_mm + 80).ncc;
  }
  f.l3_middle_mm = (lo + hi) / 2;
  const double scan_top = (nz - 1) * dz;
  const bool inside = lo - o.edge_margin_mm >= -dz / 2 && hi + o.edge_margin_mm <= scan_top + dz / 2;
  // The best alternative: the best match that puts L3 on other slices.
  for (std::size_t i = 1; i < matches.size(); ++i) {
    f.alternative = matches[i];
    break;
  }
  const double margin = f.alternative ? f.best.ncc - f.alternative->ncc : 1.0;
  // Confidence: how well the bone matches the atlas, times how clearly it beats the alternative.
  f.confidence = std::clamp((f.best.ncc - o.min_ncc) / 0.25, 0.0, 1.0) * std::clamp(margin / 0.05, 0.0, 1.0);

  if (f.best.ncc < o.min_ncc) {
    f.reason = fmt::format("bone does not match the atlas's lumbar spine (NCC {:.2f} < {:.2f})", f.best.ncc, o.min_ncc);
    f.confidence = std::clamp((o.min_ncc - f.best.ncc) / 0.25, 0.0, 1.0);
    return f;
  }
  if (!inside) {
    f.reason = fmt::format("the L3 body maps to {:.0f}..{:.0f} mm, outside the scan (0..{:.0f} mm)", lo, hi, scan_top);
    f.confidence = std::clamp((f.best.ncc - o.min_ncc) / 0.25, 0.0, 1.0);
    return f;
  }
  f.l3 = slices_within(lo, hi, dz, nz);
  if (!f.l3) {
    f.reason = "the L3 body falls between slices";
    return f;
  }
  if (margin < o.min_margin) {
    f.status = LevelStatus::uncertain;
    f.reason = fmt::format("another alignment puts the L3 middle at {:.0f} mm with almost the same match (NCC {:.3f} vs {:.3f})",
                           f.alternative->transform.to_scan_z(l3.middle_mm()), f.alternative->ncc, f.best.ncc);
    return f;
  }
  f.status = LevelStatus::found;
  return f;
}

}  // namespace l3
