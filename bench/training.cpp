// Training throughput: the full pipeline (epoch sampling, batch assembly, augmentation of the
// oversampled copies, uint8 -> float input, forward + backward + AdamW step) against the bare
// forward + backward + step on a pre-made batch of the same size. Their ratio is what the data
// side costs; the data side alone is also timed. Run from a Release build:
//   bench_training [phantoms=3] [input=128] [batch=16]
#include <malloc.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "l3slice/io/label_reader.h"
#include "l3slice/model/input_tensor.h"
#include "l3slice/phantom/phantom.h"
#include "l3slice/training/random.h"
#include "l3slice/training/trainer.h"
#include "l3slice/training/training_batch.h"
#include "l3slice/training/weighted_loss.h"

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Data side only: plan + batches + augmentation + float conversion, images/s.
double data_pipeline_rate(const l3::SliceDataset& data, const std::vector<int64_t>& slices, int batch) {
  const auto plan = l3::epoch_plan(slices, data.labels(), 2.0, 1, 0);
  const auto start = Clock::now();
  int64_t images = 0;
  for (size_t b = 0; b + size_t(batch) <= plan.size(); b += size_t(batch)) {
    const auto tb = l3::make_training_batch(data, plan, b, b + size_t(batch), l3::AugmentationOptions{}, b);
    const auto x = l3::input_tensor(tb.images);
    images += x.size(0);
  }
  return double(images) / seconds_since(start);
}

// Bare step on one pre-made batch, images/s.
double bare_step_rate(int depth, const l3::SliceDataset& data, int batch, int steps) {
  torch::manual_seed(1);
  l3::ResNet net = l3::make_resnet({depth, data.input().channels, 2});
  torch::optim::AdamW optimizer(net->parameters(), torch::optim::AdamWOptions(1e-3).weight_decay(1e-4));
  net->train();
  const auto x = l3::input_tensor(data.slice(0), batch, data.input().channels, data.input().size);
  auto targets = torch::zeros({batch}, torch::kLong);
  targets[0] = 1;
  auto step = [&] {
    optimizer.zero_grad();
    l3::weighted_cross_entropy(net->forward(x), targets, 2.0).backward();
    optimizer.step();
  };
  step();  // warm-up
  const auto start = Clock::now();
  for (int s = 0; s < steps; ++s) step();
  return double(steps * batch) / seconds_since(start);
}

}  // namespace

int main(int argc, char** argv) {
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
  const int phantoms = argc > 1 ? std::atoi(argv[1]) : 3;
  const int size = argc > 2 ? std::atoi(argv[2]) : 128;
  const int batch = argc > 3 ? std::atoi(argv[3]) : 16;
  const int threads = 2;
  torch::set_num_threads(threads);

  l3::ModelInputOptions input;
  input.size = size;
  l3::SliceDataset data(input);
  const auto load_start = Clock::now();
  for (int i = 0; i < phantoms; ++i) {
    l3::PhantomOptions o = l3::random_phantom_options(unsigned(10 + i), 0.0);
    o.slice_mm = 5.0;
    const l3::Phantom p = l3::make_phantom(o);
    data.add_case("p" + std::to_string(i), p.ct, l3::slice_labels(p.vertebral_bodies, l3::verse::L3));
  }
  fmt::print("dataset: {} phantoms, {} slices ({} L3) at {} px, {:.1f} s to make (phantom generation included)\n",
             phantoms, data.slice_count(), data.l3_slice_count(), size, seconds_since(load_start));
  std::vector<int> all(static_cast<size_t>(phantoms));
  for (int i = 0; i < phantoms; ++i) all[size_t(i)] = i;
  const auto slices = data.slices_of(all);
  fmt::print("data side only (sampling r=2, gather, augmentation, to float): {:.0f} img/s\n",
             data_pipeline_rate(data, slices, batch));

  for (const int depth : {18, 50}) {
    const double bare = bare_step_rate(depth, data, batch, depth == 50 ? 6 : 12);
    l3::TrainOptions o;
    o.depth = depth;
    o.epochs = 1;
    o.batch = batch;
    o.oversample = 2.0;
    o.class_weight = 2.0;
    o.threads = threads;
    o.out = fmt::format("/tmp/bench_training_resnet{}.l3m", depth);
    o.log = nullptr;
    const l3::TrainResult r = l3::train(data, l3::PatientSplit{all, {}}, o);
    const double full = r.history.at(0).images_per_second;
    fmt::print("resnet{} at {} px, batch {}, {} threads: full pipeline {:.1f} img/s ({} img), bare step {:.1f} img/s, "
               "overhead ratio bare/full {:.3f}\n",
               depth, size, batch, threads, full, r.history.at(0).images, bare, bare / full);
    std::filesystem::remove(o.out);
  }
}
