// Body composition against a real reference: l3slice's classical method on every slice of the
// shared real CT crop (ct-upper-abdomen.nii.gz, 30 slices at T12-L2) against TotalSegmentator's
// tissue masks (skeletal muscle, subcutaneous fat, torso fat), compared as reference_agreement.h
// says (inside the same HU ranges; torso fat against VAT + IMAT). The reference is another model's
// output, not manual tracing. A measurement, not a speed goal; the regression test
// RealCtReference.* pins the classical method's summary. The same methods are then measured on 12
// held-out phantoms against the phantoms' own tissues.
// Usage: bench_bodycomp_reference [shared data folder] [U-Net model (.l3u) to compare]
// With L3SLICE_DUMP_DIR set, writes <method>-muscle-<slice>.png: muscle both found (red), only l3slice (cyan),
// only the reference (blue-grey).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "l3slice/bodycomp/overlay.h"
#include "l3slice/bodycomp/reference_agreement.h"
#include "l3slice/io/png_io.h"
#include "l3slice/model/torch_threads.h"
#include "l3slice/phantom/phantom.h"
#include "l3slice/segmenter/unet_bodycomp.h"

namespace fs = std::filesystem;

namespace {

// A phantom's own tissues as reference masks (torso fat: its visceral fat).
l3::ReferenceTissueMasks phantom_tissues(const l3::Phantom& ph) {
  const auto mask = [&](l3::Tissue tissue) {
    l3::LabelImage m(ph.tissues.grid);
    for (std::size_t i = 0; i < m.voxels.size(); ++i) m.voxels[i] = ph.tissues.voxels[i] == uint8_t(tissue);
    return m;
  };
  return {mask(l3::Tissue::muscle), mask(l3::Tissue::subcutaneous_fat), mask(l3::Tissue::visceral_fat)};
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path shared = argc > 1 ? fs::path(argv[1]) : fs::path(L3SLICE_SHARED_DATA);
  const fs::path dir = shared / "totalseg-example";
  const l3::CtScan ct = l3::read_ct(dir / "ct-upper-abdomen.nii.gz");
  const l3::ReferenceTissueMasks ref = l3::read_totalsegmentator_tissue_masks(dir / "tissue", ct);
  const l3::TissueThresholds t;
  std::vector<std::pair<std::string, l3::BodyCompOptions>> methods{{"classical", {}}};
  if (argc > 2) {
    l3::set_torch_threads(0);
    auto model = std::make_shared<l3::LoadedSegmenter>(l3::load_segmenter(argv[2]));
    l3::BodyCompOptions unet;
    unet.method = l3::unet_method_name(*model);
    unet.segmenter = l3::unet_slice_segmenter(model);
    methods.emplace_back("unet", unet);
  }
  std::vector<std::pair<std::string, l3::AgreementSummary>> summaries;
  for (const auto& [name, options] : methods) {
    const auto rows = l3::agree_with_reference(ct, ref, options);
    std::printf("\n%s (%s)\n| slice | SMA l3slice / ref (cm2) | error | SAT l3slice / ref (cm2) | error | VAT+IMAT / torso fat (cm2) | Dice muscle | Dice SAT |\n"
                "|---|---|---|---|---|---|---|---|\n", name.c_str(), options.method.c_str());
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
        l3::write_png(fs::path(out) / (name + "-muscle-" + std::to_string(r.slice) + ".png"),
                      l3::body_composition_overlay(l3::axial_slice(ct.hu, r.slice), diff));
      }
    }
    summaries.emplace_back(name, l3::summarize(rows));
  }
  // The same methods on held-out phantoms (seeds no training set uses), against their own tissues:
  // default phantoms at mid-L3, and crowded abdomens at T12-L1 (organs against the wall, as on the
  // real slices).
  struct PhantomSet {
    const char* name;
    bool crowded;
    double z_mm;  // above the middle of L3
  };
  for (const PhantomSet set : {PhantomSet{"default phantoms, mid-L3", false, 0.0}, PhantomSet{"crowded abdomen, T12-L1 (+75 mm)", true, 75.0}}) {
    std::printf("\nheld-out phantoms (seeds 9001-9012, 256^2): %s\n| method | SMA error median | SMA error worst | SAT error median | SAT error worst | muscle Dice median (min) |\n|---|---|---|---|---|---|\n", set.name);
    for (const auto& [name, options] : methods) {
      std::vector<l3::SliceAgreement> rows;
      for (unsigned seed = 9001; seed <= 9012; ++seed) {
        l3::PhantomOptions p = l3::with_matrix(l3::random_phantom_options(seed, 0.0), 256);
        p.crowded_abdomen = set.crowded;
        p.fov_inferior_mm = set.z_mm - 8;
        p.fov_superior_mm = set.z_mm + 8;
        const l3::Phantom ph = l3::make_phantom(p);
        rows.push_back(l3::agree_on_slice(ph.ct, ph.ct.hu.grid.size[2] / 2, phantom_tissues(ph), options));
      }
      const l3::AgreementSummary s = l3::summarize(rows);
      std::printf("| %s | %+.1f %% | %+.1f %% | %+.1f %% | %+.1f %% | %.3f (%.3f) |\n", name.c_str(), 100 * s.median_sma_error,
                  100 * s.worst_sma_error, 100 * s.median_sat_error, 100 * s.worst_sat_error, s.median_dice_muscle,
                  s.min_dice_muscle);
    }
  }

  std::printf("\nreal CT (ct-upper-abdomen.nii.gz, 30 slices)\n| method | SMA error median | SMA error worst | SAT error median | SAT error worst | muscle Dice median (min) | SAT Dice median (min) |\n"
              "|---|---|---|---|---|---|---|\n");
  for (const auto& [name, s] : summaries)
    std::printf("| %s | %+.1f %% | %+.1f %% | %+.1f %% | %+.1f %% | %.3f (%.3f) | %.3f (%.3f) |\n", name.c_str(), 100 * s.median_sma_error,
                100 * s.worst_sma_error, 100 * s.median_sat_error, 100 * s.worst_sat_error, s.median_dice_muscle,
                s.min_dice_muscle, s.median_dice_sat, s.min_dice_sat);
  return 0;
}
