#pragma once
// Skeletal muscle inside the abdominal wall's ring at L3: the psoas beside the vertebral body and
// the quadratus lumborum lateral to it, at the depth of the transverse processes behind the kidney.
// Whatever else of muscle range lies in the cavity (bowel, vessels, kidney, liver) is not muscle.
#include "l3slice/bodycomp/mask_ops.h"

namespace l3::bodycomp {

// `cavity_muscle`: muscle-range pixels of the cavity; `bone`: bone and spinal canal.
// Returns the deep muscles with the fat they enclose (IMAT), within `cavity`.
SliceMask find_deep_muscles(const SliceMask& cavity_muscle, const SliceMask& cavity, const SliceMask& bone);

}  // namespace l3::bodycomp
