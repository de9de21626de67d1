#include "l3slice/bodycomp/body_composition.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "l3slice/core/error.h"
#include "l3slice/core/slice_location.h"

namespace l3 {
namespace {

constexpr double kMaxTiltDeg = 10.0;  // beyond this the "axial" slice cuts the trunk obliquely

// Canonical slices are axial by construction unless the scan itself is tilted (gantry tilt,
// oblique reformats): the slice normal is the third direction column.
void check_axial(const CtScan& ct) {
  const auto& d = ct.hu.grid.direction;
  const double normal_z = std::abs(d[8]);
  const double tilt = std::acos(std::min(1.0, normal_z)) * 180.0 / 3.14159265358979323846;
  if (tilt > kMaxTiltDeg)
    throw InputError(ct.source, fmt::format("slices are tilted {:.0f} degrees from axial; body composition needs axial slices", tilt));
}

struct SliceAreas {
  double sma = 0, vat = 0, sat = 0, imat = 0, body = 0;
  double muscle_hu_sum = 0;
  long muscle_pixels = 0;
};

SliceAreas areas_of(const HuImage& slice, const MaskImage& labels) {
  const double px = slice.grid.spacing[0] * slice.grid.spacing[1] / 100.0;  // cm2
  SliceAreas a;
  for (std::size_t i = 0; i < labels.voxels.size(); ++i) {
    const auto l = BodyLabel(labels.voxels[i]);
    if (l != BodyLabel::outside) a.body += px;
    switch (l) {
      case BodyLabel::muscle:
        a.sma += px;
        a.muscle_hu_sum += slice.voxels[i];
        ++a.muscle_pixels;
        break;
      case BodyLabel::visceral_fat: a.vat += px; break;
      case BodyLabel::subcutaneous_fat: a.sat += px; break;
      case BodyLabel::intermuscular_fat: a.imat += px; break;
      default: break;
    }
  }
  return a;
}

bool touches_edge(const MaskImage& labels) {
  const Grid& g = labels.grid;
  for (int x = 0; x < g.size[0]; ++x)
    if (labels.at(x, 0, 0) || labels.at(x, g.size[1] - 1, 0)) return true;
  for (int y = 0; y < g.size[1]; ++y)
    if (labels.at(0, y, 0) || labels.at(g.size[0] - 1, y, 0)) return true;
  return false;
}

}  // namespace

SliceMeasurement measure_body_composition(const CtScan& ct, int z, const BodyCompOptions& options) {
  const int depth = ct.hu.grid.size[2];
  const int k = std::max(0, options.half_width);
  if (z < 0 || z >= depth)
    throw InputError(ct.source, fmt::format("slice {} is outside the volume (slices 0..{})", z, depth - 1));
  if (z - k < 0 || z + k >= depth)
    throw InputError(ct.source, fmt::format("slices {}..{} (slice {} +/- {}) reach outside the volume (slices 0..{})",
                                            z - k, z + k, z, k, depth - 1));
  check_axial(ct);
  if (options.height_m && !(*options.height_m > 0.5 && *options.height_m < 2.8))
    throw UsageError(fmt::format("height {} m is not a plausible adult height in metres", *options.height_m));
  if (options.weight_kg && !(*options.weight_kg > 10 && *options.weight_kg < 500))
    throw UsageError(fmt::format("weight {} kg is not plausible", *options.weight_kg));

  SliceMeasurement m;
  BodyComposition& c = m.composition;
  c.case_id = options.case_id;
  c.source = ct.source;
  c.thresholds = options.thresholds;
  c.method = options.method;
  c.slice = z;
  c.first_slice = z - k;
  c.last_slice = z + k;
  c.z_mm = z < int(ct.slices.size()) ? ct.slices[z].z_mm : ct.hu.grid.physical(0, 0, z)[2];
  if (z < int(ct.slices.size())) c.measured_slice = slice_location_json(ct, z);
  c.pixel_mm[0] = ct.hu.grid.spacing[0];
  c.pixel_mm[1] = ct.hu.grid.spacing[1];

  SliceAreas total;
  for (int s = z - k; s <= z + k; ++s) {
    HuImage slice = axial_slice(ct.hu, s);
    const std::string where = fmt::format("{} (slice {})", ct.source, s);
    MaskImage labels = options.segmenter ? options.segmenter(slice, options.thresholds, where)
                                         : segment_slice(slice, options.thresholds, where);
    const SliceAreas a = areas_of(slice, labels);
    total.sma += a.sma;
    total.vat += a.vat;
    total.sat += a.sat;
    total.imat += a.imat;
    total.body += a.body;
    total.muscle_hu_sum += a.muscle_hu_sum;
    total.muscle_pixels += a.muscle_pixels;
    if (touches_edge(labels))
      c.warnings.push_back(fmt::format("slice {}: the body touches the image edge; areas may be truncated", s));
    if (s == z) {
      m.slice = std::move(slice);
      m.labels = std::move(labels);
    }
  }
  const double n = 2 * k + 1;
  c.sma_cm2 = total.sma / n;
  c.vat_cm2 = total.vat / n;
  c.sat_cm2 = total.sat / n;
  c.imat_cm2 = total.imat / n;
  c.body_cm2 = total.body / n;
  c.muscle_hu = total.muscle_pixels ? total.muscle_hu_sum / double(total.muscle_pixels) : std::nan("");
  if (total.muscle_pixels == 0) c.warnings.push_back("no skeletal muscle found");

  c.height_m = options.height_m;
  c.weight_kg = options.weight_kg;
  if (options.height_m) c.smi_cm2_m2 = c.sma_cm2 / (*options.height_m * *options.height_m);
  if (options.height_m && options.weight_kg) {
    c.bmi_kg_m2 = *options.weight_kg / (*options.height_m * *options.height_m);
    c.sma_per_bmi = c.sma_cm2 / *c.bmi_kg_m2;
  }
  return m;
}

}  // namespace l3
