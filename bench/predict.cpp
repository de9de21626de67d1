// Whole-volume inference speed: seconds per 500-slice scan, coarse-to-fine (default) vs
// exhaustive, and the mid-L3 error of both on the same held-out phantoms (the fast path must not
// be worse). Usage: bench_predict MODEL.l3m [cases=6] [seed=9000] [matrix=256] [threads=2]
#include <malloc.h>
#include <torch/torch.h>

#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <string>

#include "l3slice/inference/predictor.h"
#include "l3slice/model/classifier.h"
#include "l3slice/phantom/phantom.h"

int main(int argc, char** argv) {
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s MODEL.l3m [cases=6] [seed=9000] [matrix=256] [threads=2]\n", argv[0]);
    return 2;
  }
  const int cases = argc > 2 ? std::stoi(argv[2]) : 6;
  const unsigned seed = argc > 3 ? unsigned(std::stoul(argv[3])) : 9000u;
  const int matrix = argc > 4 ? std::stoi(argv[4]) : 256;
  torch::set_num_threads(argc > 5 ? std::stoi(argv[5]) : 2);

  l3::SliceClassifier classifier(l3::load_model(argv[1]));
  l3::PredictOptions fast, exhaustive;
  exhaustive.schedule.exhaustive = true;

  double t_fast = 0, t_all = 0, e_fast = 0, e_all = 0;
  int scored_fast = 0, scored_all = 0, n_err = 0;
  std::printf("case  slices  fast_s  exhaustive_s  scored_fast  err_fast  err_exhaustive\n");
  for (int i = 0; i < cases; ++i) {
    l3::PhantomOptions o;
    o.seed = seed + i;
    o.matrix = matrix;
    o.pixel_mm = 460.0 / matrix;
    o.slice_mm = 1.0;                 // 500 slices of 1 mm
    o.fov_inferior_mm = -250.0;
    o.fov_superior_mm = 249.0;
    const auto ph = l3::make_phantom(o);
    auto run = [&](const l3::PredictOptions& opt, double& t) {
      const auto t0 = std::chrono::steady_clock::now();
      auto p = l3::predict_l3(ph.ct, classifier, opt);
      t += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      return p;
    };
    double tf = 0, ta = 0;
    const auto pf = run(fast, tf);
    const auto pa = run(exhaustive, ta);
    t_fast += tf, t_all += ta;
    scored_fast += pf.probabilities.scored_count();
    scored_all += pa.probabilities.scored_count();
    auto err = [&](const l3::Prediction& p) {
      return p.run && ph.l3_body ? std::abs(p.run->middle() - ph.l3_body->middle()) : -1;
    };
    const int ef = err(pf), ea = err(pa);
    if (ef >= 0 && ea >= 0) e_fast += ef, e_all += ea, ++n_err;
    std::printf("%4d  %6d  %6.2f  %12.2f  %11d  %8d  %14d\n", i, ph.ct.hu.grid.size[2], tf, ta,
                pf.probabilities.scored_count(), ef, ea);
  }
  std::printf("\nmean seconds per scan: coarse-to-fine %.2f, exhaustive %.2f, speed-up %.1fx\n", t_fast / cases,
              t_all / cases, t_all / t_fast);
  std::printf("slices scored per scan: coarse-to-fine %.0f, exhaustive %.0f\n", double(scored_fast) / cases,
              double(scored_all) / cases);
  if (n_err)
    std::printf("mean mid-L3 error (slices of 1 mm, %d cases with both runs): coarse-to-fine %.2f, exhaustive %.2f\n",
                n_err, e_fast / n_err, e_all / n_err);
  return 0;
}
