#include "l3slice/bodycomp/batch.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

#include "l3slice/bodycomp/overlay.h"
#include "l3slice/bodycomp/report.h"
#include "l3slice/bodycomp/tissue_mask.h"
#include "l3slice/bodycomp/tissue_volume.h"
#include "l3slice/core/atomic_file.h"
#include "l3slice/core/csv.h"
#include "l3slice/core/fingerprint.h"
#include "l3slice/core/error.h"
#include "l3slice/core/progress.h"
#include "l3slice/io/ct_reader.h"

namespace fs = std::filesystem;

namespace l3 {
namespace {

std::optional<double> parse_number(const std::string& text, const fs::path& path, int line, const char* what) {
  if (text.empty()) return std::nullopt;
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  throw InputError(path, fmt::format("line {}: {} '{}' is not a number", line, what, text));
}

bool whole(const std::optional<double>& v) { return v && *v == std::floor(*v); }

bool usable_as_file_name(const std::string& id) {
  return !id.empty() && id != "." && id != ".." && id.find_first_of("/\\") == std::string::npos;
}

}  // namespace

std::vector<BodyCompCase> read_bodycomp_manifest(const fs::path& path) {
  const CsvTable table = read_csv(path);
  const int id_col = table.column("case_id"), image_col = table.column("image"), slice_col = table.column("slice");
  for (auto [col, name] : {std::pair{id_col, "case_id"}, {image_col, "image"}, {slice_col, "slice"}})
    if (col < 0) throw InputError(path, fmt::format("no '{}' column (needs case_id,image,slice)", name));
  const int height_col = table.column("height_m"), weight_col = table.column("weight_kg");
  const int first_col = table.column("volume_first"), last_col = table.column("volume_last");
  if ((first_col < 0) != (last_col < 0))
    throw InputError(path, "volume_first and volume_last columns go together");
  std::vector<BodyCompCase> cases;
  std::set<std::string> seen;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    const int line = int(r) + 2;
    BodyCompCase c;
    c.case_id = row[id_col];
    if (!usable_as_file_name(c.case_id))
      throw InputError(path, fmt::format("line {}: case_id '{}' cannot be used as a file name", line, c.case_id));
    if (!seen.insert(c.case_id).second)
      throw InputError(path, fmt::format("line {}: case_id '{}' appears twice", line, c.case_id));
    c.image = row[image_col];
    if (c.image.empty()) throw InputError(path, fmt::format("line {}: empty image path", line));
    if (c.image.is_relative()) c.image = path.parent_path() / c.image;
    const auto slice = parse_number(row[slice_col], path, line, "slice");
    if (!whole(slice))
      throw InputError(path, fmt::format("line {}: slice '{}' is not a whole number", line, row[slice_col]));
    c.slice = int(*slice);
    if (height_col >= 0) c.height_m = parse_number(row[height_col], path, line, "height_m");
    if (weight_col >= 0) c.weight_kg = parse_number(row[weight_col], path, line, "weight_kg");
    if (first_col >= 0) {
      const auto first = parse_number(row[first_col], path, line, "volume_first");
      const auto last = parse_number(row[last_col], path, line, "volume_last");
      if (first.has_value() != last.has_value() || (first && (!whole(first) || !whole(last) || *first > *last)))
        throw InputError(path, fmt::format("line {}: volume_first '{}' and volume_last '{}' must both be whole numbers, first <= last, "
                                           "or both empty", line, row[first_col], row[last_col]));
      if (first) c.volume = SliceRun{int(*first), int(*last)};
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

CaseOutputs case_outputs(const fs::path& out_dir, const std::string& case_id) {
  return {out_dir / (case_id + ".json"), out_dir / (case_id + ".csv"), out_dir / (case_id + ".png"),
          out_dir / (case_id + "-tissues.nii.gz")};
}

void write_case_outputs(const CtScan& ct, const SliceMeasurement& m, const CaseOutputs& out,
                        const nlohmann::json& provenance, const nlohmann::json& volumes) {
  write_body_composition_png(out.png, m);
  write_tissue_mask(ct, m, out.mask);
  write_text_atomically(out.csv, csv_line(body_composition_csv_header()) + csv_line(body_composition_csv_row(m.composition)));
  nlohmann::json j = to_json(m.composition);
  if (!provenance.is_null()) j["provenance"] = provenance;
  if (!volumes.is_null()) j["volumes"] = volumes;
  write_text_atomically(out.json, j.dump(2) + "\n");
}

namespace {

// What a stored result must have been made from to be reused: the same input (fingerprint), slice,
// settings, method and program version.
nlohmann::json case_provenance(const BodyCompCase& c, const BodyCompOptions& o) {
  BodyComposition settings;
  settings.thresholds = o.thresholds;
  return {{"source", c.image.string()},
          {"input_fingerprint", input_fingerprint(c.image)},
          {"slice", c.slice},
          {"half_width", o.half_width},
          {"height_m", c.height_m ? nlohmann::json(*c.height_m) : nlohmann::json()},
          {"weight_kg", c.weight_kg ? nlohmann::json(*c.weight_kg) : nlohmann::json()},
          {"thresholds_hu", to_json(settings)["thresholds_hu"]},
          {"method", o.method},
          {"volume_slices", c.volume ? nlohmann::json{c.volume->first, c.volume->last} : nlohmann::json()},
          {"program_version", L3SLICE_VERSION}};
}

bool stored_provenance_matches(const fs::path& json, const nlohmann::json& provenance) {
  std::ifstream in(json);
  const nlohmann::json stored = nlohmann::json::parse(in, nullptr, false);
  return !stored.is_discarded() && stored.contains("provenance") && stored["provenance"] == provenance;
}

}  // namespace

BatchSummary run_bodycomp_batch(const std::vector<BodyCompCase>& cases, const fs::path& out_dir,
                                const BodyCompOptions& options, std::FILE* progress_out, const BatchExtraOutputs& extra) {
  fs::create_directories(out_dir);
  BatchSummary summary;
  Progress progress("bodycomp", long(cases.size()), "cases", progress_out);
  for (const BodyCompCase& c : cases) {
    const CaseOutputs out = case_outputs(out_dir, c.case_id);
    try {
      nlohmann::json provenance = case_provenance(c, options);
      if (extra.write) provenance["extra_outputs"] = extra.name;
      if (fs::exists(out.json) && stored_provenance_matches(out.json, provenance)) {
        ++summary.skipped;
      } else {
        for (const fs::path& old : {out.json, out.csv, out.png, out.mask}) fs::remove(old);  // stale: other input or settings
        if (extra.files)
          for (const fs::path& old : extra.files(out_dir, c.case_id)) fs::remove(old);
        BodyCompOptions o = options;
        o.case_id = c.case_id;
        o.height_m = c.height_m;
        o.weight_kg = c.weight_kg;
        const CtScan ct = read_ct(c.image);
        const SliceMeasurement m = measure_body_composition(ct, c.slice, o);
        if (extra.write) extra.write(ct, m, out_dir);
        write_case_outputs(ct, m, out, provenance, c.volume ? to_json(measure_tissue_volumes(ct, *c.volume, o)) : nlohmann::json());
        ++summary.measured;
      }
    } catch (const std::exception& e) {  // InputError, UsageError, or a library failure: record, go on
      summary.failures.push_back({c.case_id, c.image.string(), e.what()});
    }
    progress.advance();
  }
  progress.finish(fmt::format("{} measured, {} already done, {} failed", summary.measured, summary.skipped,
                              summary.failures.size()));

  // The combined table: every completed case of this manifest, in manifest order, with the
  // volumes' columns when any case asked for them.
  const bool with_volumes = std::any_of(cases.begin(), cases.end(), [](const BodyCompCase& c) { return c.volume.has_value(); });
  const std::vector<std::string> volume_keys = {"first_slice", "last_slice", "muscle_cm3", "vat_cm3", "sat_cm3", "imat_cm3", "muscle_hu"};
  std::vector<std::string> header = body_composition_csv_header();
  if (with_volumes)
    for (const auto& k : volume_keys) header.push_back("volume_" + k);
  std::string table = csv_line(header);
  for (const BodyCompCase& c : cases) {
    const fs::path json = case_outputs(out_dir, c.case_id).json;
    if (!fs::exists(json)) continue;
    std::ifstream in(json);
    try {
      const nlohmann::json j = nlohmann::json::parse(in);
      std::vector<std::string> row = body_composition_csv_row(body_composition_from_json(j));
      if (with_volumes)
        for (const auto& k : volume_keys)
          row.push_back(j.contains("volumes") ? fmt::format("{:.6g}", j["volumes"].at(k).get<double>()) : std::string());
      table += csv_line(row);
    } catch (const std::exception& e) {
      throw InputError(json, fmt::format("unreadable result ({}); delete it to measure the case again", e.what()));
    }
  }
  summary.table = out_dir / "bodycomp.csv";
  write_text_atomically(summary.table, table);
  write_failures(out_dir, summary.failures);
  return summary;
}

}  // namespace l3
