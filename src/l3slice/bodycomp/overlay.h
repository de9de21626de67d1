#pragma once
// A picture of the segmented slice for checking at a glance: the CT in a soft-tissue window with
// each measured tissue tinted (muscle red, SAT yellow, VAT green, IMAT cyan, bone/canal blue-grey),
// in radiological view (anterior up, patient's right on the left of the picture), with square
// pixels and enlarged so coarse scans are still readable.
#include <filesystem>

#include "l3slice/bodycomp/body_composition.h"
#include "l3slice/io/png_io.h"

namespace l3 {

struct OverlayOptions {
  double window_low = -160, window_high = 240;  // soft-tissue window (HU)
  double opacity = 0.45;
  int min_width = 512;                          // enlarge (nearest neighbour) to at least this width
};

PngImage body_composition_overlay(const HuImage& slice, const MaskImage& labels, const OverlayOptions& options = {});
void write_body_composition_png(const std::filesystem::path& path, const SliceMeasurement& measurement,
                                const OverlayOptions& options = {});

}  // namespace l3
