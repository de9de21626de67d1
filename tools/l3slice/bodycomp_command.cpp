// l3slice bodycomp: muscle and fat areas on an axial slice (usually mid-L3), one CT or a manifest.
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "commands.h"
#include "l3slice/bodycomp/batch.h"
#include "l3slice/bodycomp/prediction_slice.h"
#include "l3slice/bodycomp/report.h"
#include "l3slice/bodycomp/tissue_volume.h"
#include "l3slice/core/error.h"
#include "l3slice/dicom_output/dicom_output.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/model/torch_threads.h"
#include "l3slice/segmenter/unet_bodycomp.h"

namespace fs = std::filesystem;

namespace l3::cli {
namespace {

// "ct.nii.gz" -> "ct", "scans/p01/" (DICOM folder) -> "p01".
std::string default_case_id(const fs::path& ct) {
  fs::path p = ct;
  if (!p.has_filename()) p = p.parent_path();
  std::string name = p.filename().string();
  for (const char* ext : {".nii.gz", ".nii", ".nrrd", ".nhdr", ".mha", ".mhd"}) {
    const std::string e = ext;
    if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) {
      name.resize(name.size() - e.size());
      break;
    }
  }
  return name;
}

// "A,B" with A <= B, as two integers; nothing otherwise.
std::optional<std::pair<int, int>> ordered_pair(const std::string& text) {
  int a = 0, b = 0;
  char comma = 0;
  if (std::sscanf(text.c_str(), "%d%c%d", &a, &comma, &b) != 3 || comma != ',' || a > b) return std::nullopt;
  return std::pair{a, b};
}

HuRange parse_range(const std::string& text, const char* option) {
  const auto p = ordered_pair(text);
  if (!p) throw UsageError(fmt::format("{} '{}': expected LOW,HIGH in HU (e.g. -29,150)", option, text));
  return {p->first, p->second};
}

SliceRun parse_slices(const std::string& text) {
  const auto p = ordered_pair(text);
  if (!p) throw UsageError(fmt::format("--volume-slices '{}': expected FIRST,LAST canonical slice indices (e.g. 69,79)", text));
  return {p->first, p->second};
}

// The settings a DICOM SR records about how its numbers were made.
std::string dicom_settings(const SliceMeasurement& m) {
  const nlohmann::json j = to_json(m.composition);
  nlohmann::json settings{{"program_version", L3SLICE_VERSION}};
  for (const char* key : {"method", "thresholds_hu", "slices_averaged", "height_m", "weight_kg", "source"})
    if (j.contains(key)) settings[key] = j[key];
  return settings.dump();
}

}  // namespace

