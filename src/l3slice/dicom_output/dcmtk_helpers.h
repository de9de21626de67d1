#pragma once
// Small DCMTK helpers shared by the source-image reader and the SEG and SR writers.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/ofstd/ofcond.h>

#include <string>

namespace l3::dicom {

// The element's value as text, or "" if it is absent.
std::string text(DcmItem& item, const DcmTagKey& tag);

// Throws std::runtime_error "DICOM <object>: <what>: <DCMTK's reason>" when `status` is bad.
void check(const OFCondition& status, const char* object, const char* what);

}  // namespace l3::dicom
