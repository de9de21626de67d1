// Body composition against a real reference: l3slice's classical method on every slice of the
// shared real CT crop (ct-upper-abdomen.nii.gz, 30 slices at T12-L2) against TotalSegmentator's
// tissue masks (skeletal muscle, subcutaneous fat, torso fat), compared as reference_agreement.h
// says (inside the same HU ranges; torso fat against VAT + IMAT). The reference is another model's
// output, not manual tracing. A measurement, not a speed goal; the regression test
// RealCtReference.* pins its summary. Usage: bench_bodycomp_reference [shared data folder]
// With L3SLICE_DUMP_DIR set, writes muscle-<slice>.png: muscle both found (red), only l3slice (cyan),
// only the reference (blue-grey).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "l3slice/bodycomp/overlay.h"
#include "l3slice/bodycomp/reference_agreement.h"
#include "l3slice/io/label_reader.h"
#include "l3slice/io/png_io.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  const fs::path shared = argc > 1 ? fs::path(argv[1]) : fs::path(L3SLICE_SHARED_DATA);
  const fs::path dir = shared / "totalseg-example";
  const l3::CtScan ct = l3::read_ct(dir / "ct-upper-abdomen.nii.gz");
  const l3::ReferenceTissueMasks ref{l3::read_labels(dir / "tissue" / "tissue_skeletal_muscle.nii.gz", ct),
                                     l3::read_labels(dir / "tissue" / "tissue_subcutaneous_fat.nii.gz", ct),
                                     l3::read_labels(dir / "tissue" / "tissue_torso_fat.nii.gz", ct)};
  const l3::TissueThresholds t;
  const auto rows = l3::agree_with_reference(ct, ref, t);
  std::printf("| slice | SMA l3slice / ref (cm2) | error | SAT l3slice / ref (cm2) | error | VAT+IMAT / torso fat (cm2) | Dice muscle | Dice SAT |\n"
              "|---|---|---|---|---|---|---|---|\n");
  for (const auto& r : rows) {
    std::printf("| %d | %.1f / %.1f | %+.1f %% | %.1f / %.1f | %+.1f %% | %.1f / %.1f | %.3f | %.3f |\n", r.slice, r.sma_cm2,
                r.sma_ref_cm2, 100 * r.sma_error(), r.sat_cm2, r.sat_ref_cm2, 100 * r.sat_error(), r.vat_imat_cm2,
                r.torso_fat_ref_cm2, r.dice_muscle, r.dice_sat);
    if (const char* out = std::getenv("L3SLICE_DUMP_DIR")) {
      l3::MaskImage diff = r.labels;
      const int16_t* hu = ct.hu.slice(r.slice);
      for (std::size_t i = 0; i < diff.voxels.size(); ++i) {
        const bool ours = r.labels.voxels[i] == uint8_t(l3::BodyLabel::muscle);
        const bool theirs = ref.muscle.slice(r.slice)[i] != 0 && t.muscle.contains(hu[i]);
        diff.voxels[i] = uint8_t(ours && theirs ? l3::BodyLabel::muscle : ours ? l3::BodyLabel::intermuscular_fat
                                 : theirs ? l3::BodyLabel::bone : l3::BodyLabel::other);
      }
      l3::Grid one = ct.hu.grid;
      one.size[2] = 1;
      l3::HuImage slice(one);
      std::copy(hu, hu + diff.voxels.size(), slice.voxels.begin());
      l3::write_png(fs::path(out) / ("muscle-" + std::to_string(r.slice) + ".png"), l3::body_composition_overlay(slice, diff));
    }
  }
  const auto s = l3::summarize(rows);
  std::printf("\nmedian error SMA %+.1f %%, SAT %+.1f %%; worst SMA %+.1f %%, SAT %+.1f %%; "
              "Dice muscle median %.3f (min %.3f), SAT median %.3f (min %.3f)\n",
              100 * s.median_sma_error, 100 * s.median_sat_error, 100 * s.worst_sma_error, 100 * s.worst_sat_error,
              s.median_dice_muscle, s.min_dice_muscle, s.median_dice_sat, s.min_dice_sat);
  return 0;
}
