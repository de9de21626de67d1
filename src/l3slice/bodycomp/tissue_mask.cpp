#include "l3slice/bodycomp/tissue_mask.h"

#include <algorithm>

#include "l3slice/core/error.h"
#include "l3slice/io/image_writer.h"

namespace l3 {

LabelImage tissue_label_volume(const CtScan& ct, const SliceMeasurement& m) {
  const Grid& g = ct.hu.grid;
  const int z = m.composition.slice;
  if (z < 0 || z >= g.size[2] || m.labels.voxels.size() != g.slice_voxels())
    throw UsageError("tissue mask: the measurement was not made on this CT");
  LabelImage volume(g, uint16_t(0));
  std::copy(m.labels.voxels.begin(), m.labels.voxels.end(), volume.slice(z));
  return volume;
}

void write_tissue_mask(const CtScan& ct, const SliceMeasurement& m, const std::filesystem::path& path) {
  WriteLayout layout;
  if (!ct.file_orientation.empty()) layout.orientation = ct.file_orientation;
  write_image(tissue_label_volume(ct, m), path, layout);
}

}  // namespace l3
