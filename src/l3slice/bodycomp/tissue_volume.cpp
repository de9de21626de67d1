#include "l3slice/bodycomp/tissue_volume.h"

#include <fmt/format.h>

#include "l3slice/core/error.h"

namespace l3 {

TissueVolumes measure_tissue_volumes(const CtScan& ct, const SliceRun& run, const BodyCompOptions& options) {
  const int nz = ct.hu.grid.size[2];
  if (run.first < 0 || run.last >= nz || run.first > run.last)
    throw UsageError(fmt::format("slices {}..{} are not inside the scan (0..{})", run.first, run.last, nz - 1));
  BodyCompOptions one = options;
  one.half_width = 0;
  TissueVolumes v;
  v.run = run;
  v.slice_mm = ct.hu.grid.spacing[2];
  const double cm = v.slice_mm / 10.0;
  double hu_sum = 0;
  for (int z = run.first; z <= run.last; ++z) {
    const BodyComposition c = measure_body_composition(ct, z, one).composition;
    v.muscle_cm3 += c.sma_cm2 * cm;
    v.vat_cm3 += c.vat_cm2 * cm;
    v.sat_cm3 += c.sat_cm2 * cm;
    v.imat_cm3 += c.imat_cm2 * cm;
    hu_sum += c.muscle_hu * c.sma_cm2;  // weighted by area: the mean over all muscle voxels
  }
  v.muscle_hu = v.muscle_cm3 > 0 ? hu_sum * cm / v.muscle_cm3 : 0.0;
  return v;
}

nlohmann::json to_json(const TissueVolumes& v) {
  return {{"first_slice", v.run.first}, {"last_slice", v.run.last}, {"slice_mm", v.slice_mm},
          {"muscle_cm3", v.muscle_cm3}, {"vat_cm3", v.vat_cm3},     {"sat_cm3", v.sat_cm3},
          {"imat_cm3", v.imat_cm3},     {"muscle_hu", v.muscle_hu}};
}

}  // namespace l3
