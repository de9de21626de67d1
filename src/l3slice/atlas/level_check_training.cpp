#include "l3slice/atlas/level_check_training.h"

#include <algorithm>
#include <cmath>
#include <random>

#include <fmt/format.h>

#include "l3slice/core/error.h"
#include "l3slice/core/parallel_for.h"
#include "l3slice/core/progress.h"
#include "l3slice/model/level_sequence_net.h"
#include "l3slice/phantom/phantom.h"

namespace l3 {
namespace {

constexpr double kTrainingStepMm = 3.0;
constexpr double kTrainingClipMm = 200.0;  // farther rows are trained as +-200 mm: "far above / below"

struct TrainingScan {
  int rows = 0;
  std::vector<float> mm;  // rows x kLevelSequenceCols
  double l3_mm = 0.0;     // L3 middle, mm above row 0 (may lie outside the rows)
};

TrainingScan training_scan(const BoneProjection& p, double l3_mm) {
  TrainingScan s;
  s.rows = p.rows;
  s.mm = level_check_input(p);
  s.l3_mm = l3_mm - p.z0_mm;
  return s;
}

TrainingScan phantom_training_scan(unsigned seed) {
  const Phantom ph = make_phantom(random_phantom_options(seed, 0.1, true, 0.2));
  // Phantom frame: z = 0 at the L3 body's middle; canonical slice 0 is the most inferior.
  return training_scan(coronal_bone_projection(ph.ct.hu), -ph.ct.hu.grid.origin[2]);
}

// One augmented window of `length` rows (zero beyond the scan) and its targets.
void add_crop(const TrainingScan& s, int length, std::mt19937& rng, std::vector<float>& x, std::vector<float>& target,
              std::vector<float>& mask) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const double zs = 0.9 + 0.2 * u(rng), xs = 0.9 + 0.2 * u(rng), gain = 0.8 + 0.4 * u(rng);
  const bool mirror = u(rng) < 0.5;
  const int scaled_rows = std::max(1, int(std::floor((s.rows - 1) * zs)) + 1);
  const int start = scaled_rows > length ? int(u(rng) * (scaled_rows - length + 1)) : 0;
  const int n = kLevelSequenceCols;
  auto at = [&](int r, int c) { return c < 0 || c >= n ? 0.0 : double(s.mm[std::size_t(r) * n + std::size_t(c)]); };
  for (int r = 0; r < length; ++r) {
    const int sr = start + r;
    if (sr >= scaled_rows) {
      x.insert(x.end(), std::size_t(n), 0.0f);
      target.push_back(0.0f);
      mask.push_back(0.0f);
      continue;
    }
    const double f = std::min(double(s.rows - 1), sr / zs);
    const int r0 = std::min(int(f), std::max(0, s.rows - 2));
    const double w = s.rows > 1 ? f - r0 : 0.0;
    for (int col = 0; col < n; ++col) {
      const double xc = ((mirror ? n - 1 - col : col) - n / 2) / xs + n / 2;
      const int c0 = int(std::floor(xc));
      const double wx = xc - c0;
      auto row = [&](int rr) { return (1 - wx) * at(rr, c0) + wx * at(rr, c0 + 1); };
      const double v = (1 - w) * row(r0) + (s.rows > 1 ? w * row(r0 + 1) : 0.0);
      x.push_back(float(v * gain * xs));
    }
    const double d = sr * kTrainingStepMm - s.l3_mm * zs;
    target.push_back(float(std::clamp(d, -kTrainingClipMm, kTrainingClipMm) / kLevelSequenceUnitMm));
    mask.push_back(1.0f);
  }
}

}  // namespace

