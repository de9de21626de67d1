// The bony pelvis below the iliac blades and the hips, placed from the femoral head (Anatomy::hip)
// with sizes measured on the real pelvis of the spine atlas (s0328): the body of the ilium (a
// thick oval from the blades down to the acetabulum), the acetabular cup, femoral head, neck,
// greater trochanter and shaft, the pubic rami meeting at the symphysis in front, and the ischia
// behind. Without them a phantom's bone ended in two endless iliac blades, unlike any real scan.
#include "l3slice/phantom/anatomy.h"

namespace l3::phantom_detail {
namespace {

struct Vec3 {
  double x = 0.0, y = 0.0, z = 0.0;
};

// Distance from p to the 3-D segment a-b.
double segment_distance3(Vec3 p, Vec3 a, Vec3 b) {
  const double dx = b.x - a.x, dy = b.y - a.y, dz = b.z - a.z;
  const double len2 = dx * dx + dy * dy + dz * dz;
  const double t = len2 > 0.0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy + (p.z - a.z) * dz) / len2, 0.0, 1.0) : 0.0;
  const double ex = p.x - a.x - t * dx, ey = p.y - a.y - t * dy, ez = p.z - a.z - t * dz;
  return std::sqrt(ex * ex + ey * ey + ez * ez);
}

struct HipPainter {
  const Anatomy& a;
  const Frame& f;
  Section& s;
  double cortex;

  void bone(std::size_t p, double depth, double marrow_hu) const {
    if (s.tissue_at(p) == Tissue::bone) return;  // keep what another bone painted
    s.set(p, Tissue::bone, depth < cortex ? a.cortical_hu : marrow_hu);
    s.vertebra[p] = s.body[p] = 0;
  }
  // A rounded rod between two 3-D points (left side; mirrored), cut at this section's height.
  void rod(Vec3 p0, Vec3 p1, double radius, double marrow_hu) const {
    if (f.z < std::min(p0.z, p1.z) - radius || f.z > std::max(p0.z, p1.z) + radius) return;
    for (double side : {-1.0, 1.0}) {
      const double x0 = side * p0.x, x1 = side * p1.x;
      s.for_box(std::min(x0, x1) - radius, std::max(x0, x1) + radius, std::min(p0.y, p1.y) - radius,
                std::max(p0.y, p1.y) + radius, [&](std::size_t p, double x, double y) {
                  const double d = segment_distance3({side * x, y, f.z}, p0, p1);
                  if (d <= radius) bone(p, radius - d, marrow_hu);
                });
    }
  }
};

}  // namespace

void paint_hips(const Anatomy& a, const Frame& f, Section& s) {
  const Hip& h = a.hip;
  const double r = h.radius, bs = std::sqrt(a.options.body_scale);
  if (f.z > a.sacrum_top || f.z < h.z - 400.0) return;
  const HipPainter hp{a, f, s, std::max(1.5, 0.75 * s.pixel_mm())};
  const double marrow = a.trabecular_hu, fatty_marrow = 30.0;
  // Body of the ilium: an oval column from the blade down to the acetabular roof, sweeping from
  // the sacroiliac joint out to above the femoral head. Seen from the front it is the pelvic brim,
  // the brightest line of a real pelvis (the spine atlas's), running down and out from the sacrum.
  const double top = a.sacrum_top - 5.0, roof = h.z + 0.6 * r;  // from the joint's top
  if (f.z <= top && f.z >= roof) {
    const double t = (top - f.z) / (top - roof);
    const Vec2 joint = sacroiliac_joint(a);
    const Vec2 c{lerp(joint.x + 7.0, h.x, t), lerp(joint.y, h.y, t)};  // the column's axis, just outside the joint
    const double ax = 16.0 * bs, ay = lerp(36.0, 26.0, t) * bs;
    for (double side : {-1.0, 1.0})
      s.for_box(side * c.x - ax, side * c.x + ax, c.y - ay, c.y + ay, [&](std::size_t p, double x, double y) {
        const double q = length((side * x - c.x) / ax, (y - c.y) / ay);
        if (q <= 1.0) hp.bone(p, (1.0 - q) * ax, marrow);
      });
  }
  // Acetabulum: a cup around the head, open laterally and downwards.
  if (std::abs(f.z - h.z) < r + 9.0) {
    for (double side : {-1.0, 1.0})
      s.for_box(side * h.x - r - 9.0, side * h.x + r + 9.0, h.y - r - 9.0, h.y + r + 9.0, [&](std::size_t p, double x, double y) {
        const double lateral = side * x - h.x, d = std::sqrt(lateral * lateral + (y - h.y) * (y - h.y) + (f.z - h.z) * (f.z - h.z));
        if (d > r + 1.5 && d < r + 8.0 && lateral < 0.35 * d && f.z - h.z > -0.5 * r) hp.bone(p, 0.0, marrow);
      });
  }
  // Femur: head, neck, greater trochanter, shaft (fatty marrow inside its cortex).
  const Vec3 head{h.x, h.y, h.z};
  hp.rod(head, head, r, marrow);
  const Vec3 trochanter{h.x + 44.0 * bs, h.y + 6.0 * bs, h.z - 18.0};
  hp.rod(head, trochanter, 13.0 * bs, marrow);
  hp.rod(trochanter, {h.x + 42.0 * bs, h.y + 4.0 * bs, h.z - 45.0}, 15.0 * bs, marrow);
  hp.rod({h.x + 38.0 * bs, h.y, h.z - 45.0}, {h.x + 22.0 * bs, h.y - 12.0 * bs, h.z - 400.0}, 13.0 * bs, fatty_marrow);
  // Pubis: superior ramus to the symphysis in front; inferior ramus back to the ischial tuberosity.
  const Vec3 symphysis_top{12.0, h.y - 50.0 * bs, h.z - 22.0}, symphysis_bottom{14.0, h.y - 45.0 * bs, h.z - 55.0};
  const Vec3 tuberosity{h.x - 15.0 * bs, h.y + 22.0 * bs, h.z - 65.0};
  hp.rod({h.x - 15.0 * bs, h.y - 18.0 * bs, h.z - 5.0}, symphysis_top, 9.0 * bs, marrow);
  hp.rod(symphysis_top, symphysis_bottom, 10.0 * bs, marrow);
  hp.rod(symphysis_bottom, tuberosity, 7.0 * bs, marrow);
  // Ischium: from behind the acetabulum down to the tuberosity.
  hp.rod({h.x - 12.0 * bs, h.y + 18.0 * bs, h.z - 5.0}, tuberosity, 12.0 * bs, marrow);
}

}  // namespace l3::phantom_detail
