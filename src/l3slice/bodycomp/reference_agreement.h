#pragma once
// Agreement of l3slice's body composition with reference tissue masks of the same CT (another
// model's output, or a user's own tracing), slice by slice. Reference masks are often drawn
// without HU cut-offs, so they are compared inside the same ranges as l3slice (the clinical
// definition of each area): reference muscle = muscle mask AND muscle range, reference SAT = SAT
// mask AND SAT range. A reference "torso fat" (all fat inside the wall) is compared with VAT+IMAT.
#include <filesystem>
#include <vector>

#include "l3slice/bodycomp/body_composition.h"
#include "l3slice/io/ct_reader.h"

namespace l3 {

// Reference masks on the CT's canonical grid; nonzero = the tissue.
struct ReferenceTissueMasks {
  LabelImage muscle;
  LabelImage subcutaneous_fat;
  LabelImage torso_fat;
};

// TotalSegmentator's "tissue_types" output folder: tissue_skeletal_muscle.nii.gz,
// tissue_subcutaneous_fat.nii.gz, tissue_torso_fat.nii.gz, on `ct`'s grid. Throws InputError
// naming a missing or mismatched file.
ReferenceTissueMasks read_totalsegmentator_tissue_masks(const std::filesystem::path& folder, const CtScan& ct);

struct SliceAgreement {
  int slice = 0;  // canonical axial index
  double sma_cm2 = 0, sma_ref_cm2 = 0;
  double sat_cm2 = 0, sat_ref_cm2 = 0;
  double vat_imat_cm2 = 0, torso_fat_ref_cm2 = 0;
  double dice_muscle = 0, dice_sat = 0;
  MaskImage labels;  // l3slice's BodyLabel map of the slice
  double sma_error() const { return sma_cm2 / sma_ref_cm2 - 1.0; }
  double sat_error() const { return sat_cm2 / sat_ref_cm2 - 1.0; }
};

struct AgreementSummary {
  double median_sma_error = 0, worst_sma_error = 0;  // relative; worst = largest magnitude
  double median_sat_error = 0, worst_sat_error = 0;
  double median_dice_muscle = 0, min_dice_muscle = 0;
  double median_dice_sat = 0, min_dice_sat = 0;
};

// Measures axial slice z of `ct` (single-slice; options' thresholds and segmenter) against `reference`.
SliceAgreement agree_on_slice(const CtScan& ct, int z, const ReferenceTissueMasks& reference,
                              const BodyCompOptions& options = {});
// The same for every axial slice of `ct`.
std::vector<SliceAgreement> agree_with_reference(const CtScan& ct, const ReferenceTissueMasks& reference,
                                                 const BodyCompOptions& options = {});
AgreementSummary summarize(const std::vector<SliceAgreement>& slices);

}  // namespace l3
