// DICOM SEG and SR from body composition on the shared real DICOM series: they pass dciodvfy
// (dicom3tools), dsrdump (DCMTK) reads the SR back with the measured values, and the SEG's frames
// lie on the measured image (same frame of reference, plane and pixels as the tissue labels).
#include <gtest/gtest.h>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmfg/fgderimg.h>
#include <dcmtk/dcmfg/fgplanpo.h>
#include <dcmtk/dcmseg/segdoc.h>
#include <dcmtk/dcmseg/segutils.h>
#include <dcmtk/oflog/oflog.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "l3slice/core/error.h"
#include "l3slice/dicom_output/dicom_output.h"
#include "l3slice/dicom_output/source_image.h"
#include "l3slice/dicom_output/tissue_segmentation.h"
#include "l3slice/io/ct_reader.h"
#include "support/test_support.h"

namespace fs = std::filesystem;

namespace {

struct Series {
  std::string folder;
  int slice;
};
// The shared DICOM series (CT, no L3 in any: a given slice is measured, as users do with --slice).
const std::vector<Series> kSeries{{"totalseg-example/partial-dicom", 10},
                                  {"real-negatives/lidc-idri-0001-chest", 40},
                                  {"real-negatives/acrin-flt-breast-001-headneck", 10}};

// stdout and stderr of a command.
std::string run(const std::string& command) {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen((command + " 2>&1").c_str(), "r"), pclose);
  if (!pipe) return "popen failed";
  std::array<char, 4096> buffer{};
  while (fgets(buffer.data(), int(buffer.size()), pipe.get())) out += buffer.data();
  return out;
}

struct Written {
  l3::CtScan ct;
  l3::SliceMeasurement m;
  l3::DicomResultFiles files;
};

Written measure_and_write(const Series& s, const fs::path& out) {
  OFLog::configure(OFLogger::ERROR_LOG_LEVEL);
  Written w;
  w.ct = l3::read_ct(l3::testing::shared_data() / s.folder);
  l3::BodyCompOptions options;
  options.case_id = fs::path(s.folder).filename().string();
  options.height_m = 1.7;
  w.m = l3::measure_body_composition(w.ct, s.slice, options);
  w.files = l3::write_body_composition_dicom(w.ct, w.m, out, R"({"test": true})");
  return w;
}

// dciodvfy's error lines ("Error - ..."); warnings are allowed.
std::vector<std::string> dciodvfy_errors(const fs::path& file) {
  const std::string out = run("dciodvfy " + file.string());
  std::vector<std::string> errors;
  std::regex line("^Error.*$", std::regex::multiline);
  for (auto it = std::sregex_iterator(out.begin(), out.end(), line); it != std::sregex_iterator(); ++it)
    errors.push_back(it->str());
  if (out.find("not found") != std::string::npos) errors.push_back("dciodvfy is not installed: " + out);
  return errors;
}

}  // namespace

TEST(DicomOutput, SegAndSrOfEverySharedSeriesPassDciodvfy) {
  for (const Series& s : kSeries) {
    l3::testing::TempDir out;
    const Written w = measure_and_write(s, out.path());
    for (const fs::path& f : {w.files.segmentation, w.files.report}) {
      ASSERT_TRUE(fs::exists(f)) << f;
      const auto errors = dciodvfy_errors(f);
      EXPECT_TRUE(errors.empty()) << f << ":\n" << fmt::format("{}", fmt::join(errors, "\n"));
    }
    // Only the two outputs: no temporary files left behind.
    EXPECT_EQ(std::distance(fs::directory_iterator(out.path()), fs::directory_iterator()), 2) << s.folder;
  }
}

TEST(DicomOutput, DsrdumpReadsTheMeasuredValuesBack) {
  l3::testing::TempDir out;
  const Written w = measure_and_write(kSeries[1], out.path());
  const std::string dump = run("dsrdump +Pc +Pl " + w.files.report.string());
  ASSERT_NE(dump.find("Imaging Measurement Report"), std::string::npos) << dump;
  // The four areas in segment order (SMA, VAT, SAT, IMAT), then muscle HU and SMI, to the digits written.
  std::vector<std::string> areas;
  std::regex area(R"re(\(42798000,SCT,"Area"\)="([0-9.]+)")re");
  for (auto it = std::sregex_iterator(dump.begin(), dump.end(), area); it != std::sregex_iterator(); ++it)
    areas.push_back((*it)[1]);
  const auto& c = w.m.composition;
  ASSERT_EQ(areas.size(), 4u) << dump;
  EXPECT_EQ(areas[0], fmt::format("{:.2f}", c.sma_cm2));
  EXPECT_EQ(areas[1], fmt::format("{:.2f}", c.vat_cm2));
  EXPECT_EQ(areas[2], fmt::format("{:.2f}", c.sat_cm2));
  EXPECT_EQ(areas[3], fmt::format("{:.2f}", c.imat_cm2));
  EXPECT_NE(dump.find(fmt::format("\"Attenuation Coefficient\")=\"{:.1f}\"", c.muscle_hu)), std::string::npos) << dump;
  EXPECT_NE(dump.find(fmt::format("\"Skeletal muscle index\")=\"{:.2f}\"", *c.smi_cm2_m2)), std::string::npos) << dump;
  // The measured image: its InstanceNumber and SOP Instance UID, and the algorithm.
  const l3::SliceSource& slice = w.ct.slices.at(std::size_t(c.slice));
  EXPECT_NE(dump.find(fmt::format("InstanceNumber {}, SOP Instance UID {}", slice.instance_number, slice.sop_instance_uid)),
            std::string::npos)
      << dump;
  EXPECT_NE(dump.find(c.method), std::string::npos);
}

