// Where phantoms differ from the real spine the atlas was made from, region by region. For every
// scan: the best alignment to the atlas, then how far the L3 middle would move (mm) if only one
// region of the atlas were matched, each on the scan rows that the whole alignment puts there:
//   ribs    the atlas's L2 middle to 45 mm below its top (lower ribs, T12, L1);
//   pelvis  45 mm above the atlas's bottom to its L4 top (iliac crests, sacrum, L5).
// 0 means the region agrees with the whole; about a vertebra (30-40 mm) means the region alone
// looks like the neighbouring level. On real scans the regions should agree; where phantoms
// disagree and real scans do not, the phantom is what differs. Also the mean bone beside L3 (60-170
// mm off the midline: CT table, arms, anything that is not spine). A measurement. Usage:
//   bench_atlas_regions ATLAS.l3a [phantoms = 24] [first seed = 3000] [slice mm = 3]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "l3slice/atlas/level_finder.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/phantom/phantom.h"

namespace {

constexpr double max_shift_mm = 42.0, shift_step_mm = 1.5, min_rows_mm = 45.0;

// The scan's projection rows that `t` maps into atlas heights [lo_mm, hi_mm].
l3::BoneProjection rows_mapped_into(const l3::BoneProjection& scan, const l3::AtlasTransform& t, double lo_mm,
                                    double hi_mm) {
  l3::BoneProjection part = scan;
  part.mm.clear();
  part.rows = 0;
  for (int r = 0; r < scan.rows; ++r) {
    const double az = t.to_atlas_z(scan.z_mm(r));
    if (az < lo_mm || az > hi_mm) continue;
    if (part.rows == 0) part.z0_mm = scan.z_mm(r);
    part.mm.insert(part.mm.end(), scan.mm.begin() + std::ptrdiff_t(r) * scan.cols,
                   scan.mm.begin() + std::ptrdiff_t(r + 1) * scan.cols);
    ++part.rows;
  }
  return part;
}

// How far (scan mm) the L3 middle moves when only atlas heights [lo_mm, hi_mm] are matched, by
// sliding the atlas along z over those scan rows; nothing if the scan covers too little of them.
std::optional<double> region_move_mm(const l3::BoneProjection& scan, const l3::SpineAtlas& atlas,
                                     const l3::AtlasTransform& t, double lo_mm, double hi_mm) {
  const l3::BoneProjection part = rows_mapped_into(scan, t, lo_mm, hi_mm);
  const double covered = part.rows * part.step_mm;
  if (covered < min_rows_mm) return std::nullopt;
  double best_shift = 0.0, best_ncc = -2.0;
  for (double d = -max_shift_mm; d <= max_shift_mm + 1e-9; d += shift_step_mm) {
    l3::AtlasTransform u = t;
    u.shift_z_mm += d;
    const l3::AtlasMatch m = l3::score_transform(part, atlas.projection, u);
    if (m.overlap_mm < covered - 1.0) continue;  // every row must stay on the atlas
    if (m.ncc > best_ncc) best_ncc = m.ncc, best_shift = d;
  }
  if (best_ncc < -1.0) return std::nullopt;
  return -best_shift / t.scale_z;  // to_scan_z moves by -shift / scale
}

// Mean bone thickness (mm) 60-170 mm off the midline on the rows beside the atlas's L3 body.
double bone_beside_l3_mm(const l3::BoneProjection& scan, const l3::AtlasTransform& t, const l3::LevelExtent& l3) {
  double sum = 0.0;
  int n = 0;
  for (int r = 0; r < scan.rows; ++r) {
    const double az = t.to_atlas_z(scan.z_mm(r));
    if (az < l3.lo_mm || az > l3.hi_mm) continue;
    for (int c = 0; c < scan.cols; ++c)
      if (const double x = std::abs(t.scale_x * scan.x_mm(c) + t.shift_x_mm); x >= 60.0 && x <= 170.0)
        sum += scan.at(r, c), ++n;
  }
  return n ? sum / n : NAN;
}

std::string text(const std::optional<double>& v) {
  char b[32];
  if (!v) return "     -";
  std::snprintf(b, sizeof b, "%+6.1f", *v);
  return b;
}

double median(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_atlas_regions ATLAS.l3a [phantoms] [first seed] [slice mm]\n");
    return 2;
  }
  const l3::SpineAtlas atlas = l3::load_spine_atlas(argv[1]);
  const int count = argc > 2 ? std::atoi(argv[2]) : 24;
  const unsigned seed = argc > 3 ? unsigned(std::atoi(argv[3])) : 3000u;
  const double slice_mm = argc > 4 ? std::atof(argv[4]) : 3.0;
  const l3::LevelExtent& l3 = *atlas.level("L3");
  const double atlas_top = atlas.projection.z_mm(atlas.projection.rows - 1);
  const double ribs_lo = atlas.level("L2")->middle_mm(), ribs_hi = atlas_top - max_shift_mm - 3.0;
  const double pelvis_lo = atlas.projection.z0_mm + max_shift_mm + 3.0, pelvis_hi = atlas.level("L4")->hi_mm;
  std::printf("regions in atlas mm: ribs %.0f..%.0f, pelvis %.0f..%.0f\n", ribs_lo, ribs_hi, pelvis_lo, pelvis_hi);
  std::printf("%-58s %-24s %7s %6s %6s %7s\n", "scan", "answer", "error", "ribs", "pelvis", "beside");

