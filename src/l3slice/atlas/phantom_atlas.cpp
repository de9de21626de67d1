#include "l3slice/atlas/phantom_atlas.h"

#include <fmt/format.h>

#include "l3slice/phantom/phantom.h"

namespace l3 {

SpineAtlas phantom_spine_atlas(unsigned seed, const BoneProjectionOptions& options) {
  PhantomOptions o = random_phantom_options(seed, 0.0);
  o.slice_mm = 2.0;
  o.fov_inferior_mm = -150.0;  // the whole pelvis the phantom has, and up to T8
  o.fov_superior_mm = 230.0;
  o.lumbar_vertebrae = 5;
  o.rib_pairs = 12;
  o.scoliosis_cobb_deg = 0.0;
  const Phantom ph = make_phantom(o);
  const std::string name = fmt::format("phantom-{:05d}", seed);
  SpineAtlas atlas = build_spine_atlas(ph.ct, ph.vertebrae, LevelScheme::verse, name, options);
  atlas.name = name;
  atlas.provenance = fmt::format("l3slice synthetic phantom, seed {} (5 lumbar vertebrae, 12 rib pairs, 2 mm slices)", seed);
  return atlas;
}

}  // namespace l3
