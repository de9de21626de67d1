// Speed of the L3 classifier on this machine: inference (SliceClassifier, the predict path:
// uint8 -> float, forward, softmax; InferenceMode) and one training step (forward, cross-entropy,
// backward, AdamW), in images per second, batch 16, 2 threads, 1 input channel.
// Usage: bench_model [batches_per_measurement (default 3)] [threads (default 2)]
// Run from a Release build without sanitizers.
#include <malloc.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <torch/torch.h>

#include "l3slice/model/classifier.h"
#include "l3slice/model/input_tensor.h"
#include "l3slice/model/resnet.h"

namespace {

constexpr int kBatch = 16;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::vector<uint8_t> random_bytes(int64_t n) {
  auto t = torch::randint(0, 256, {n}, torch::kUInt8);
  return {t.data_ptr<uint8_t>(), t.data_ptr<uint8_t>() + n};
}

double inference_images_per_second(int depth, int size, int batches) {
  l3::LoadedModel model;
  model.info.arch = {depth, 1, 2};
  model.info.input_size = size;
  model.net = l3::make_resnet(model.info.arch);
  l3::SliceClassifier classifier(model, {kBatch});
  const auto inputs = random_bytes(int64_t(kBatch) * size * size * batches);
  classifier.probabilities(inputs.data(), kBatch);  // warm-up: allocator, oneDNN primitives
  const auto start = std::chrono::steady_clock::now();
  classifier.probabilities(inputs.data(), int64_t(kBatch) * batches);
  return kBatch * batches / seconds_since(start);
}

double training_images_per_second(int depth, int size, int batches) {
  l3::ResNet net = l3::make_resnet({depth, 1, 2});
  net->train();
  torch::optim::AdamW optimizer(net->parameters(), torch::optim::AdamWOptions(1e-4));
  const auto bytes = torch::randint(0, 256, {kBatch, 1, size, size}, torch::kUInt8);
  const auto labels = torch::randint(0, 2, {kBatch}, torch::kLong);
  auto step = [&] {
    optimizer.zero_grad();
    auto loss = torch::nn::functional::cross_entropy(net->forward(l3::input_tensor(bytes)), labels);
    loss.backward();
    optimizer.step();
  };
  step();  // warm-up, also allocates AdamW's state
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < batches; ++i) step();
  return kBatch * batches / seconds_since(start);
}

}  // namespace

int main(int argc, char** argv) {
  // Keep freed memory in the process: returning it to the OS costs 30-45 % here.
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
  const int batches = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
  const int threads = argc > 2 ? std::max(1, std::atoi(argv[2])) : 2;
  torch::set_num_threads(threads);
  torch::manual_seed(0);

  std::printf("batch %d, %d threads, %d timed batches after 1 warm-up, 1 channel\n", kBatch, threads,
              batches);
  std::printf("%-9s %5s %14s %14s\n", "model", "size", "infer img/s", "train img/s");
  for (int depth : {18, 50}) {
    for (int size : {128, 224}) {
      const double infer = inference_images_per_second(depth, size, batches);
      const double train = training_images_per_second(depth, size, batches);
      std::printf("resnet%-3d %5d %14.1f %14.1f\n", depth, size, infer, train);
      std::fflush(stdout);
    }
  }
  return 0;
}
