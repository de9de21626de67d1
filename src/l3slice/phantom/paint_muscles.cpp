// The back muscles (erector spinae / multifidus, quadratus lumborum: one block behind the spine,
// split by fat planes), psoas beside the lumbar spine, and fat streaks inside them.
#include <algorithm>

#include "l3slice/phantom/anatomy.h"

namespace l3::phantom_detail {

void paint_muscles(const Anatomy& a, const Frame& f, Section& s) {
  const PhantomOptions& o = a.options;
  const double bs = o.body_scale, ms = o.muscle_scale, px = s.pixel_mm();
  const double depth = std::max(f.body_half_depth, 10.0);
  const double streak = std::max(1.0, 0.3 * px);  // half-width of the midline fat plane (mm)

  // Erector spinae + multifidus: one mass each side of the spinous processes, rounded in front,
  // flattened by the fascia behind; smaller in the chest (where the lungs reach back beside the
  // spine) and thin over the sacrum.
  const double es_a = 28.0 * std::sqrt(ms * bs) * (1.0 - 0.2 * f.thorax);
  const double es_b = 34.0 * std::sqrt(ms * bs) * (1.0 - 0.25 * f.thorax);
  const double es_x = 3.0 + es_a, es_y = f.canal_y + 0.7 * es_b - 4.0 + 8.0 * f.thorax;
  const double spinous_tip = f.canal_y + f.canal_radius + 4.0 + 27.0 * std::sqrt(bs);
  s.for_box(-es_x - es_a, es_x + es_a, es_y - es_b, f.fascia_b_post * 1.3, [&](std::size_t p, double x, double y) {
    const double q = std::pow((std::abs(x) - es_x) / es_a, 2) + std::pow((y - es_y) / es_b, 2);
    if (q > 1.0 && !(y > es_y && std::abs(std::abs(x) - es_x) < es_a)) return;  // flat towards the back
    if (s.radius(p) > f.fascia[s.angle_bin(p)]) return;
    if (std::abs(x) < streak && y > spinous_tip) return s.set(p, Tissue::intermuscular_fat, a.imat_hu);
    s.set(p, Tissue::muscle, a.muscle_hu);
  });
  // Quadratus lumborum: from the 12th rib to the iliac crest, lateral to the transverse processes
  // and against the erector spinae (real CT: no fat between them; it was drawn 16 mm off).
  const Vertebra& t12 = a.by_label(verse::T12);
  const double z_t12 = 0.5 * (t12.body_lo + t12.body_hi);
  if (f.z < z_t12 && f.z > a.iliac_crest_top - 10.0) {
    const double size = std::min(smoothstep(z_t12, z_t12 - 60.0, f.z), smoothstep(a.iliac_crest_top - 10.0, a.iliac_crest_top + 20.0, f.z));
    const double qa = 20.0 * ms * std::sqrt(bs) * (0.3 + 0.7 * size), qb = 11.0 * ms * std::sqrt(bs) * (0.3 + 0.7 * size);
    // The erector's lateral edge at the quadratus's depth; the quadratus overlaps it by 4 mm.
    const double es_lateral = es_x + es_a * std::sqrt(std::max(0.0, 1.0 - std::pow((f.canal_y - 2.0 - es_y) / es_b, 2)));
    for (double side : {-1.0, 1.0}) {
      const Vec2 c{side * (es_lateral + 0.9 * qa - 4.0), f.canal_y - 2.0};
      const double rot = side * 0.45;
      s.for_box(c.x - qa, c.x + qa, c.y - qa, c.y + qa, [&](std::size_t p, double x, double y) {
        const double dx = x - c.x, dy = y - c.y;
        const double u = dx * std::cos(rot) + dy * std::sin(rot), v = -dx * std::sin(rot) + dy * std::cos(rot);
        if ((u / qa) * (u / qa) + (v / qb) * (v / qb) <= 1.0 && s.radius(p) < f.fascia[s.angle_bin(p)])
          s.set(p, Tissue::muscle, a.muscle_hu);
      });
    }
  }
  // Marbling: short fat tubes inside the erector spinae, more with adiposity.
  for (std::size_t i = 0; i < a.imat_spots.size(); ++i) {
    if (std::sin(f.z / 18.0 + 1.7 * double(i)) < 0.2) continue;
    const Vec2 spot = a.imat_spots[i];
    for (double side : {-1.0, 1.0}) {
      const Vec2 c{side * (es_x + 0.7 * spot.x * es_a), es_y + 0.7 * spot.y * es_b};
      const double r = std::max(1.5, 0.45 * px);
      s.for_box(c.x - r, c.x + r, c.y - r, c.y + r, [&](std::size_t p, double x, double y) {
        if (s.tissue_at(p) == Tissue::muscle && length(x - c.x, y - c.y) <= r)
          s.set(p, Tissue::intermuscular_fat, a.imat_hu);
      });
    }
  }

  // Psoas: appears at T12, grows down to L4-L5, then turns anterolaterally into the pelvis.
  const Vertebra& l4 = a.by_label(verse::L4);
  const double size = smoothstep(0.5 * (t12.body_lo + t12.body_hi), 0.5 * (l4.body_lo + l4.body_hi), f.z);
  if (f.z < 0.5 * (t12.body_lo + t12.body_hi) && f.z > a.sacrum_top - 130.0) {
    const double rp = std::max(0.0, 24.0 * ms * std::sqrt(bs) * (0.15 + 0.85 * size));
    const double below = std::max(0.0, a.sacrum_top + 10.0 - f.z);
    const double ref_y = spine_y_at(a, std::max(f.z, a.sacrum_top + 10.0));
    const double half_width = a.by_label(verse::L3).half_width;
    for (double side : {-1.0, 1.0}) {
      const Vec2 c{side * (half_width + 0.8 * rp - 1.0 + 0.35 * below), ref_y + 0.1 * depth - 0.5 * below};
      const double ra = rp * 0.95, rb = rp * 0.85;
      s.for_box(c.x - ra, c.x + ra, c.y - rb, c.y + rb, [&](std::size_t p, double x, double y) {
        const double q = std::pow((x - c.x) / ra, 2) + std::pow((y - c.y) / rb, 2);
        if (q <= 1.0 && s.radius(p) < f.ring_inner[s.angle_bin(p)] + 2.0) s.set(p, Tissue::muscle, a.muscle_hu);
      });
    }
  }
}

}  // namespace l3::phantom_detail
