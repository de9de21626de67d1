#include "l3slice/bodycomp/deep_muscles.h"

#include <algorithm>
#include <vector>

namespace l3::bodycomp {
namespace {

constexpr double kNoiseOpenMm = 2.0;       // removes single noisy pixels and hair-thin contacts
constexpr double kNeckMm = 6.0;            // objects touching over less than twice this are split
constexpr double kSpineTouchMm = 4.0;      // the psoas lies against the vertebra
constexpr double kMaxQuadratusCm2 = 12.0;  // larger pieces away from the spine are a kidney
constexpr double kQuadratusDepthMm = 8.0;  // quadratus centre: at most this far in front of the
                                           // transverse processes (kidney, colon: 15 mm and more)

// Where the spine is: its front, and the depth of its lateral extremes (the transverse processes).
struct Spine {
  double front_mm = 0, transverse_mm = 0;
};

Spine locate(const SliceMask& spine) {
  const Grid& g = spine.grid;
  int front = g.size[1], left = g.size[0], right = -1;
  for (int y = 0; y < g.size[1]; ++y)
    for (int x = 0; x < g.size[0]; ++x)
      if (spine.at(x, y, 0)) {
        front = std::min(front, y);
        left = std::min(left, x);
        right = std::max(right, x);
      }
  double rows = 0;
  int n = 0;
  for (int y = 0; y < g.size[1]; ++y)
    for (int x : {left, right})
      if (spine.at(x, y, 0)) { rows += y; ++n; }
  return {front * g.spacing[1], rows / n * g.spacing[1]};
}

struct Piece {
  long pixels = 0;
  double sum_y_mm = 0;
  bool touches_spine = false;
  double y_mm() const { return sum_y_mm / pixels; }
};

}  // namespace

SliceMask find_deep_muscles(const SliceMask& cavity_muscle, const SliceMask& cavity, const SliceMask& bone) {
  const Grid& g = bone.grid;
  const SliceMask spine = largest_component(bone);
  if (count(spine) == 0) return SliceMask(g, 0);
  const Spine where = locate(spine);
  const SliceMask near_spine = dilate(spine, kSpineTouchMm);
  // Bowel, vessels and kidney often touch the psoas or quadratus: split them apart at the neck.
  const LabelImage pieces = split_at_necks(open(cavity_muscle, kNoiseOpenMm), kNeckMm);
  const int n = *std::max_element(pieces.voxels.begin(), pieces.voxels.end());
  std::vector<Piece> piece(n + 1);
  for (int y = 0; y < g.size[1]; ++y)
    for (int x = 0; x < g.size[0]; ++x)
      if (const int l = pieces.at(x, y, 0)) {
        ++piece[l].pixels;
        piece[l].sum_y_mm += y * g.spacing[1];
        piece[l].touches_spine = piece[l].touches_spine || near_spine.at(x, y, 0);
      }
  // Psoas: against the vertebra, centre not in front of it (aorta, IVC, bowel are). Quadratus
  // lumborum (and back muscle the wall's rays left out): centre at the depth of the transverse
  // processes or behind; the kidney and colon lie in front of that.
  std::vector<bool> keep(n + 1, false);
  for (int l = 1; l <= n; ++l) {
    const Piece& p = piece[l];
    const double cm2 = p.pixels * g.spacing[0] * g.spacing[1] / 100.0;
    keep[l] = (p.touches_spine && p.y_mm() >= where.front_mm) ||
              (p.y_mm() >= where.transverse_mm - kQuadratusDepthMm && cm2 <= kMaxQuadratusCm2);
  }
  SliceMask deep(g, 0);
  for (std::size_t i = 0; i < deep.voxels.size(); ++i) deep.voxels[i] = keep[pieces.voxels[i]];
  // The noise opening shaved the outline: give back the muscle-range rim, and take the fat the
  // muscle encloses (IMAT).
  const SliceMask regrown = mask_and(dilate(deep, kNoiseOpenMm), cavity_muscle);
  return mask_and(fill_holes(regrown), cavity);
}

}  // namespace l3::bodycomp
