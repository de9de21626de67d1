#pragma once
// Muscle and fat volumes over a run of slices, usually the whole L3 vertebral body, which recent
// studies prefer to a single slice: each slice is measured on its own (same method and
// thresholds) and its areas are summed times the slice spacing.
#include <nlohmann/json.hpp>

#include "l3slice/bodycomp/body_composition.h"
#include "l3slice/core/slice_run.h"

namespace l3 {

struct TissueVolumes {
  SliceRun run;              // canonical slices measured (inclusive)
  double slice_mm = 0.0;     // spacing each slice stands for
  double muscle_cm3 = 0, vat_cm3 = 0, sat_cm3 = 0, imat_cm3 = 0;
  double muscle_hu = 0;      // mean HU of all the muscle voxels
};

// Throws UsageError if the run leaves the scan. `options.half_width` is ignored (every slice once).
TissueVolumes measure_tissue_volumes(const CtScan& ct, const SliceRun& run, const BodyCompOptions& options = {});

nlohmann::json to_json(const TissueVolumes& v);

}  // namespace l3
