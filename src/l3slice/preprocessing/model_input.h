#pragma once
// Classifier inputs from a CT slice: window -> 8-bit -> square resize (resize.h), optionally with
// neighbouring slices as extra channels ("2.5D").
//
// Channel order is inferior -> superior: for 3 channels, slices z-d, z, z+d (d = 1 slice, or
// neighbour_mm converted to slices by the scan's z spacing). Neighbours beyond the scan are
// clamped to its first/last slice.
#include <cstdint>
#include <vector>

#include "l3slice/core/image.h"
#include "l3slice/preprocessing/resize.h"
#include "l3slice/preprocessing/window.h"

namespace l3 {

struct ModelInputOptions {
  Window window;
  int size = 224;               // square side, pixels
  int channels = 1;             // odd: 1 = the slice alone, 3 = z-d, z, z+d, 5 = z-2d..z+2d
  double neighbour_mm = 0.0;    // > 0: distance d in mm (rounded to whole slices, at least 1); 0: adjacent slices
  bool keep_aspect = true;      // pad instead of stretching (see resize.h)
  // > 0: the input is a square of this many mm centred on the body, so every scan is seen at the
  // same scale whatever its reconstruction field of view (CTs range from ~300 to 500 mm);
  // 0: the whole slice, scaled to fit (the paper's PNGs).
  double fov_mm = 0.0;
};

// Throws UsageError for an even/non-positive channel count, a bad size or window.
void check_model_input_options(const ModelInputOptions& options);

// The neighbour step d in slices for this scan's z spacing.
int neighbour_step(const Grid& grid, const ModelInputOptions& options);

// The canonical slices that make up the channels of slice z (clamped to the scan).
std::vector<int> channel_slices(const Grid& grid, int z, const ModelInputOptions& options);

// The windowed slice cut (or padded with air) to a fov_mm square centred on the body: the centroid
// of the pixels above the window's floor, or the slice centre if there are none.
Slice8 body_centred_square(const Slice8& windowed, double fov_mm);

// One windowed, resized slice (size x size, row-major).
std::vector<uint8_t> prepared_slice(const HuImage& hu, int z, const ModelInputOptions& options);

// The model input for slice z: channels x size x size, uint8, channel-major.
std::vector<uint8_t> make_model_input(const CtScan& ct, int z, const ModelInputOptions& options);

// All slices of a scan prepared once (window + resize), so 2.5D inputs for every z can be
// assembled without redoing the work for each neighbour.
class PreparedScan {
 public:
  PreparedScan(const CtScan& ct, const ModelInputOptions& options);

  int slice_count() const { return int(slices_.size()); }
  const std::vector<uint8_t>& slice(int z) const { return slices_.at(std::size_t(z)); }
  // Same result as make_model_input(ct, z, options).
  std::vector<uint8_t> model_input(int z) const;

 private:
  Grid grid_;
  ModelInputOptions options_;
  std::vector<std::vector<uint8_t>> slices_;
};

}  // namespace l3
