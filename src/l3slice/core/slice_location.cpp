#include "l3slice/core/slice_location.h"

namespace l3 {

nlohmann::json slice_location_json(const CtScan& ct, int z) {
  const SliceSource& s = ct.slices.at(std::size_t(z));
  nlohmann::json j{{"canonical_index", z}, {"file_index", s.file_index}, {"z_mm", s.z_mm}};
  if (ct.format == "dicom") {
    j["file_name"] = s.file_name;
    j["instance_number"] = s.instance_number;
    j["sop_instance_uid"] = s.sop_instance_uid;
  }
  return j;
}

}  // namespace l3
