// l3slice info: what a CT scan is (format, grid, orientation, z range, DICOM series) and, with a
// label file, where its L3 slices are, in canonical and file terms.
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "l3slice/core/slice_run.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/io/label_reader.h"

namespace l3::cli {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

nlohmann::json slice_json(const CtScan& ct, int z) {
  const SliceSource& s = ct.slices[std::size_t(z)];
  nlohmann::json j{{"slice", z}, {"file_index", s.file_index}, {"z_mm", s.z_mm}};
  if (!s.file_name.empty()) {
    j["file"] = s.file_name;
    j["instance_number"] = s.instance_number;
    j["sop_instance_uid"] = s.sop_instance_uid;
  }
  return j;
}

std::string slice_text(const CtScan& ct, int z) {
  const SliceSource& s = ct.slices[std::size_t(z)];
  std::string text = fmt::format("slice {} (file index {}, z {:.1f} mm", z, s.file_index, s.z_mm);
  if (!s.file_name.empty()) text += fmt::format(", file {}, InstanceNumber {}", s.file_name, s.instance_number);
  return text + ")";
}

}  // namespace

void add_info_command(CLI::App& app) {
  struct Args {
    std::string ct, series, labels;
    std::optional<int> l3_label;
    bool json = false, assume_hu = false, allow_non_ct = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("info", "Describe a CT scan (and where L3 is, given a label file)");
  cmd->add_option("ct", args->ct, "CT scan: DICOM folder or .nii/.nii.gz/.nrrd/.mha file")->required();
  cmd->add_option("--series", args->series, "DICOM SeriesInstanceUID to read when a folder holds several");
  auto* labels = cmd->add_option("--labels", args->labels, "Label volume on the CT's grid (e.g. vertebral bodies)");
  cmd->add_option("--l3-label", args->l3_label,
                  "The L3 label value (e.g. 22 = L3 body in VerSe numbering, 29 = whole L3 in TotalSegmentator's); "
                  "default: the file's only label")
      ->check(CLI::Range(1, 65535))
      ->needs(labels);
  cmd->add_flag("--json", args->json, "Print JSON instead of text");
  cmd->add_flag("--assume-hu", args->assume_hu, "DICOM without RescaleSlope/Intercept: stored values are HU");
  cmd->add_flag("--allow-non-ct", args->allow_non_ct, "Accept a DICOM Modality other than CT");

  cmd->callback([args] {
    CtReadOptions options;
    options.series_uid = args->series;
    options.assume_hu = args->assume_hu;
    options.allow_non_ct = args->allow_non_ct;
    std::string notes;
    const CtScan ct = read_ct(args->ct, options, &notes);
    const Grid& g = ct.hu.grid;

    nlohmann::json j;
    j["source"] = ct.source;
    j["format"] = ct.format;
    j["size"] = g.size;
    j["spacing_mm"] = g.spacing;
    j["origin_mm"] = g.origin;
    j["file_orientation"] = ct.file_orientation;
    j["file_slice_axis"] = ct.file_slice_axis;
    j["z_range_mm"] = {ct.slices.front().z_mm, ct.slices.back().z_mm};
    if (!ct.series_uid.empty()) j["series_uid"] = ct.series_uid;
    j["notes"] = lines_of(notes);

    std::optional<SliceRun> run;
    int value = 0;
    if (!args->labels.empty()) {
      const LabelImage labels = read_labels(args->labels, ct);
      value = resolve_label_value(labels, args->l3_label, args->labels);
      run = span_of(slice_labels(labels, value));  // present, so never empty
      j["l3"] = {{"label_file", args->labels},
                 {"label", value},
                 {"first", slice_json(ct, run->first)},
                 {"last", slice_json(ct, run->last)},
                 {"middle", slice_json(ct, run->middle())}};
    }

    if (args->json) {
      fmt::print("{}\n", j.dump(2));
      return;
    }
    fmt::print("CT:            {}\n", ct.source);
    fmt::print("format:        {}\n", ct.format);
    if (!ct.series_uid.empty()) fmt::print("series:        {}\n", ct.series_uid);
    fmt::print("size:          {} x {} x {} voxels (x: right->left, y: front->back, z: feet->head)\n", g.size[0],
               g.size[1], g.size[2]);
    fmt::print("spacing:       {:.4g} x {:.4g} x {:.4g} mm\n", g.spacing[0], g.spacing[1], g.spacing[2]);
    fmt::print("orientation:   {} (file voxel axes; axial slices along file axis {})\n", ct.file_orientation,
               ct.file_slice_axis);
    fmt::print("z range:       {:.1f} .. {:.1f} mm (slice 0 = most inferior)\n", ct.slices.front().z_mm,
               ct.slices.back().z_mm);
    for (const std::string& line : lines_of(notes)) fmt::print("note:          {}\n", line);
    if (run) {
      fmt::print("labels:        {} (L3 = label {})\n", args->labels, value);
      fmt::print("L3 first:      {}\n", slice_text(ct, run->first));
      fmt::print("L3 last:       {}\n", slice_text(ct, run->last));
      fmt::print("L3 middle:     {}\n", slice_text(ct, run->middle()));
    }
  });
}

}  // namespace l3::cli
