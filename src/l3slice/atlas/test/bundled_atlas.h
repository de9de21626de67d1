#pragma once
// The bundled default atlas (models/spine-atlas-s0328.l3a, L3SLICE_BUNDLED_ATLAS), read once per test program.
#include "l3slice/atlas/spine_atlas.h"

inline const l3::SpineAtlas& bundled_atlas() {
  static const l3::SpineAtlas atlas = l3::load_spine_atlas(L3SLICE_BUNDLED_ATLAS);
  return atlas;
}