  struct Stats {
    std::vector<double> ribs, pelvis, beside;
  } real, phantoms;
  auto measure = [&](const std::string& name, const l3::HuImage& hu, double truth_slice, Stats& stats) {
    const l3::LevelFinding f = l3::find_levels(hu, atlas);
    const l3::BoneProjection scan = l3::coronal_bone_projection(hu, atlas.projection_options);
    const l3::AtlasTransform& t = f.best.transform;
    const auto ribs = region_move_mm(scan, atlas, t, ribs_lo, ribs_hi);
    const auto pelvis = region_move_mm(scan, atlas, t, pelvis_lo, pelvis_hi);
    const double beside = bone_beside_l3_mm(scan, t, l3);
    const double error = std::isnan(truth_slice) ? NAN : f.l3_middle_mm - truth_slice * hu.grid.spacing[2];
    std::printf("%-58s %-24s %+7.1f %s %s %7.2f\n", name.c_str(), l3::level_status_text(f.status), error,
                text(ribs).c_str(), text(pelvis).c_str(), beside);
    if (ribs) stats.ribs.push_back(std::abs(*ribs));
    if (pelvis) stats.pelvis.push_back(std::abs(*pelvis));
    if (!std::isnan(beside)) stats.beside.push_back(beside);
  };

  const std::string shared = L3SLICE_SHARED_DATA;
  const std::pair<const char*, double> real_scans[] = {{"totalseg-example/ct.nii.gz", 74},
                                                        {"totalseg-s0328-bone-only/s0328_ct_bone_only_ge200HU.nii.gz", 155},
                                                        {"tptbox-spine-crop/ct.nii.gz", 23}};
  for (const auto& [path, truth] : real_scans) measure(path, l3::read_ct(shared + "/" + path).hu, truth, real);
  for (int i = 0; i < count; ++i) {
    l3::PhantomOptions o = l3::random_phantom_options(seed + unsigned(i));
    if (slice_mm > 0) o.slice_mm = slice_mm;
    const l3::Phantom p = l3::make_phantom(o);
    if (!p.l3_body) continue;
    measure("phantom-" + std::to_string(seed + unsigned(i)), p.ct.hu, p.l3_body->middle(), phantoms);
  }
  auto summary = [](const char* what, const Stats& s) {
    std::printf("%s: median |move| ribs %.1f mm (%zu scans), pelvis %.1f mm (%zu); median bone beside L3 %.2f mm\n", what,
                median(s.ribs), s.ribs.size(), median(s.pelvis), s.pelvis.size(), median(s.beside));
  };
  summary("real (s0328 is the atlas itself)", real);
  summary("phantoms", phantoms);
  return 0;
}
