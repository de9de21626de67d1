#pragma once
// Trains a level check (level_check.h): the sequence network on the bone projections of synthetic
// phantoms (every level known; 1-5 mm slices, scanner variety, 20 % scoliosis, 10 % without L3)
// and of a real atlas's spine (its labelled levels), augmented in z scale, x scale, mirror,
// intensity and field of view. Deterministic for given options and thread count.
#include "l3slice/atlas/level_check.h"
#include "l3slice/atlas/spine_atlas.h"

namespace l3 {

struct LevelCheckTrainingOptions {
  int phantoms = 1500;
  unsigned first_phantom_seed = 20000;  // far from the seeds used to measure (3000-9000)
  int epochs = 30;
  double real_share = 0.2;   // share of every batch taken from the real atlas
  int batch = 16;
  double learning_rate = 1e-3;  // AdamW, cosine decay to 0
  unsigned seed = 1;
  bool progress = true;      // on a terminal (core/progress.h)
};

// `real`: the atlas whose spine joins the phantoms (its projection must be 3 mm, +-170 mm).
LevelCheck train_level_check(const SpineAtlas& real, const LevelCheckTrainingOptions& options);

}  // namespace l3
