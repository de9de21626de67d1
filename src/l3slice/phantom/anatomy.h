#pragma once
// The anatomy of one phantom patient, drawn once from the options and seed: spine layout along z,
// body shape, muscle and organ positions. `frame_at(z)` gives what varies along z; the painters
// (paint_*.cpp) turn that into one axial cross-section.
#include <array>
#include <vector>

#include "l3slice/phantom/phantom.h"
#include "l3slice/phantom/section.h"

namespace l3::phantom_detail {

struct Vertebra {
  int label = 0;             // VerSe: 8..19 = T1..T12, 20..24 = L1..L5
  double body_lo = 0.0;      // z of the inferior endplate (mm)
  double body_hi = 0.0;      // z of the superior endplate (mm)
  double disc_below = 0.0;   // height of the disc under it (mm)
  double disc_above = 0.0;
  double half_width = 0.0;   // vertebral body semi-axes (mm)
  double half_depth = 0.0;
  double transverse_len[2] = {0.0, 0.0};  // right, left (mm)
  double spinous_len = 0.0;
  double rib_sweep = 0.0;    // how far the rib runs around the body wall (radians); 0 = no rib
  bool thoracic() const { return label <= verse::T12; }
  double height() const { return body_hi - body_lo; }
};

// A rib: starts at its transverse process tip and runs around the wall, descending.
struct Rib {
  double z0 = 0;       // height at the transverse process
  double theta0 = 0;   // polar angle of the transverse process tip (left side; mirrored for the right)
  double r0 = 0;       // its distance from the body centre
  double sweep = 0;    // radians around the wall
  double drop = 27.0;  // mm of descent per radian from the spine to the flank
  double head_shift = 0;  // lateral shift of its vertebra (scoliosis), fading out towards the flank
  // Height of the rib `along` radians from its start: steep to the flank, flatter towards the front.
  double z_at(double along) const {
    constexpr double flank = 1.2, front_slope = 0.25;
    return z0 - drop * (std::min(along, flank) + front_slope * std::max(0.0, along - flank));
  }
};

// A tube running along z (bowel loop), or along x (transverse colon).
struct Tube {
  double x0 = 0, y0 = 0, z_lo = 0, z_hi = 0, radius = 10;
  double wobble_x = 0, wobble_y = 0, phase_x = 0, phase_y = 0, period = 50;
  double gas_fraction = 0;  // share of the lumen (anterior part: gas rises in a supine patient)
  double wall = 2.5;
};

// The femoral head's centre and radius; the acetabulum, femur, pubis and ischium are placed from it.
struct Hip {
  double x = 92, y = 0, z = -195, radius = 23;
};

// An ellipsoid organ, axis-aligned in z, rotated in plane.
struct Organ {
  Vec2 centre;
  double z = 0, half_height = 0, a = 0, b = 0, rotation = 0, hu = 40;
};

struct Anatomy {
  PhantomOptions options;
  double pixel_mm = 3.2;
  double y_offset_mm = 20.0;  // image centre relative to the body centre (posterior +)

  // Tissue HU (nominal, before noise).
  double muscle_hu = 45, fat_hu = -100, imat_hu = -80, skin_hu = 30, lung_hu = -850;
  double cortical_hu = 850, trabecular_hu = 200, disc_hu = 80, canal_hu = 15;
  double liver_hu = 55, vessel_hu = 40;  // with the kidneys' and spleen's, set by the contrast phase

  // Body wall (fascia = inner border of subcutaneous fat), semi-axes in mm.
  double fascia_a = 140, fascia_b_ant = 100, fascia_b_post = 92;
  std::array<double, 3> harmonic_amp{}, harmonic_phase{};
  double sat_front = 12, sat_flank = 24, sat_back = 18;  // at fat_scale 1
  double table_y = 140;  // top of the CT table (mm, posterior)

  // Spine: T1..L5 (index 0 = T1), sacrum below.
  std::vector<Vertebra> vertebrae;
  double sacrum_top = -100;     // z of the S1 upper endplate
  double ala_top = -75;         // z of the sacral alae's top: beside the last lumbar body (sacral slope)
  double sacrum_length = 105;
  double sacrum_half_width = 25;
  double spine_y0 = 22;         // y of the L3 body centre
  double scoliosis_mm = 0;      // lateral shift at the apex of the scoliotic curve (signed)
  double scoliosis_lo = 0, scoliosis_hi = 0;  // z where the curve starts and ends
  double canal_radius = 9.5;
  std::vector<Rib> ribs;

