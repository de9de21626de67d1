// One slice -> BodyLabel per pixel. See body_composition.h for the compartments.
#include <algorithm>
#include <cmath>
#include <utility>
#include <fmt/format.h>

#include "l3slice/bodycomp/body_composition.h"
#include "l3slice/bodycomp/deep_muscles.h"
#include "l3slice/bodycomp/mask_ops.h"
#include "l3slice/bodycomp/radial_wall.h"
#include "l3slice/core/error.h"

namespace l3 {
namespace {

using bodycomp::SliceMask;

// Fixed anatomical scales of the method (mm); part of the method version, not user options.
constexpr double kTableOpenMm = 5.0;      // opening that detaches the table and mattress
constexpr double kMinBodyCm2 = 30.0;      // smaller than any trunk cross-section
constexpr double kCortexGapMm = 12.0;     // gaps in a thin cortex bridged to find what it encloses
constexpr double kEdgeBandPixels = 1.0;  // wall edges: pixels this close are sorted by their HU
constexpr double kEnclosedLeak = 0.1;     // fat pocket counts as enclosed by muscle up to this share of other border
constexpr double kBoneMarginMm = 0.75;    // partial-volume rim of bone kept out of muscle (1 px on fine scans)
constexpr double kFatPlaneMm = 3.0;       // fat pockets thinner than twice this are planes between muscles

double pixel_cm2(const Grid& g) { return g.spacing[0] * g.spacing[1] / 100.0; }

SliceMask threshold(const HuImage& slice, int low, int high) {
  SliceMask m(slice.grid, 0);
  for (std::size_t i = 0; i < m.voxels.size(); ++i) m.voxels[i] = slice.voxels[i] >= low && slice.voxels[i] <= high;
  return m;
}

// The body: everything denser than air, detached from the table by an opening, the largest
// piece, its outline restored within a pixel, holes (gas, lung) filled.
SliceMask find_body(const HuImage& slice, const TissueThresholds& t, const std::string& source) {
  const SliceMask dense = threshold(slice, t.body_hu + 1, 32767);
  const SliceMask core = bodycomp::largest_component(bodycomp::open(dense, kTableOpenMm));
  const double restore_mm = 1.5 * std::max(slice.grid.spacing[0], slice.grid.spacing[1]);
  SliceMask body = bodycomp::largest_component(bodycomp::mask_and(dense, bodycomp::dilate(core, restore_mm)));
  body = bodycomp::fill_holes(body);
  const double area = bodycomp::count(body) * pixel_cm2(slice.grid);
  if (area < kMinBodyCm2)
    throw InputError(source, fmt::format("no body found on the slice (largest object {:.1f} cm2 above {} HU)", area, t.body_hu));
  return body;
}

// Bone and the spinal canal: bright seeds, the spaces they enclose (marrow, canal) filled, with a
// margin. Osteoporotic marrow is darker than the seed threshold and leaves only a thin, broken
// cortex, so the enclosure is found on the seeds dilated across such gaps; only the enclosed
// space (grown back to the cortex) is added, not the dilation itself, which would cover the
// muscle lying in the concavities between the posterior elements.
SliceMask find_bone(const HuImage& slice, const SliceMask& body, const TissueThresholds& t) {
  const SliceMask seeds = bodycomp::mask_and(threshold(slice, t.bone_hu, 32767), body);
  const SliceMask bridged = bodycomp::dilate(seeds, kCortexGapMm / 2);
  const SliceMask filled = bodycomp::fill_holes(bridged);
  const SliceMask enclosed = bodycomp::mask_and(bodycomp::dilate(bodycomp::mask_and_not(filled, bridged), kCortexGapMm / 2), filled);
  const SliceMask solid = bodycomp::mask_or(seeds, enclosed);
  return bodycomp::mask_and(bodycomp::dilate(solid, kBoneMarginMm), body);
}

Image<uint8_t> ray_classes(const HuImage& slice, const SliceMask& body, const SliceMask& bone,
                           const TissueThresholds& t) {
  using bodycomp::RayTissue;
  Image<uint8_t> c(slice.grid, uint8_t(RayTissue::outside));
  for (std::size_t i = 0; i < c.voxels.size(); ++i) {
    if (!body.voxels[i]) continue;
    const int hu = slice.voxels[i];
    RayTissue r = RayTissue::other;
    if (bone.voxels[i] && hu >= t.muscle.low) r = RayTissue::bone;
    else if (hu >= t.muscle.low) r = RayTissue::soft;
    else if (t.subcutaneous_fat.contains(hu)) r = RayTissue::fat;
    c.voxels[i] = uint8_t(r);
  }
  return c;
}

// Cavity fat that muscle encloses on every side is intermuscular (a fat plane inside the back
// muscles can end the wall's rays early and leave part of the muscle to the cavity), if it is a
// plane: a wider fat space between muscles (posterior pararenal fat behind the quadratus) stays
// visceral.
void take_enclosed_fat(MaskImage& labels, const HuImage& slice, const TissueThresholds& t) {
  const Grid& g = labels.grid;
  SliceMask fat(g, 0);
  for (std::size_t i = 0; i < fat.voxels.size(); ++i) {
    const BodyLabel l = BodyLabel(labels.voxels[i]);
    fat.voxels[i] = l == BodyLabel::visceral_fat || (l == BodyLabel::other && t.intermuscular_fat.contains(slice.voxels[i]));
  }
  const LabelImage pockets = bodycomp::components(fat);
  const int n = *std::max_element(pockets.voxels.begin(), pockets.voxels.end());
  std::vector<bool> wide(n + 1, false);
  const SliceMask core = bodycomp::erode(fat, kFatPlaneMm);
  for (std::size_t i = 0; i < core.voxels.size(); ++i)
    if (core.voxels[i]) wide[pockets.voxels[i]] = true;
  std::vector<long> by_muscle(n + 1, 0), by_other(n + 1, 0);  // 4-neighbours around each pocket
  for (int y = 0; y < g.size[1]; ++y)
    for (int x = 0; x < g.size[0]; ++x) {
      const int l = pockets.at(x, y, 0);
      if (!l) continue;
      for (const auto& [dx, dy] : {std::pair{1, 0}, {-1, 0}, {0, 1}, {0, -1}}) {
        const int qx = x + dx, qy = y + dy;
        if (qx < 0 || qy < 0 || qx >= g.size[0] || qy >= g.size[1]) { ++by_other[l]; continue; }
        if (pockets.at(qx, qy, 0)) continue;
        const BodyLabel q = BodyLabel(labels.at(qx, qy, 0));
        ++(q == BodyLabel::muscle || q == BodyLabel::intermuscular_fat ? by_muscle[l] : by_other[l]);
      }
    }
  std::vector<bool> enclosed(n + 1, false);
  for (int l = 1; l <= n; ++l) enclosed[l] = !wide[l] && by_other[l] <= kEnclosedLeak * (by_muscle[l] + by_other[l]);
  for (std::size_t i = 0; i < labels.voxels.size(); ++i)
    if (pockets.voxels[i] && enclosed[pockets.voxels[i]] && t.intermuscular_fat.contains(slice.voxels[i]))
      labels.voxels[i] = uint8_t(BodyLabel::intermuscular_fat);
}

// Fat of the muscle compartment touching the fat outside it is that fat, with the compartment's
// edge a pixel too far out; IMAT is the fat that muscle encloses.
void return_edge_fat(MaskImage& labels, const HuImage& slice, const TissueThresholds& t) {
  const MaskImage before = labels;
  const Grid& g = labels.grid;
  for (int y = 0; y < g.size[1]; ++y)
    for (int x = 0; x < g.size[0]; ++x) {
      if (before.at(x, y, 0) != uint8_t(BodyLabel::intermuscular_fat)) continue;
      const int hu = slice.at(x, y, 0);
      for (const auto& [dx, dy] : {std::pair{1, 0}, {-1, 0}, {0, 1}, {0, -1}}) {
        const int qx = x + dx, qy = y + dy;
        if (qx < 0 || qy < 0 || qx >= g.size[0] || qy >= g.size[1]) continue;
        const BodyLabel outside = BodyLabel(before.at(qx, qy, 0));
        if (outside == BodyLabel::subcutaneous_fat && t.subcutaneous_fat.contains(hu)) {
          labels.at(x, y, 0) = uint8_t(BodyLabel::subcutaneous_fat);
          break;
        }
        if (outside == BodyLabel::visceral_fat) {
          labels.at(x, y, 0) = uint8_t(t.visceral_fat.contains(hu) ? BodyLabel::visceral_fat : BodyLabel::other);
          break;
        }
      }
    }
}

}  // namespace

MaskImage segment_slice(const HuImage& slice, const TissueThresholds& t, const std::string& source) {
  const Grid& g = slice.grid;
  const SliceMask body = find_body(slice, t, source);
  const SliceMask bone = find_bone(slice, body, t);
  const bodycomp::RadialWall wall = bodycomp::find_radial_wall(ray_classes(slice, body, bone, t), body);
  if (wall.valid_outer < int(wall.outer_mm.size()) / 4)
    throw InputError(source, "no muscle wall found around the abdomen on the slice (is it an abdominal CT slice?)");

  SliceMask inside_wall(g, 0), cavity(g, 0);
  const double edge_band = kEdgeBandPixels * std::max(g.spacing[0], g.spacing[1]);
  for (int y = 0; y < g.size[1]; ++y)
    for (int x = 0; x < g.size[0]; ++x) {
      if (!body.at(x, y, 0)) continue;
      const double dx = x * g.spacing[0] - wall.centre_x_mm, dy = y * g.spacing[1] - wall.centre_y_mm;
      const double r = std::hypot(dx, dy), outer = wall.outer_at(dx, dy), inner = wall.inner_at(dx, dy);
      // The rays know an edge only to about a pixel: muscle just beyond it belongs to the wall.
      const bool muscle = t.muscle.contains(slice.at(x, y, 0));
      inside_wall.at(x, y, 0) = r < outer || (muscle && r < outer + edge_band);
      cavity.at(x, y, 0) = r < inner && !(muscle && r > inner - edge_band);
    }
  cavity = bodycomp::mask_and_not(cavity, bone);
  const SliceMask muscle_range = threshold(slice, t.muscle.low, t.muscle.high);
  const SliceMask ring = bodycomp::mask_and_not(bodycomp::mask_and_not(inside_wall, cavity), bone);
  const SliceMask deep = bodycomp::find_deep_muscles(bodycomp::mask_and(muscle_range, cavity), cavity, bone);
  const SliceMask muscle_compartment = bodycomp::mask_or(ring, deep);
  const SliceMask under_skin = bodycomp::erode(body, kSkinBandMm);

  MaskImage labels(g, uint8_t(BodyLabel::outside));
  for (std::size_t i = 0; i < labels.voxels.size(); ++i) {
    if (!body.voxels[i]) continue;
    const int hu = slice.voxels[i];
    BodyLabel l = BodyLabel::other;
    if (bone.voxels[i] && inside_wall.voxels[i]) l = BodyLabel::bone;
    else if (muscle_compartment.voxels[i]) {
      if (t.muscle.contains(hu)) l = BodyLabel::muscle;
      else if (t.intermuscular_fat.contains(hu)) l = BodyLabel::intermuscular_fat;
    } else if (cavity.voxels[i]) {
      if (t.visceral_fat.contains(hu)) l = BodyLabel::visceral_fat;
    } else if (!inside_wall.voxels[i] && under_skin.voxels[i]) {
      if (t.subcutaneous_fat.contains(hu)) l = BodyLabel::subcutaneous_fat;
    }
    labels.voxels[i] = uint8_t(l);
  }
  take_enclosed_fat(labels, slice, t);
  return_edge_fat(labels, slice, t);
  return labels;
}

}  // namespace l3
