#pragma once
// Training the body-composition U-Net from a manifest of (CT, tissue label map) pairs: phantom
// datasets (tissues.nii.gz, label values "phantom"), l3slice's own bodycomp masks corrected in
// ITK-SNAP ("l3slice"), or any label map with the values given. Every slice of a case that holds
// muscle labels is a candidate; up to `slices_per_case` of them, evenly spaced, are used. Each
// epoch resamples every slice at a random scale (body size varies) and flips half of them left to
// right. Loss: cross-entropy over the five tissue classes. Deterministic for a seed and thread count.
#include <cstdio>
#include <filesystem>

#include "l3slice/segmenter/segmenter_file.h"
#include "l3slice/segmenter/tissue_classes.h"

namespace l3 {

struct SegmenterTrainingOptions {
  TissueLabelValues label_values;
  UNetConfig arch;
  SegmenterGeometry geometry;
  int epochs = 20;
  int batch_size = 8;
  double lr = 2e-3;           // Adam; halved at 60 % and again at 85 % of the epochs
  double scale_jitter = 0.15; // pixel size drawn in [1 - j, 1 + j] x geometry.pixel_mm per slice and epoch
  int slices_per_case = 8;
  unsigned seed = 1;
  int threads = 0;            // 0: all cores
  std::FILE* progress = stderr;
};

struct SegmenterTrainingResult {
  int cases = 0, slices = 0;
  double first_epoch_loss = 0, last_epoch_loss = 0;
  uint32_t crc32 = 0;
};

// Trains and writes the model to `out` (atomically). Throws InputError for manifest, image or
// label problems (naming the file), UsageError for bad options or a label map without muscle.
SegmenterTrainingResult train_segmenter(const std::filesystem::path& manifest, const std::filesystem::path& out,
                                        const SegmenterTrainingOptions& options);

}  // namespace l3
