// Time per slice of body composition: phantom slices at 3.2 mm (128^2) and 0.8 mm (512^2, a
// typical clinical matrix), and the shared real CT's mid-L3 slice. Run from a Release build.
// Goal for --method unet (issue 13): at least 20 slices/s on 2 cores with the default U-Net at
// 256^2 input (BM_UNetSlice: resampling, network, labels; the weights do not change the time).
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <climits>

#include <filesystem>
#include <memory>

#include "l3slice/bodycomp/body_composition.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/phantom/phantom.h"
#include "l3slice/segmenter/unet_bodycomp.h"

namespace {

l3::Phantom phantom(int matrix, double pixel_mm) {
  l3::PhantomOptions o;
  o.matrix = matrix;
  o.pixel_mm = pixel_mm;
  o.fov_inferior_mm = -3;
  o.fov_superior_mm = 3;
  return l3::make_phantom(o);
}

void BM_PhantomSlice(benchmark::State& state) {
  const int matrix = int(state.range(0));
  const l3::Phantom ph = phantom(matrix, 128 * 3.2 / matrix);
  const int z = ph.l3_body->middle();
  for (auto _ : state) benchmark::DoNotOptimize(l3::measure_body_composition(ph.ct, z).composition.sma_cm2);
}
BENCHMARK(BM_PhantomSlice)->Arg(128)->Arg(512)->Unit(benchmark::kMillisecond);

void BM_RealCtSlice74(benchmark::State& state) {
  const auto path = std::filesystem::path(L3SLICE_SHARED_DATA) / "totalseg-example" / "ct.nii.gz";
  const l3::CtScan ct = l3::read_ct(path);
  for (auto _ : state) benchmark::DoNotOptimize(l3::measure_body_composition(ct, 74).composition.sma_cm2);
}
BENCHMARK(BM_RealCtSlice74)->Unit(benchmark::kMillisecond);

void BM_UNetSlice(benchmark::State& state) {
  torch::set_num_threads(int(state.range(0)));
  const l3::Phantom ph = phantom(512, 0.8);
  const int z = ph.l3_body->middle();
  torch::manual_seed(1);
  auto model = std::make_shared<l3::LoadedSegmenter>();
  model->net = l3::UNet(model->info.arch);  // default architecture and 256^2 input
  model->net->eval();
  l3::BodyCompOptions o;
  o.segmenter = l3::unet_slice_segmenter(model);
  for (auto _ : state) benchmark::DoNotOptimize(l3::measure_body_composition(ph.ct, z, o).composition.sma_cm2);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_UNetSlice)->Arg(2)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

// The network alone at 256^2 on 2 threads, by width at full resolution (args: base channels, levels).
void BM_UNetForward(benchmark::State& state) {
  torch::set_num_threads(2);
  torch::NoGradGuard no_grad;
  l3::UNet net(l3::UNetConfig{1, 5, int(state.range(0)), int(state.range(1))});
  net->eval();
  const torch::Tensor x = torch::randn({1, 1, 256, 256});
  for (auto _ : state) benchmark::DoNotOptimize(net->forward(x));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_UNetForward)->Args({8, 5})->Args({8, 4})->Args({6, 5})->Args({4, 5})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  // As the l3slice program does: glibc returning freed memory to the OS would dominate libtorch's time.
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
