// Training-free level finding (spine atlas registration): seconds per scan and the answer, on
// given scans or on 500-slice phantoms. Usage:
//   bench_atlas_levels ATLAS.l3a CT...        real scans: read + find, one row each
//   bench_atlas_levels ATLAS.l3a --phantoms N  N phantoms of 500 slices of 1 mm, 256^2 (speed goal: <= 2 s)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "l3slice/atlas/level_finder.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/phantom/phantom.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// With L3SLICE_DUMP_DIR set, writes each scan's bone projection as a PGM picture (superior up).
void dump_projection(const std::string& name, const l3::CtScan& ct, const l3::SpineAtlas& atlas) {
  const char* dir = std::getenv("L3SLICE_DUMP_DIR");
  if (!dir) return;
  const auto p = l3::coronal_bone_projection(ct.hu, atlas.projection_options);
  std::string file = name;
  std::replace(file.begin(), file.end(), '/', '_');
  std::ofstream out(std::string(dir) + "/" + file + ".pgm", std::ios::binary);
  out << "P5 " << p.cols << " " << p.rows << " 255\n";
  for (int r = p.rows - 1; r >= 0; --r)
    for (int c = 0; c < p.cols; ++c) out.put(char(std::min(255.0f, p.at(r, c) * 4.0f)));
}

void report(const std::string& name, const l3::CtScan& ct, const l3::SpineAtlas& atlas, double read_s,
            const std::optional<l3::SliceRun>& truth) {
  dump_projection(name, ct, atlas);
  const auto t0 = std::chrono::steady_clock::now();
  const l3::LevelFinding f = l3::find_levels(ct.hu, atlas);
  const double find_s = seconds_since(t0);
  const double dz = ct.hu.grid.spacing[2];
  std::printf("%-28s %4d sl %4.1f mm  %-24s", name.c_str(), ct.hu.grid.size[2], dz, l3::level_status_text(f.status));
  if (f.l3) std::printf(" L3 %3d-%3d mid %3d", f.l3->first, f.l3->last, f.l3->middle());
  else std::printf(" %18s", "");
  if (truth && f.l3) std::printf("  err %+3d sl %+6.1f mm", f.l3->middle() - truth->middle(), (f.l3->middle() - truth->middle()) * dz);
  std::printf("  ncc %.3f lumbar %.3f", f.best.ncc, f.lumbar_ncc);
  if (f.alternative) std::printf(" alt %.3f", f.alternative->ncc);
  std::printf("  sz %.2f sx %.2f  conf %.2f  read %.2f s find %.2f s\n", f.best.transform.scale_z, f.best.transform.scale_x,
              f.confidence, read_s, find_s);
  if (!f.reason.empty()) std::printf("    %s\n", f.reason.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s ATLAS.l3a CT... | --phantoms N [seed=9000]\n", argv[0]);
    return 2;
  }
  const l3::SpineAtlas atlas = l3::load_spine_atlas(argv[1]);
  if (std::string(argv[2]) == "--phantoms") {
    const int n = argc > 3 ? std::stoi(argv[3]) : 4;
    const unsigned seed = argc > 4 ? unsigned(std::stoul(argv[4])) : 9000u;
    for (int i = 0; i < n; ++i) {
      l3::PhantomOptions o;
      o.seed = seed + unsigned(i);
      o.matrix = 256;
      o.pixel_mm = 460.0 / 256;
      o.slice_mm = 1.0;
      o.fov_inferior_mm = -250.0;
      o.fov_superior_mm = 249.0;
      const auto ph = l3::make_phantom(o);
      report("phantom " + std::to_string(o.seed), ph.ct, atlas, 0.0, ph.l3_body);
    }
    return 0;
  }
  for (int i = 2; i < argc; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const l3::CtScan ct = l3::read_ct(argv[i]);
    report(argv[i], ct, atlas, seconds_since(t0), std::nullopt);
  }
  return 0;
}
