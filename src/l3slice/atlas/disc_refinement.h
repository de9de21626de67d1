#pragma once
// The atlas puts L3 within a few mm; the scan's own discs say where its body is. Along z, the mean
// HU inside the vertebral body's column is high in bone and drops in each disc. The L3 middle is
// moved to halfway between the two disc dips nearest the mapped body's edges, as a radiologist
// picks the slice halfway between the endplates. Only when both dips are clear, and never by more
// than a fraction of the disc spacing, so it cannot move L3 to another vertebra.
#include <optional>
#include <string>
#include <vector>

#include "l3slice/core/image.h"

namespace l3 {

struct DiscRefinementOptions {
  double column_half_width_mm = 10.0; // of the body column, left-right around the spine's x
  // Mean HU of bone: finds the body's front and back at the L3 middle. The osteoporotic threshold
  // is tried first (a body whose cancellous bone is under 90 HU is otherwise missed, and the column
  // falls on the posterior elements, whose gaps lie 10 mm below the discs); where it merges the
  // body with tissue in front into a run too deep for a body, the other.
  double osteoporotic_body_threshold_hu = 70.0;
  double body_threshold_hu = 90.0;
  double min_body_depth_mm = 18.0;    // a vertebral body is 25-40 mm deep; an aorta in front makes it longer
  double max_body_depth_mm = 65.0;
  double min_dip_hu = 25.0;           // a disc must be this much darker than the bone on both sides
  double search_fraction = 0.3;       // each disc is looked for within this fraction of the disc spacing of where it is mapped
  // The two dips must be this many times the mapped disc spacing apart; otherwise one of them is
  // something else. Right answers lay within 0.82-1.12 on 96 phantoms (seeds 3000 and 5000, kept
  // apart from the held-out sets 9000 and 7000 that the README reports).
  double min_spacing_fraction = 0.8, max_spacing_fraction = 1.2;
  double max_shift_fraction = 0.3;    // the middle moves at most this fraction of the disc spacing
  // A mapped disc whose profile, out to the next body's middle, lies inside the scan but dips less
  // than this is not where the atlas maps it: its window is bone (DiscRefinement::Doubts::disc_missing).
  double no_disc_hu = 10.0;
};

// Where the atlas maps the discs below and above L3 (the middles of its gaps L4-L3 and L3-L2) and
// L3's middle, in mm above slice 0's centre.
struct MappedDiscs {
  double lower_mm = 0.0, upper_mm = 0.0, middle_mm = 0.0;
};

struct DiscRefinement {
  bool applied = false;
  std::string reason;               // why not applied, or what was found
  double lower_disc_mm = 0.0;       // disc centres (mm above slice 0's centre), when found
  double upper_disc_mm = 0.0;
  double lower_dip_hu = 0.0, upper_dip_hu = 0.0;
  double middle_mm = 0.0;           // the refined middle (the mapped one when not applied)
  // The scan's discs argue against the atlas's alignment, which may then be half a vertebra off.
  // Only discs whose profile lies wholly inside the scan count. `disc_missing`: one of the two is
  // not there (dip under no_disc_hu), the mapped disc lies in a body. `dips_misspaced`: both dips
  // are clear but not one vertebra apart (spacing_fraction), one of them a body's middle.
  // `discs_too_far`: both dips are clear and one vertebra apart, but they put the middle farther
  // from the atlas's than max_shift_fraction: the alignment, or the dips, are off by that much
  // (phantom 27033: the middle mapped onto a disc, the column fell on the posterior elements, whose
  // gaps lie about 10 mm below the discs, and the answer was 7 slices low).
  struct Doubts {
    bool disc_missing = false;
    bool dips_misspaced = false;
    bool discs_too_far = false;
    bool any() const { return disc_missing || dips_misspaced || discs_too_far; }
  };
  Doubts doubts;
  bool argues_against_alignment() const { return doubts.any(); }
  // Set when the discs were found around this L3 middle (mm) instead of where the atlas maps them
  // (the level finder looks again around the level check's where they argue against the alignment).
  std::optional<double> searched_near_mm;
};

// `spine_x_mm`: the spine's x per slice (mm from voxel column 0's centre), e.g. from the atlas
// registration.
DiscRefinement refine_by_discs(const HuImage& hu, const MappedDiscs& mapped, const std::vector<double>& spine_x_mm,
                               const DiscRefinementOptions& options = {});

}  // namespace l3
