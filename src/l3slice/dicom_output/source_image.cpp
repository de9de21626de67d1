#include "l3slice/dicom_output/source_image.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <cstdint>

#include "l3slice/core/error.h"
#include "l3slice/dicom_output/dcmtk_helpers.h"

namespace l3 {
namespace {

using dicom::text;

}  // namespace

DcmDataset& SourceImage::dataset() const { return *file_format->getDataset(); }

SourceImage read_source_image(const std::filesystem::path& file) {
  SourceImage s;
  s.file = file;
  s.file_format = std::make_shared<DcmFileFormat>();
  // Values over 4 kB (the pixel data) stay on disk until asked for: a large image costs nothing.
  const OFCondition status = s.file_format->loadFile(file.c_str(), EXS_Unknown, EGL_noChange, 4096);
  if (status.bad()) throw InputError(file, std::string("cannot read the DICOM file: ") + status.text());
  DcmDataset& ds = *s.file_format->getDataset();
  DcmMetaInfo& meta = *s.file_format->getMetaInfo();
  s.sop_class_uid = text(ds, DCM_SOPClassUID);
  if (s.sop_class_uid.empty()) s.sop_class_uid = text(meta, DCM_MediaStorageSOPClassUID);
  s.sop_instance_uid = text(ds, DCM_SOPInstanceUID);
  if (s.sop_instance_uid.empty()) s.sop_instance_uid = text(meta, DCM_MediaStorageSOPInstanceUID);
  s.series_uid = text(ds, DCM_SeriesInstanceUID);
  s.study_uid = text(ds, DCM_StudyInstanceUID);
  s.frame_of_reference_uid = text(ds, DCM_FrameOfReferenceUID);
  Sint32 number = -1;
  if (ds.findAndGetSint32(DCM_InstanceNumber, number).good()) s.instance_number = number;
  if (s.sop_instance_uid.empty()) throw InputError(file, "no SOP Instance UID to reference");
  if (s.sop_class_uid != UID_CTImageStorage && s.sop_class_uid != UID_EnhancedCTImageStorage)
    throw InputError(file, "not a CT image (SOP Class UID " + s.sop_class_uid + ")");
  return s;
}

std::string derived_dicom_uid(const std::string& text) {
  // Two FNV-1a hashes with different offsets make 128 bits; 2.25 UIDs are decimal integers.
  auto fnv = [&](uint64_t h) {
    for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
    return h;
  };
  unsigned __int128 v = (static_cast<unsigned __int128>(fnv(14695981039346656037ull)) << 64) | fnv(0x6c62272e07bb0142ull);
  std::string digits;
  do {
    digits.insert(digits.begin(), char('0' + int(v % 10)));
    v /= 10;
  } while (v != 0);
  return "2.25." + digits;
}

std::string new_dicom_uid() {
  char uid[100];
  dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT);
  return uid;
}

}  // namespace l3
