#include "l3slice/core/manifest.h"

#include <algorithm>

#include <set>

#include "l3slice/core/atomic_file.h"
#include "l3slice/core/csv.h"
#include "l3slice/core/error.h"

namespace fs = std::filesystem;

namespace l3 {

std::vector<ManifestEntry> read_manifest(const fs::path& path) {
  const CsvTable t = read_csv(path);
  const int c_id = t.column("case_id"), c_img = t.column("image");
  const int c_lab = t.column("labels"), c_val = t.column("label_value"), c_pat = t.column("patient_id");
  if (c_id < 0 || c_img < 0)
    throw InputError(path, "manifest needs columns case_id,image[,labels][,label_value]");
  const fs::path base = path.parent_path();
  auto resolve = [&](const std::string& p) { return fs::path(p).is_absolute() ? fs::path(p) : base / p; };

  std::vector<ManifestEntry> entries;
  std::set<std::string> seen;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    const std::string where = "row " + std::to_string(r + 2);
    ManifestEntry e;
    e.case_id = row[c_id];
    if (e.case_id.empty()) throw InputError(path, where + ": empty case_id");
    if (e.case_id.find_first_of("/\\") != std::string::npos)
      throw InputError(path, where + ": case_id '" + e.case_id + "' must not contain a path separator");
    if (!seen.insert(e.case_id).second) throw InputError(path, where + ": duplicate case_id '" + e.case_id + "'");
    if (row[c_img].empty()) throw InputError(path, where + ": empty image path");
    e.image = resolve(row[c_img]);
    if (c_lab >= 0 && !row[c_lab].empty()) e.labels = resolve(row[c_lab]);
    if (c_pat >= 0) e.patient_id = row[c_pat];
    if (c_val >= 0 && !row[c_val].empty()) {
      try {
        size_t used = 0;
        e.label_value = std::stoi(row[c_val], &used);
        if (used != row[c_val].size() || *e.label_value <= 0) throw std::invalid_argument("");
      } catch (const std::exception&) {
        throw InputError(path, where + ": label_value '" + row[c_val] + "' is not a positive integer");
      }
    }
    entries.push_back(std::move(e));
  }
  if (entries.empty()) throw InputError(path, "manifest has no cases");
  return entries;
}

void write_manifest(const fs::path& path, const std::vector<ManifestEntry>& entries) {
  const bool patients = std::any_of(entries.begin(), entries.end(), [](const ManifestEntry& e) { return !e.patient_id.empty(); });
  std::vector<std::string> header{"case_id", "image", "labels", "label_value"};
  if (patients) header.push_back("patient_id");
  std::string text = csv_line(header);
  for (const auto& e : entries) {
    std::vector<std::string> row{e.case_id, e.image.string(), e.labels ? e.labels->string() : "",
                                 e.label_value ? std::to_string(*e.label_value) : ""};
    if (patients) row.push_back(e.patient_id);
    text += csv_line(row);
  }
  write_text_atomically(path, text);
}

}  // namespace l3
