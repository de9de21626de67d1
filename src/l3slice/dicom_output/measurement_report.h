#pragma once
// The DICOM Structured Report (TID 1500 Measurement Report) of a body-composition slice: one
// measurement group (TID 1411) per tissue with its area, and for skeletal muscle its mean
// attenuation and the skeletal muscle index; each group references its SEG segment and the CT
// series; the measured image is in the image library and named (InstanceNumber, SOP Instance UID)
// in a text evaluation, with the settings.
#include <filesystem>
#include <string>

#include "l3slice/bodycomp/body_composition.h"
#include "l3slice/dicom_output/source_image.h"
#include "l3slice/dicom_output/tissue_segmentation.h"

namespace l3 {

struct MeasurementReportInput {
  const SourceImage* source = nullptr;
  const BodyComposition* composition = nullptr;
  std::string study_uid;        // the source's, or a new one if it has none
  WrittenSegmentation segmentation;
  std::string algorithm;        // method name and version
  std::string settings;         // JSON text: every setting the measurement was made with
};

// Writes the SR to `target` (atomically); returns its SOP Instance UID.
std::string write_measurement_report(const std::filesystem::path& target, const MeasurementReportInput& in);

}  // namespace l3
