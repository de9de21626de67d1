#include "l3slice/io/label_reader.h"

#include <array>
#include <sstream>
#include <system_error>

#include "l3slice/core/error.h"
#include "l3slice/io/canonical_scan.h"
#include "l3slice/io/itk_image_io.h"
#include "l3slice/io/orientation.h"

namespace l3 {

namespace fs = std::filesystem;

namespace {

std::vector<int> present_values(const LabelImage& labels) {
  std::vector<uint8_t> seen(65536, 0);
  for (uint16_t v : labels.voxels) seen[v] = 1;
  std::vector<int> values;
  for (int v = 1; v < 65536; ++v)
    if (seen[std::size_t(v)]) values.push_back(v);
  return values;
}

std::string list_of(const std::vector<int>& values) {
  std::ostringstream out;
  const std::size_t shown = std::min<std::size_t>(values.size(), 16);
  for (std::size_t i = 0; i < shown; ++i) out << (i ? ", " : "") << values[i];
  if (values.size() > shown) out << ", ... (" << values.size() << " in all)";
  return out.str();
}

}  // namespace

LabelImage read_labels(const fs::path& path, const CtScan& ct) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError(path, "does not exist");
  const auto format = image_file_format(path);
  if (!format || fs::is_directory(path, ec))
    throw InputError(path, "is not a label image file (.nii, .nii.gz, .nrrd, .nhdr, .mha, .mhd)");
  const LabelImage file_labels = read_label_file(path, *format);
  LabelImage labels = to_canonical(file_labels, file_axis_map(file_labels.grid, path));
  std::string why;
  if (!ct.hu.grid.same_as(labels.grid, &why))
    throw InputError(path, "does not lie on the CT's grid (" + ct.source + "): " + why);
  return labels;
}

std::vector<uint8_t> slice_labels(const LabelImage& labels, int value) {
  const auto& n = labels.grid.size;
  std::vector<uint8_t> flags(std::size_t(n[2]), 0);
  const std::size_t per_slice = labels.grid.slice_voxels();
  for (int z = 0; z < n[2]; ++z) {
    const uint16_t* s = labels.slice(z);
    for (std::size_t i = 0; i < per_slice; ++i)
      if (s[i] == value) {
        flags[std::size_t(z)] = 1;
        break;
      }
  }
  return flags;
}

int resolve_label_value(const LabelImage& labels, std::optional<int> requested, const fs::path& path) {
  const std::vector<int> values = present_values(labels);
  if (requested) {
    for (int v : values)
      if (v == *requested) return v;
    throw InputError(path, "has no voxel with label " + std::to_string(*requested) +
                               (values.empty() ? std::string(" (it is empty)") : " (labels present: " + list_of(values) + ")"));
  }
  if (values.empty()) throw InputError(path, "is empty (no non-zero label)");
  if (values.size() > 1)
    throw InputError(path, "has several labels (" + list_of(values) +
                               "); say which one is L3 (e.g. 22 in VerSe numbering, 29 in TotalSegmentator's)");
  return values.front();
}

}  // namespace l3