LevelCheck train_level_check(const SpineAtlas& real, const LevelCheckTrainingOptions& o) {
  if (std::abs(real.projection.step_mm - kTrainingStepMm) > 1e-9 || !real.level("L3"))
    throw UsageError("the level check trains on a 3 mm atlas projection with an L3 level");
  if (o.phantoms < o.batch || o.epochs < 1 || o.batch < 1 || !(o.real_share >= 0 && o.real_share < 1))
    throw UsageError("level check training needs at least one batch of phantoms, one epoch and a real share in [0, 1)");
  std::vector<TrainingScan> phantoms(std::size_t(o.phantoms));
  {
    Progress progress("phantoms", o.phantoms, "cases", o.progress ? stderr : nullptr);
    // In chunks, so that progress is drawn from this thread only.
    for (std::size_t first = 0; first < phantoms.size(); first += 16) {
      const std::size_t n = std::min<std::size_t>(16, phantoms.size() - first);
      parallel_for(n, 0, [&](std::size_t i) { phantoms[first + i] = phantom_training_scan(o.first_phantom_seed + unsigned(first + i)); });
      progress.set(long(first + n));
    }
    progress.finish();
  }
  const TrainingScan atlas_spine = training_scan(real.projection, real.level("L3")->middle_mm());

  torch::manual_seed(o.seed);
  LevelSequenceNet net;
  torch::optim::AdamW opt(net->parameters(), torch::optim::AdamWOptions(o.learning_rate).weight_decay(1e-4));
  std::mt19937 rng(o.seed);
  const int steps = o.phantoms / o.batch, total = steps * o.epochs;
  std::vector<std::size_t> order(phantoms.size());
  Progress progress("training", total, "steps", o.progress ? stderr : nullptr);
  double last_loss = 0.0;
  net->train();
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);
    double loss_sum = 0.0;
    for (int step = 0; step < steps; ++step) {
      const double lr = o.learning_rate * 0.5 * (1 + std::cos(M_PI * (epoch * steps + step) / total));
      for (auto& g : opt.param_groups()) static_cast<torch::optim::AdamWOptions&>(g.options()).lr(lr);
      const int length = std::uniform_int_distribution<int>(25, 140)(rng);  // 75-420 mm fields of view
      std::vector<float> x, target, mask;
      for (int k = 0; k < o.batch; ++k) {
        const bool use_real = std::uniform_real_distribution<double>(0, 1)(rng) < o.real_share;
        add_crop(use_real ? atlas_spine : phantoms[order[std::size_t(step * o.batch + k)]], length, rng, x, target, mask);
      }
      const auto xt = torch::from_blob(x.data(), {o.batch, 1, length, kLevelSequenceCols}).clone() / 10.0;
      const auto t = torch::from_blob(target.data(), {o.batch, length}).clone();
      const auto m = torch::from_blob(mask.data(), {o.batch, length}).clone();
      auto loss = (torch::smooth_l1_loss(net->forward(xt), t, torch::Reduction::None) * m).sum() / m.sum().clamp_min(1);
      opt.zero_grad();
      loss.backward();
      opt.step();
      loss_sum += loss.item<double>();
      progress.advance();
    }
    last_loss = loss_sum / steps;
    progress.set(progress.done(), fmt::format("epoch {} loss {:.4f}", epoch + 1, last_loss));
  }
  progress.finish(fmt::format("final loss {:.4f}", last_loss));
  net->eval();

  SpineAtlas without_check = real;  // the atlas as it was before it carried a check (retraining gives the same file)
  without_check.level_check.reset();
  LevelCheck c;
  c.name = "sequence-phantoms";
  c.provenance = fmt::format("level-sequence network trained on {} synthetic phantoms (seeds {}-{}) and the spine of atlas {} ({})",
                             o.phantoms, o.first_phantom_seed, o.first_phantom_seed + unsigned(o.phantoms) - 1, real.name,
                             real.provenance);
  c.settings = {{"phantoms", o.phantoms},
                {"first_phantom_seed", o.first_phantom_seed},
                {"phantom_options", "random_phantom_options(seed, no_l3 0.1, scanner_variety, scoliosis 0.2)"},
                {"epochs", o.epochs},
                {"real_share", o.real_share},
                {"real_atlas", real.name},
                {"real_atlas_crc32", fmt::format("{:08x}", atlas_crc32(without_check))},
                {"batch", o.batch},
                {"learning_rate", o.learning_rate},
                {"seed", o.seed},
                {"final_loss", last_loss}};
  c.weights = flat_weights(net);
  c.crc32 = level_check_crc32(c);
  return c;
}

}  // namespace l3
