// Contents of the body cavity: vessels, kidneys, spleen, stomach, liver, bowel (abdomen); heart and
// lungs (chest). Organs only replace visceral fat, so they never cut into the wall or each other.
#include "l3slice/phantom/anatomy.h"

namespace l3::phantom_detail {
namespace {

constexpr double wall_hu = 35.0, fluid_hu = 15.0, gas_hu = -900.0;

bool is_vat(const Section& s, std::size_t p) { return s.tissue_at(p) == Tissue::visceral_fat; }

// Height of the diaphragm over (x, y): two domes (the right one higher) falling off towards a
// lower middle under the heart and towards deep lateral and posterior recesses.
double diaphragm_z(const Anatomy& a, const Frame& f, double x, double y) {
  const double u = x / f.fascia_a, v = y / (0.5 * (f.fascia_b_ant + f.fascia_b_post));
  const auto dome = [&](double top, double uc, double vc) {
    const double du = (u - uc) / 0.6, dv = (v - vc) / (v > vc ? 0.5 : 0.8);
    return top - a.recess_depth * std::min(1.0, du * du + dv * dv);
  };
  return std::max(dome(a.dome_right, -0.35, -0.15), dome(a.dome_left, 0.35, -0.1));
}

// Cross-section of an ellipsoid organ at z (false if z misses it).
bool organ_section(const Organ& o, double z, double& a, double& b) {
  const double t = (z - o.z) / o.half_height;
  if (std::abs(t) >= 1.0) return false;
  const double k = std::sqrt(1.0 - t * t);
  a = o.a * k;
  b = o.b * k;
  return true;
}

// Rotated-ellipse test; returns the normalised radius squared.
double ellipse_q(Vec2 c, double a, double b, double rotation, double x, double y) {
  const double dx = x - c.x, dy = y - c.y;
  const double u = dx * std::cos(rotation) + dy * std::sin(rotation);
  const double v = -dx * std::sin(rotation) + dy * std::cos(rotation);
  return (u / a) * (u / a) + (v / b) * (v / b);
}

template <typename Inside>
void paint_organ(Section& s, const Organ& o, double z, Tissue t, Inside&& extra) {
  double a, b;
  if (!organ_section(o, z, a, b)) return;
  const double r = std::max(a, b);
  s.for_box(o.centre.x - r, o.centre.x + r, o.centre.y - r, o.centre.y + r, [&](std::size_t p, double x, double y) {
    if (is_vat(s, p) && ellipse_q(o.centre, a, b, o.rotation, x, y) <= 1.0 && extra(x, y)) s.set(p, t, o.hu);
  });
}

// A lumen with a soft-tissue wall; gas in its anterior part (the patient lies supine).
void paint_lumen(Section& s, std::size_t p, double dist, double radius, double wall, double y, double cy,
                 double gas_fraction) {
  if (dist > radius - wall) return s.set(p, Tissue::organ, wall_hu);
  const double inner = radius - wall;
  if (y < cy - inner + 2.0 * inner * gas_fraction) return s.set(p, Tissue::bowel_gas, gas_hu);
  s.set(p, Tissue::organ, fluid_hu);
}

void paint_vessels(const Anatomy& a, const Frame& f, Section& s) {
  const double z = f.z;
  const double ref_y = spine_y_at(a, std::max(z, a.sacrum_top + 10.0));
  const double depth = a.by_label(verse::L3).half_depth;
  const double ra = a.aorta_radius;
  auto disc = [&](Vec2 c, double r, double hu) {
    s.for_box(c.x - r, c.x + r, c.y - r, c.y + r, [&](std::size_t p, double x, double y) {
      if (is_vat(s, p) && length(x - c.x, y - c.y) <= r) s.set(p, Tissue::organ, hu);
    });
  };
  const double front = ref_y - depth;
  if (z >= a.aorta_bifurcation) {
    const Vec2 abdomen{12.0, front - ra + 1.0}, chest{22.0, f.spine_y - 0.4 * depth};
    disc({lerp(abdomen.x, chest.x, f.thorax), lerp(abdomen.y, chest.y, f.thorax)}, ra, a.vessel_hu);
  } else if (a.aorta_bifurcation - z < 140.0) {
    const double d = a.aorta_bifurcation - z;
    for (double sign : {-1.0, 1.0}) disc({sign * (9.0 + 0.45 * d), front - ra + 1.0 - 0.25 * d}, 0.65 * ra, a.vessel_hu);
  }
  const double bs = a.options.body_scale;
  if (z >= a.ivc_confluence && z < a.liver_full + 30.0) {
    const Vec2 c{-a.by_label(verse::L3).half_width - 1.0, front - 8.0 * bs};
    const double rx = 13.0 * bs, ry = 9.0 * bs;
    s.for_box(c.x - rx, c.x + rx, c.y - ry, c.y + ry, [&](std::size_t p, double x, double y) {
      if (is_vat(s, p) && ellipse_q(c, rx, ry, 0.0, x, y) <= 1.0) s.set(p, Tissue::organ, a.vessel_hu);
    });
  } else if (z < a.ivc_confluence && a.ivc_confluence - z < 140.0) {
    const double d = a.ivc_confluence - z;
    for (double sign : {-1.0, 1.0}) disc({sign * (8.0 + 0.42 * d), front - 4.0 - 0.2 * d}, 8.0 * bs, a.vessel_hu);
  }
}

void paint_bowel(const Anatomy& a, const Frame& f, Section& s) {
  const double z = f.z;
  for (const Tube& t : a.transverse_colon) {  // runs along x, sagging in the middle
    const double x_lo = t.x0, x_hi = t.x0 + 2.0 * t.wobble_x;
    s.for_box(x_lo, x_hi, t.y0 - t.radius, t.y0 + t.radius, [&](std::size_t p, double x, double y) {
      if (!is_vat(s, p)) return;
      const double u = (x - x_lo) / (x_hi - x_lo);
      const double zc = t.z_lo - t.wobble_y * std::sin(M_PI * u) + 9.0 * std::sin(6.0 * M_PI * u + t.phase_x);
      const double dist = length(y - t.y0, z - zc);
      if (dist <= t.radius) paint_lumen(s, p, dist, t.radius, t.wall, y, t.y0, t.gas_fraction);
    });
  }
  for (const Tube& t : a.bowel) {
    if (z <= t.z_lo || z >= t.z_hi) continue;
    const double taper = std::clamp(std::min(z - t.z_lo, t.z_hi - z) / t.radius, 0.0, 1.0);
    const double r = t.radius * std::sqrt(taper);
    const double cx = t.x0 + t.wobble_x * std::sin(2.0 * M_PI * z / t.period + t.phase_x);
    const double cy = t.y0 + t.wobble_y * std::cos(2.0 * M_PI * z / (1.3 * t.period) + t.phase_y);
    s.for_box(cx - r, cx + r, cy - r, cy + r, [&](std::size_t p, double x, double y) {
      const double dist = length(x - cx, y - cy);
      if (dist <= r && is_vat(s, p)) paint_lumen(s, p, dist, r, t.wall, y, cy, t.gas_fraction);
    });
  }
}

void paint_liver(const Anatomy& a, const Frame& f, Section& s) {
  if (f.z < a.liver_tip) return;
  const double t = std::clamp((f.z - a.liver_tip) / (a.liver_full - a.liver_tip), 0.0, 1.0);
  const double cb = 0.5 * (f.fascia_b_ant + f.fascia_b_post);
  const Vec2 c{-f.fascia_a * (0.35 + 0.3 * (1.0 - t)), cb * (-0.08 + 0.12 * (1.0 - t))};
  const double ea = a.liver_fill * 0.8 * f.fascia_a * (0.3 + 0.7 * t), eb = a.liver_fill * 0.85 * cb * (0.35 + 0.65 * t);
  s.for_box(c.x - ea, c.x + ea, c.y - eb, c.y + eb, [&](std::size_t p, double x, double y) {
    if (is_vat(s, p) && ellipse_q(c, ea, eb, 0.0, x, y) <= 1.0 && f.z < diaphragm_z(a, f, x, y))
      s.set(p, Tissue::organ, a.liver_hu);
  });
}

void paint_chest(const Anatomy& a, const Frame& f, Section& s) {
  if (f.z < a.dome_left - a.recess_depth - 15.0) return;
  paint_organ(s, a.heart, f.z, Tissue::organ, [&](double x, double y) { return f.z > diaphragm_z(a, f, x, y); });
  // Lungs fill the rest of the chest cavity above the diaphragm, but for the mediastinum.
  s.for_all([&](std::size_t p, double x, double y) {
    if (!is_vat(s, p) || f.z <= diaphragm_z(a, f, x, y)) return;
    if (std::abs(x - 6.0) < 14.0 && y < f.spine_y && y > -0.6 * f.fascia_b_ant) return;  // mediastinal fat
    s.set(p, Tissue::lung, a.lung_hu);
  });
}

}  // namespace

void paint_organs(const Anatomy& a, const Frame& f, Section& s) {
  paint_vessels(a, f, s);
  for (int side = 0; side < 2; ++side) {
    const Organ& k = a.kidney[side];
    double ka, kb;
    if (!organ_section(k, f.z, ka, kb)) continue;
    // Renal sinus fat in the medial middle of the kidney stays visceral fat.
    const Vec2 sinus{k.centre.x * 0.93, k.centre.y - 3.0};
    paint_organ(s, k, f.z, Tissue::organ,
                [&](double x, double y) { return ellipse_q(sinus, 0.4 * ka, 0.35 * kb, k.rotation, x, y) > 1.0; });
  }
  const auto below_diaphragm = [&](double x, double y) { return f.z < diaphragm_z(a, f, x, y); };
  paint_organ(s, a.spleen, f.z, Tissue::organ, below_diaphragm);
  double sa, sb;
  if (organ_section(a.stomach, f.z, sa, sb)) {
    const Organ& st = a.stomach;
    const double r = std::max(sa, sb);
    s.for_box(st.centre.x - r, st.centre.x + r, st.centre.y - r, st.centre.y + r, [&](std::size_t p, double x, double y) {
      if (!is_vat(s, p) || !below_diaphragm(x, y)) return;
      const double q = ellipse_q(st.centre, sa, sb, st.rotation, x, y);
      if (q > 1.0) return;
      const double dist = (1.0 - std::sqrt(q)) * std::min(sa, sb);  // approximate depth below the wall
      paint_lumen(s, p, std::min(sa, sb) - dist, std::min(sa, sb), 3.5, y, st.centre.y, 0.3);
    });
  }
  paint_organ(s, a.bladder, f.z, Tissue::organ, [](double, double) { return true; });
  paint_liver(a, f, s);
  paint_bowel(a, f, s);
  paint_chest(a, f, s);
}

}  // namespace l3::phantom_detail
