#include "l3slice/io/public_datasets.h"

#include <algorithm>
#include <system_error>

#include "l3slice/core/error.h"

namespace fs = std::filesystem;

namespace l3 {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void sort_by_id(std::vector<ManifestEntry>& entries) {
  std::sort(entries.begin(), entries.end(), [](const ManifestEntry& a, const ManifestEntry& b) { return a.case_id < b.case_id; });
}

}  // namespace

std::vector<ManifestEntry> totalsegmentator_manifest(const fs::path& root, int* skipped) {
  if (!fs::is_directory(root)) throw InputError(root, "not a folder");
  std::vector<ManifestEntry> entries;
  int missing = 0;
  for (const auto& dir : fs::directory_iterator(root)) {
    if (!dir.is_directory() || !fs::exists(dir.path() / "ct.nii.gz")) continue;
    const fs::path mask = dir.path() / "segmentations" / "vertebrae_L3.nii.gz";
    if (!fs::exists(mask)) {
      ++missing;
      continue;
    }
    entries.push_back({dir.path().filename().string(), dir.path() / "ct.nii.gz", mask, 1, ""});
  }
  if (skipped) *skipped = missing;
  if (entries.empty())
    throw InputError(root, "no TotalSegmentator case (sXXXX/ct.nii.gz with sXXXX/segmentations/vertebrae_L3.nii.gz)");
  sort_by_id(entries);
  return entries;
}

std::vector<ManifestEntry> verse_manifest(const fs::path& root, int* skipped) {
  const fs::path raw = root / "rawdata", derivatives = root / "derivatives";
  if (!fs::is_directory(raw)) throw InputError(root, "no rawdata/ folder (VerSe layout: rawdata/sub-*/..._ct.nii.gz)");
  std::vector<ManifestEntry> entries;
  int missing = 0;
  for (const auto& f : fs::recursive_directory_iterator(raw)) {
    const std::string name = f.path().filename().string();
    if (!f.is_regular_file() || !ends_with(name, "_ct.nii.gz")) continue;
    const std::string stem = name.substr(0, name.size() - std::string("_ct.nii.gz").size());
    const fs::path rel = fs::relative(f.path().parent_path(), raw);
    const fs::path mask = derivatives / rel / (stem + "_seg-vert_msk.nii.gz");
    if (!fs::exists(mask)) {
      ++missing;
      continue;
    }
    // Several scans of one subject (sessions, directions) are one patient.
    entries.push_back({stem, f.path(), mask, 22, rel.begin()->string()});
  }
  if (skipped) *skipped = missing;
  if (entries.empty())
    throw InputError(root, "no VerSe case (rawdata/sub-*/<name>_ct.nii.gz with derivatives/sub-*/<name>_seg-vert_msk.nii.gz)");
  sort_by_id(entries);
  return entries;
}

std::vector<ManifestEntry> relative_to(std::vector<ManifestEntry> entries, const fs::path& manifest_dir) {
  const fs::path base = fs::absolute(manifest_dir).lexically_normal();
  auto rel = [&](const fs::path& p) {
    const fs::path r = fs::absolute(p).lexically_normal().lexically_relative(base);
    return r.empty() ? fs::absolute(p) : r;
  };
  for (auto& e : entries) {
    e.image = rel(e.image);
    if (e.labels) e.labels = rel(*e.labels);
  }
  return entries;
}

}  // namespace l3
