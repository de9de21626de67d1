#include "l3slice/phantom/anatomy.h"

#include <cmath>

#include "l3slice/phantom/seeded_random.h"

namespace l3::phantom_detail {
namespace {

// PhantomOptions::crowded_abdomen, from its own random stream so that the rest of the anatomy
// keeps its seed: organs grown until the wall clips them (they only ever replace visceral fat).
void crowd_abdomen(Anatomy& a, double ca, double cb) {
  SeededRandom rng(a.options.seed, 31);
  a.liver_fill = rng.uniform(1.2, 1.45);
  a.liver_tip -= rng.uniform(0.0, 25.0);
  a.spleen.centre = {rng.uniform(0.62, 0.75) * ca, rng.uniform(0.35, 0.5) * cb};
  a.spleen.a *= rng.uniform(1.3, 1.7);
  a.spleen.b *= rng.uniform(1.3, 1.7);
  a.spleen.half_height *= 1.3;
  for (Organ& k : a.kidney) {
    const double grow = rng.uniform(1.1, 1.3);
    k.a *= grow;
    k.b *= grow;
    k.centre.y += rng.uniform(0.0, 8.0);
  }
  for (std::size_t i = 0; i < 2 && i < a.bowel.size(); ++i) {  // ascending and descending colon
    Tube& colon = a.bowel[i];
    colon.x0 = (i == 0 ? -1.0 : 1.0) * rng.uniform(0.8, 0.95) * ca;
    colon.radius *= rng.uniform(1.1, 1.4);
  }
}

constexpr int first_label = 8;   // T1

// Typical adult sizes by VerSe label (mm), before scaling and per-patient jitter.
double body_height(int label) {
  static constexpr double lumbar[] = {25.0, 26.5, 27.5, 27.5, 26.5, 26.0};
  return label <= verse::T12 ? 14.0 + (label - first_label) * 10.0 / 11.0 : lumbar[label - verse::L1];
}
// Height of the disc below `label`.
double disc_height_below(int label) {
  static constexpr double lumbar[] = {9.0, 10.0, 11.0, 11.5, 10.5, 10.0};  // L1/2 .. L5/S1 (L6/S1)
  return label < verse::T12 ? 5.5 + (label - first_label) * 0.23 : label == verse::T12 ? 8.0 : lumbar[label - verse::L1];
}
double body_half_width(int label) {
  static constexpr double lumbar[] = {21.0, 22.0, 23.0, 24.0, 25.0, 25.5};
  return label <= verse::T12 ? 13.0 + (label - first_label) * 7.0 / 11.0 : lumbar[label - verse::L1];
}
double body_half_depth(int label) {
  static constexpr double lumbar[] = {15.5, 16.0, 16.5, 16.5, 16.0, 15.5};
  return label <= verse::T12 ? 9.0 + (label - first_label) * 6.0 / 11.0 : lumbar[label - verse::L1];
}
double transverse_length(int label) {
  static constexpr double lumbar[] = {13.0, 17.0, 20.0, 18.0, 16.0, 14.0};
  return label <= verse::T12 ? 20.0 : lumbar[label - verse::L1];
}
// How far each rib runs around the wall from the transverse process (radians): the lower ribs are
// shorter, T11-T12 are floating ribs.
double rib_sweep(int label) {
  if (label > verse::T12) return 0.5;  // a lumbar rib: a stub
  switch (label) {
    case verse::T12: return 0.9;
    case verse::T12 - 1: return 1.6;
    case verse::T12 - 2: return 2.45;
    case verse::T12 - 3: return 2.7;
    default: return 2.85;
  }
}

// Typical enhancement (HU) of blood, kidney, liver and spleen in each phase.
void apply_contrast_phase(ContrastPhase phase, Anatomy& a) {
  struct Hu { double vessel, kidney, liver, spleen; };
  const Hu hu = phase == ContrastPhase::arterial        ? Hu{280.0, 150.0, 65.0, 90.0}
                : phase == ContrastPhase::portal_venous ? Hu{160.0, 165.0, 105.0, 115.0}
                                                        : Hu{40.0, 33.0, 55.0, 45.0};
  a.vessel_hu = hu.vessel;
  a.liver_hu = hu.liver;
  a.spleen.hu = hu.spleen;
  for (Organ& k : a.kidney) k.hu = hu.kidney;
}

}  // namespace

Vec2 sacroiliac_joint(const Anatomy& a) { return {2.0 * a.sacrum_half_width + 3.0, spine_y_at(a, a.sacrum_top) + 10.0}; }

double sacral_base_half_depth(const Anatomy& a) { return 16.0 * std::sqrt(a.options.body_scale); }

double spine_x_at(const Anatomy& a, double z) {
  if (a.scoliosis_mm == 0.0 || z <= a.scoliosis_lo || z >= a.scoliosis_hi) return 0.0;
  return a.scoliosis_mm * std::sin(M_PI * (z - a.scoliosis_lo) / (a.scoliosis_hi - a.scoliosis_lo));
}

double spine_y_at(const Anatomy& a, double z) {
  // Lumbar lordosis (L3 most anterior), thoracic kyphosis above, sacrum tilting back below.
  if (z < a.sacrum_top) {
    const double below = a.sacrum_top - z;
    return spine_y_at(a, a.sacrum_top) + 0.55 * below + 0.0025 * below * below;
  }
  const double up = std::min(1.0, (z / 130.0) * (z / 130.0));
  const double down = std::min(1.0, (z / 90.0) * (z / 90.0));
  return a.spine_y0 + (z > 0 ? 14.0 * up : 8.0 * down);
}

Anatomy draw_anatomy(const PhantomOptions& options) {
  Anatomy a;
  a.options = options;
  a.pixel_mm = options.pixel_mm;
  SeededRandom rng(options.seed, 1);
  const double bs = options.body_scale, fs = options.fat_scale;
  const double vs = options.vertebra_scale;
  const double bone_scale = std::sqrt(bs);

  a.muscle_hu = options.muscle_hu;
  a.fat_hu = options.fat_hu;
  a.imat_hu = options.fat_hu + 20.0;
  a.cortical_hu = 850.0 + rng.jitter(60.0);
  // Cancellous bone: 150-300 HU in young adults, about 110 in the shared real CT (an older
  // patient); low-density spines must not hide the level. (One normal draw, as before, so that the
  // rest of the anatomy keeps its seed.)
  a.trabecular_hu = std::clamp(190.0 + 1.8 * rng.jitter(25.0), 90.0, 300.0);
  if (options.cancellous_hu) a.trabecular_hu = *options.cancellous_hu;
  a.disc_hu = 80.0;

  // Body wall: fascia semi-axes grow with size; obesity enlarges the abdomen (visceral fat).
  a.fascia_a = 140.0 * bs * (1.0 + rng.jitter(0.035));
  a.fascia_b_ant = (100.0 + 14.0 * (fs - 1.0)) * bs * (1.0 + rng.jitter(0.04));
  a.fascia_b_post = 92.0 * bs * (1.0 + rng.jitter(0.03));
  for (int k = 0; k < 3; ++k) {
    a.harmonic_amp[k] = rng.jitter(0.012);
    a.harmonic_phase[k] = rng.uniform(0.0, 2.0 * M_PI);
  }
  a.sat_front = 12.0 * (1.0 + rng.jitter(0.15));
  a.sat_flank = 24.0 * (1.0 + rng.jitter(0.15));
  a.sat_back = 18.0 * (1.0 + rng.jitter(0.15));
  const double skin = std::max(2.0, 0.9 * options.pixel_mm);
  a.table_y = a.fascia_b_post * 1.1 + a.sat_back * fs * bs + skin + 5.0;
  // Put the body a little anterior in the image so the table fits behind it.
  a.y_offset_mm = std::min(40.0, 0.5 * (a.table_y + 16.0) - 0.5 * (a.fascia_b_ant * 1.1 + a.sat_front * fs * bs));

  // Spine: lay the vertebrae out from the middle of L3 (z = 0) both ways.
  const int last_label = verse::L1 + options.lumbar_vertebrae - 1;
  const int last_rib = verse::T12 + options.rib_pairs - 12;
  const int count = last_label - first_label + 1;
  a.vertebrae.resize(count);
  for (int i = 0; i < count; ++i) {
    Vertebra& v = a.vertebrae[i];
    v.label = first_label + i;
    v.half_width = body_half_width(v.label) * bone_scale * (1.0 + rng.jitter(0.03));
    v.half_depth = body_half_depth(v.label) * bone_scale * (1.0 + rng.jitter(0.03));
    for (double& len : v.transverse_len) len = transverse_length(v.label) * bone_scale * (1.0 + rng.jitter(0.12));
    v.spinous_len = (v.thoracic() ? 30.0 : 27.0) * bone_scale * (1.0 + rng.jitter(0.08));
    // Every thoracic vertebra draws its sweep, with or without a rib, so that the seed keeps the rest.
    const bool draws = v.thoracic() || v.label <= last_rib;
    const double sweep = draws ? rib_sweep(v.label) * (1.0 + rng.jitter(0.04)) : 0.0;
    v.rib_sweep = v.label <= last_rib ? sweep : 0.0;
    v.disc_below = disc_height_below(v.label) * vs * (1.0 + rng.jitter(0.08));
  }
  std::vector<double> heights(count);
  for (int i = 0; i < count; ++i) heights[i] = body_height(first_label + i) * vs * (1.0 + rng.jitter(0.04));
  const int l3 = verse::L3 - first_label;
  a.vertebrae[l3].body_lo = -0.5 * heights[l3];
  a.vertebrae[l3].body_hi = 0.5 * heights[l3];
  for (int i = l3 - 1; i >= 0; --i) {  // superior
    a.vertebrae[i].body_lo = a.vertebrae[i + 1].body_hi + a.vertebrae[i].disc_below;
    a.vertebrae[i].body_hi = a.vertebrae[i].body_lo + heights[i];
  }
  for (int i = l3 + 1; i < count; ++i) {  // inferior
    a.vertebrae[i].body_hi = a.vertebrae[i - 1].body_lo - a.vertebrae[i - 1].disc_below;
    a.vertebrae[i].body_lo = a.vertebrae[i].body_hi - heights[i];
  }
  for (int i = 1; i < count; ++i) a.vertebrae[i].disc_above = a.vertebrae[i - 1].disc_below;
  a.vertebrae[0].disc_above = a.vertebrae[0].disc_below;
  a.sacrum_top = a.vertebrae.back().body_lo - a.vertebrae.back().disc_below;
  // The sacral base slopes down to the front (sacral slope about 40 degrees), so the alae and the
  // sacroiliac joints behind it rise beside the last lumbar body: on the real spine atlas (s0328) the
  // sacrum's bone starts level with the L5 body's middle.
  a.ala_top = a.sacrum_top + 0.95 * a.vertebrae.back().height();
  if (options.scoliosis_cobb_deg != 0.0) {
    // A half sine from the sacrum to T11's top; its end tangents make the Cobb angle.
    a.scoliosis_lo = a.sacrum_top;
    a.scoliosis_hi = a.by_label(verse::T12 - 1).body_hi;
    const double cobb = options.scoliosis_cobb_deg * M_PI / 180.0;
    a.scoliosis_mm = (a.scoliosis_hi - a.scoliosis_lo) * std::tan(0.5 * cobb) / M_PI;
  }
  a.sacrum_length = 105.0 * vs * (1.0 + rng.jitter(0.05));
  a.sacrum_half_width = 26.0 * bone_scale * (1.0 + rng.jitter(0.04));
  a.spine_y0 = (20.0 + rng.jitter(3.0)) * bs;
  a.canal_radius = 9.5 * bone_scale * (1.0 + rng.jitter(0.05));
  for (const Vertebra& v : a.vertebrae) {
    if (v.rib_sweep == 0.0) continue;
    Rib rib;
    rib.z0 = v.body_lo + 0.65 * v.height();
    const double rc = 0.85 * a.canal_radius;
    const double canal_y = spine_y_at(a, rib.z0) + 0.85 * v.half_depth + rc + 1.5;
    const double len = v.transverse_len[1];
    const Vec2 tip{rc + 3.0 + 0.75 * len, canal_y + 0.6 * len};
    rib.theta0 = std::atan2(tip.y, tip.x);
    rib.r0 = std::hypot(tip.x, tip.y);
    rib.sweep = v.rib_sweep;
    rib.head_shift = spine_x_at(a, rib.z0);
    // The lower ribs are the most oblique: on the real spine atlas (s0328) their lowest bone at
    // the flank is 0-35 mm above the L3 middle.
    const double slope = v.label >= verse::T12 - 1 ? 95.0 : v.label >= verse::T12 - 4 ? 75.0 : 60.0;
    rib.drop = slope * vs * (1.0 + rng.jitter(0.08));
    a.ribs.push_back(rib);
  }

  const auto& T = [&](int label) -> const Vertebra& { return a.by_label(label); };
  auto middle = [&](int label) { return 0.5 * (T(label).body_lo + T(label).body_hi); };

  // Diaphragm domes near T9/T10, the posterior recesses reaching about T12.
  a.dome_right = T(verse::T12 - 3).body_hi + rng.jitter(8.0);
  a.dome_left = a.dome_right - 12.0 + rng.jitter(4.0);
  a.recess_depth = (a.dome_right - middle(verse::T12)) * (1.0 + rng.jitter(0.08));
  a.liver_full = middle(verse::T12 - 1);
  a.liver_tip = middle(verse::L2) + rng.uniform(-25.0, 10.0);

  const double ca = a.fascia_a, cb = 0.5 * (a.fascia_b_ant + a.fascia_b_post);
  a.spleen = {{0.60 * ca, 0.32 * cb}, middle(verse::T12 - 1) + rng.jitter(6.0), 45.0 * vs, 42.0 * bs, 24.0 * bs, -0.6, 45.0};
  a.stomach = {{0.30 * ca, -0.35 * cb}, T(verse::T12).body_hi + rng.jitter(8.0), 50.0 * vs, 48.0 * bs, 34.0 * bs, 0.3, 20.0};
  a.heart = {{0.12 * ca, -0.25 * cb}, a.dome_right + 20.0, 75.0, 62.0 * bs, 50.0 * bs, 0.4, 42.0};
  const double kidney_x = T(verse::L1).half_width + 56.0 * bs;
  const double right_kidney_z = T(verse::L1).body_lo + rng.jitter(8.0);
  for (int side = 0; side < 2; ++side) {
    const double sign = side == 0 ? -1.0 : 1.0;  // side 0 = patient right (x negative)
    Organ& k = a.kidney[side];
    k.centre = {sign * kidney_x * (1.0 + rng.jitter(0.05)), a.spine_y0 + 6.0};
    k.z = right_kidney_z + (side == 1 ? 14.0 + rng.jitter(5.0) : 0.0);
    k.half_height = 52.0 * vs * (1.0 + rng.jitter(0.06));
    k.a = 27.0 * bs;
    k.b = 19.0 * bs;
    k.rotation = sign * 0.6;
    k.hu = 33.0;
  }
  a.bladder = {{0.0, -0.45 * cb}, a.sacrum_top - 135.0 + rng.jitter(10.0), 70.0, 50.0 * bs, 38.0 * bs, 0.0, 10.0};
  a.aorta_radius = 10.5 * bs * (1.0 + rng.jitter(0.08));
  a.aorta_bifurcation = middle(verse::L4) + rng.jitter(8.0);
  const int last_lumbar = a.vertebrae.back().label, above_last = last_lumbar - 1;
  a.ivc_confluence = middle(last_lumbar) + rng.jitter(8.0);

  // Colon: ascending (right flank), descending (left flank), transverse (across the front).
  const double colon_bottom = a.sacrum_top - 40.0;
  const double transverse_z = middle(verse::L2) + rng.jitter(12.0);
  Tube ascending{-0.68 * ca, -0.05 * cb, colon_bottom, transverse_z + 15.0, 22.0 * bs};
  ascending.gas_fraction = rng.uniform(0.2, 0.7);
  ascending.wall = 3.0;
  Tube descending{0.72 * ca, 0.10 * cb, colon_bottom, middle(verse::T12) + 10.0, 17.0 * bs};
  descending.gas_fraction = rng.uniform(0.2, 0.7);
  descending.wall = 3.0;
  a.bowel.push_back(ascending);
  a.bowel.push_back(descending);
  Tube transverse{-0.6 * ca, -0.62 * cb, transverse_z, transverse_z, 17.0 * bs};
  transverse.wobble_x = 0.6 * ca;  // right end .. left end in x
  transverse.wobble_y = 22.0;      // sag in z
  transverse.phase_x = rng.uniform(0.0, 2.0 * M_PI);
  transverse.gas_fraction = rng.uniform(0.1, 0.45);
  transverse.wall = 3.0;
  a.transverse_colon.push_back(transverse);
  // Small bowel loops in the central and anterior abdomen and pelvis.
  const int loops = 16;
  for (int i = 0; i < loops; ++i) {
    Tube t;
    t.x0 = rng.uniform(-0.5, 0.5) * ca;
    t.y0 = rng.uniform(-0.65, 0.15) * cb;
    t.z_hi = rng.uniform(middle(verse::L3) - 30.0, middle(verse::L1));
    t.z_lo = t.z_hi - rng.uniform(50.0, 140.0);
    t.radius = rng.uniform(9.0, 15.0) * bs / std::sqrt(std::max(0.6, fs));
    t.wobble_x = rng.uniform(10.0, 30.0);
    t.wobble_y = rng.uniform(8.0, 20.0);
    t.phase_x = rng.uniform(0.0, 2.0 * M_PI);
    t.phase_y = rng.uniform(0.0, 2.0 * M_PI);
    t.period = rng.uniform(30.0, 60.0);
    t.gas_fraction = rng.chance(0.25) ? 1.0 : rng.chance(0.3) ? rng.uniform(0.1, 0.4) : 0.0;
    t.wall = 2.5;
    a.bowel.push_back(t);
  }
  if (a.options.crowded_abdomen) crowd_abdomen(a, ca, cb);
  // Fat marbling in the back muscles, more with adiposity.
  const int spots = int(std::round(4.0 * fs));
  for (int i = 0; i < spots; ++i) a.imat_spots.push_back({rng.uniform(-0.8, 0.8), rng.uniform(-0.8, 0.8)});

  // The iliac crest's top is at the L4 body (the supracristal plane; upper L4 on the real atlas):
  // beside the vertebra above the last lumbar one.
  a.iliac_crest_top = middle(above_last) + rng.jitter(7.0);
  a.asis_z = a.sacrum_top - 15.0 + rng.jitter(6.0);
  // Below the blades, measured on the real pelvis of the spine atlas (s0328) relative to the L5
  // body: femoral head centres 92 mm off the midline, 13 mm in front of L5, 95 mm below S1's top.
  a.blade_bottom = a.sacrum_top - 40.0 * vs + rng.jitter(5.0);
  a.hip.radius = 23.0 * bone_scale * (1.0 + rng.jitter(0.05));
  a.hip.x = 92.0 * bs * (1.0 + rng.jitter(0.04));
  a.hip.y = spine_y_at(a, middle(last_lumbar)) - 13.0 * bs + rng.jitter(5.0);
  a.hip.z = a.sacrum_top - 95.0 * vs + rng.jitter(6.0);
  apply_contrast_phase(options.contrast, a);
  return a;
}

void frame_at(const Anatomy& a, double z, Frame& f) {
  frame_axes(a, z, f);
  const int bins = Section::angle_bins;
  f.skin_outer.resize(bins);
  f.fascia.resize(bins);
  f.ring_inner.resize(bins);
  for (int b = 0; b < bins; ++b) {
    const Outline r = outline_at(a, f, Section::bin_angle(b));
    f.fascia[b] = r.fascia;
    f.skin_outer[b] = r.skin_outer;
    f.ring_inner[b] = r.ring_inner;
  }
}

void frame_axes(const Anatomy& a, double z, Frame& f) {
  const auto& vs = a.vertebrae;
  f.z = z;
  f.thorax = smoothstep(a.by_label(verse::T12).body_lo, a.by_label(verse::T12 - 2).body_hi, z);
  f.pelvis = 1.0 - smoothstep(a.sacrum_top - 30.0, vs[vs.size() - 2].body_lo, z);
  f.fascia_a = a.fascia_a * (1.0 - 0.03 * f.thorax + 0.07 * f.pelvis);
  f.fascia_b_ant = a.fascia_b_ant * (1.0 + 0.08 * f.thorax - 0.08 * f.pelvis);
  f.fascia_b_post = a.fascia_b_post * (1.0 + 0.05 * f.thorax);
  f.spine_y = spine_y_at(a, z);
  f.spine_x = spine_x_at(a, z);

  // Which part of the spine is at z.
  f.body_label = 0;
  f.disc = false;
  f.sacrum = false;
  f.body_half_width = f.body_half_depth = 0.0;
  double canal = a.canal_radius;
  for (std::size_t i = 0; i < vs.size(); ++i) {
    const Vertebra& v = vs[i];
    const double s = v.thoracic() ? 0.85 : 1.0;
    if (z >= v.body_lo && z <= v.body_hi) {
      f.body_label = v.label;
      f.body_half_width = v.half_width;
      f.body_half_depth = v.half_depth;
      canal *= s;
      break;
    }
    const double below_lo = v.body_lo - v.disc_below;
    if (z < v.body_lo && z > below_lo) {
      f.disc = true;
      const bool last = i + 1 == vs.size();
      const double w2 = last ? a.sacrum_half_width : vs[i + 1].half_width;
      const double d2 = last ? sacral_base_half_depth(a) : vs[i + 1].half_depth;
      f.body_half_width = 0.5 * (v.half_width + w2) * 1.03;
      f.body_half_depth = 0.5 * (v.half_depth + d2) * 1.03;
      canal *= s;
      break;
    }
  }
  if (z <= a.sacrum_top && z > a.sacrum_top - a.sacrum_length) {
    const double t = (a.sacrum_top - z) / a.sacrum_length;  // 0 at the top .. 1 at the tip
    f.sacrum = true;
    f.body_half_width = a.sacrum_half_width * (1.0 - 0.7 * t);
    f.body_half_depth = sacral_base_half_depth(a) * (1.0 - 0.55 * t);
    canal *= 0.75 * (1.0 - 0.5 * t);
  }
  if (f.body_half_depth == 0.0) canal = 0.0;  // above T1 / below the sacrum: nothing
  f.canal_radius = canal;
  f.canal_y = f.spine_y + 0.85 * f.body_half_depth + canal + 1.5;
}

Outline outline_at(const Anatomy& a, const Frame& f, double th) {
  // Fascia: a superellipse, flatter at the back; then fat, skin, and the muscle ring inside.
  const PhantomOptions& o = a.options;
  const double fs = o.fat_scale, bs = o.body_scale, ms = o.muscle_scale;
  const double skin = std::max(2.0, 0.9 * o.pixel_mm);
  const double c = std::cos(th), s = std::sin(th);
  const double semi_b = s < 0 ? f.fascia_b_ant : f.fascia_b_post;
  const double p = s < 0 ? 2.0 : 2.0 + 1.4 * s * s;
  double r = std::pow(std::pow(std::abs(c) / f.fascia_a, p) + std::pow(std::abs(s) / semi_b, p), -1.0 / p);
  double mod = 1.0;
  for (int k = 0; k < 3; ++k) mod += a.harmonic_amp[k] * std::cos((k + 2) * th + a.harmonic_phase[k]);
  r *= mod;
  const double front = s < 0 ? s * s : 0.0, back = s > 0 ? s * s : 0.0, flank = c * c;
  const double sat = fs * bs * (a.sat_front * front + a.sat_flank * flank + a.sat_back * back) *
                     (1.0 - 0.25 * f.thorax);
  // Rectus in front, the three flat muscles at the flanks, thin at the back (the back muscles
  // are painted separately); thinner in the chest, where the ribs lie in the ring.
  const double ring_abdomen = s < 0 ? lerp(12.0, 16.0, smoothstep(0.25, 0.5, std::abs(c))) : lerp(16.0, 9.0, s);
  const double ring = ms * std::pow(bs, 0.3) * ring_abdomen * (1.0 - 0.35 * f.thorax) + 7.0 * f.thorax;
  return {r + std::max(sat, 1.0) + skin, r, r - ring};
}

double body_half_width_mm(const PhantomOptions& o) {
  // The skin outline's largest distance from the midline over the height of a long scan.
  const Anatomy a = draw_anatomy(o);
  Frame f;
  double widest = 0.0;
  for (double z = a.sacrum_top - 150.0; z < 330.0; z += 15.0) {
    frame_axes(a, z, f);
    for (double th = -0.6; th <= 0.6; th += 0.03)  // the widest points are near the flanks
      for (double side : {0.0, M_PI}) widest = std::max(widest, std::abs(outline_at(a, f, th + side).skin_outer * std::cos(th)));
  }
  return widest;
}

void make_section(const Anatomy& anatomy, double z, Frame& frame, Section& section) {
  frame_at(anatomy, z, frame);
  section.clear();
  paint_body_wall(anatomy, frame, section);
  paint_organs(anatomy, frame, section);
  section.set_x_shift(frame.spine_x);  // the spine and its muscles follow a scoliotic curve
  paint_muscles(anatomy, frame, section);
  section.set_x_shift(0.0);
  paint_pelvis(anatomy, frame, section);
  paint_hips(anatomy, frame, section);
  section.set_x_shift(frame.spine_x);
  paint_spine(anatomy, frame, section);
  section.set_x_shift(0.0);
  paint_ribs(anatomy, frame, section);  // shifts each rib's head itself
}

}  // namespace l3::phantom_detail
