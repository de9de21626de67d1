// Ways to combine the real atlas with phantom atlases, measured on every shared real scan and on
// held-out phantoms made in memory. A measurement, not a speed goal. Usage:
//   bench_atlas_combinations ATLAS.l3a MODE [phantoms = 48] [first seed = 9000] [scoliosis fraction = 0]
//                            [slice mm = 3; 0: as drawn, 1-5 mm]
// MODE: default     the atlas as bundled (s0328; its tie-breakers settle "uncertain" only)
//       nodiscs     the atlas as bundled, without the disc refinement (as mapped)
//       nolimit     the atlas as bundled, taking alignments stopped by the scale limit as found
//       nocover     the atlas as bundled, without the coverage cross-check
//       alone       s0328 without tie-breakers
//       best-match  s0328 and its tie-breakers side by side, the best NCC decides (not kept)
//       bend:M      the atlas as bundled, with the registration's bend limited to M mm (0: straight)
//       band:W      s0328 alone, registered on +-W mm around the midline only (not kept)
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "l3slice/atlas/level_finder.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/phantom/phantom.h"

namespace {

struct Scan {
  std::string name;
  l3::HuImage hu;
  double slice_mm = 0;
  double truth = NAN;  // L3 middle, canonical slice; NaN: not in view
  bool real = false;
};

// The atlas's projection cut to +-half_mm around its midline (the scan's is cut the same way).
l3::SpineAtlas band(l3::SpineAtlas a, double half_mm) {
  const l3::BoneProjection& p = a.projection;
  const int half = int(std::ceil(half_mm / p.step_mm));
  l3::BoneProjection q = p;
  q.cols = 2 * half + 1;
  q.centre_col = half;
  q.mm.assign(std::size_t(q.rows) * q.cols, 0.0f);
  for (int r = 0; r < q.rows; ++r)
    for (int c = 0; c < q.cols; ++c)
      if (const int src = int(std::lround(p.centre_col)) + c - half; src >= 0 && src < p.cols)
        q.mm[std::size_t(r) * q.cols + c] = p.at(r, src);
  a.projection = q;
  a.projection_options.half_width_mm = half * p.step_mm;
  a.tie_breakers.clear();
  return a;
}

l3::LevelFinding best_match(const l3::HuImage& hu, const l3::SpineAtlas& atlas) {
  l3::SpineAtlas primary = atlas;
  primary.tie_breakers.clear();
  l3::LevelFinding best = l3::find_levels(hu, primary);
  for (const auto& t : atlas.tie_breakers)
    if (auto f = l3::find_levels(hu, t); f.best.ncc > best.best.ncc) best = f;
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: bench_atlas_combinations ATLAS.l3a default|nodiscs|nolimit|nocover|alone|best-match|bend:M|band:W [phantoms] "
                 "[seed] [scoliosis fraction] [slice mm]\n");
    return 2;
  }
  const l3::SpineAtlas bundled = l3::load_spine_atlas(argv[1]);
  const std::string mode = argv[2];
  const int count = argc > 3 ? std::atoi(argv[3]) : 48;
  const unsigned seed = argc > 4 ? unsigned(std::atoi(argv[4])) : 9000u;
  const double scoliosis = argc > 5 ? std::atof(argv[5]) : 0.0;
  const double slice_mm = argc > 6 ? std::atof(argv[6]) : 3.0;
  l3::SpineAtlas alone = bundled;
  alone.tie_breakers.clear();
  const std::string shared = L3SLICE_SHARED_DATA;
  auto find = [&](const l3::HuImage& hu) {
    if (mode == "default") return l3::find_levels(hu, bundled);
    if (mode == "alone") return l3::find_levels(hu, alone);
    if (mode == "nodiscs") {
      l3::LevelFinderOptions o;
      o.refine_by_discs = false;
      return l3::find_levels(hu, bundled, o);
    }
    if (mode == "nocover") {
      l3::LevelFinderOptions o;
      o.coverage_check_weight = 0.0;
      return l3::find_levels(hu, bundled, o);
    }
    if (mode == "nolimit") {
      l3::LevelFinderOptions o;
      o.scale_limit_margin = 0.0;
      return l3::find_levels(hu, bundled, o);
    }
    if (mode.rfind("bend:", 0) == 0) {
      l3::LevelFinderOptions o;
      o.registration.max_bend_mm = std::atof(mode.c_str() + 5);
      return l3::find_levels(hu, bundled, o);
    }
    if (mode == "best-match") return best_match(hu, bundled);
    if (mode.rfind("band:", 0) == 0) return l3::find_levels(hu, band(bundled, std::atof(mode.c_str() + 5)));
    std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
    std::exit(2);
  };

  std::vector<Scan> scans;
  const std::pair<const char*, double> real[] = {
      {"totalseg-example/ct.nii.gz", 74}, {"totalseg-s0328-bone-only/s0328_ct_bone_only_ge200HU.nii.gz", 155},
      {"tptbox-spine-crop/ct.nii.gz", 23}, {"totalseg-example/ct-upper-abdomen.nii.gz", NAN},
      {"totalseg-example/partial-dicom", NAN}, {"real-negatives/lidc-idri-0001-chest", NAN},
      {"real-negatives/acrin-flt-breast-001-headneck", NAN}};
  for (const auto& [path, truth] : real) {
    l3::HuImage hu = l3::read_ct(shared + "/" + path).hu;
    const double dz = hu.grid.spacing[2];
    scans.push_back({path, std::move(hu), dz, truth, true});
  }
  for (int i = 0; i < count; ++i) {
    l3::PhantomOptions o = l3::random_phantom_options(seed + unsigned(i), 0.1, false, scoliosis);
    if (slice_mm > 0) o.slice_mm = slice_mm;
    l3::Phantom ph = l3::make_phantom(o);
    scans.push_back({"phantom-" + std::to_string(seed + unsigned(i)), std::move(ph.ct.hu), o.slice_mm,
                     ph.l3_body ? double(ph.l3_body->middle()) : NAN, false});
  }

  int with_l3 = 0, found = 0, within2 = 0, uncertain = 0, false_l3 = 0;
  double sum = 0, sum2 = 0, sum_mm = 0, sum2_mm = 0;
  for (const Scan& s : scans) {
    const l3::LevelFinding f = find(s.hu);
    const bool is_found = f.status == l3::LevelStatus::found;
    const double error = is_found && !std::isnan(s.truth) ? f.l3->middle() - s.truth : NAN;
    std::printf("%-62s %-24s middle %5s truth %5s error %+5.0f slices  ncc %.3f\n", s.name.c_str(), l3::level_status_text(f.status),
                f.l3 ? std::to_string(f.l3->middle()).c_str() : "-", std::isnan(s.truth) ? "-" : std::to_string(int(s.truth)).c_str(),
                error, f.best.ncc);
    if (s.real) continue;
    if (std::isnan(s.truth)) {
      false_l3 += is_found;
      continue;
    }
    ++with_l3;
    uncertain += f.status == l3::LevelStatus::uncertain;
    if (!is_found) continue;
    ++found;
    within2 += std::abs(error) <= 2;
    sum += std::abs(error);
    sum2 += error * error;
    sum_mm += std::abs(error) * s.slice_mm;
    sum2_mm += error * error * s.slice_mm * s.slice_mm;
  }
  auto sd = [&](double s1, double s2) {
    const double m = found ? s1 / found : 0.0;
    return found > 1 ? std::sqrt(std::max(0.0, s2 / found - m * m)) : 0.0;
  };
  std::printf("%s, %d phantoms from seed %u: %d with L3, %d found, %d within 2 slices, %d uncertain; |error| %.2f +- %.2f slices "
              "(%.2f +- %.2f mm); %d false L3\n", mode.c_str(), count, seed, with_l3, found, within2, uncertain,
              found ? sum / found : 0.0, sd(sum, sum2), found ? sum_mm / found : 0.0, sd(sum_mm, sum2_mm), false_l3);
  return 0;
}
