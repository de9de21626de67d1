// Air, CT table, skin, subcutaneous fat, the abdominal/chest wall muscle ring and the cavity.
#include "l3slice/phantom/anatomy.h"

namespace l3::phantom_detail {

void paint_body_wall(const Anatomy& a, const Frame& f, Section& s) {
  const double px = s.pixel_mm();
  if (a.options.table) {
    // Carbon-fibre shells around a foam core, slightly curved.
    const double half_width = 210.0;
    s.for_box(-half_width, half_width, a.table_y - 20.0, a.table_y + 15.0, [&](std::size_t p, double x, double y) {
      const double top = a.table_y - 0.0006 * x * x;
      const double d = y - top;
      if (d < 0.0 || d > 14.0) return;
      // Real shells are 1-2 mm thin; wider on a coarse grid so that every column samples one.
      const double shell = std::max(1.5, 0.6 * px);
      s.set(p, Tissue::table, (d < shell || d > 14.0 - shell) ? 250.0 : -850.0);
    });
  }
  const double skin = std::max(2.0, 0.9 * px);
  s.for_all([&](std::size_t p, double, double) {
    const double r = s.radius(p);
    const int b = s.angle_bin(p);
    if (r > f.skin_outer[b]) return;
    if (r > f.skin_outer[b] - skin) return s.set(p, Tissue::skin, a.skin_hu);
    if (r > f.fascia[b]) return s.set(p, Tissue::subcutaneous_fat, a.fat_hu);
    if (r > f.ring_inner[b]) {
      const double th = s.angle(p);
      const double depth = f.fascia[b] - r, ring = f.fascia[b] - f.ring_inner[b];
      // Fat planes between the flat muscles, ~2 mm wide in a 15 mm wall, thinner in a thin wall,
      // whatever the pixel size (point sampling still shows them on coarse grids).
      const double streak = 0.07 * ring;
      // External oblique | internal oblique | transversus at the flanks.
      const bool flank = std::abs(std::cos(th)) > 0.45 && std::sin(th) < 0.45 && f.thorax < 0.5;
      if (flank && (std::abs(depth - 0.36 * ring) < streak || std::abs(depth - 0.7 * ring) < streak))
        return s.set(p, Tissue::intermuscular_fat, a.imat_hu);
      return s.set(p, Tissue::muscle, a.muscle_hu);
    }
    s.set(p, Tissue::visceral_fat, a.fat_hu);
  });
}

}  // namespace l3::phantom_detail
