#pragma once
// A hand-made axial abdominal slice with known tissue areas, independent of the phantom module:
// elliptical body with skin, subcutaneous fat, a muscle wall ring (thicker at the back), a visceral
// cavity of fat with organs (muscle-like HU), a vertebra with a spinal canal, psoas muscles, an
// IMAT streak in the back muscles, bowel gas, and a CT table below the body.
#include <cmath>
#include <random>

#include "l3slice/bodycomp/body_composition.h"

namespace l3::bodycomp::testing {

struct SyntheticSlice {
  HuImage slice;
  MaskImage truth;  // BodyLabel per pixel (what the tissue IS, not what a threshold says)
};

struct SyntheticOptions {
  int nx = 256, ny = 200;
  double sx = 1.6, sy = 1.6;      // mm
  double fat_mm = 25.0;           // subcutaneous fat thickness
  double wall_mm = 12.0;          // abdominal wall thickness
  double noise_hu = 10.0;
  unsigned seed = 1;
  bool table = true;
};

inline double ellipse(double x, double y, double cx, double cy, double ax, double ay) {
  return (x - cx) * (x - cx) / (ax * ax) + (y - cy) * (y - cy) / (ay * ay);
}

inline SyntheticSlice make_synthetic_slice(const SyntheticOptions& o) {
  Grid g;
  g.size = {o.nx, o.ny, 1};
  g.spacing = {o.sx, o.sy, 3.0};
  SyntheticSlice s{HuImage(g, -1000), MaskImage(g, uint8_t(BodyLabel::outside))};
  std::mt19937 rng(o.seed);
  std::normal_distribution<double> noise(0.0, o.noise_hu);
  const double W = o.nx * o.sx, H = o.ny * o.sy;
  const double cx = W / 2, cy = H * 0.45;                 // body centre (mm)
  const double ax = 150, ay = 105;                        // body semi-axes (mm)
  const double skin = 2.0, fat = o.fat_mm, wall = o.wall_mm;
  const double vx = cx, vy = cy + ay - fat - 75;          // vertebral body centre
  for (int y = 0; y < o.ny; ++y)
    for (int x = 0; x < o.nx; ++x) {
      const double px = x * o.sx, py = y * o.sy;
      int hu = -1000;
      BodyLabel t = BodyLabel::outside;
      const double table_top = cy + ay + 12;
      if (o.table && py > table_top && py < table_top + 8 && std::abs(px - cx) < 190) hu = 300;
      // Distances inwards from the skin along the ellipse, approximated by shrinking the axes.
      auto inside = [&](double inset, double extra_back = 0) {
        const double back = py > cy ? extra_back : 0;
        return ellipse(px, py, cx, cy, ax - inset, ay - inset - back) <= 1.0;
      };
      if (inside(0)) { hu = 40; t = BodyLabel::other; }                       // skin
      if (inside(skin)) { hu = -100; t = BodyLabel::subcutaneous_fat; }
      if (inside(skin + fat)) { hu = 55; t = BodyLabel::muscle; }             // wall / back muscle
      if (inside(skin + fat + wall, 25)) { hu = -95; t = BodyLabel::visceral_fat; }
      // Organs and bowel gas in the cavity, away from the wall.
      if (ellipse(px, py, cx - 55, cy - 40, 22, 14) <= 1) { hu = 45; t = BodyLabel::other; }
      if (ellipse(px, py, cx + 50, cy - 42, 20, 13) <= 1) { hu = 35; t = BodyLabel::other; }
      if (ellipse(px, py, cx + 5, cy - 55, 9, 6) <= 1) { hu = -900; t = BodyLabel::other; }
      // Aorta in front of the vertebra: soft tissue that is not muscle.
      if (ellipse(px, py, vx - 12, vy - 38, 10, 10) <= 1) { hu = 40; t = BodyLabel::other; }
      // Psoas either side of the vertebral body.
      for (double side : {-1.0, 1.0})
        if (ellipse(px, py, vx + side * 40, vy + 2, 18, 22) <= 1) { hu = 50; t = BodyLabel::muscle; }
      // Vertebral body (cortex + trabecular), arch around the canal, spinous process.
      const double body_e = ellipse(px, py, vx, vy, 22, 17);
      if (body_e <= 1) { hu = body_e > 0.75 ? 700 : 220; t = BodyLabel::bone; }
      const double arch_e = ellipse(px, py, vx, vy + 30, 16, 14);
      if (arch_e <= 1) { hu = arch_e > 0.45 ? 600 : 15; t = BodyLabel::bone; }  // canal counts as excluded
      if (std::abs(px - vx) < 4 && py > vy + 42 && py < vy + 62) { hu = 600; t = BodyLabel::bone; }
      // IMAT streak inside the right back muscles.
      if (ellipse(px, py, vx - 38, vy + 45, 10, 3) <= 1 && t == BodyLabel::muscle) {
        hu = -90;
        t = BodyLabel::intermuscular_fat;
      }
      s.truth.at(x, y, 0) = uint8_t(t);
      s.slice.at(x, y, 0) = int16_t(std::lround(hu + (hu > -1000 ? noise(rng) : 0.0)));
    }
  return s;
}

// Area (cm2) of the truth pixels of one tissue.
inline double truth_cm2(const SyntheticSlice& s, BodyLabel label) {
  long n = 0;
  for (auto v : s.truth.voxels) n += v == uint8_t(label);
  return n * s.slice.grid.spacing[0] * s.slice.grid.spacing[1] / 100.0;
}

inline CtScan as_scan(const HuImage& slice, int copies = 1) {
  CtScan ct;
  Grid g = slice.grid;
  g.size[2] = copies;
  ct.hu = HuImage(g);
  for (int z = 0; z < copies; ++z)
    std::copy(slice.voxels.begin(), slice.voxels.end(), ct.hu.slice(z));
  ct.slices.resize(copies);
  for (int z = 0; z < copies; ++z) ct.slices[z].z_mm = z * g.spacing[2];
  ct.source = "synthetic.nii.gz";
  return ct;
}

}  // namespace l3::bodycomp::testing
