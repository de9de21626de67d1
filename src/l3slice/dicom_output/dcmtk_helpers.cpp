#include "l3slice/dicom_output/dcmtk_helpers.h"

#include <stdexcept>

#include <fmt/format.h>

namespace l3::dicom {

std::string text(DcmItem& item, const DcmTagKey& tag) {
  OFString v;
  return item.findAndGetOFString(tag, v).good() ? std::string(v.c_str()) : std::string();
}

void check(const OFCondition& status, const char* object, const char* what) {
  if (status.bad()) throw std::runtime_error(fmt::format("DICOM {}: {}: {}", object, what, status.text()));
}

}  // namespace l3::dicom
