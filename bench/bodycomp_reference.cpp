// Body composition against a real reference: l3slice's classical method on every slice of the
// shared real CT crop (ct-upper-abdomen.nii.gz, 30 slices at T12-L2) against TotalSegmentator's
// tissue masks (skeletal muscle, subcutaneous fat, torso fat). The reference is another model's
// output, not manual tracing. Its masks are not cut to HU ranges, so it is compared inside the same
// ranges as l3slice (muscle -29..150 HU, SAT -190..-30 HU): the clinical definition of each area.
// Torso fat is all fat inside the wall; it is compared with VAT + IMAT. A measurement, not a speed
// goal. Usage: bench_bodycomp_reference [shared data folder]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "l3slice/bodycomp/body_composition.h"
#include "l3slice/bodycomp/overlay.h"
#include "l3slice/io/png_io.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/io/label_reader.h"

namespace fs = std::filesystem;

namespace {

struct Overlap {
  double ours = 0, ref = 0, both = 0;  // pixel counts
  double dice() const { return ours + ref > 0 ? 2 * both / (ours + ref) : 1.0; }
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path shared = argc > 1 ? fs::path(argv[1]) : fs::path(L3SLICE_SHARED_DATA);
  const fs::path dir = shared / "totalseg-example";
  const l3::CtScan ct = l3::read_ct(dir / "ct-upper-abdomen.nii.gz");
  const l3::LabelImage muscle = l3::read_labels(dir / "tissue" / "tissue_skeletal_muscle.nii.gz", ct);
  const l3::LabelImage sat = l3::read_labels(dir / "tissue" / "tissue_subcutaneous_fat.nii.gz", ct);
  const l3::LabelImage torso = l3::read_labels(dir / "tissue" / "tissue_torso_fat.nii.gz", ct);
  const l3::TissueThresholds t;
  const double px_cm2 = ct.hu.grid.spacing[0] * ct.hu.grid.spacing[1] / 100.0;
  std::printf("slice | SMA ours / ref (err) | SAT ours / ref (err) | VAT+IMAT / torso fat | Dice muscle | Dice SAT\n");
  std::vector<double> sma_err, sat_err, dice_m, dice_s;
  for (int z = 0; z < ct.hu.grid.size[2]; ++z) {
    const auto m = l3::measure_body_composition(ct, z);
    Overlap om, os;
    double torso_cm2 = 0;
    const std::size_t n = m.labels.voxels.size();
    const int16_t* hu = ct.hu.slice(z);
    for (std::size_t i = 0; i < n; ++i) {
      const auto label = l3::BodyLabel(m.labels.voxels[i]);
      const bool our_m = label == l3::BodyLabel::muscle, our_s = label == l3::BodyLabel::subcutaneous_fat;
      const bool ref_m = muscle.slice(z)[i] != 0 && t.muscle.contains(hu[i]);
      const bool ref_s = sat.slice(z)[i] != 0 && t.subcutaneous_fat.contains(hu[i]);
      om.ours += our_m, om.ref += ref_m, om.both += our_m && ref_m;
      os.ours += our_s, os.ref += ref_s, os.both += our_s && ref_s;
      torso_cm2 += (torso.slice(z)[i] != 0) * px_cm2;
    }
    if (const char* out = std::getenv("L3SLICE_DUMP_DIR")) {  // disagreements to look at, on request
      l3::MaskImage diff = m.labels;  // muscle only we find: IMAT colour; only the reference: bone colour
      for (std::size_t i = 0; i < n; ++i) {
        const bool ours = m.labels.voxels[i] == uint8_t(l3::BodyLabel::muscle);
        const bool ref = muscle.slice(z)[i] != 0 && t.muscle.contains(hu[i]);
        diff.voxels[i] = uint8_t(ours && ref ? l3::BodyLabel::muscle : ours ? l3::BodyLabel::intermuscular_fat
                                 : ref ? l3::BodyLabel::bone : l3::BodyLabel::other);
      }
      l3::write_png(fs::path(out) / ("muscle-" + std::to_string(z) + ".png"), l3::body_composition_overlay(m.slice, diff));
    }
    const auto& c = m.composition;
    const double e_m = (om.ours - om.ref) / om.ref, e_s = (os.ours - os.ref) / os.ref;
    sma_err.push_back(e_m);
    sat_err.push_back(e_s);
    dice_m.push_back(om.dice());
    dice_s.push_back(os.dice());
    std::printf("%5d | %6.1f / %6.1f (%+5.1f %%) | %6.1f / %6.1f (%+5.1f %%) | %6.1f / %6.1f | %.3f | %.3f\n", z,
                om.ours * px_cm2, om.ref * px_cm2, 100 * e_m, os.ours * px_cm2, os.ref * px_cm2, 100 * e_s,
                c.vat_cm2 + c.imat_cm2, torso_cm2, om.dice(), os.dice());
  }
  const auto worst = [](const std::vector<double>& v) {
    return *std::max_element(v.begin(), v.end(), [](double a, double b) { return std::abs(a) < std::abs(b); });
  };
  std::printf("median error SMA %+.1f %%, SAT %+.1f %%; worst SMA %+.1f %%, SAT %+.1f %%; "
              "median Dice muscle %.3f (min %.3f), SAT %.3f (min %.3f)\n",
              100 * median(sma_err), 100 * median(sat_err), 100 * worst(sma_err), 100 * worst(sat_err), median(dice_m),
              *std::min_element(dice_m.begin(), dice_m.end()), median(dice_s), *std::min_element(dice_s.begin(), dice_s.end()));
  return 0;
}
