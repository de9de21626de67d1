#pragma once
// The CT image a result was measured on, read back from its DICOM file: what SEG and SR copy
// (patient, study, frame of reference) and how they reference it (SOP class and instance UIDs,
// falling back to the file meta header when the dataset's own are empty, as in some anonymised
// exports).
#include <filesystem>
#include <memory>
#include <string>

class DcmFileFormat;
class DcmDataset;

namespace l3 {

struct SourceImage {
  std::filesystem::path file;
  std::shared_ptr<DcmFileFormat> file_format;  // the whole file (DCMTK), pixel data not loaded
  std::string sop_class_uid, sop_instance_uid, series_uid, study_uid, frame_of_reference_uid;
  int instance_number = -1;

  DcmDataset& dataset() const;
};

// Throws InputError naming the file if it cannot be read or is not a CT image.
SourceImage read_source_image(const std::filesystem::path& file);

// A new UID (DCMTK's generator, under the DCMTK site root).
std::string new_dicom_uid();

// A UID derived from `text` (2.25 + 128 bits of its hash), the same on every run: for the study or
// series of a source image that lost its own UIDs, so that repeated runs agree.
std::string derived_dicom_uid(const std::string& text);

}  // namespace l3