  // Diaphragm, liver, heart.
  double dome_right = 150, dome_left = 138, recess_depth = 65;
  double liver_tip = -30, liver_full = 110;
  double liver_fill = 1.0;  // liver cross-section scale (PhantomOptions::crowded_abdomen: larger)
  Organ spleen, stomach, kidney[2], heart, bladder;
  double aorta_radius = 11, aorta_bifurcation = -40, ivc_confluence = -70;
  std::vector<Tube> bowel;          // along z
  std::vector<Tube> transverse_colon;  // along x: from x0 to x0 + 2 wobble_x at z_lo, sagging by wobble_y
  std::vector<Vec2> imat_spots;     // marbling in back muscles (positions relative to the erector)

  // Pelvis.
  double iliac_crest_top = -55;  // z of the highest point of the iliac crest
  double asis_z = -95;
  double blade_bottom = -140;    // lowest z of the thin iliac blade; the ilium's body continues below
  Hip hip;                       // left hip (x > 0); the right one is its mirror image

  const Vertebra& by_label(int label) const { return vertebrae[label - 8]; }
};

// Everything about a height z that several painters share.
struct Frame {
  double z = 0;
  double thorax = 0;   // 0 in the abdomen .. 1 in the chest
  double pelvis = 0;   // 0 above L5 .. 1 in the pelvis
  double fascia_a = 0, fascia_b_ant = 0, fascia_b_post = 0;
  double spine_y = 0;          // y of the vertebral body (or sacrum) centre
  double spine_x = 0;          // lateral shift of the spine (scoliosis; 0 on a straight spine)
  double body_half_width = 0;  // of the vertebral body or disc here
  double body_half_depth = 0;
  double canal_y = 0;
  double canal_radius = 0;
  int body_label = 0;          // vertebra whose body is here (0: disc or none)
  bool disc = false;
  bool sacrum = false;         // below the S1 endplate (inside the sacrum's length)
  // Radii of the outline per angle bin.
  std::vector<double> skin_outer, fascia, ring_inner;
};

Anatomy draw_anatomy(const PhantomOptions& options);
// Fills a frame for height z (frame is reused between calls to avoid allocations).
void frame_at(const Anatomy& anatomy, double z, Frame& frame);
// Only the scalars of the frame (not the outline radii).
void frame_axes(const Anatomy& anatomy, double z, Frame& frame);

// Radii (mm from the body centre) of the body outline at polar angle theta.
struct Outline {
  double skin_outer = 0, fascia = 0, ring_inner = 0;
};
Outline outline_at(const Anatomy& anatomy, const Frame& frame, double theta);
double spine_y_at(const Anatomy& anatomy, double z);
double spine_x_at(const Anatomy& anatomy, double z);
// The left sacroiliac joint in the plane (the right one is its mirror image): where the iliac
// wing starts and the pelvic brim leaves the sacrum.
Vec2 sacroiliac_joint(const Anatomy& anatomy);
// Half the sacral base's depth, front to back (the sacrum narrows below it).
double sacral_base_half_depth(const Anatomy& anatomy);
// The largest lateral half-extent of the skin outline over all heights (for choosing the FOV).
double body_half_width_mm(const PhantomOptions& options);

// Painters, in the order make_section calls them.
void paint_body_wall(const Anatomy& anatomy, const Frame& frame, Section& section);
void paint_organs(const Anatomy& anatomy, const Frame& frame, Section& section);
void paint_muscles(const Anatomy& anatomy, const Frame& frame, Section& section);
void paint_spine(const Anatomy& anatomy, const Frame& frame, Section& section);
void paint_ribs(const Anatomy& anatomy, const Frame& frame, Section& section);
void paint_pelvis(const Anatomy& anatomy, const Frame& frame, Section& section);
void paint_hips(const Anatomy& anatomy, const Frame& frame, Section& section);

// One full cross-section at height z.
void make_section(const Anatomy& anatomy, double z, Frame& frame, Section& section);

}  // namespace l3::phantom_detail
