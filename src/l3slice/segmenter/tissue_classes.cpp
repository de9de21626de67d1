#include "l3slice/segmenter/tissue_classes.h"

#include <set>
#include <sstream>

#include <fmt/format.h>

#include "l3slice/core/error.h"

namespace l3 {

TissueClass TissueLabelValues::class_of(int value) const {
  if (value == 0) return TissueClass::other;
  if (value == muscle) return TissueClass::muscle;
  if (value == subcutaneous_fat) return TissueClass::subcutaneous_fat;
  if (value == visceral_fat) return TissueClass::visceral_fat;
  if (value == intermuscular_fat) return TissueClass::intermuscular_fat;
  return TissueClass::other;
}

TissueLabelValues parse_tissue_label_values(const std::string& text) {
  if (text == "l3slice") return {};
  if (text == "phantom") return {4, 3, 6, 5, "phantom"};
  TissueLabelValues v{0, 0, 0, 0, text};
  std::set<int> used;
  std::stringstream items(text);
  std::string item;
  while (std::getline(items, item, ',')) {
    const auto eq = item.find('=');
    int value = 0;
    std::size_t end = 0;
    try {
      value = eq == std::string::npos ? 0 : std::stoi(item.substr(eq + 1), &end);
    } catch (const std::exception&) {
      value = 0;
    }
    if (eq == std::string::npos || value <= 0 || end != item.size() - eq - 1)
      throw UsageError(fmt::format("label values '{}': '{}' is not NAME=VALUE with a positive VALUE", text, item));
    if (!used.insert(value).second) throw UsageError(fmt::format("label values '{}': value {} given twice", text, value));
    const std::string name = item.substr(0, eq);
    if (name == "muscle") v.muscle = value;
    else if (name == "sat") v.subcutaneous_fat = value;
    else if (name == "vat") v.visceral_fat = value;
    else if (name == "imat") v.intermuscular_fat = value;
    else throw UsageError(fmt::format("label values '{}': unknown tissue '{}' (muscle, sat, vat, imat)", text, name));
  }
  if (v.muscle == 0)
    throw UsageError(fmt::format("label values '{}': give l3slice, phantom, or NAME=VALUE pairs including muscle", text));
  return v;
}

MaskImage to_tissue_classes(const LabelImage& labels, int z, const TissueLabelValues& values) {
  Grid g = labels.grid;
  g.size[2] = 1;
  MaskImage out(g);
  const auto* in = labels.slice(z);
  for (std::size_t i = 0; i < out.voxels.size(); ++i) out.voxels[i] = uint8_t(values.class_of(int(in[i])));
  return out;
}

}  // namespace l3
