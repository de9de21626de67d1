#include "l3slice/dicom_output/dicom_output.h"

#include "l3slice/core/error.h"
#include "l3slice/dicom_output/measurement_report.h"
#include "l3slice/dicom_output/source_image.h"
#include "l3slice/dicom_output/tissue_segmentation.h"

namespace l3 {

DicomResultFiles dicom_result_files(const std::filesystem::path& out_dir, const std::string& case_id) {
  DicomResultFiles files;
  files.segmentation = out_dir / (case_id + "-seg.dcm");
  files.report = out_dir / (case_id + "-sr.dcm");
  return files;
}

DicomResultFiles write_body_composition_dicom(const CtScan& ct, const SliceMeasurement& m,
                                              const std::filesystem::path& out_dir, const std::string& settings) {
  if (ct.format != "dicom")
    throw InputError(ct.source, "DICOM SEG and SR need a DICOM series as input (this is " + ct.format + ")");
  const BodyComposition& c = m.composition;
  const SliceSource& slice = ct.slices.at(std::size_t(c.slice));
  const std::filesystem::path file = std::filesystem::path(ct.source) / slice.file_name;
  SourceImage source = read_source_image(file);
  DicomResultFiles files = dicom_result_files(out_dir, c.case_id);
  // Some anonymised exports drop the study and series UIDs: derive them from the image's own UID,
  // so the results still form one study and series, the same on every run.
  if (source.study_uid.empty()) {
    source.study_uid = derived_dicom_uid(source.sop_instance_uid + "/study");
    files.warnings.push_back(file.string() + ": no Study Instance UID; SEG and SR use " + source.study_uid);
  }
  if (source.series_uid.empty()) {
    source.series_uid = derived_dicom_uid(source.sop_instance_uid + "/series");
    files.warnings.push_back(file.string() + ": no Series Instance UID; SEG and SR reference " + source.series_uid);
  }
  MeasurementReportInput in;
  in.source = &source;
  in.composition = &c;
  in.study_uid = source.study_uid;
  in.algorithm = c.method;
  in.settings = settings;
  in.segmentation = write_tissue_segmentation(files.segmentation, source, m, c.method);
  try {
    write_measurement_report(files.report, in);
  } catch (...) {
    std::filesystem::remove(files.segmentation);  // both or neither
    throw;
  }
  return files;
}

}  // namespace l3