TEST(DicomOutput, SegFramesLieOnTheMeasuredImage) {
  l3::testing::TempDir out;
  const Written w = measure_and_write(kSeries[1], out.path());
  const l3::SliceSource& slice = w.ct.slices.at(std::size_t(w.m.composition.slice));
  const l3::SourceImage source = l3::read_source_image(fs::path(w.ct.source) / slice.file_name);
  DcmSegmentation* raw = nullptr;
  ASSERT_TRUE(DcmSegmentation::loadFile(w.files.segmentation.c_str(), raw).good());
  const std::unique_ptr<DcmSegmentation> seg(raw);
  OFString value;
  seg->getFrameOfReference().getFrameOfReferenceUID(value);
  EXPECT_EQ(value.c_str(), source.frame_of_reference_uid);
  seg->getStudy().getStudyInstanceUID(value);
  EXPECT_EQ(value.c_str(), source.study_uid);
  ASSERT_EQ(seg->getNumberOfFrames(), l3::tissue_segments().size());
  DcmDataset& image = source.dataset();
  Uint16 rows = 0, columns = 0;
  image.findAndGetUint16(DCM_Rows, rows);
  image.findAndGetUint16(DCM_Columns, columns);
  for (std::size_t f = 0; f < seg->getNumberOfFrames(); ++f) {
    OFBool per_frame = OFFalse;
    auto* derivation = dynamic_cast<FGDerivationImage*>(seg->getFunctionalGroups().get(f, DcmFGTypes::EFG_DERIVATIONIMAGE, per_frame));
    ASSERT_NE(derivation, nullptr);
    ASSERT_FALSE(derivation->getDerivationImageItems().empty());
    ASSERT_FALSE(derivation->getDerivationImageItems()[0]->getSourceImageItems().empty());
    derivation->getDerivationImageItems()[0]->getSourceImageItems()[0]->getImageSOPInstanceReference().getReferencedSOPInstanceUID(value);
    EXPECT_EQ(value.c_str(), source.sop_instance_uid) << "frame " << f;
    auto* position = dynamic_cast<FGPlanePosPatient*>(seg->getFunctionalGroups().get(f, DcmFGTypes::EFG_PLANEPOSPATIENT, per_frame));
    ASSERT_NE(position, nullptr);
    Float64 x = 0.0, y = 0.0, z = 0.0, image_z = 0.0;
    position->getImagePositionPatient(x, y, z);
    image.findAndGetFloat64(DCM_ImagePositionPatient, image_z, 2);
    EXPECT_NEAR(z, image_z, 1e-3) << "frame " << f;
    // The frame's pixels are the tissue's labels on the slice.
    const DcmIODTypes::Frame* frame = seg->getFrame(f);
    ASSERT_NE(frame, nullptr);
    std::unique_ptr<DcmIODTypes::Frame> unpacked(DcmSegUtils::unpackBinaryFrame(frame, rows, columns));
    ASSERT_NE(unpacked, nullptr);
    long set = 0, expected = 0;
    for (std::size_t i = 0; i < std::size_t(rows) * columns; ++i) set += unpacked->pixData[i] != 0;
    for (uint8_t v : w.m.labels.voxels) expected += v == uint8_t(l3::tissue_segments()[f].label);
    EXPECT_EQ(set, expected) << l3::tissue_segments()[f].name;
  }
  EXPECT_EQ(rows, w.m.labels.grid.size[1]);
  EXPECT_EQ(columns, w.m.labels.grid.size[0]);
}

TEST(DicomOutput, NonDicomInputIsAnError) {
  l3::testing::TempDir out;
  const l3::CtScan ct = l3::read_ct(l3::testing::shared_data() / "totalseg-example" / "ct.nii.gz");
  const l3::SliceMeasurement m = l3::measure_body_composition(ct, 74);
  try {
    l3::write_body_composition_dicom(ct, m, out.path(), "{}");
    FAIL() << "expected an InputError";
  } catch (const l3::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("ct.nii.gz"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::is_empty(out.path()));
}

TEST(DicomOutput, DerivedUidsAreStableAndValid) {
  const std::string a = l3::derived_dicom_uid("1.2.3/study"), b = l3::derived_dicom_uid("1.2.3/study");
  EXPECT_EQ(a, b);
  EXPECT_NE(a, l3::derived_dicom_uid("1.2.3/series"));
  EXPECT_EQ(a.rfind("2.25.", 0), 0u);
  EXPECT_LE(a.size(), 64u);
  EXPECT_TRUE(std::regex_match(a, std::regex(R"(2\.25\.[1-9][0-9]*)"))) << a;
}
