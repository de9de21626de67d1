// Iliac wings (blades) from the sacroiliac joints flaring out and forward, their crests reaching
// the L4 body, down to the joint's bottom (the rest of the pelvis: paint_hips.cpp); iliacus on
// their inner face and gluteal muscles outside.
#include "l3slice/phantom/anatomy.h"

namespace l3::phantom_detail {
namespace {

constexpr int curve_points = 24;

Vec2 bezier(Vec2 p0, Vec2 c, Vec2 p1, double t) {
  const double u = 1.0 - t;
  return {u * u * p0.x + 2 * u * t * c.x + t * t * p1.x, u * u * p0.y + 2 * u * t * c.y + t * t * p1.y};
}

}  // namespace

void paint_pelvis(const Anatomy& a, const Frame& f, Section& s) {
  if (f.z > a.iliac_crest_top) return;
  const PhantomOptions& o = a.options;
  const double bs = o.body_scale, ms = o.muscle_scale;
  // Gluteus maximus: behind the sacrum and ilium, growing downwards, meeting in the midline
  // below the sacrum.
  const double below_s1 = a.sacrum_top - 15.0 - f.z;
  if (below_s1 > 0.0) {
    const double grow = std::min(1.0, below_s1 / 60.0);
    const double ga = (30.0 + 40.0 * grow) * ms * bs, gb = (12.0 + 22.0 * grow) * ms * bs;
    for (double side : {-1.0, 1.0}) {
      const Vec2 c{side * (25.0 + 40.0 * grow) * bs, f.fascia_b_post - 0.6 * gb};
      s.for_box(c.x - ga, c.x + ga, c.y - gb, c.y + gb, [&](std::size_t p, double x, double y) {
        const double q = std::pow((x - c.x) / ga, 2) + std::pow((y - c.y) / gb, 2);
        if (q <= 1.0 && s.radius(p) < f.fascia[s.angle_bin(p)]) s.set(p, Tissue::muscle, a.muscle_hu);
      });
    }
  }
  const double sacrum_y = spine_y_at(a, a.sacrum_top);
  // The left wing (x > 0); the right one is its mirror image.
  const Vec2 joint = sacroiliac_joint(a);
  const Vec2 asis{0.84 * a.fascia_a * 1.07, sacrum_y - 85.0 * bs};
  const Vec2 bulge{0.95 * a.fascia_a, sacrum_y + 20.0 * bs};
  const auto crest = [&](double t) {  // height of the crest along the wing
    return t < 0.4 ? lerp(a.ala_top - 5.0, a.iliac_crest_top, 1.0 - std::pow((0.4 - t) / 0.4, 2))
                   : lerp(a.iliac_crest_top, a.asis_z, std::pow((t - 0.4) / 0.6, 2));
  };
  Vec2 pts[curve_points + 1];
  for (int i = 0; i <= curve_points; ++i) pts[i] = bezier(joint, bulge, asis, double(i) / curve_points);
  const double cortex = std::max(1.5, 0.75 * s.pixel_mm());
  const double iliacus = 14.0 * ms * bs, gluteal = 30.0 * ms * bs;
  s.for_box(-f.fascia_a * 1.2, f.fascia_a * 1.2, asis.y - 30.0, joint.y + 60.0, [&](std::size_t p, double x, double y) {
    const Vec2 q{std::abs(x), y};
    if (q.x < joint.x - 25.0) return;
    // Nearest point of the curve.
    double best = 1e9, best_t = 0.0;
    Vec2 best_pt;
    for (int i = 0; i < curve_points; ++i) {
      const Vec2 p0 = pts[i], p1 = pts[i + 1];
      const double dx = p1.x - p0.x, dy = p1.y - p0.y;
      const double u = std::clamp(((q.x - p0.x) * dx + (q.y - p0.y) * dy) / (dx * dx + dy * dy), 0.0, 1.0);
      const Vec2 c{p0.x + u * dx, p0.y + u * dy};
      const double d = length(q.x - c.x, q.y - c.y);
      if (d < best) best = d, best_t = (i + u) / curve_points, best_pt = c;
    }
    const double top = crest(best_t);
    // The blade ends at the sacroiliac joint's bottom; its front (ASIS, AIIS) a little higher.
    if (f.z > top || f.z < a.blade_bottom || (best_t > 0.85 && f.z < a.asis_z - 20.0)) return;
    const double below_crest = top - f.z;
    // Thin in the iliac fossa (about 6 mm on the real atlas), thick at the crest and the joint.
    const double half = 1.8 + 6.0 * std::exp(-best_t / 0.12) + 3.0 * std::exp(-below_crest / 10.0) +
                        std::min(2.0, 0.02 * below_crest);
    const bool inner = length(q.x, q.y) < length(best_pt.x, best_pt.y);
    if (best <= half) {
      s.set(p, Tissue::bone, half - best < cortex ? a.cortical_hu : a.trabecular_hu);
      s.vertebra[p] = s.body[p] = 0;
      return;
    }
    if (best_t <= 0.05 || best_t >= 0.97 || s.tissue_at(p) == Tissue::bone) return;
    const bool in_fascia = s.radius(p) < f.fascia[s.angle_bin(p)];
    const double grow = std::min(1.0, below_crest / 25.0);  // muscles thicken below the crest
    if (in_fascia && ((inner && best < half + iliacus * grow) || (!inner && best < half + gluteal * grow)))
      s.set(p, Tissue::muscle, a.muscle_hu);
  });
}

}  // namespace l3::phantom_detail
