// The spine: vertebral bodies (cortical rim, trabecular core, endplates), discs, posterior
// elements (pedicles, laminae, articular, transverse and spinous processes), the sacrum and the
// spinal canal. Labels follow VerSe: the canal is not part of any vertebra.
#include "l3slice/phantom/anatomy.h"

namespace l3::phantom_detail {
namespace {

struct BonePainter {
  const Anatomy& a;
  Section& s;
  double cortex;

  void bone(std::size_t p, double depth, int vertebra, bool body, double marrow_hu) const {
    s.set(p, Tissue::bone, depth < cortex ? a.cortical_hu : marrow_hu);
    s.vertebra[p] = static_cast<uint16_t>(vertebra);
    if (body) s.body[p] = static_cast<uint16_t>(vertebra);
  }
  void bone(std::size_t p, double depth, int vertebra, bool body) const {
    bone(p, depth, vertebra, body, a.trabecular_hu);
  }
  // A rod between two points with rounded ends.
  void capsule(Vec2 p0, Vec2 p1, double radius, int vertebra, double marrow_hu) const {
    s.for_box(std::min(p0.x, p1.x) - radius, std::max(p0.x, p1.x) + radius, std::min(p0.y, p1.y) - radius,
              std::max(p0.y, p1.y) + radius, [&](std::size_t p, double x, double y) {
                const double d = segment_distance({x, y}, p0, p1);
                if (d <= radius) bone(p, radius - d, vertebra, false, marrow_hu);
              });
  }
  void capsule(Vec2 p0, Vec2 p1, double radius, int vertebra) const { capsule(p0, p1, radius, vertebra, a.trabecular_hu); }
  void both_sides(Vec2 p0, Vec2 p1, double radius, int vertebra, double marrow_hu) const {
    capsule(p0, p1, radius, vertebra, marrow_hu);
    capsule({-p0.x, p0.y}, {-p1.x, p1.y}, radius, vertebra, marrow_hu);
  }
  void both_sides(Vec2 p0, Vec2 p1, double radius, int vertebra) const { both_sides(p0, p1, radius, vertebra, a.trabecular_hu); }
};

// Inside the body outline (ellipse, flat at the back): depth below the surface in mm, or < 0.
double body_depth(const Frame& f, double x, double y) {
  const double w = f.body_half_width, d = f.body_half_depth;
  const double q = length(x / w, (y - f.spine_y) / d);
  const double back = f.spine_y + d * (0.72 + 0.2 * (x / w) * (x / w));
  return std::min((1.0 - q) * std::min(w, d), back - y);
}

void paint_posterior_elements(const Vertebra& v, const Frame& f, const BonePainter& bp) {
  const double z = f.z, lo = v.body_lo, hi = v.body_hi, h = v.height();
  const double rc = std::max(f.canal_radius, 6.0), cy = f.canal_y;
  const bool th = v.thoracic();
  const int label = v.label;
  const double rod = th ? 3.2 : 4.0;
  const double ped_x = rc + 0.8 * rod;
  if (z > lo + 0.45 * h && z < hi - 0.08 * h)  // pedicles
    bp.both_sides({ped_x, f.spine_y + 0.55 * f.body_half_depth}, {ped_x, cy + 0.3 * rc}, rod, label);
  if (z > lo - 0.1 * h && z < hi - 0.15 * h)  // laminae
    bp.both_sides({ped_x, cy + 0.3 * rc}, {0.0, cy + rc + 3.5}, 0.85 * rod, label);
  if (z > hi - 0.25 * h && z < hi + 0.7 * v.disc_above)  // superior articular processes
    bp.both_sides({rc + 5.0, cy + 2.0}, {rc + 9.0, cy + rc + 2.0}, 3.5, label);
  if (z > lo - 0.85 * v.disc_below && z < lo + 0.3 * h)  // inferior articular processes
    bp.both_sides({rc + 2.0, cy + rc + 1.0}, {rc + 3.5, cy + rc + 9.0}, 3.2, label);
  // Transverse processes: sideways in the lumbar spine, backwards-outwards in the chest (where the
  // ribs attach to their tips).
  for (int side = 0; side < 2; ++side) {
    const double sign = side == 0 ? -1.0 : 1.0, len = v.transverse_len[side];
    if (th && z > lo + 0.35 * h && z < hi + 0.15 * h)
      bp.capsule({sign * ped_x, cy}, {sign * (rc + 3.0 + 0.75 * len), cy + 0.6 * len}, 4.0, label);
    if (!th && z > lo + 0.45 * h && z < hi - 0.12 * h) {
      const double r = label == bp.a.vertebrae.back().label ? 5.5 : 4.0;  // the last lumbar's are stout
      bp.capsule({sign * ped_x, cy - 2.0}, {sign * (ped_x + len), cy - 5.0}, r, label);
    }
  }
  // Spinous process: a plate going back (lumbar), or a rod sloping steeply down (thoracic),
  // so an axial cut shows only part of it.
  const double top = th ? lo + 0.45 * h : lo + 0.6 * h;
  const double bottom = th ? lo - 1.0 * h - v.disc_below : lo - 0.35 * h;
  if (z < top && z > bottom) {
    const double y0 = cy + rc + 3.0, len = v.spinous_len;
    double from = 0.0, to = 1.0;
    if (th) {
      const double t = (top - z) / (top - bottom);
      from = std::max(0.0, t - 0.25);
      to = std::min(1.0, t + 0.25);
    }
    bp.capsule({0.0, y0 + from * len}, {0.0, y0 + to * len}, th ? 3.5 : 3.0, label);
  }
}

// Above S1's anterior endplate: the tops of the alae, behind and beside the last lumbar body
// (the sacral base slopes down to the front), narrowing to their rounded top.
void paint_ala_tops(const Anatomy& a, const Frame& f, const BonePainter& bp) {
  const double u = (f.z - a.sacrum_top) / (a.ala_top - a.sacrum_top);  // 0 at the endplate .. 1 at the top
  const double y = spine_y_at(a, a.sacrum_top) + (0.5 + 0.3 * u) * sacral_base_half_depth(a);
  const double reach = 2.0 * a.sacrum_half_width * (1.0 - 0.25 * u);
  const double r = 13.0 * std::sqrt(a.options.body_scale) * std::sqrt(std::max(0.0, 1.0 - u * u));
  if (r < 1.0) return;
  const double inner = std::max(0.75 * a.sacrum_half_width, reach - 3.0 * r);
  bp.both_sides({inner, y}, {reach - r, y}, r, verse::sacrum);
}

void paint_sacrum(const Anatomy& a, const Frame& f, const BonePainter& bp) {
  const double below = a.sacrum_top - f.z;
  const double t = below / a.sacrum_length;
  const int label = verse::sacrum;
  const bool s1 = below < 28.0 * a.options.vertebra_scale;  // the S1 segment's body
  // The sacrum is fatty: on the real spine atlas (s0328) only its cortex passes 200 HU, so it is dim
  // in a bone projection. Dense bone ends 10-15 mm below S1's top there (the S1 body is tilted
  // forward about 40 degrees, so its dense core spans little height).
  const bool dense = below < 12.0 * a.options.vertebra_scale;
  const double marrow = dense ? a.trabecular_hu : std::min(a.trabecular_hu, 140.0);
  bp.s.for_box(-f.body_half_width, f.body_half_width, f.spine_y - f.body_half_depth, f.spine_y + f.body_half_depth,
               [&](std::size_t p, double x, double y) {
                 const double d = body_depth(f, x, y);
                 if (d >= 0.0) bp.bone(p, below < 1.2 ? 0.0 : d, label, s1, marrow);
               });
  // Alae out to the sacroiliac joints, thinning downwards.
  if (t < 0.55) {
    const double reach = 2.0 * a.sacrum_half_width * (1.0 - 0.35 * t / 0.55);
    const double r = 13.0 * std::sqrt(a.options.body_scale) * (1.0 - 0.6 * t / 0.55);
    bp.both_sides({0.5 * f.body_half_width, f.spine_y + 0.2 * f.body_half_depth},
                  {reach - r, f.spine_y + 0.5 * f.body_half_depth}, r, label, marrow);
  }
  // Dorsal wall of the sacral canal and the median crest.
  const double rc = f.canal_radius, cy = f.canal_y;
  bp.capsule({-(rc + 8.0), cy + rc + 1.0}, {rc + 8.0, cy + rc + 1.0}, 3.5, label);
  bp.capsule({0.0, cy + rc + 1.0}, {0.0, cy + rc + 6.0}, 2.5, label);  // tubercles, not a plate
}

}  // namespace

void paint_spine(const Anatomy& a, const Frame& f, Section& s) {
  const BonePainter bp{a, s, std::max(1.5, 0.75 * s.pixel_mm())};
  if (f.body_label != 0 || f.disc) {
    const Vertebra* v = f.body_label ? &a.by_label(f.body_label) : nullptr;
    s.for_box(-f.body_half_width, f.body_half_width, f.spine_y - f.body_half_depth, f.spine_y + f.body_half_depth,
              [&](std::size_t p, double x, double y) {
                const double d = body_depth(f, x, y);
                if (d < 0.0) return;
                if (!v) return s.set(p, Tissue::disc, a.disc_hu);
                const double endplate = std::min(f.z - v->body_lo, v->body_hi - f.z);
                bp.bone(p, std::min(d, endplate < 1.2 ? 0.0 : d), v->label, true);
              });
  }
  if (f.sacrum) paint_sacrum(a, f, bp);
  else if (f.z > a.sacrum_top && f.z < a.ala_top) paint_ala_tops(a, f, bp);
  for (const Vertebra& v : a.vertebrae)
    if (f.z > v.body_lo - v.height() - v.disc_below - 2.0 && f.z < v.body_hi + v.disc_above)
      paint_posterior_elements(v, f, bp);
  if (f.canal_radius > 0.0) {
    const double r = f.canal_radius;
    s.for_box(-r, r, f.canal_y - r, f.canal_y + r, [&](std::size_t p, double x, double y) {
      if (length(x, y - f.canal_y) > r) return;
      s.set(p, Tissue::spinal_canal, a.canal_hu);
      s.vertebra[p] = s.body[p] = 0;
    });
  }
}

}  // namespace l3::phantom_detail
