// Speed of the synthetic CT generator: goal well under a second for 128 x 128 x ~130 slices
// (default options, 3 mm slices) in a Release build.
#include <benchmark/benchmark.h>

#include "l3slice/phantom/phantom.h"

namespace {

void BM_DefaultPhantom(benchmark::State& state) {
  l3::PhantomOptions o;
  o.slice_mm = double(state.range(0));
  int slices = 0;
  for (auto _ : state) {
    const l3::Phantom p = l3::make_phantom(o);
    slices = p.ct.hu.grid.size[2];
    benchmark::DoNotOptimize(p.ct.hu.voxels.data());
  }
  state.counters["slices"] = slices;
}
BENCHMARK(BM_DefaultPhantom)->Arg(1)->Arg(3)->Arg(5)->Unit(benchmark::kMillisecond);

void BM_RandomOptions(benchmark::State& state) {
  unsigned seed = 1;
  for (auto _ : state) benchmark::DoNotOptimize(l3::random_phantom_options(seed++));
}
BENCHMARK(BM_RandomOptions)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
