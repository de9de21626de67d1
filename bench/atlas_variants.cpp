// What the spine atlas answers on anatomical variants it does not know: an atlas built from one
// five-lumbar, twelve-rib, straight-spine phantom (or a given atlas file, e.g. the bundled default),
// run on phantoms with 4 or 6 lumbar vertebrae, 11 or 13 rib pairs, or a scoliotic lumbar curve,
// with and without the pelvis in the field of view. Prints the L3-middle error in mm per phantom
// ("unc" = uncertain, "nov" = not in view). A measurement, not a speed goal. Usage:
//   bench_atlas_variants [phantoms per row = 6] [ATLAS.l3a]
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "l3slice/atlas/level_finder.h"
#include "l3slice/atlas/spine_atlas.h"
#include "l3slice/phantom/phantom.h"

namespace {

l3::PhantomOptions options(unsigned seed, double slice_mm, double lo_mm, double hi_mm) {
  l3::PhantomOptions o;
  o.seed = seed;
  o.slice_mm = slice_mm;
  o.fov_inferior_mm = lo_mm;
  o.fov_superior_mm = hi_mm;
  o.cancellous_hu = 200.0;  // bone density as the atlas's: only the variant differs
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 6;
  const l3::SpineAtlas atlas = [&] {
    if (argc > 2) return l3::load_spine_atlas(argv[2]);
    const auto source = l3::make_phantom(options(500, 2.0, -150, 230));
    return l3::build_spine_atlas(source.ct, source.vertebrae, l3::LevelScheme::verse, "phantom-500");
  }();
  struct Variant {
    int lumbar, ribs;
    double cobb_deg;
  };
  const Variant variants[] = {{5, 12, 0}, {5, 11, 0}, {5, 13, 0}, {4, 12, 0}, {6, 12, 0}, {5, 12, 20}, {5, 12, -40}, {5, 12, 60}};
  const std::pair<double, double> fovs[] = {{-150, 230}, {-150, 120}, {-60, 230}};
  for (const auto& [lumbar, ribs, cobb] : variants)
    for (const auto& [lo, hi] : fovs) {
      std::printf("lumbar %d ribs %d Cobb %3.0f fov %4.0f..%3.0f mm:", lumbar, ribs, cobb, lo, hi);
      for (int i = 0; i < n; ++i) {
        l3::PhantomOptions o = options(9000u + unsigned(i), 3.0, lo, hi);
        o.lumbar_vertebrae = lumbar;
        o.rib_pairs = ribs;
        o.scoliosis_cobb_deg = cobb;
        const auto p = l3::make_phantom(o);
        const auto f = l3::find_levels(p.ct.hu, atlas);
        if (f.status == l3::LevelStatus::found)
          std::printf(" %+4.0f", (f.l3->middle() - p.l3_body->middle()) * o.slice_mm);
        else
          std::printf(" %4s", f.status == l3::LevelStatus::uncertain ? "unc" : "nov");
      }
      std::printf("\n");
    }
  return 0;
}
