#pragma once
// Pictures of a study, rendered into RGB buffers (the CLI writes them with io/png_io.h's
// write_png_rgb(path, image.width, image.height, image.rgb)).
#include <cstdint>
#include <vector>

#include "l3slice/tuning/study.h"

namespace l3 {

struct PlotImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;  // row-major from the top-left, R G B per pixel
};

// The objective of every trial (dots; failed trials as red crosses along the top) and the best
// so far (orange step line) against the trial number.
PlotImage plot_objective_over_trials(const Study& study, int width = 640, int height = 400);

// Heat map of the surrogate's mean objective over the first two parameters (by default r and w,
// axes in the search scale: log1p / log), other parameters held at the best trial's values; the
// trials are marked (white dots, the best as a red cross) and a colour bar gives the scale
// (dark = low objective = better). Throws UsageError without a successful trial or with fewer
// than two parameters.
PlotImage plot_surrogate(const Study& study, int width = 560, int height = 480);

// Where plot_surrogate draws the heat map: unit-cube point (u0, u1) is at pixel
// (left + u0 * (width - 1), top + (1 - u1) * (height - 1)).
struct PlotArea {
  int left = 0, top = 0, width = 0, height = 0;
};
PlotArea surrogate_plot_area(int width, int height);

}  // namespace l3
