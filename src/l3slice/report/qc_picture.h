#pragma once
// The QC picture of a prediction: sagittal and coronal reformats through the spine with the
// predicted L3 band and middle line (and the true L3, when known), the probability curve along z
// aligned with them, and the chosen axial slice. One look tells whether the slice is right.
#include <optional>
#include <vector>

#include "l3slice/core/image.h"
#include "l3slice/core/slice_run.h"
#include "l3slice/report/canvas.h"

namespace l3 {

struct QcPictureOptions {
  int panel_height = 480;        // pixels for the scan's z extent
  double window_low = -250.0;    // bone-friendly display window (HU)
  double window_high = 1250.0;
  double slab_mm = 8.0;          // reformats are maximum-intensity slabs this thick, so the spine shows
};

// Column x and row y of the canonical volume through the spine (largest bone mass near the midline).
std::pair<int, int> spine_position(const HuImage& hu);

Canvas render_qc_picture(const CtScan& ct, const std::vector<float>& probabilities,
                         const std::optional<SliceRun>& predicted, const std::optional<SliceRun>& truth = {},
                         const QcPictureOptions& options = {});

}  // namespace l3
