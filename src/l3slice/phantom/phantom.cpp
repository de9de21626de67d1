#include "l3slice/phantom/phantom.h"

#include <cmath>
#include <limits>

#include "l3slice/core/error.h"
#include "l3slice/phantom/anatomy.h"
#include "l3slice/phantom/seeded_random.h"

namespace l3 {
namespace {

using phantom_detail::Anatomy;
using phantom_detail::Frame;
using phantom_detail::SeededRandom;
using phantom_detail::Section;

void check(const PhantomOptions& o) {
  const auto fail = [](const std::string& what) { throw UsageError("phantom: " + what); };
  if (o.matrix < 32 || o.matrix > 1024) fail("matrix must be 32..1024, not " + std::to_string(o.matrix));
  if (!(o.pixel_mm > 0.1 && o.pixel_mm < 20.0)) fail("pixel_mm must be 0.1..20");
  if (!(o.slice_mm >= 0.5 && o.slice_mm <= 10.0)) fail("slice_mm must be 0.5..10");
  if (!(o.fov_superior_mm > o.fov_inferior_mm)) fail("fov_superior_mm must be above fov_inferior_mm");
  if (!(o.body_scale > 0.5 && o.body_scale < 2.0)) fail("body_scale must be 0.5..2");
  if (!(o.fat_scale >= 0.1 && o.fat_scale <= 4.0)) fail("fat_scale must be 0.1..4");
  if (!(o.muscle_scale >= 0.3 && o.muscle_scale <= 2.0)) fail("muscle_scale must be 0.3..2");
  if (!(o.vertebra_scale >= 0.7 && o.vertebra_scale <= 1.3)) fail("vertebra_scale must be 0.7..1.3");
  if (!(o.noise_hu >= 0.0 && o.noise_hu <= 200.0)) fail("noise_hu must be 0..200");
  if (o.kernel < -1 || o.kernel > 1) fail("kernel must be -1 (smooth), 0 or 1 (sharp)");
  if (o.lumbar_vertebrae < 4 || o.lumbar_vertebrae > 6) fail("lumbar_vertebrae must be 4, 5 or 6");
  if (o.rib_pairs < 11 || o.rib_pairs > 13) fail("rib_pairs must be 11, 12 or 13");
  if (o.cancellous_hu && !(*o.cancellous_hu >= 0.0 && *o.cancellous_hu <= 1000.0)) fail("cancellous_hu must be 0..1000");
}

// [1 2 1] / 4 along x and y.
void blur(std::vector<float>& slice, int n) {
  std::vector<float> tmp(slice.size());
  for (int axis = 0; axis < 2; ++axis) {
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x) {
        const int i = y * n + x, step = axis == 0 ? 1 : n, c = axis == 0 ? x : y;
        const float lo = slice[std::size_t(c > 0 ? i - step : i)], hi = slice[std::size_t(c < n - 1 ? i + step : i)];
        tmp[std::size_t(i)] = 0.25f * (lo + 2.0f * slice[std::size_t(i)] + hi);
      }
    slice.swap(tmp);
  }
}

// Gaussian noise, smoothed with a [1 2 1] kernel along x and y so it has CT-like grain, rescaled
// to the requested SD. Seeded per slice, so slices do not depend on each other.
void add_noise(std::vector<float>& slice, int n, double sd, unsigned seed, int z) {
  if (sd <= 0.0) return;
  SeededRandom rng(seed, 1000003ull + uint64_t(z));
  std::vector<float> noise(slice.size());
  for (float& v : noise) v = static_cast<float>(rng.normal());
  blur(noise, n);
  const float gain = static_cast<float>(sd / 0.375);  // the kernel's SD reduction: sqrt(6/16)^2
  for (std::size_t i = 0; i < slice.size(); ++i) slice[i] += gain * noise[i];
}

// Smooth kernel: a blur; sharp kernel: unsharp masking, whose overshoot at edges and amplified
// noise are what bone and lung kernels show.
void apply_kernel(std::vector<float>& slice, int n, int kernel) {
  if (kernel == 0) return;
  std::vector<float> smooth = slice;
  blur(smooth, n);
  if (kernel < 0) return slice.swap(smooth);
  for (std::size_t i = 0; i < slice.size(); ++i) slice[i] += 0.7f * (slice[i] - smooth[i]);
}

// Outside the reconstruction circle (the image's inscribed circle) GE stores -3024 HU.
void pad_outside_circle(int16_t* slice, int n) {
  const double r = 0.5 * n, c = 0.5 * (n - 1);
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x)
      if ((x - c) * (x - c) + (y - c) * (y - c) > r * r) slice[y * n + x] = -3024;
}

