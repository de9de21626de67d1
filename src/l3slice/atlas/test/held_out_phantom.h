#pragma once
// A phantom of the held-out evaluation sets (seeds 9000+ and 7000+ at 3 mm, as bench_atlas_combinations
// and bench_level_sequence make them, and the later fresh sets such as 19000+); the level check
// trains on seeds 20000-21499.
#include "l3slice/phantom/phantom.h"

inline l3::Phantom held_out_phantom(unsigned seed) {
  l3::PhantomOptions o = l3::random_phantom_options(seed);
  o.slice_mm = 3.0;
  return l3::make_phantom(o);
}
