#include "l3slice/exporting/export_case.h"

#include <cctype>
#include <fstream>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "l3slice/core/atomic_file.h"
#include "l3slice/core/csv.h"
#include "l3slice/core/error.h"
#include "l3slice/io/l3_truth.h"
#include "l3slice/io/label_reader.h"
#include "l3slice/io/png_io.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace l3 {
namespace {

void check_case_id(const std::string& id) {
  if (id.empty() || id == "." || id == ".." || id.front() == '.' || id.find_first_of("/\\") != std::string::npos) {
    throw UsageError("case id '" + id + "' is not a plain folder name (no '/', not starting with '.')");
  }
}

std::string absolute_string(const fs::path& p) {
  std::error_code ec;
  const fs::path a = fs::absolute(p, ec);
  return (ec ? p : a).lexically_normal().string();
}

// What was asked for: a complete export with equal settings need not be redone.
json export_settings(const ManifestEntry& entry, const ExportOptions& options) {
  return json{{"image", absolute_string(entry.image)},
              {"labels", entry.labels ? json(absolute_string(*entry.labels)) : json(nullptr)},
              {"label_value", entry.label_value ? json(*entry.label_value) : json(nullptr)},
              {"series_uid", options.read.series_uid},
              {"window", {options.window.low, options.window.high}}};
}

// The per-slice L3 flags from the labels file, and the label value they mean.
std::string labels_csv(const CtScan& ct, const std::vector<uint8_t>* flags) {
  std::vector<std::string> header{"slice", "file_index", "z_mm"};
  if (flags) header.push_back("label");
  std::string text = csv_line(header);
  const int n = ct.hu.grid.size[2];
  for (int z = 0; z < n; ++z) {
    const bool known = std::size_t(z) < ct.slices.size();
    std::vector<std::string> row{std::to_string(z), std::to_string(known ? ct.slices[z].file_index : z),
                                 fmt::format("{}", known ? ct.slices[z].z_mm : ct.hu.grid.physical(0, 0, z)[2])};
    if (flags) row.push_back((*flags)[std::size_t(z)] ? "1" : "0");
    text += csv_line(row);
  }
  return text;
}

json case_json(const ManifestEntry& entry, const CtScan& ct, const ExportOptions& options,
               const std::optional<L3Truth>& labels) {
  const Grid& g = ct.hu.grid;
  json j{{"case_id", entry.case_id},
         {"source", absolute_string(entry.image)},
         {"format", ct.format},
         {"file_orientation", ct.file_orientation},
         {"size", g.size},
         {"spacing_mm", g.spacing},
         {"origin_mm", g.origin},
         {"slices", g.size[2]},
         {"png", {{"files", slice_file_name(0, g.size[2]) + " ... " + slice_file_name(g.size[2] - 1, g.size[2])},
                  {"pixels", "8-bit gray, width = size[0], height = size[1]"},
                  {"display", "slice 0 = most inferior; radiological: image left = patient right, anterior at top"}}},
         {"window", {{"low_hu", options.window.low}, {"high_hu", options.window.high},
                     {"mapping", "linear, clamped, rounded: low -> 0, high -> 255"}}},
         {"settings", export_settings(entry, options)},
         {"program", std::string("l3slice ") + L3SLICE_VERSION}};
  if (!ct.series_uid.empty()) j["series_uid"] = ct.series_uid;
  if (!labels) {
    j["labels"] = nullptr;
    j["l3"] = nullptr;
    return j;
  }
  j["labels"] = {{"file", absolute_string(*entry.labels)}, {"value", labels->value}};
  const auto run = span_of(labels->flags);
  const std::string definition = fmt::format("slices containing label {} of {}", labels->value, entry.labels->filename().string());
  if (run) {
    j["l3"] = {{"first", run->first}, {"last", run->last}, {"middle", run->middle()}, {"definition", definition},
               {"middle_rule", "floor((first + last) / 2)"}};
  } else {
    j["l3"] = nullptr;
    j["l3_note"] = labels->note;
  }
  return j;
}

}  // namespace

std::string slice_file_name(int slice, int slice_count) {
  const int digits = std::max<int>(4, int(std::to_string(std::max(0, slice_count - 1)).size()));
  return fmt::format("slice_{:0{}}.png", slice, digits);
}

std::string case_id_from_path(const fs::path& ct_path) {
  fs::path p = ct_path.lexically_normal();
  if (p.filename().empty()) p = p.parent_path();  // "folder/"
  std::string name = p.filename().string();
  if (!is_image_file(p)) return name;
  for (const char* ext : {".nii.gz", ".nii", ".nrrd", ".nhdr", ".mha", ".mhd"}) {
    const std::string e = ext;
    if (name.size() > e.size()) {
      std::string tail = name.substr(name.size() - e.size());
      for (auto& c : tail) c = char(std::tolower(static_cast<unsigned char>(c)));
      if (tail == e) return name.substr(0, name.size() - e.size());
    }
  }
  return name;
}

ExportedCase export_case(const ManifestEntry& entry, const fs::path& out_dir, const ExportOptions& options) {
  check_window(options.window);
  check_case_id(entry.case_id);
  if (entry.label_value && !entry.labels) {
    throw UsageError("case " + entry.case_id + ": a label value needs a labels file");
  }
  std::string notes;
  const CtScan ct = read_ct(entry.image, options.read, &notes);
  if (options.log && !notes.empty()) fmt::print(options.log, "{}: {}\n", entry.case_id, notes);
  std::optional<L3Truth> labels;
  if (entry.labels) {
    labels = read_l3_truth(*entry.labels, entry.label_value, ct);
    if (options.log && !labels->note.empty()) fmt::print(options.log, "warning: {}: {}\n", entry.case_id, labels->note);
  }

  const Grid& g = ct.hu.grid;
  ExportedCase result{entry.case_id, out_dir / entry.case_id, g.size[2], labels.has_value(), std::nullopt};
  if (labels) result.l3 = span_of(labels->flags);

  StagingDir staging(result.folder);
  for (int z = 0; z < g.size[2]; ++z) {
    write_png_gray(staging.path() / slice_file_name(z, g.size[2]), g.size[0], g.size[1],
                   window_slice(ct.hu, z, options.window));
  }
  write_text_atomically(staging.path() / "labels.csv", labels_csv(ct, labels ? &labels->flags : nullptr));
  write_text_atomically(staging.path() / "case.json", case_json(entry, ct, options, labels).dump(2) + "\n");
  staging.commit();
  return result;
}

bool export_is_complete(const ManifestEntry& entry, const fs::path& out_dir, const ExportOptions& options) {
  const fs::path folder = out_dir / entry.case_id;
  std::error_code ec;
  if (!fs::is_regular_file(folder / "case.json", ec) || !fs::is_regular_file(folder / "labels.csv", ec)) return false;
  try {
    std::ifstream in(folder / "case.json");
    const json j = json::parse(in);
    if (j.at("settings") != export_settings(entry, options)) return false;
    const int n = j.at("slices").get<int>();
    return n > 0 && fs::is_regular_file(folder / slice_file_name(n - 1, n), ec);
  } catch (const std::exception&) {
    return false;  // unreadable or older layout: redo
  }
}

}  // namespace l3