int16_t to_hu(float v) { return static_cast<int16_t>(std::clamp(std::lround(v), -1024L, 3071L)); }

}  // namespace

Phantom make_phantom(const PhantomOptions& options) {
  check(options);
  const Anatomy anatomy = phantom_detail::draw_anatomy(options);
  const int n = options.matrix;
  const int nz = int(std::floor((options.fov_superior_mm - options.fov_inferior_mm) / options.slice_mm + 1e-9)) + 1;

  Grid grid;
  grid.size = {n, n, nz};
  grid.spacing = {options.pixel_mm, options.pixel_mm, options.slice_mm};
  grid.origin = {-0.5 * (n - 1) * options.pixel_mm, -0.5 * (n - 1) * options.pixel_mm + anatomy.y_offset_mm,
                 options.fov_inferior_mm};

  Phantom ph;
  ph.options = options;
  ph.ct.hu = HuImage(grid);
  ph.ct.format = "phantom";
  ph.ct.source = "phantom seed " + std::to_string(options.seed);
  ph.ct.file_orientation = "LPS";
  ph.ct.file_slice_axis = 2;
  ph.vertebrae = LabelImage(grid);
  ph.vertebral_bodies = LabelImage(grid);
  ph.tissues = MaskImage(grid);

  // Thick slices average thinner sections (partial volume along z); the truth (tissues, labels)
  // is the section through the slice centre.
  const int sub = options.slice_mm <= 1.5 ? 1 : options.slice_mm <= 3.5 ? 3 : 5;
  Section section(n, options.pixel_mm, anatomy.y_offset_mm);
  Frame frame;
  std::vector<float> sum(section.pixels());
  for (int k = 0; k < nz; ++k) {
    const double z = options.fov_inferior_mm + k * options.slice_mm;
    std::fill(sum.begin(), sum.end(), 0.0f);
    for (int s = 0; s < sub; ++s) {
      if (s == sub / 2) continue;  // the centre last, so its labels stay in `section`
      phantom_detail::make_section(anatomy, z + ((s + 0.5) / sub - 0.5) * options.slice_mm, frame, section);
      for (std::size_t p = 0; p < sum.size(); ++p) sum[p] += section.hu[p];
    }
    phantom_detail::make_section(anatomy, z, frame, section);
    for (std::size_t p = 0; p < sum.size(); ++p) sum[p] = (sum[p] + section.hu[p]) / float(sub);
    add_noise(sum, n, options.noise_hu, options.seed, k);
    apply_kernel(sum, n, options.kernel);
    std::transform(sum.begin(), sum.end(), ph.ct.hu.slice(k), to_hu);
    if (options.padding_outside_circle) pad_outside_circle(ph.ct.hu.slice(k), n);
    std::copy(section.tissue.begin(), section.tissue.end(), ph.tissues.slice(k));
    std::copy(section.vertebra.begin(), section.vertebra.end(), ph.vertebrae.slice(k));
    std::copy(section.body.begin(), section.body.end(), ph.vertebral_bodies.slice(k));
    SliceSource src;
    src.file_index = k;
    src.z_mm = z;
    ph.ct.slices.push_back(src);
  }

  ph.l3_body = span_of(slices_with_label(ph.vertebral_bodies, verse::L3));
  ph.l3_whole = span_of(slices_with_label(ph.vertebrae, verse::L3));
  return ph;
}

