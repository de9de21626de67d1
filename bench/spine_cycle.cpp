// What the spine looks like in the coronal bone projection over one vertebral cycle, on the real
// spines and on phantoms: from one vertebral body's middle (0.0) to the next body's middle above
// (1.0), the mean bone thickness within +-W mm of the midline in ten bins, each cycle scaled to its
// own maximum, averaged over L5-L4 .. L1-T12 (levels from each spine's own labels, as the atlas
// builder reads them). The disc lies near 0.5. Also the ratio of the body middles (bins 1 and 10)
// to the brightest bins beside the disc (2-4 and 7-9): below 1 when endplates outshine the body's
// middle. A measurement of phantom faithfulness, not a speed goal. Usage:
//   bench_spine_cycle [phantoms = 20] [first seed = 3000] [W mm = 30] [phantom cancellous HU, 0 = as drawn]
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "l3slice/atlas/spine_atlas.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/io/label_reader.h"
#include "l3slice/phantom/phantom.h"

namespace {

constexpr int bins = 10;
using Cycle = std::array<double, bins>;

// The mean cycle of one spine, or nothing if it has no two neighbouring levels in L5..T12.
std::vector<Cycle> cycles(const l3::SpineAtlas& spine, double half_mm) {
  const l3::BoneProjection& p = spine.projection;
  auto thickness = [&](double z_mm) -> double {
    const int r = int(std::lround((z_mm - p.z0_mm) / p.step_mm));
    if (r < 0 || r >= p.rows) return NAN;
    double sum = 0.0;
    int n = 0;
    for (int c = 0; c < p.cols; ++c)
      if (std::abs(p.x_mm(c)) < half_mm) sum += p.at(r, c), ++n;
    return n ? sum / n : NAN;
  };
  std::vector<Cycle> out;
  const char* levels[] = {"L5", "L4", "L3", "L2", "L1", "T12"};
  for (int k = 0; k + 1 < 6; ++k) {
    const l3::LevelExtent* lo = spine.level(levels[k]);
    const l3::LevelExtent* hi = spine.level(levels[k + 1]);
    if (!lo || !hi) continue;
    const double a = lo->middle_mm(), b = hi->middle_mm();
    Cycle cycle{};
    bool complete = true;
    for (int j = 0; j < bins && complete; ++j) {
      double sum = 0.0;
      int n = 0;
      for (double u = double(j) / bins; u < double(j + 1) / bins - 1e-9; u += 0.02)
        if (const double t = thickness(a + u * (b - a)); !std::isnan(t)) sum += t, ++n;
      complete = n > 0;
      cycle[std::size_t(j)] = n ? sum / n : 0.0;
    }
    const double top = *std::max_element(cycle.begin(), cycle.end());
    if (!complete || top <= 0.0) continue;
    for (double& v : cycle) v /= top;
    out.push_back(cycle);
  }
  return out;
}

void print(const std::string& name, const std::vector<Cycle>& all) {
  if (all.empty()) {
    std::printf("%-44s no two neighbouring levels in view\n", name.c_str());
    return;
  }
  Cycle mean{};
  for (const Cycle& c : all)
    for (int j = 0; j < bins; ++j) mean[std::size_t(j)] += c[std::size_t(j)] / double(all.size());
  std::printf("%-44s", name.c_str());
  for (double v : mean) std::printf(" %4.2f", v);
  const double middles = (mean[0] + mean[9]) / 2;
  const double beside_disc = (*std::max_element(mean.begin() + 1, mean.begin() + 4) +
                              *std::max_element(mean.begin() + 6, mean.begin() + 9)) / 2;
  std::printf("  %5.2f  (%zu cycles)\n", middles / beside_disc, all.size());
}

}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::atoi(argv[1]) : 20;
  const unsigned seed = argc > 2 ? unsigned(std::atoi(argv[2])) : 3000u;
  const double half_mm = argc > 3 ? std::atof(argv[3]) : 30.0;
  const double cancellous = argc > 4 ? std::atof(argv[4]) : 0.0;
  std::printf("%-44s", "spine (cycle from body middle 0.0 to 1.0)");
  for (int j = 0; j < bins; ++j) std::printf(" %4.2f", (j + 0.5) / bins);
  std::printf("  middle/beside disc\n");

  const std::string shared = L3SLICE_SHARED_DATA;
  struct Real {
    const char* name;
    const char* ct;
    const char* labels;
  };
  const Real real[] = {
      {"s0328 (the atlas; bone-only)", "totalseg-s0328-bone-only/s0328_ct_bone_only_ge200HU.nii.gz",
       "totalseg-s0328-bone-only/s0328_vertebrae_labelmap_gt.nii.gz"},
      {"ct.nii.gz (test scan: measured, never tuned on)", "totalseg-example/ct.nii.gz", "totalseg-example/vertebrae.nii.gz"}};
  for (const Real& r : real) {
    const l3::CtScan ct = l3::read_ct(shared + "/" + r.ct);
    const l3::LabelImage labels = l3::read_labels(shared + "/" + r.labels, ct);
    print(r.name, cycles(l3::build_spine_atlas(ct, labels, l3::LevelScheme::totalsegmentator, r.labels), half_mm));
  }
  std::vector<Cycle> all;
  for (int i = 0; i < count; ++i) {
    l3::PhantomOptions o = l3::random_phantom_options(seed + unsigned(i));
    if (o.lumbar_vertebrae != 5 || o.scoliosis_cobb_deg != 0.0) continue;  // the same five lumbar levels, straight
    o.slice_mm = 1.5;
    o.fov_inferior_mm = -150;
    o.fov_superior_mm = 230;
    if (cancellous > 0) o.cancellous_hu = cancellous;
    const l3::Phantom p = l3::make_phantom(o);
    const auto c = cycles(l3::build_spine_atlas(p.ct, p.vertebrae, l3::LevelScheme::verse, "phantom"), half_mm);
    all.insert(all.end(), c.begin(), c.end());
  }
  print("phantoms from seed " + std::to_string(seed) + (cancellous > 0 ? ", cancellous " + std::to_string(int(cancellous)) + " HU" : ""), all);
  return 0;
}
