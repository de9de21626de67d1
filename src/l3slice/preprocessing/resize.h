#pragma once
// Resampling an 8-bit axial slice to the classifier's square input (e.g. 128 or 224 px).
//
// The slice keeps its physical aspect ratio: it is scaled so its longer side (in mm) fills the
// square, centred, and the rest is padded with `pad_value` (0 = below the window, i.e. air).
// Downscaling averages the exact area each output pixel covers (box filter with fractional
// weights, so no aliasing and no lost pixels); upscaling interpolates linearly (edge pixels
// replicated). Separable, computed in float, rounded to nearest once at the end.
#include <cstdint>
#include <vector>

namespace l3 {

struct ResizeOptions {
  int size = 224;             // output is size x size
  bool keep_aspect = true;    // false: stretch to fill the square
  uint8_t pad_value = 0;
};

// A row-major 8-bit slice: pixels[y * width + x].
struct Slice8 {
  int width = 0;
  int height = 0;
  double pixel_width_mm = 1.0;   // x spacing
  double pixel_height_mm = 1.0;  // y spacing
  std::vector<uint8_t> pixels;
};

// Where the resized content sits inside the square (the rest is padding).
struct ResizeLayout {
  int x0 = 0, y0 = 0;           // top-left of the content
  int width = 0, height = 0;    // content size in output pixels
};

ResizeLayout resize_layout(const Slice8& slice, const ResizeOptions& options);

// Resamples `slice` to options.size x options.size (row-major). Throws UsageError for an empty
// slice, a pixel count not matching width x height, or size < 1.
std::vector<uint8_t> resize_to_square(const Slice8& slice, const ResizeOptions& options);

// Resamples a row-major width x height image to out_width x out_height (no padding; the
// aspect ratio is whatever the caller asks for). Same filter as above.
std::vector<uint8_t> resample(const uint8_t* pixels, int width, int height, int out_width, int out_height);

}  // namespace l3