void add_bodycomp_command(CLI::App& app) {
  struct Args {
    std::string ct, manifest, prediction, out, case_id, series;
    std::optional<int> slice;
    int half_width = 0;
    std::string volume_slices;
    bool l3_volume = false;
    bool dicom_out = false;
    std::optional<double> height_m, weight_kg;
    std::string muscle = "-29,150", vat = "-150,-50", sat = "-190,-30", imat = "-190,-30";
    bool allow_failures = false;
    std::string method = "classical", model;
    int threads = 0;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "bodycomp", "Skeletal muscle, visceral/subcutaneous/intermuscular fat areas (cm2) and muscle HU on an axial slice");
  auto* ct = cmd->add_option("ct", args->ct, "CT scan: DICOM folder or .nii/.nii.gz/.nrrd/.mha file");
  cmd->add_flag("--allow-failures", args->allow_failures, "--manifest: exit 0 even if some cases failed (failures.csv)");
  auto* manifest = cmd->add_option("--manifest", args->manifest,
                                   "CSV with case_id,image,slice[,height_m,weight_kg][,volume_first,volume_last]: measure every case (resumable)");
  ct->excludes(manifest);
  auto* slice = cmd->add_option("--slice", args->slice, "Canonical axial slice index (0 = most inferior)");
  auto* prediction = cmd->add_option("--prediction", args->prediction,
                                     "Use the mid-L3 slice of a `predict` result (prediction.json or its case folder)");
  slice->excludes(prediction);
  cmd->add_option("--out", args->out, "Output folder: <case>.json, <case>.csv, <case>.png, <case>-tissues.nii.gz (labels on the CT's grid)")->required();
  cmd->add_option("--slices", args->half_width, "Average over slice-K..slice+K")->capture_default_str()->check(CLI::Range(0, 20));
  cmd->add_flag("--dicom-out", args->dicom_out,
                "DICOM input: also write <case>-seg.dcm (DICOM SEG of the tissue masks) and <case>-sr.dcm (SR TID 1500 with the areas) for PACS; in a --manifest batch, a non-DICOM case fails");
  cmd->add_flag("--l3-volume", args->l3_volume,
                "Also muscle and fat volumes (cm3) over the predicted L3 body's slices (needs --prediction)");
  cmd->add_option("--volume-slices", args->volume_slices,
                  "Also muscle and fat volumes (cm3) over canonical slices FIRST,LAST");
  cmd->add_option("--height-m", args->height_m, "Height in metres (SMI = SMA / height^2)")->check(CLI::PositiveNumber);
  cmd->add_option("--weight-kg", args->weight_kg, "Weight in kg (BMI, SMA/BMI; needs --height-m)")->check(CLI::PositiveNumber);
  cmd->add_option("--case-id", args->case_id, "Case id for the outputs (default: the CT's file name)");
  cmd->add_option("--series", args->series, "DICOM SeriesInstanceUID to read when a folder holds several");
  cmd->add_option("--method", args->method,
                  "classical (rules, the default) or unet (a U-Net from train-bodycomp, --model FILE)")
      ->capture_default_str()
      ->check(CLI::IsMember({"classical", "unet"}));
  cmd->add_option("--model", args->model, "--method unet: the segmenter file (.l3u; default: the bundled one, trained on phantoms)");
  cmd->add_option("-j,--threads", args->threads, "--method unet: threads (0: all cores)")->capture_default_str();
  cmd->add_option("--muscle-hu", args->muscle, "Skeletal muscle HU range")->capture_default_str();
  cmd->add_option("--vat-hu", args->vat, "Visceral fat HU range")->capture_default_str();
  cmd->add_option("--sat-hu", args->sat, "Subcutaneous fat HU range")->capture_default_str();
  cmd->add_option("--imat-hu", args->imat, "Intermuscular fat HU range")->capture_default_str();
  cmd->callback([args] {
    BodyCompOptions options;
    options.thresholds.muscle = parse_range(args->muscle, "--muscle-hu");
    options.thresholds.visceral_fat = parse_range(args->vat, "--vat-hu");
    options.thresholds.subcutaneous_fat = parse_range(args->sat, "--sat-hu");
    options.thresholds.intermuscular_fat = parse_range(args->imat, "--imat-hu");
    options.half_width = args->half_width;
    if (args->method == "unet") {
      set_torch_threads(args->threads);
      auto model = std::make_shared<LoadedSegmenter>(load_segmenter(args->model.empty() ? default_segmenter_path() : fs::path(args->model)));
      options.method = unet_method_name(*model);
      options.segmenter = unet_slice_segmenter(model);
    } else if (!args->model.empty()) {
      throw UsageError("bodycomp: --model is for --method unet");
    }
    const fs::path out = args->out;

    if (!args->manifest.empty()) {
      if (args->slice || !args->prediction.empty() || args->height_m || args->weight_kg || !args->case_id.empty())
        throw UsageError("bodycomp --manifest: slice, height and weight come from the manifest's columns");
      const auto cases = read_bodycomp_manifest(args->manifest);
      BatchExtraOutputs dicom;
      if (args->dicom_out) {
        dicom.name = "dicom-seg-sr";
        dicom.write = [](const CtScan& ct, const SliceMeasurement& m, const fs::path& dir) {
          const DicomResultFiles files = write_body_composition_dicom(ct, m, dir, dicom_settings(m));
          for (const auto& w : files.warnings) fmt::print(stderr, "l3slice: warning: {}\n", w);
        };
        dicom.files = [](const fs::path& dir, const std::string& id) {
          const DicomResultFiles f = dicom_result_files(dir, id);
          return std::vector<fs::path>{f.segmentation, f.report};
        };
      }
      const BatchSummary s = run_bodycomp_batch(cases, out, options, stderr, dicom);
      fmt::print("{} cases: {} measured, {} already done, {} failed; table: {}\n", cases.size(), s.measured, s.skipped,
                 s.failures.size(), s.table.string());
      for (const auto& f : s.failures) fmt::print(stderr, "l3slice: {}: {}\n", f.case_id, f.error);
      if (!s.failures.empty()) {
        const std::string line =
            fmt::format("{} of {} cases failed (see {})", s.failures.size(), cases.size(), (out / "failures.csv").string());
        if (!args->allow_failures) throw std::runtime_error(line);
        fmt::print(stderr, "l3slice: warning: {}\n", line);
      }
      return;
    }
    if (args->ct.empty()) throw UsageError("bodycomp: give a CT scan or --manifest FILE");
    if (!args->slice && args->prediction.empty()) throw UsageError("bodycomp: give --slice N or --prediction FILE");
    if (args->weight_kg && !args->height_m) throw UsageError("bodycomp: --weight-kg needs --height-m");
    const int z = args->slice ? *args->slice : slice_from_prediction(args->prediction);
    options.height_m = args->height_m;
    options.weight_kg = args->weight_kg;
    options.case_id = args->case_id.empty() ? default_case_id(args->ct) : args->case_id;
    CtReadOptions read;
    read.series_uid = args->series;
    if (args->l3_volume && args->prediction.empty()) throw UsageError("bodycomp: --l3-volume needs --prediction FILE");
    if (args->l3_volume && !args->volume_slices.empty())
      throw UsageError("bodycomp: give --l3-volume or --volume-slices, not both");
    std::optional<SliceRun> volume_run;
    if (args->l3_volume) volume_run = l3_run_from_prediction(args->prediction);
    if (!args->volume_slices.empty()) volume_run = parse_slices(args->volume_slices);
    const CtScan scan = read_ct(args->ct, read);
    // Refused before any measuring: the library would refuse it too, but only after the work.
    if (args->dicom_out && scan.format != "dicom")
      throw InputError(args->ct, "--dicom-out needs a DICOM series as input (this is " + scan.format + ")");
    const SliceMeasurement m = measure_body_composition(scan, z, options);
    std::optional<TissueVolumes> volumes;
    if (volume_run) volumes = measure_tissue_volumes(scan, *volume_run, options);
    const CaseOutputs files = case_outputs(out, options.case_id);
    fs::create_directories(out);
    std::optional<DicomResultFiles> dicom;
    if (args->dicom_out) {
      // Written first: a failure leaves no JSON/CSV that looks complete without them.
      dicom = write_body_composition_dicom(scan, m, out, dicom_settings(m));
    }
    write_case_outputs(scan, m, files, nullptr, volumes ? to_json(*volumes) : nlohmann::json());
    const BodyComposition& c = m.composition;
    fmt::print("{} slice {} (z {:.1f} mm): SMA {:.1f} cm2, muscle {:.1f} HU, VAT {:.1f} cm2, SAT {:.1f} cm2, IMAT {:.1f} cm2",
               c.case_id, c.slice, c.z_mm, c.sma_cm2, c.muscle_hu, c.vat_cm2, c.sat_cm2, c.imat_cm2);
    if (c.smi_cm2_m2) fmt::print(", SMI {:.1f} cm2/m2", *c.smi_cm2_m2);
    fmt::print("\n");
    if (volumes)
      fmt::print("slices {}..{}: muscle {:.1f} cm3 ({:.1f} HU), VAT {:.1f} cm3, SAT {:.1f} cm3, IMAT {:.1f} cm3\n",
                 volumes->run.first, volumes->run.last, volumes->muscle_cm3, volumes->muscle_hu, volumes->vat_cm3,
                 volumes->sat_cm3, volumes->imat_cm3);
    for (const auto& w : c.warnings) fmt::print(stderr, "l3slice: warning: {}\n", w);
    fmt::print("outputs: {}, {}, {}, {}\n", files.json.string(), files.csv.string(), files.png.string(), files.mask.string());
    if (dicom) {
      for (const auto& w : dicom->warnings) fmt::print(stderr, "l3slice: warning: {}\n", w);
      fmt::print("DICOM: {}, {}\n", dicom->segmentation.string(), dicom->report.string());
    }
  });
}

}  // namespace l3::cli
