// Ribs (thoracic vertebrae only): from the transverse process tip around the body wall, sloping
// down, the lower ones shorter (T11, T12 floating). And the sternum in front of the chest.
#include "l3slice/phantom/anatomy.h"

namespace l3::phantom_detail {

void paint_ribs(const Anatomy& a, const Frame& f, Section& s) {
  constexpr double half_thickness = 3.2, half_height = 4.5;
  const double cortex = std::max(1.5, 0.75 * s.pixel_mm());
  std::vector<const Rib*> near;
  for (const Rib& rib : a.ribs)
    if (f.z < rib.z0 + half_height && f.z > rib.z_at(rib.sweep) - half_height) near.push_back(&rib);
  if (near.empty()) return;
  s.for_all([&](std::size_t p, double x, double y) {
    const int b = s.angle_bin(p);
    if (s.radius(p) > f.fascia[b] || s.radius(p) < 25.0) return;
    for (const Rib* rib : near) {
      // Around its (shifted) vertebra near the spine, around the body's centre at the flank.
      const double near_spine = 1.0 - smoothstep(0.0, 1.2, rib->theta0 - std::atan2(y, std::abs(x - rib->head_shift)));
      const double xr = x - rib->head_shift * near_spine;
      const double psi = std::atan2(y, std::abs(xr));  // mirrored onto the left side
      const double along = rib->theta0 - psi;
      if (along < 0.0 || along > rib->sweep) continue;
      // The section's stored radius on a straight spine: those phantoms stay bit-identical.
      const double r = rib->head_shift == 0.0 ? s.radius(p) : length(xr, y);
      const double r_rib = lerp(rib->r0, f.ring_inner[b] + 4.5, smoothstep(0.0, 0.5, along));
      const double z_rib = rib->z_at(along);
      const double dr = half_thickness - std::abs(r - r_rib), dz = half_height - std::abs(f.z - z_rib);
      if (dr < 0.0 || dz < 0.0) continue;
      s.set(p, Tissue::bone, std::min(dr, dz) < cortex ? a.cortical_hu : a.trabecular_hu);
      s.vertebra[p] = s.body[p] = 0;
      return;
    }
  });
  // Sternum down to the xiphoid, about at the level of the domes.
  if (f.z > a.dome_right - 20.0) {
    const int front_bin = Section::angle_bins / 4;  // angle -pi/2: straight anterior
    const double y_inner = -f.ring_inner[front_bin];
    s.for_box(-14.0, 14.0, y_inner - 4.0, y_inner + 6.0, [&](std::size_t p, double x, double y) {
      const double dy = std::min(y - (y_inner - 4.0), y_inner + 6.0 - y), dx = 14.0 - std::abs(x);
      s.set(p, Tissue::bone, std::min(dx, dy) < cortex ? a.cortical_hu : a.trabecular_hu);
    });
  }
}

}  // namespace l3::phantom_detail
