#include "l3slice/dicom_output/tissue_segmentation.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmfg/fgderimg.h>
#include <dcmtk/dcmfg/fgfracon.h>
#include <dcmtk/dcmfg/fgpixmsr.h>
#include <dcmtk/dcmfg/fgplanor.h>
#include <dcmtk/dcmfg/fgplanpo.h>
#include <dcmtk/dcmiod/iodreferences.h>
#include <dcmtk/dcmseg/segdoc.h>
#include <dcmtk/dcmseg/segment.h>

#include <fmt/format.h>

#include <memory>
#include <stdexcept>

#include "l3slice/core/atomic_file.h"
#include "l3slice/dicom_output/dcmtk_helpers.h"
#include "l3slice/dicom_output/dicom_codes.h"

namespace l3 {
namespace {

CodeSequenceMacro seg_code(const dicom_codes::Code& c) { return CodeSequenceMacro(c.value.c_str(), c.scheme.c_str(), c.meaning.c_str()); }

void seg_check(const OFCondition& status, const char* what) { dicom::check(status, "SEG", what); }

std::string decimal(double v) { return fmt::format("{:.6g}", v); }

}  // namespace

const std::vector<TissueSegment>& tissue_segments() {
  static const std::vector<TissueSegment> segments{
      {BodyLabel::muscle, "Skeletal muscle", "SMA"},
      {BodyLabel::visceral_fat, "Visceral adipose tissue", "VAT"},
      {BodyLabel::subcutaneous_fat, "Subcutaneous adipose tissue", "SAT"},
      {BodyLabel::intermuscular_fat, "Intermuscular adipose tissue", "IMAT"},
  };
  return segments;
}

WrittenSegmentation write_tissue_segmentation(const std::filesystem::path& target, const SourceImage& source,
                                              const SliceMeasurement& m, const std::string& algorithm) {
  const Grid& g = m.labels.grid;
  // The Enhanced General Equipment module makes all four type 1; software has no serial number.
  const IODGeneralEquipmentModule::EquipmentInfo equipment("l3slice", "l3slice", "none", L3SLICE_VERSION);
  // Content Creator's Name is a person name; software is named in the equipment module instead.
  const ContentIdentificationMacro content("1", "L3TISSUES", "Body composition tissues on the L3 slice", "");
  DcmSegmentation* raw = nullptr;
  seg_check(DcmSegmentation::createBinarySegmentation(raw, Uint16(g.size[1]), Uint16(g.size[0]), equipment, content),
        "create");
  const std::unique_ptr<DcmSegmentation> seg(raw);
  seg_check(seg->importFromSourceImage(source.dataset()), "import patient, study and frame of reference");
  seg_check(seg->getStudy().setStudyInstanceUID(source.study_uid.c_str()), "study UID");  // derived if the source had none
  const std::string series_uid = new_dicom_uid();
  seg_check(seg->getSeries().setSeriesInstanceUID(series_uid.c_str()), "series UID");
  seg_check(seg->getSeries().setSeriesNumber("9901"), "series number");
  seg_check(seg->getSeries().setSeriesDescription("l3slice body composition masks"), "series description");

  // The plane: the canonical slice's own geometry (for the usual axial series, the source image's).
  FGPixelMeasures measures;
  seg_check(measures.setPixelSpacing(fmt::format("{}\\{}", decimal(g.spacing[1]), decimal(g.spacing[0])).c_str()), "spacing");
  seg_check(measures.setSliceThickness(decimal(g.spacing[2]).c_str()), "slice thickness");
  seg_check(seg->addForAllFrames(measures), "pixel measures");
  const auto& d = g.direction;  // columns = axis directions
  std::unique_ptr<FGPlaneOrientationPatient> orientation(FGPlaneOrientationPatient::createMinimal(
      decimal(d[0]).c_str(), decimal(d[3]).c_str(), decimal(d[6]).c_str(), decimal(d[1]).c_str(),
      decimal(d[4]).c_str(), decimal(d[7]).c_str()));
  seg_check(seg->addForAllFrames(*orientation), "plane orientation");

  const auto corner = g.physical(0, 0, 0);
  std::unique_ptr<FGPlanePosPatient> position(
      FGPlanePosPatient::createMinimal(decimal(corner[0]).c_str(), decimal(corner[1]).c_str(), decimal(corner[2]).c_str()));
  ImageSOPInstanceReferenceMacro image;
  seg_check(image.setReferencedSOPClassUID(source.sop_class_uid.c_str()), "source SOP class");
  seg_check(image.setReferencedSOPInstanceUID(source.sop_instance_uid.c_str()), "source SOP instance");
  std::unique_ptr<FGDerivationImage> derivation(FGDerivationImage::createMinimal(
      OFVector<ImageSOPInstanceReferenceMacro>(1, image), "l3slice body composition", seg_code(dicom_codes::kSegmentation),
      seg_code(dicom_codes::kSourceImage)));
  if (!derivation) throw std::runtime_error("DICOM SEG: cannot reference the source image");

  std::vector<Uint8> pixels(g.slice_voxels());
  Uint16 number = 0;
  for (const TissueSegment& t : tissue_segments()) {
    DcmSegment* segment = nullptr;
    const dicom_codes::Code& type = t.label == BodyLabel::muscle ? dicom_codes::kMuscle : dicom_codes::kFat;
    seg_check(DcmSegment::create(segment, t.name.c_str(), seg_code(dicom_codes::kTissue), seg_code(type), DcmSegTypes::SAT_AUTOMATIC,
                             algorithm.c_str()),
          "segment");
    std::unique_ptr<DcmSegment> owned(segment);
    seg_check(seg->addSegment(owned.get(), number), "add segment");
    owned.release();  // the segmentation owns it now
    for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = m.labels.voxels[i] == uint8_t(t.label) ? 1 : 0;
    FGFrameContent frame;
    seg_check(frame.setDimensionIndexValues(number, 0), "dimension index");
    seg_check(frame.setDimensionIndexValues(1, 1), "dimension index");
    OFVector<FGBase*> per_frame{&frame, position.get(), derivation.get()};
    seg_check(seg->addFrame(pixels.data(), number, per_frame), "add frame");
  }
  const std::string dimensions = new_dicom_uid();
  IODMultiframeDimensionModule& dims = seg->getDimensions();
  seg_check(dims.addDimensionIndex(DCM_ReferencedSegmentNumber, dimensions.c_str(), DCM_SegmentIdentificationSequence,
                               "ReferencedSegmentNumber"),
        "segment dimension");
  seg_check(dims.addDimensionIndex(DCM_ImagePositionPatient, dimensions.c_str(), DCM_PlanePositionSequence,
                               "ImagePositionPatient"),
        "position dimension");

  // Referenced Series Sequence: the source image, so archives can link the SEG to its CT.
  IODReferences references;
  references.add(new IODImageReference(dicom::text(source.dataset(), DCM_PatientID).c_str(), source.study_uid.c_str(), source.series_uid.c_str(), source.sop_instance_uid.c_str(),
                                       source.sop_class_uid.c_str()));
  seg->getCommonInstanceReference().addReferences(references);

  WrittenSegmentation written;
  written.series_uid = series_uid;
  OFString uid;
  write_atomically(target, [&](const std::filesystem::path& tmp) {
    seg_check(seg->saveFile(tmp.c_str(), EXS_LittleEndianExplicit), "write");
  });
  seg->getSOPCommon().getSOPInstanceUID(uid);
  written.sop_instance_uid = uid.c_str();
  return written;
}

}  // namespace l3
