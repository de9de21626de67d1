#pragma once
// Registration of a scan's bone projection to an atlas's: z and x each scaled and shifted (people
// differ in height and width, scans in field of view), scored by normalised cross-correlation over
// the part of the scan that the atlas covers. A coarse exhaustive search on a 2x pyramid level
// keeps every distinct answer (coarse_scoring.h); the best few are refined with NLopt's BOBYQA on the full grid, where
// x may also tilt and bend along z (a scoliotic spine).
#include <algorithm>
#include <vector>

#include "l3slice/atlas/bone_projection.h"

namespace l3 {

// Scan mm -> atlas mm: z_atlas = scale_z * z_scan + shift_z; x_atlas = scale_x * x_scan + shift_x.
struct AtlasTransform {
  double scale_z = 1.0, shift_z_mm = 0.0, scale_x = 1.0, shift_x_mm = 0.0;
  // A scoliotic curve: x_atlas also moves by tilt_x * u + bend_x * (1 - u^2), u = (z_atlas - bend_z) /
  // bend_half_span clamped to [-1, 1] (0 on a straight spine).
  double tilt_x_mm = 0.0, bend_x_mm = 0.0, bend_z_mm = 0.0, bend_half_span_mm = 150.0;
  double x_offset(double z_atlas) const {
    if (tilt_x_mm == 0.0 && bend_x_mm == 0.0) return 0.0;
    const double u = std::clamp((z_atlas - bend_z_mm) / bend_half_span_mm, -1.0, 1.0);
    return tilt_x_mm * u + bend_x_mm * (1.0 - u * u);
  }
  double to_atlas_z(double z_scan) const { return scale_z * z_scan + shift_z_mm; }
  double to_scan_z(double z_atlas) const { return (z_atlas - shift_z_mm) / scale_z; }
};

struct AtlasMatch {
  AtlasTransform transform;
  double ncc = -1.0;          // normalised cross-correlation over the overlap
  double overlap_mm = 0.0;    // length along z of the scan that the atlas covers
};

struct RegistrationOptions {
  double min_scale = 0.83, max_scale = 1.2;  // of z and of x (atlas mm per scan mm): adult spines differ ~10 %
  double max_aspect = 1.2;                   // scale_x / scale_z within [1 / max_aspect, max_aspect]: body proportions
  double max_shift_x_mm = 30.0;
  double min_overlap_mm = 90.0;  // or the whole scan, if shorter
  int refine = 8;                // how many distinct coarse answers are refined
  double distinct_mm = 12.0;     // answers that put the atlas's `key_z_mm` this far apart are distinct
  unsigned threads = 0;          // 0: all hardware threads (the answer does not depend on it)
  double max_bend_mm = 40.0;     // scoliosis: tilt and bend of x along z refined up to this (0: none);
                                 // a 40-degree lumbar curve bows about 33 mm
  // Ranking only (the reported NCC stays the plain one): NCC minus this times the fraction of the
  // scan the atlas could cover but does not, min(scan, atlas length) - overlap. 0: plain NCC, which
  // lets an alignment drop rows that match badly by sliding the atlas's end into the scan.
  double coverage_weight = 0.0;
};

// Matches sorted best first, one per distinct position of the atlas height `key_z_mm` in the scan
// (e.g. the middle of L3), so matches[1] is the best alternative answer.
std::vector<AtlasMatch> register_projection(const BoneProjection& scan, const BoneProjection& atlas, double key_z_mm,
                                            const RegistrationOptions& options = {});
// The same for several rankings at once, one list per coverage weight (options.coverage_weight is
// ignored): the coarse grid, most of the work, is scored once.
std::vector<std::vector<AtlasMatch>> register_projection(const BoneProjection& scan, const BoneProjection& atlas,
                                                         double key_z_mm, const RegistrationOptions& options,
                                                         const std::vector<double>& coverage_weights);

// The score alone (for tests and refinement); with a window, only over scan rows that map to atlas
// heights within [window_lo_mm, window_hi_mm].
AtlasMatch score_transform(const BoneProjection& scan, const BoneProjection& atlas, const AtlasTransform& t,
                           double window_lo_mm = -1e9, double window_hi_mm = 1e9);

}  // namespace l3
