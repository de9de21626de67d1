#pragma once
// Synthetic CT phantoms of the torso with known anatomy: skin, subcutaneous fat, abdominal-wall and
// back muscles, visceral fat, organs, a spine T8-S1 (vertebral bodies, discs, posterior elements),
// ribs on thoracic vertebrae only, iliac wings near L4-L5, sacrum, and a CT table.
// L3 is identifiable only from anatomy (count up from the sacrum, down from the last rib), never
// from an intensity cue.
//
// Frame: canonical (core/image.h), physical z = 0 mm at the middle of the L3 body, x = 0 on the
// midline. Slices are point samples in plane; thicker slices (> 1.5 mm) average 3 or 5 sections
// across the slab (partial volume along z), while `tissues` and the labels are the section through
// the slice centre. HU = nominal value per tissue (nominal_hu) + in-plane correlated Gaussian noise.
#include <cstdint>
#include <optional>
#include <string>

#include "l3slice/core/image.h"
#include "l3slice/core/slice_run.h"

namespace l3 {

// Vertebra labels follow VerSe numbering, as in the shared real data: 8..19 = T1..T12,
// 20..24 = L1..L5, 26 = sacrum (S1 and below).
namespace verse {
constexpr int T8 = 15, T12 = 19, L1 = 20, L2 = 21, L3 = 22, L4 = 23, L5 = 24, L6 = 25, sacrum = 26;
}

// Tissue classes of the phantom, one per voxel; the truth for body-composition tests.
enum class Tissue : uint8_t {
  air = 0,            // outside the body (and the table's surroundings)
  table = 1,          // CT table
  skin = 2,
  subcutaneous_fat = 3,
  muscle = 4,         // skeletal muscle (abdominal wall, psoas, paraspinal)
  intermuscular_fat = 5,
  visceral_fat = 6,
  organ = 7,          // liver, kidneys, bowel wall, vessels: soft tissue that is not skeletal muscle
  bowel_gas = 8,
  bone = 9,           // vertebrae, ribs, pelvis (cortical + trabecular)
  disc = 10,          // intervertebral discs
  spinal_canal = 11,  // CSF/cord inside the vertebral foramen
  lung = 12,
};

// Contrast phase: unenhanced, arterial (bright aorta, kidney cortex), portal venous (bright
// vessels, kidneys, liver, spleen).
enum class ContrastPhase : uint8_t { none, arterial, portal_venous };

struct PhantomOptions {
  unsigned seed = 1;
  int matrix = 128;            // in-plane voxels (square)
  double pixel_mm = 3.2;       // in-plane spacing
  double slice_mm = 3.0;       // slice spacing = thickness, 1..5 mm
  double body_scale = 1.0;     // overall patient size (1 = average adult)
  double fat_scale = 1.0;      // adiposity: subcutaneous and visceral fat thickness
  double muscle_scale = 1.0;   // muscle bulk
  double vertebra_scale = 1.0; // vertebral heights (individual vertebrae also vary with the seed)
  double noise_hu = 12.0;      // Gaussian noise SD (slightly correlated in plane, like CT noise)
  double muscle_hu = 45.0;     // skeletal muscle attenuation (lower = fattier muscle)
  double fat_hu = -100.0;      // adipose tissue; intermuscular fat is fat_hu + 20
  // Field of view along z, in mm relative to the middle of the L3 body (superior positive).
  // Defaults cover T8 to below the sacrum's top; move them to make scans without L3.
  double fov_inferior_mm = -150.0;
  double fov_superior_mm = 230.0;
  bool table = true;
  // Common variants: 4 or 6 lumbar vertebrae (the last lumbar vertebra sits on the sacrum, the
  // iliac crest beside the one above it), and 11 or 13 rib pairs (T12 without ribs; L1 with short
  // ones). Labels keep counting from the top: a sixth lumbar vertebra is L6 (VerSe label 25).
  int lumbar_vertebrae = 5;
  int rib_pairs = 12;
  // Scoliosis: a lumbar C-curve from the sacrum to T11's top with this Cobb angle (degrees; + convex
  // to the patient's left). The vertebrae, the back muscles, the psoas and the rib heads follow it;
  // the vertebrae are shifted, not tilted or rotated.
  double scoliosis_cobb_deg = 0.0;
  // Scanner and protocol: reconstruction kernel (-1 smooth, 0 standard, +1 sharp: edges
  // overshoot and noise grows), contrast phase, and -3024 HU outside the reconstruction circle (as
  // GE scanners store it).
  int kernel = 0;
  ContrastPhase contrast = ContrastPhase::none;
  bool padding_outside_circle = false;
  // Organs that fill the upper abdomen and lie against the wall with no fat between, as on real CT
  // at T12-L2 (and in lean patients): a larger liver and spleen reaching the flanks, the colon
  // against the side walls, larger kidneys on the posterior muscles. Sizes are drawn from the seed.
  // Off by default: the default phantoms' cavity is fattier and sparser than a real one.
  bool crowded_abdomen = false;
  // Cancellous bone HU (osteoporotic about 100, young adult 250); unset: drawn from the seed, 90-300.
  std::optional<double> cancellous_hu;
};

struct Phantom {
  CtScan ct;                   // canonical orientation, HU, with slice sources (file_index = z index, z mm)
  LabelImage vertebrae;        // whole vertebrae (body + posterior elements), VerSe numbering
  LabelImage vertebral_bodies; // vertebral bodies only, VerSe numbering
  MaskImage tissues;           // Tissue per voxel (noise-free truth)
  std::optional<SliceRun> l3_body;   // canonical slices containing the L3 vertebral body (truth)
  std::optional<SliceRun> l3_whole;  // ... containing any part of L3
  PhantomOptions options;
};

// Builds a phantom; deterministic for given options.
Phantom make_phantom(const PhantomOptions& options);

// Options drawn at random (size, fat, muscle, vertebra heights, slice thickness 1-5 mm, noise,
// field of view, anatomical variants; about `no_l3_fraction` of cases without L3 in the field of
// view). With `scanner_variety`, also the kernel (25 % smooth, 25 % sharp), contrast phase (35 %
// unenhanced, 15 % arterial, 50 % portal venous) and -3024 HU padding (30 %); off by default: with
// it, the small demo classifier trained on 32 such phantoms gave a false L3 on a real chest CT.
// About `scoliosis_fraction` of cases get a scoliotic lumbar curve (Cobb 10-40 degrees, as
// degenerative curves in older adults; 0.2 is realistic for them), drawn from a stream of its own
// so that every other option keeps its seed; off by default for the same reason: with 0.2, the CLI
// test's small classifier gave a false L3 at the edge of a real scan without L3.
// pixel_mm is chosen for options.matrix = 128; use with_matrix to change the matrix.
PhantomOptions random_phantom_options(unsigned seed, double no_l3_fraction = 0.1, bool scanner_variety = false,
                                     double scoliosis_fraction = 0.0);

// The same options with another in-plane matrix and the same field of view.
PhantomOptions with_matrix(PhantomOptions options, int matrix);

// Noise-free HU of a tissue class for these options: skin, fats, muscle, lung, disc, spinal canal,
// air. Bone, organs and the table are not uniform; for them this returns NaN.
double nominal_hu(Tissue tissue, const PhantomOptions& options);

// Short name of a tissue class ("muscle", "subcutaneous_fat", ...).
std::string tissue_name(Tissue tissue);

}  // namespace l3
