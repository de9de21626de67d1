#include "l3slice/training/lr_schedule.h"

#include <algorithm>
#include <cmath>

namespace l3 {

double scheduled_learning_rate(double base_lr, int64_t step, int64_t total_steps, int64_t warmup_steps) {
  if (warmup_steps > 0 && step < warmup_steps) return base_lr * static_cast<double>(step + 1) / warmup_steps;
  const int64_t decay_steps = std::max<int64_t>(1, total_steps - warmup_steps);
  const double progress = std::clamp(static_cast<double>(step - warmup_steps) / decay_steps, 0.0, 1.0);
  return base_lr * 0.5 * (1.0 + std::cos(M_PI * progress));
}

}  // namespace l3
