#pragma once
// Writing phantoms to disk as a dataset: per case ct.nii.gz and/or dicom/, vertebrae.nii.gz,
// vertebral-bodies.nii.gz, tissues.nii.gz; plus manifest.csv and truth.csv for the whole set.
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "l3slice/io/image_writer.h"
#include "l3slice/phantom/phantom.h"

namespace l3 {

struct PhantomDatasetOptions {
  int count = 1;
  unsigned seed = 1;             // case i uses seed + i
  bool nifti = true;             // ct.nii.gz
  bool dicom = false;            // dicom/ (one file per slice)
  DicomCompression compression = DicomCompression::none;
  std::string orientation = "LPS";  // voxel layout of every written file
  std::optional<int> matrix;        // default: 128 (same field of view at other sizes)
  std::optional<double> slice_mm;   // default: drawn per case (1-5 mm)
  double no_l3_fraction = 0.1;
  bool scanner_variety = false;     // kernel, contrast phase, padding drawn per case (phantom.h)
  bool crowded_abdomen = false;     // half of the cases (drawn by seed) with PhantomOptions::crowded_abdomen
  double scoliosis_fraction = 0.0;  // share of cases with a scoliotic lumbar curve (phantom.h)
  std::FILE* progress = stderr;     // nullptr: no progress
};

// The case id for a seed: "phantom-00042".
std::string phantom_case_id(unsigned seed);

// The options case `index` of a dataset uses.
PhantomOptions dataset_case_options(const PhantomDatasetOptions& options, int index);

// Writes one phantom into `case_dir` (replaced atomically as a whole).
void write_phantom_case(const Phantom& phantom, const std::filesystem::path& case_dir, const PhantomDatasetOptions& options);

// Writes `count` cases under `out`, then manifest.csv (labels = vertebral-bodies.nii.gz,
// label_value = 22), tissue-manifest.csv (labels = tissues.nii.gz, for train-bodycomp with label
// values "phantom") and truth.csv (canonical slice indices, inferior = 0). Returns the case ids.
std::vector<std::string> write_phantom_dataset(const std::filesystem::path& out, const PhantomDatasetOptions& options);

}  // namespace l3
