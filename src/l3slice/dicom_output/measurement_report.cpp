#include "l3slice/dicom_output/measurement_report.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmsr/cmr/tid1500.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include <fmt/format.h>

#include <stdexcept>

#include "l3slice/core/atomic_file.h"
#include "l3slice/dicom_output/dcmtk_helpers.h"
#include "l3slice/dicom_output/dicom_codes.h"

namespace l3 {
namespace {

using Measurements = TID1500_MeasurementReport::TID1411_Measurements;
using Value = Measurements::MeasurementValue;

DSRCodedEntryValue sr_code(const dicom_codes::Code& c) { return DSRCodedEntryValue(c.value.c_str(), c.scheme.c_str(), c.meaning.c_str()); }

void sr_check(const OFCondition& status, const char* what) { dicom::check(status, "SR", what); }
using dicom::text;

// A stable UID for l3slice as a device observer: 2.25 + the decimal of a fixed random UUID.
constexpr const char* kDeviceUid = "2.25.160791306244858785425829612133396624081";

double area(const BodyComposition& c, BodyLabel label) {
  switch (label) {
    case BodyLabel::muscle: return c.sma_cm2;
    case BodyLabel::visceral_fat: return c.vat_cm2;
    case BodyLabel::subcutaneous_fat: return c.sat_cm2;
    case BodyLabel::intermuscular_fat: return c.imat_cm2;
    default: return 0.0;
  }
}

void add_tissue_group(Measurements& g, const TissueSegment& t, Uint16 segment_number, const MeasurementReportInput& in) {
  const BodyComposition& c = *in.composition;
  sr_check(g.setTrackingIdentifier(fmt::format("{} ({}) on the L3 slice", t.name, t.tracking).c_str()), "tracking id");
  sr_check(g.setTrackingUniqueIdentifier(new_dicom_uid().c_str()), "tracking UID");
  sr_check(g.setFinding(sr_code(t.label == BodyLabel::muscle ? dicom_codes::kMuscle : dicom_codes::kFat)), "finding");
  DSRImageReferenceValue segment(UID_SegmentationStorage, in.segmentation.sop_instance_uid.c_str());
  segment.getSegmentList().addItem(segment_number);
  sr_check(g.setReferencedSegment(segment), "referenced segment");
  sr_check(g.setSourceSeriesForSegmentation(in.source->series_uid.c_str()), "source series");
  if (t.label == BodyLabel::subcutaneous_fat) sr_check(g.addFindingSite(sr_code(dicom_codes::kSubcutaneousTissue)), "site");
  if (t.label == BodyLabel::visceral_fat) sr_check(g.addFindingSite(sr_code(dicom_codes::kAbdominalCavity)), "site");
  if (t.label == BodyLabel::intermuscular_fat) sr_check(g.addFindingSite(sr_code(dicom_codes::kMuscle)), "site");
  const OFString version(L3SLICE_VERSION);
  sr_check(g.addMeasurement(CMR_CID7469::Area, Value(fmt::format("{:.2f}", area(c, t.label)).c_str(), CMR_CID7181::SquareCentimeter)),
        "area");
  sr_check(g.getMeasurement().setAlgorithmIdentification(in.algorithm.c_str(), version), "algorithm");
  if (t.label != BodyLabel::muscle) return;
  sr_check(g.addMeasurement(CMR_CID7469::AttenuationCoefficient,
                         Value(fmt::format("{:.1f}", c.muscle_hu).c_str(), CMR_CID7181::HounsfieldUnit)),
        "muscle attenuation");
  sr_check(g.getMeasurement().setDerivation(CMR_CID7464::Mean), "mean");
  sr_check(g.getMeasurement().setAlgorithmIdentification(in.algorithm.c_str(), version), "algorithm");
  if (c.smi_cm2_m2) {
    // No standard concept or CID 7181 unit: a private concept and the UCUM unit, unchecked.
    const Value smi(fmt::format("{:.2f}", *c.smi_cm2_m2).c_str(), DSRCodedEntryValue("cm2/m2", "UCUM", "square centimeter per square meter"),
                    OFFalse /*check*/);
    sr_check(g.addMeasurement(CID7469_GenericIntensityAndSizeMeasurements(sr_code(dicom_codes::kSkeletalMuscleIndex)), smi,
                           OFTrue, OFFalse /*checkValue*/),
          "skeletal muscle index");
    sr_check(g.getMeasurement().setAlgorithmIdentification(in.algorithm.c_str(), version), "algorithm");
  }
}

}  // namespace

std::string write_measurement_report(const std::filesystem::path& target, const MeasurementReportInput& in) {
  const SourceImage& source = *in.source;
  const BodyComposition& c = *in.composition;
  TID1500_MeasurementReport report(CMR_CID7021::ImagingMeasurementReport);
  sr_check(report.setLanguage(CID5000_Languages::English), "language");
  sr_check(report.getObservationContext().addDeviceObserver(kDeviceUid, "l3slice", "l3slice", "l3slice"), "observer");
  sr_check(report.addProcedureReported(CMR_CID100::CTUnspecifiedBodyRegion), "procedure");
  // The image library holds the measured image; its dataset may lack its own UIDs (then the meta's).
  DcmDataset entry(source.dataset());
  sr_check(entry.putAndInsertString(DCM_SOPClassUID, source.sop_class_uid.c_str()), "image class");
  sr_check(entry.putAndInsertString(DCM_SOPInstanceUID, source.sop_instance_uid.c_str()), "image instance");
  sr_check(report.getImageLibrary().createNewImageLibrary(), "image library");
  sr_check(report.getImageLibrary().addImageGroup(), "image group");
  sr_check(report.getImageLibrary().addImageEntry(entry, TID1600_ImageLibrary::withAllDescriptors), "image entry");

  const auto& segments = tissue_segments();
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) sr_check(report.addVolumetricROIMeasurements(), "measurement group");
    add_tissue_group(report.getVolumetricROIMeasurements(), segments[i], Uint16(i + 1), in);
  }
  const auto& where = c.measured_slice;
  const std::string slice = fmt::format(
      "{}: canonical slice {} (z {:.1f} mm), file {}, InstanceNumber {}, SOP Instance UID {}; {} slices averaged",
      dicom_codes::kL3Slice.meaning, c.slice, c.z_mm, where.value("file_name", std::string()),
      source.instance_number, source.sop_instance_uid, c.last_slice - c.first_slice + 1);
  sr_check(report.addQualitativeEvaluation(sr_code(dicom_codes::kMeasuredSlice), slice.c_str()), "measured slice");
  sr_check(report.addQualitativeEvaluation(sr_code(dicom_codes::kSettings), in.settings.c_str()), "settings");

  DSRDocument doc;
  sr_check(doc.setTreeFromRootTemplate(report, OFTrue /*expandTree*/), "document tree");
  sr_check(doc.createNewSeriesInStudy(in.study_uid.c_str()), "series");
  DcmDataset& src = source.dataset();
  doc.setSpecificCharacterSet(text(src, DCM_SpecificCharacterSet).c_str(), OFFalse);
  doc.setPatientName(text(src, DCM_PatientName).c_str(), OFFalse);
  doc.setPatientID(text(src, DCM_PatientID).c_str(), OFFalse);
  doc.setPatientBirthDate(text(src, DCM_PatientBirthDate).c_str(), OFFalse);
  doc.setPatientSex(text(src, DCM_PatientSex).c_str(), OFFalse);
  doc.setStudyDate(text(src, DCM_StudyDate).c_str(), OFFalse);
  doc.setStudyTime(text(src, DCM_StudyTime).c_str(), OFFalse);
  doc.setStudyID(text(src, DCM_StudyID).c_str(), OFFalse);
  doc.setAccessionNumber(text(src, DCM_AccessionNumber).c_str(), OFFalse);
  doc.setReferringPhysicianName(text(src, DCM_ReferringPhysicianName).c_str(), OFFalse);
  doc.setStudyDescription(text(src, DCM_StudyDescription).c_str(), OFFalse);
  sr_check(doc.setSeriesDescription("l3slice body composition report"), "series description");
  sr_check(doc.setSeriesNumber("9902"), "series number");
  sr_check(doc.setInstanceNumber("1"), "instance number");
  sr_check(doc.setManufacturer("l3slice"), "manufacturer");
  sr_check(doc.setManufacturerModelName("l3slice"), "model");
  sr_check(doc.setSoftwareVersions(L3SLICE_VERSION), "software version");
  sr_check(doc.getCurrentRequestedProcedureEvidence().addItem(in.study_uid.c_str(), source.series_uid.c_str(),
                                                           source.sop_class_uid.c_str(), source.sop_instance_uid.c_str()),
        "evidence (CT)");
  sr_check(doc.getCurrentRequestedProcedureEvidence().addItem(in.study_uid.c_str(), in.segmentation.series_uid.c_str(),
                                                           UID_SegmentationStorage, in.segmentation.sop_instance_uid.c_str()),
        "evidence (SEG)");
  sr_check(doc.completeDocument(), "completion");
  DcmFileFormat file;
  sr_check(doc.write(*file.getDataset()), "encode");
  write_atomically(target, [&](const std::filesystem::path& tmp) {
    sr_check(file.saveFile(tmp.c_str(), EXS_LittleEndianExplicit), "write");
  });
  OFString uid;
  doc.getSOPInstanceUID(uid);
  return uid.c_str();
}

}  // namespace l3
