// The level check (a level-counting sequence network, src/l3slice/atlas/level_check.h) on its own,
// side by side with the spine atlas without it and with it (the default), on every shared real scan
// and on held-out phantoms made in memory. A measurement, not a speed goal. Usage:
//   bench_level_sequence ATLAS.l3a [phantoms = 48] [first seed = 9000] [slice mm = 3; 0: as drawn]
//                        [scoliosis fraction = 0] [crop list CSV (case_id,image), printed only]
// ATLAS must carry a level check (`l3slice atlas --level-check`); the bundled default does.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "l3slice/atlas/level_finder.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/phantom/phantom.h"

namespace {

struct Tally {
  int with_l3 = 0, found = 0, within2 = 0, uncertain = 0, false_l3 = 0;
  double sum = 0, sum2 = 0, sum_mm = 0, sum2_mm = 0;
  void add(double truth, bool is_found, bool is_uncertain, double slice, double slice_mm) {
    if (std::isnan(truth)) {
      false_l3 += is_found;
      return;
    }
    ++with_l3;
    uncertain += is_uncertain;
    if (!is_found) return;
    ++found;
    const double e = slice - truth;
    within2 += std::abs(e) <= 2;
    sum += std::abs(e), sum2 += e * e, sum_mm += std::abs(e) * slice_mm, sum2_mm += e * e * slice_mm * slice_mm;
  }
  void print(const char* what) const {
    auto sd = [&](double s1, double s2) {
      const double m = found ? s1 / found : 0.0;
      return found > 1 ? std::sqrt(std::max(0.0, s2 / found - m * m)) : 0.0;
    };
    std::printf("%-22s %d with L3: %d found, %d within 2 slices, %d uncertain; |error| %.2f +- %.2f slices (%.2f +- %.2f mm); "
                "%d false L3\n",
                what, with_l3, found, within2, uncertain, found ? sum / found : 0.0, sd(sum, sum2), found ? sum_mm / found : 0.0,
                sd(sum_mm, sum2_mm), false_l3);
  }
};

std::string slice_text(bool shown, double slice) { return shown ? std::to_string(int(std::lround(slice))) : "-"; }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_level_sequence ATLAS.l3a [phantoms] [first seed] [slice mm] [scoliosis] [crop list]\n");
    return 2;
  }
  const l3::SpineAtlas atlas = l3::load_spine_atlas(argv[1]);
  if (!atlas.level_check) {
    std::fprintf(stderr, "%s carries no level check\n", argv[1]);
    return 2;
  }
  const int count = argc > 2 ? std::atoi(argv[2]) : 48;
  const unsigned first = argc > 3 ? unsigned(std::atoi(argv[3])) : 9000u;
  const double slice_mm = argc > 4 ? std::atof(argv[4]) : 3.0;
  const double scoliosis = argc > 5 ? std::atof(argv[5]) : 0.0;
  l3::LevelFinderOptions without;
  without.use_level_check = false;

  // One row: the check alone, the atlas without it, the atlas with it.
  auto row = [&](const std::string& name, const l3::HuImage& hu, double truth, Tally* check_t, Tally* plain_t, Tally* with_t) {
    const double dz = hu.grid.spacing[2];
    const l3::LevelVote v =
        l3::level_check_vote(*atlas.level_check, l3::coronal_bone_projection(hu), (hu.grid.size[2] - 1) * dz);
    const l3::LevelFinding plain = l3::find_levels(hu, atlas, without), with = l3::find_levels(hu, atlas);
    auto text = [](const l3::LevelFinding& f) {
      return f.status == l3::LevelStatus::found ? std::to_string(f.l3->middle()) : std::string(l3::level_status_text(f.status));
    };
    std::printf("%-48s truth %5s  check %5s (at %6.1f, spread %4.1f mm)  atlas %-24s with check %-24s %s\n", name.c_str(),
                slice_text(!std::isnan(truth), truth).c_str(), slice_text(v.in_view, v.l3_middle_mm / dz).c_str(),
                v.any() ? v.l3_middle_mm / dz : NAN, v.spread_mm, text(plain).c_str(), text(with).c_str(),
                with.level_check_verdict.c_str());
    if (!check_t) return;
    check_t->add(truth, v.in_view, false, std::round(v.l3_middle_mm / dz), dz);
    for (auto [t, f] : {std::pair{plain_t, &plain}, std::pair{with_t, &with}})
      t->add(truth, f->status == l3::LevelStatus::found, f->status == l3::LevelStatus::uncertain, f->l3 ? f->l3->middle() : 0, dz);
  };

  const std::string shared = L3SLICE_SHARED_DATA;
  const std::pair<const char*, double> reals[] = {
      {"totalseg-example/ct.nii.gz", 74}, {"tptbox-spine-crop/ct.nii.gz", 23},
      {"totalseg-s0328-bone-only/s0328_ct_bone_only_ge200HU.nii.gz", 155}, {"totalseg-example/ct-upper-abdomen.nii.gz", NAN},
      {"totalseg-example/partial-dicom", NAN}, {"real-negatives/lidc-idri-0001-chest", NAN},
      {"real-negatives/acrin-flt-breast-001-headneck", NAN}};
  for (const auto& [path, truth] : reals) row(path, l3::read_ct(shared + "/" + path).hu, truth, nullptr, nullptr, nullptr);
  if (argc > 6) {
    std::ifstream list(argv[6]);
    std::string line;
    std::getline(list, line);  // header
    while (std::getline(list, line)) {
      const auto comma = line.find(',');
      row(line.substr(0, comma), l3::read_ct(line.substr(comma + 1)).hu, NAN, nullptr, nullptr, nullptr);
    }
  }
  Tally check_t, plain_t, with_t;
  for (int i = 0; i < count; ++i) {
    l3::PhantomOptions o = l3::random_phantom_options(first + unsigned(i), 0.1, false, scoliosis);
    if (slice_mm > 0) o.slice_mm = slice_mm;
    const l3::Phantom ph = l3::make_phantom(o);
    row("phantom-" + std::to_string(first + unsigned(i)), ph.ct.hu, ph.l3_body ? double(ph.l3_body->middle()) : NAN, &check_t,
        &plain_t, &with_t);
  }
  std::printf("%d phantoms from seed %u (slice %s mm, scoliosis %.2f):\n", count, first, slice_mm > 0 ? std::to_string(slice_mm).c_str() : "1-5",
              scoliosis);
  check_t.print("  level check alone");
  plain_t.print("  atlas without it");
  with_t.print("  atlas with it");
  return 0;
}
