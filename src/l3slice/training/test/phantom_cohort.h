#pragma once
// Small phantom cohorts held in memory, for the training tests.
#include <string>

#include "l3slice/io/label_reader.h"
#include "l3slice/phantom/phantom.h"
#include "l3slice/training/slice_dataset.h"

namespace l3::testing {

// Phantom options for a small, fast case: `matrix` px over the usual field of view, 5 mm slices.
inline PhantomOptions small_phantom(unsigned seed, int matrix, double no_l3_fraction = 0.0) {
  PhantomOptions o = random_phantom_options(seed, no_l3_fraction);
  o.pixel_mm *= double(o.matrix) / matrix;
  o.matrix = matrix;
  o.slice_mm = 5.0;
  return o;
}

// Labels from the vertebral bodies (label L3), as a phantom cohort's manifest defines them.
inline void add_phantom(SliceDataset& data, const Phantom& p, const std::string& case_id) {
  data.add_case(case_id, p.ct, slice_labels(p.vertebral_bodies, verse::L3));
}

inline SliceDataset phantom_dataset(int count, unsigned first_seed, int matrix, const ModelInputOptions& input,
                                    double no_l3_fraction = 0.0) {
  SliceDataset data(input);
  for (int i = 0; i < count; ++i) {
    const unsigned seed = first_seed + unsigned(i);
    add_phantom(data, make_phantom(small_phantom(seed, matrix, no_l3_fraction)), "phantom-" + std::to_string(seed));
  }
  return data;
}

}  // namespace l3::testing
