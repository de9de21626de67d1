#pragma once
// Where a canonical slice is in the user's own files, for every output that names a slice
// (predict's L3 slices, bodycomp's measured slice): canonical index, file index, z, and for DICOM
// the file name, InstanceNumber and SOPInstanceUID.
#include <nlohmann/json.hpp>

#include "l3slice/core/image.h"

namespace l3 {

nlohmann::json slice_location_json(const CtScan& ct, int canonical_slice);

}  // namespace l3
