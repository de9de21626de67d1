#pragma once
// Internal: a plausibility check that a volume read as HU holds HU.
#include <optional>
#include <string>

#include "l3slice/core/image.h"

namespace l3 {

// A one-line warning if `hu` does not look like HU: almost no air (<= -900) or fat (-200..-30)
// voxels, while the fat peak sits where stored values without RescaleIntercept -1024 put it.
// Nothing for a plausible HU volume (a bone-only or cropped one included).
std::optional<std::string> not_hu_warning(const HuImage& hu);

}  // namespace l3
