#pragma once
// Learning rate: linear warm-up, then cosine decay to zero.
// Why: training from scratch with batch norm on small batches is unstable in the first steps at the
// full rate (warm-up avoids it); cosine decay ends with small steps so the last epochs settle, and
// needs no milestones to tune - only lr and epochs, which the tuner already varies.
#include <cstdint>

namespace l3 {

// Rate for optimisation step `step` (0-based) of `total_steps`, with `warmup_steps` of warm-up.
double scheduled_learning_rate(double base_lr, int64_t step, int64_t total_steps, int64_t warmup_steps);

}  // namespace l3
