#pragma once
// The muscle wall found along rays from the body's centre: for each direction, walking in from the
// skin, the wall's outer fascia is the first run of muscle-range (or bone) tissue thick enough not
// to be skin or a fibrous septum of the subcutaneous fat; its inner edge is where that run gives
// way to a longer stretch of fat/gas (the visceral cavity) or to bone (the spine).
// No library finds this; it is a few dozen lines. Rays that find no plausible wall (gaps, an organ
// pressed against the wall) take the radius interpolated from their neighbours, and both radii are
// median-filtered over angle, which bridges gaps that morphology alone would leak through.
#include <vector>

#include "l3slice/core/image.h"

namespace l3::bodycomp {

struct WallParams {
  int rays = 360;
  double skin_mm = 3.0;        // outer soft-tissue rim that is skin, not muscle
  double wall_min_mm = 5.0;    // thinnest wall run taken as muscle (thicker than SAT septa)
  double gap_mm = 4.0;         // fat gaps inside the wall up to this length stay in the wall (IMAT)
  double bowel_wall_mm = 5.0;  // a soft run this thin between a fat gap and gas is bowel wall
  double max_wall_anterior_mm = 40.0;   // abdominal wall thickness limit (anterior half) ...
  double max_wall_posterior_mm = 100.0; // ... and for the back muscles (posterior half)
  double fascia_gross_jump_mm = 20.0;  // fascia further than this from its neighbours (+-40 deg): outlier
  double fascia_jump_mm = 8.0;     // ... and further than this from its neighbours (+-15 deg)
  double thickness_jump_mm = 15.0; // wall thicker than its neighbours (+-40 deg) by this: an organ
  int median_rays = 9;         // angular median window for both radii
};

// Per-ray classification of a pixel.
enum class RayTissue : uint8_t { outside, fat, soft, bone, other };

struct RadialWall {
  double centre_x_mm = 0, centre_y_mm = 0;  // in slice mm (column * sx, row * sy)
  std::vector<double> outer_mm;  // radius of the outer fascia per ray
  std::vector<double> inner_mm;  // radius of the wall's inner edge (the cavity) per ray
  int valid_outer = 0, valid_inner = 0;  // rays that found each edge themselves

  // Radius along the direction of (dx, dy) mm, linearly interpolated between rays.
  double outer_at(double dx, double dy) const;
  double inner_at(double dx, double dy) const;
};

// `classes`: RayTissue per pixel of the slice; `body`: the body mask.
RadialWall find_radial_wall(const Image<uint8_t>& classes, const MaskImage& body, const WallParams& params = {});

}  // namespace l3::bodycomp