PhantomOptions random_phantom_options(unsigned seed, double no_l3_fraction, bool scanner_variety, double scoliosis_fraction) {
  SeededRandom rng(seed, 7);
  PhantomOptions o;
  o.seed = seed;
  o.body_scale = rng.uniform(0.85, 1.2);
  o.fat_scale = rng.uniform(0.4, 2.0);
  o.muscle_scale = rng.uniform(0.7, 1.3);
  o.vertebra_scale = rng.uniform(0.9, 1.1);
  static constexpr double thicknesses[] = {1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 3.0, 4.0, 5.0, 5.0};
  o.slice_mm = thicknesses[rng.next() % std::size(thicknesses)];
  o.noise_hu = rng.uniform(5.0, 25.0);
  o.muscle_hu = rng.uniform(30.0, 55.0);
  o.fat_hu = rng.uniform(-110.0, -88.0);
  o.matrix = 128;
  // A field of view that fits the body, as a technologist would choose it.
  o.pixel_mm = 3.75;  // for body_half_width_mm's skin term
  const double fov = std::max(rng.uniform(400.0, 480.0), 2.0 * phantom_detail::body_half_width_mm(o) + 16.0);
  o.pixel_mm = fov / o.matrix;
  o.table = rng.chance(0.9);

  // z coverage (mm from the middle of L3). L3's body is within about +-18 mm and its posterior
  // elements within about -30..+25 mm, so a margin of 40 mm keeps all of L3 out.
  const double u = rng.uniform();
  if (u < no_l3_fraction) {
    if (rng.chance(0.5)) {  // chest / upper abdomen only
      o.fov_inferior_mm = rng.uniform(40.0, 90.0);
      o.fov_superior_mm = o.fov_inferior_mm + rng.uniform(120.0, 260.0);
    } else {  // pelvis / lower abdomen only
      o.fov_superior_mm = rng.uniform(-90.0, -40.0);
      o.fov_inferior_mm = std::max(-260.0, o.fov_superior_mm - rng.uniform(100.0, 200.0));
    }
  } else {
    const double v = rng.uniform();
    if (v < 0.12) {  // L3 cut at the bottom edge
      o.fov_inferior_mm = rng.uniform(-12.0, 8.0);
      o.fov_superior_mm = o.fov_inferior_mm + rng.uniform(150.0, 280.0);
    } else if (v < 0.24) {  // L3 cut at the top edge
      o.fov_superior_mm = rng.uniform(-8.0, 12.0);
      o.fov_inferior_mm = o.fov_superior_mm - rng.uniform(120.0, 190.0);
    } else {  // abdomen with or without chest/pelvis (down to the pubic symphysis at about -260)
      o.fov_inferior_mm = rng.uniform(-260.0, -60.0);
      o.fov_superior_mm = rng.uniform(60.0, 280.0);
    }
  }
  // Scanner and protocol (drawn either way, so that the variants below keep their seed).
  const double kernel = rng.uniform();
  const double phase = rng.uniform();
  const bool padding = rng.chance(0.3);
  if (scanner_variety) {
    o.kernel = kernel < 0.25 ? -1 : kernel < 0.75 ? 0 : 1;
    o.contrast = phase < 0.35 ? ContrastPhase::none : phase < 0.5 ? ContrastPhase::arterial : ContrastPhase::portal_venous;
    o.padding_outside_circle = padding;
  }
  // Variants, drawn last so that the other options keep their seed: lumbosacral transitional
  // vertebrae and supernumerary or missing ribs are each seen in a few per cent of patients.
  const double variant = rng.uniform();
  if (variant < 0.04) o.lumbar_vertebrae = 6;
  else if (variant < 0.07) o.lumbar_vertebrae = 4;
  const double ribs = rng.uniform();
  if (ribs < 0.04) o.rib_pairs = 13;
  else if (ribs < 0.07) o.rib_pairs = 11;
  // Scoliosis from a stream of its own: phantoms without it stay as they were.
  SeededRandom curve(seed, 33);
  if (curve.chance(scoliosis_fraction)) o.scoliosis_cobb_deg = curve.uniform(10.0, 40.0) * (curve.chance(0.5) ? 1.0 : -1.0);
  return o;
}

PhantomOptions with_matrix(PhantomOptions options, int matrix) {
  options.pixel_mm *= double(options.matrix) / matrix;
  options.matrix = matrix;
  return options;
}

double nominal_hu(Tissue tissue, const PhantomOptions& o) {
  switch (tissue) {
    case Tissue::air: return -1000.0;
    case Tissue::skin: return 30.0;
    case Tissue::subcutaneous_fat:
    case Tissue::visceral_fat: return o.fat_hu;
    case Tissue::intermuscular_fat: return o.fat_hu + 20.0;
    case Tissue::muscle: return o.muscle_hu;
    case Tissue::disc: return 80.0;
    case Tissue::spinal_canal: return 15.0;
    case Tissue::lung: return -850.0;
    case Tissue::bowel_gas: return -900.0;
    default: return std::numeric_limits<double>::quiet_NaN();
  }
}

std::string tissue_name(Tissue t) {
  switch (t) {
    case Tissue::air: return "air";
    case Tissue::table: return "table";
    case Tissue::skin: return "skin";
    case Tissue::subcutaneous_fat: return "subcutaneous_fat";
    case Tissue::muscle: return "muscle";
    case Tissue::intermuscular_fat: return "intermuscular_fat";
    case Tissue::visceral_fat: return "visceral_fat";
    case Tissue::organ: return "organ";
    case Tissue::bowel_gas: return "bowel_gas";
    case Tissue::bone: return "bone";
    case Tissue::disc: return "disc";
    case Tissue::spinal_canal: return "spinal_canal";
    case Tissue::lung: return "lung";
  }
  return "unknown";
}

}  // namespace l3
