#include "l3slice/phantom/phantom_dataset.h"

#include <fmt/format.h>

#include "l3slice/core/atomic_file.h"
#include "l3slice/core/csv.h"
#include "l3slice/core/error.h"
#include "l3slice/core/manifest.h"
#include "l3slice/core/progress.h"
#include "l3slice/io/orientation.h"
#include "l3slice/phantom/seeded_random.h"

namespace fs = std::filesystem;

namespace l3 {
namespace {

std::string run_field(const std::optional<SliceRun>& run, int SliceRun::*member) {
  return run ? std::to_string((*run).*member) : std::string();
}

}  // namespace

std::string phantom_case_id(unsigned seed) { return fmt::format("phantom-{:05d}", seed); }

PhantomOptions dataset_case_options(const PhantomDatasetOptions& d, int index) {
  PhantomOptions o = random_phantom_options(d.seed + unsigned(index), d.no_l3_fraction, d.scanner_variety, d.scoliosis_fraction);
  if (d.matrix) o = with_matrix(o, *d.matrix);
  if (d.slice_mm) o.slice_mm = *d.slice_mm;
  o.crowded_abdomen = d.crowded_abdomen && phantom_detail::SeededRandom(o.seed, 32).chance(0.5);
  return o;
}

void write_phantom_case(const Phantom& ph, const fs::path& case_dir, const PhantomDatasetOptions& d) {
  StagingDir staging(case_dir);
  const fs::path dir = staging.path();
  const WriteLayout layout{d.orientation};
  if (d.nifti) write_image(ph.ct.hu, dir / "ct.nii.gz", layout);
  if (d.dicom) {
    DicomWriteOptions dicom;
    dicom.compression = d.compression;
    dicom.orientation = d.orientation;
    dicom.seed = ph.options.seed;
    dicom.patient_id = phantom_case_id(ph.options.seed);
    write_dicom_series(ph.ct, dir / "dicom", dicom);
  }
  write_image(ph.vertebrae, dir / "vertebrae.nii.gz", layout);
  write_image(ph.vertebral_bodies, dir / "vertebral-bodies.nii.gz", layout);
  // No writer for 8-bit masks: tissue classes fit a 16-bit label image.
  LabelImage tissues(ph.tissues.grid);
  std::copy(ph.tissues.voxels.begin(), ph.tissues.voxels.end(), tissues.voxels.begin());
  write_image(tissues, dir / "tissues.nii.gz", layout);
  staging.commit();
}

std::vector<std::string> write_phantom_dataset(const fs::path& out, const PhantomDatasetOptions& d) {
  if (d.count < 1) throw UsageError("phantom: --count must be at least 1");
  if (!d.nifti && !d.dicom) throw UsageError("phantom: nothing to write (neither NIfTI nor DICOM)");
  try {
    axis_map_from_code(d.orientation);
  } catch (const std::invalid_argument& e) {
    throw UsageError("phantom: bad orientation '" + d.orientation + "': " + e.what());
  }
  fs::create_directories(out);
  std::vector<ManifestEntry> manifest, tissue_manifest;
  std::vector<std::string> ids;
  std::string truth = csv_line({"case_id", "l3_body_first", "l3_body_last", "l3_body_middle", "l3_whole_first",
                                "l3_whole_last", "slice_mm", "pixel_mm", "has_l3", "lumbar_vertebrae", "rib_pairs", "scoliosis_cobb_deg"});
  std::optional<Progress> progress;
  if (d.progress) progress.emplace("phantom", d.count, "cases", d.progress);
  for (int i = 0; i < d.count; ++i) {
    const PhantomOptions o = dataset_case_options(d, i);
    const Phantom ph = make_phantom(o);
    const std::string id = phantom_case_id(o.seed);
    write_phantom_case(ph, out / id, d);
    ManifestEntry e;
    e.case_id = id;
    e.image = d.nifti ? fs::path(id) / "ct.nii.gz" : fs::path(id) / "dicom";
    e.labels = fs::path(id) / "vertebral-bodies.nii.gz";
    e.label_value = verse::L3;
    manifest.push_back(e);
    ManifestEntry t{id, e.image, fs::path(id) / "tissues.nii.gz", std::nullopt, ""};
    tissue_manifest.push_back(t);
    ids.push_back(id);
    const std::string middle = ph.l3_body ? std::to_string(ph.l3_body->middle()) : std::string();
    truth += csv_line({id, run_field(ph.l3_body, &SliceRun::first), run_field(ph.l3_body, &SliceRun::last), middle,
                       run_field(ph.l3_whole, &SliceRun::first), run_field(ph.l3_whole, &SliceRun::last),
                       fmt::format("{:g}", o.slice_mm), fmt::format("{:.6g}", o.pixel_mm), ph.l3_body ? "1" : "0",
                       std::to_string(o.lumbar_vertebrae), std::to_string(o.rib_pairs), fmt::format("{:.1f}", o.scoliosis_cobb_deg)});
    if (progress) progress->advance();
  }
  write_manifest(out / "manifest.csv", manifest);
  write_manifest(out / "tissue-manifest.csv", tissue_manifest);
  write_text_atomically(out / "truth.csv", truth);
  if (progress) progress->finish();
  return ids;
}

}  // namespace l3
