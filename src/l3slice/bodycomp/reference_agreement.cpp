#include "l3slice/bodycomp/reference_agreement.h"

#include <algorithm>
#include <cmath>

#include "l3slice/core/error.h"
#include "l3slice/io/label_reader.h"

namespace l3 {
namespace {

struct Overlap {
  long ours = 0, ref = 0, both = 0;  // pixel counts
  void add(bool o, bool r) { ours += o, ref += r, both += o && r; }
  double dice() const { return ours + ref > 0 ? 2.0 * double(both) / double(ours + ref) : 1.0; }
};

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double largest_magnitude(const std::vector<double>& v) {
  return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end(), [](double a, double b) { return std::abs(a) < std::abs(b); });
}

}  // namespace

ReferenceTissueMasks read_totalsegmentator_tissue_masks(const std::filesystem::path& folder, const CtScan& ct) {
  return {read_labels(folder / "tissue_skeletal_muscle.nii.gz", ct), read_labels(folder / "tissue_subcutaneous_fat.nii.gz", ct),
          read_labels(folder / "tissue_torso_fat.nii.gz", ct)};
}

SliceAgreement agree_on_slice(const CtScan& ct, int z, const ReferenceTissueMasks& reference, const BodyCompOptions& options) {
  const Grid& g = ct.hu.grid;
  const double px_cm2 = g.spacing[0] * g.spacing[1] / 100.0;
  const TissueThresholds& t = options.thresholds;
  if (options.half_width != 0) throw UsageError("agreement with a reference is measured slice by slice (half width 0)");
  SliceMeasurement m = measure_body_composition(ct, z, options);
  Overlap muscle, sat;
  long torso = 0;
  const int16_t* hu = ct.hu.slice(z);
  for (std::size_t i = 0; i < m.labels.voxels.size(); ++i) {
    const auto label = BodyLabel(m.labels.voxels[i]);
    muscle.add(label == BodyLabel::muscle, reference.muscle.slice(z)[i] != 0 && t.muscle.contains(hu[i]));
    sat.add(label == BodyLabel::subcutaneous_fat,
            reference.subcutaneous_fat.slice(z)[i] != 0 && t.subcutaneous_fat.contains(hu[i]));
    torso += reference.torso_fat.slice(z)[i] != 0;
  }
  SliceAgreement row;
  row.slice = z;
  row.sma_cm2 = double(muscle.ours) * px_cm2;
  row.sma_ref_cm2 = double(muscle.ref) * px_cm2;
  row.sat_cm2 = double(sat.ours) * px_cm2;
  row.sat_ref_cm2 = double(sat.ref) * px_cm2;
  row.vat_imat_cm2 = m.composition.vat_cm2 + m.composition.imat_cm2;
  row.torso_fat_ref_cm2 = double(torso) * px_cm2;
  row.dice_muscle = muscle.dice();
  row.dice_sat = sat.dice();
  row.labels = std::move(m.labels);
  return row;
}

std::vector<SliceAgreement> agree_with_reference(const CtScan& ct, const ReferenceTissueMasks& reference,
                                                 const BodyCompOptions& options) {
  std::vector<SliceAgreement> rows;
  for (int z = 0; z < ct.hu.grid.size[2]; ++z) rows.push_back(agree_on_slice(ct, z, reference, options));
  return rows;
}

AgreementSummary summarize(const std::vector<SliceAgreement>& slices) {
  std::vector<double> sma, sat, dm, ds;
  for (const auto& s : slices) {
    sma.push_back(s.sma_error());
    sat.push_back(s.sat_error());
    dm.push_back(s.dice_muscle);
    ds.push_back(s.dice_sat);
  }
  AgreementSummary a;
  a.median_sma_error = median(sma);
  a.worst_sma_error = largest_magnitude(sma);
  a.median_sat_error = median(sat);
  a.worst_sat_error = largest_magnitude(sat);
  a.median_dice_muscle = median(dm);
  a.median_dice_sat = median(ds);
  if (!slices.empty()) {
    a.min_dice_muscle = *std::min_element(dm.begin(), dm.end());
    a.min_dice_sat = *std::min_element(ds.begin(), ds.end());
  }
  return a;
}

}  // namespace l3
