#pragma once
// Which vertebra every slice of a scan is at, and the L3 vertebral body's slices, by registering
// the scan's bone projection to a spine atlas (no training). Says "not in field of view" when the
// scan does not match the atlas or L3 falls outside it, and "uncertain" when two answers that put
// L3 on different slices match almost equally well. An uncertain answer goes to the atlas's
// tie-breakers: if the best-matching one puts L3 where one of the two answers does, that answer is
// taken; otherwise it stays uncertain. Tie-breakers never overrule a clear answer or make one up.
#include <optional>
#include <string>
#include <vector>

#include "l3slice/atlas/disc_refinement.h"
#include "l3slice/atlas/registration.h"
#include "l3slice/atlas/spine_atlas.h"
#include "l3slice/core/slice_run.h"

namespace l3 {

// Names the level finder's rules in every prediction, so that resume never reuses an answer made by
// other rules with the same settings (the program version does not change with them). Changed with
// every change of behaviour that no setting records.
inline constexpr const char* kLevelFinderRules = "l3slice-levels-2026-12-06c";

struct LevelFinderOptions {
  RegistrationOptions registration;
  double min_ncc = 0.6;        // below: no match for the atlas's spine (real abdomen 0.77, head-and-neck 0.50)
  double min_margin = 0.01;    // NCC lead over the best answer with L3 elsewhere; less: uncertain
  double edge_margin_mm = 3.0; // the whole L3 body, and this much beyond, must be inside the scan
  bool refine_by_discs = true; // centre L3 between the scan's own discs (disc_refinement.h)
  // An alignment whose z scale lies this close to the registration's limits was stopped by the
  // limit, not by a fit: "uncertain" (on tuning phantoms 5 of 6 such answers were 6-23 slices off;
  // 0: off).
  double scale_limit_margin = 0.01;
  // Cross-check: a second registration ranked with this coverage weight (RegistrationOptions) must
  // agree with the plain one, or the answer is "uncertain" (0: off). The plain NCC lets the atlas
  // slide until its end hides the rows that match worst; on phantoms without the pelvis it then
  // counted one to three vertebrae low and answered "not in field of view".
  double coverage_check_weight = 0.3;
  DiscRefinementOptions discs;
  // The atlas's level check (level_check.h), if it has one: a found answer whose L3 middle lies
  // farther than the tolerance below the check's becomes "uncertain" (a whole vertebra is 30-40 mm;
  // on the real CT with L3 and its 23 crops the check lay 9-24 mm above the true middle, so the
  // tolerance flags whole-vertebra disagreements only); an uncertain answer is settled when the
  // check lies within registration.distinct_mm of one of its two alignments and not the other, and
  // of that alignment's answer after the disc refinement (a found answer the check disagrees with
  // is settled the same way);
  // "not in field of view" becomes "uncertain" when the check puts L3 inside the scan.
  bool use_level_check = true;
  double level_check_tolerance_mm = 27.0;
  // The tolerance when the check puts L3 below the atlas's answer. The check reads real spines
  // high: on the real CT with L3, its crops and noisier or thicker versions and the tptbox crop (32
  // scans) it lay 1-25 mm above the atlas's right answers and never below. On phantoms the right
  // answers lie within 9 mm of it either way, while on spines with four lumbar vertebrae, which the
  // atlas counts from the pelvis a vertebra high, it lay 11-26 mm below, pulled towards the ribs'
  // count. The registration's distinct-answer distance (12 mm), as for the next tolerance.
  double level_check_tolerance_below_mm = 12.0;
  // The tolerance when the scan's discs next to L3 argue against the alignment (a mapped disc
  // missing, or the dips not one vertebra apart: DiscRefinement::argues_against_alignment): it may
  // be half a vertebra (15-25 mm) off, which the loose tolerance lets through. The registration's
  // distinct-answer distance (12 mm); on 384 phantoms of 3 mm (8 seeds), the 16 such answers within
  // 6 mm of the truth lay 0-10 mm from the check, 18 of the 20 farther off 12-79 mm. Before that
  // test, the discs are looked for again around the check's L3: if two clear dips one vertebra apart
  // lie within registration.distinct_mm of it and half a vertebra of the mapped middle, the answer
  // moves between them (DiscRefinement::searched_near_mm; the atlas keeps the count).
  double level_check_tolerance_discs_against_mm = 12.0;
};

enum class LevelStatus { found, not_in_view, uncertain };

// What the tie-breakers said about an uncertain answer.
struct TieBreak {
  std::string atlas;          // the tie-breaker that matched the scan best
  double ncc = -1.0;
  double l3_middle_mm = 0.0;  // where it puts the L3 middle, mm above slice 0's centre
  std::string verdict;        // "best", "alternative", "neither", or "no match" (NCC below min_ncc)
};
const char* level_status_text(LevelStatus status);  // "L3 found", "L3 not in field of view", "uncertain"

struct LevelFinding {
  LevelStatus status = LevelStatus::not_in_view;
  std::string reason;                  // why not found / uncertain
  std::optional<SliceRun> l3;          // set when found (and, for uncertain, the best guess)
  double l3_middle_mm = 0.0;           // middle of the L3 body, mm above slice 0's centre (mapped, then refined by the discs)
  AtlasMatch best;
  double lumbar_ncc = -1.0;            // the best match's NCC over the atlas's L1..S1 heights only
  std::optional<AtlasMatch> alternative;  // best answer with L3 elsewhere
  double confidence = 0.0;             // 0..1, see level_finder.cpp; at most 0.5 when settled by a tie-breaker
  std::optional<TieBreak> tie_break;   // set when the atlas was uncertain and has tie-breakers
  std::optional<LevelVote> level_check;  // the level check's vote, when the atlas has one
  std::string level_check_verdict;     // "agrees", "disagrees", "chose best", "chose alternative", "sees L3", "neither",
                                       // "no vote", "could not settle"
  std::optional<DiscRefinement> discs; // set when the refinement was tried
  std::vector<std::string> level_per_slice;  // vertebral body at each slice ("" = disc or outside the atlas)
};

LevelFinding find_levels(const HuImage& hu, const SpineAtlas& atlas, const LevelFinderOptions& options = {});

// Which of two answers (their L3 middles, mm) a tie-breaker's L3 middle agrees with: "best",
// "alternative" or "neither" (nearer than `distinct_mm` to one and not the other).
std::string tie_break_verdict(double best_mm, double alternative_mm, double vote_mm, double distinct_mm);

// Slices whose centres lie inside [lo_mm, hi_mm] (mm above slice 0's centre), or nothing.
std::optional<SliceRun> slices_within(double lo_mm, double hi_mm, double slice_mm, int slice_count);

}  // namespace l3
