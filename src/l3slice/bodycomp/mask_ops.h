#pragma once
// Binary morphology (through ITK) and connected components on one axial slice. A slice is an
// l3::Image with size[2] == 1; radii are in mm and become per-axis pixel radii from the slice's
// own spacing, so anisotropic pixels get elliptical (physically round) structuring elements.
#include <cstdint>

#include "l3slice/core/image.h"

namespace l3::bodycomp {

using SliceMask = MaskImage;  // 0/1, size[2] == 1

SliceMask erode(const SliceMask& mask, double radius_mm);
SliceMask dilate(const SliceMask& mask, double radius_mm);
SliceMask open(const SliceMask& mask, double radius_mm);
SliceMask close(const SliceMask& mask, double radius_mm);
SliceMask fill_holes(const SliceMask& mask);

// Connected components (8-connected), labelled 1..n by decreasing size; 0 = background.
LabelImage components(const SliceMask& mask);
// The largest 8-connected component (empty mask if there is none).
SliceMask largest_component(const SliceMask& mask);
// Splits touching objects at their necks: the cores left by an erosion of radius_mm are labelled
// and regrown within the mask by up to radius_mm plus a pixel, each pixel going to the nearest
// core; pieces thinner than the erosion, which no core reaches, keep labels of their own.
// Labels 1..n, 0 = background.
LabelImage split_at_necks(const SliceMask& mask, double radius_mm);

// Pixel-wise helpers.
SliceMask mask_and(const SliceMask& a, const SliceMask& b);
SliceMask mask_or(const SliceMask& a, const SliceMask& b);
SliceMask mask_and_not(const SliceMask& a, const SliceMask& b);
long count(const SliceMask& mask);

}  // namespace l3::bodycomp
