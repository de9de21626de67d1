#pragma once
// Results back to PACS: a DICOM Segmentation (SEG) of the tissue masks on the measured slice and a
// DICOM Structured Report (TID 1500 Measurement Report) with the areas, muscle attenuation, SMI
// and the slice they were measured on, both in the source CT's study and frame of reference and
// referencing its image. Written with DCMTK (dcmseg, dcmsr); validated by dciodvfy in the tests.
#include <filesystem>
#include <string>
#include <vector>

#include "l3slice/bodycomp/body_composition.h"
#include "l3slice/core/image.h"

namespace l3 {

struct DicomResultFiles {
  std::filesystem::path segmentation;  // <case>-seg.dcm
  std::filesystem::path report;        // <case>-sr.dcm
  std::vector<std::string> warnings;   // e.g. the source had no study UID
};

// The two files for `case_id` in `out_dir`.
DicomResultFiles dicom_result_files(const std::filesystem::path& out_dir, const std::string& case_id);

// Writes SEG and SR for a measurement on a DICOM series (each atomically; the SR references the
// SEG's segments). `settings` (the command's settings as JSON text) goes into the SR as a comment
// so the report records how it was made. Throws InputError naming ct.source if the CT was not read
// from DICOM or the measured slice's file cannot be read.
DicomResultFiles write_body_composition_dicom(const CtScan& ct, const SliceMeasurement& measurement,
                                              const std::filesystem::path& out_dir, const std::string& settings);

}  // namespace l3
