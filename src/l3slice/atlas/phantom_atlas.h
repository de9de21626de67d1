#pragma once
// A spine atlas made from a synthetic phantom (phantom/phantom.h): five lumbar vertebrae, twelve rib
// pairs, a straight spine, T8 to below the sacrum's top, everything else drawn from the seed. Phantom skeletons are
// not real ones (on the real CT with L3 a phantom atlas alone is one vertebra off), so the bundled
// default uses them only as tie-breakers for the real atlas (spine_atlas.h).
#include "l3slice/atlas/spine_atlas.h"

namespace l3 {

SpineAtlas phantom_spine_atlas(unsigned seed, const BoneProjectionOptions& options = {});

}  // namespace l3
