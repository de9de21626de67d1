#include "l3slice/atlas/level_finder.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

namespace l3 {

const char* level_status_text(LevelStatus s) {
  switch (s) {
    case LevelStatus::found: return "L3 found";
    case LevelStatus::not_in_view: return "L3 not in field of view";
    case LevelStatus::uncertain: return "uncertain";
  }
  return "";
}

std::optional<SliceRun> slices_within(double lo_mm, double hi_mm, double slice_mm, int slice_count) {
  const int first = std::max(0, int(std::ceil(lo_mm / slice_mm - 1e-9)));
  const int last = std::min(slice_count - 1, int(std::floor(hi_mm / slice_mm + 1e-9)));
  if (last < first) return std::nullopt;
  return SliceRun{first, last};
}

std::string tie_break_verdict(double best_mm, double alternative_mm, double vote_mm, double distinct_mm) {
  const bool near_best = std::abs(vote_mm - best_mm) < distinct_mm;
  const bool near_alternative = std::abs(vote_mm - alternative_mm) < distinct_mm;
  if (near_best && !near_alternative) return "best";
  if (near_alternative && !near_best) return "alternative";
  return "neither";
}

namespace {

// The spine's x at every slice (mm from voxel column 0's centre): the atlas's midline mapped back.
std::vector<double> spine_x_per_slice(const BoneProjection& scan, const Grid& grid, const AtlasTransform& t) {
  std::vector<double> x(std::size_t(grid.size[2]));
  for (int z = 0; z < grid.size[2]; ++z)
    x[std::size_t(z)] = scan.midline_x_mm - (t.shift_x_mm + t.x_offset(t.to_atlas_z(z * grid.spacing[2]))) / t.scale_x;
  return x;
}

// The slices of the L3 body [lo_mm, hi_mm]: an odd run centred on the slice nearest its middle, so
// that the run's middle slice is that slice (an even run's middle() rounds down, half a slice low).
std::optional<SliceRun> l3_run(double lo_mm, double hi_mm, double dz, int nz) {
  const auto run = slices_within(lo_mm, hi_mm, dz, nz);
  if (!run) return std::nullopt;
  const int centre = std::clamp(int(std::lround((lo_mm + hi_mm) / 2 / dz)), 0, nz - 1), half = run->length() / 2;
  return SliceRun{std::max(0, centre - half), std::min(nz - 1, centre + half)};
}

// The finding for one alignment (`best`) of the atlas, with `alternative` the best one that puts L3
// elsewhere. `settled`: a tie-breaker chose `best`, so a small margin does not make it uncertain.
// `discs_near_mm`: where the discs argue against the alignment, they are looked for again around
// this L3 middle (the level check's), and the answer moves between them if they are clear, one
// vertebra apart, within distinct_mm of it and at most half a vertebra from the mapped middle: the
// atlas keeps the count, the discs and the check decide which half of the vertebra it is.
LevelFinding finding_for(const HuImage& hu, const BoneProjection& scan, const SpineAtlas& atlas, const AtlasMatch& best,
                         const std::optional<AtlasMatch>& alternative, bool settled, const LevelFinderOptions& o,
                         std::optional<double> discs_near_mm = std::nullopt) {
  const Grid& grid = hu.grid;
  LevelFinding f;
  const double dz = grid.spacing[2];
  const int nz = grid.size[2];
  f.level_per_slice.assign(std::size_t(nz), "");
  f.best = best;
  f.alternative = alternative;
  const LevelExtent& l3 = *atlas.level("L3");
  const AtlasTransform& t = f.best.transform;
  for (const auto& b : atlas.bodies)
    if (auto run = slices_within(t.to_scan_z(b.lo_mm), t.to_scan_z(b.hi_mm), dz, nz))
      for (int z = run->first; z <= run->last; ++z) f.level_per_slice[std::size_t(z)] = b.name;

  double lo = t.to_scan_z(l3.lo_mm), hi = t.to_scan_z(l3.hi_mm);
  {
    const LevelExtent* top = atlas.level("L1");
    const LevelExtent* bottom = atlas.level("S1");
    f.lumbar_ncc = score_transform(scan, atlas.projection, t, bottom ? bottom->lo_mm : l3.lo_mm - 80,
                                   top ? top->hi_mm : l3.hi_mm + 80).ncc;
  }
  f.l3_middle_mm = (lo + hi) / 2;
  const double scan_top = (nz - 1) * dz;
  const double margin = f.alternative ? f.best.ncc - f.alternative->ncc : 1.0;
  // Confidence: how well the bone matches the atlas, times how clearly it beats the alternative; a
  // tie-breaker's choice counts as half clear.
  const double match = std::clamp((f.best.ncc - o.min_ncc) / 0.25, 0.0, 1.0);
  f.confidence = match * (settled ? 0.5 : std::clamp(margin / 0.05, 0.0, 1.0));

  if (f.best.ncc < o.min_ncc) {
    f.reason = fmt::format("bone does not match the atlas's lumbar spine (NCC {:.2f} < {:.2f})", f.best.ncc, o.min_ncc);
    f.confidence = std::clamp((o.min_ncc - f.best.ncc) / 0.25, 0.0, 1.0);
    return f;
  }
  if (o.refine_by_discs) {
    const LevelExtent* below = atlas.level("L4");
    const LevelExtent* above = atlas.level("L2");
    const MappedDiscs mapped{below ? t.to_scan_z((below->hi_mm + l3.lo_mm) / 2) : lo,
                             above ? t.to_scan_z((l3.hi_mm + above->lo_mm) / 2) : hi, f.l3_middle_mm};
    const std::vector<double> spine_x = spine_x_per_slice(scan, grid, t);
    f.discs = refine_by_discs(hu, mapped, spine_x, o.discs);
    if (discs_near_mm && f.discs->argues_against_alignment()) {
      const double d = *discs_near_mm - mapped.middle_mm;
      DiscRefinement again = refine_by_discs(hu, {mapped.lower_mm + d, mapped.upper_mm + d, *discs_near_mm}, spine_x, o.discs);
      if (again.applied && std::abs(again.middle_mm - mapped.middle_mm) <= (mapped.upper_mm - mapped.lower_mm) / 2 &&
          std::abs(again.middle_mm - *discs_near_mm) < o.registration.distinct_mm) {
        again.reason = fmt::format("looked for around the level check's L3 middle ({:.0f} mm): {} from there",
                                   *discs_near_mm, again.reason);
        again.doubts = f.discs->doubts;  // where the atlas maps them, the discs still argue against it
        again.searched_near_mm = discs_near_mm;
        f.discs = again;
      }
    }
    const double shift = f.discs->middle_mm - f.l3_middle_mm;
    lo += shift, hi += shift;
    f.l3_middle_mm = f.discs->middle_mm;
  }
  // The level map's L3 is the L3 run that is reported.
  const auto run = l3_run(lo, hi, dz, nz);
  for (auto& level : f.level_per_slice)
    if (level == "L3") level.clear();
  if (run)
    for (int z = run->first; z <= run->last; ++z) f.level_per_slice[std::size_t(z)] = "L3";
  const bool inside = lo - o.edge_margin_mm >= -dz / 2 && hi + o.edge_margin_mm <= scan_top + dz / 2;
  if (!inside) {
    f.reason = fmt::format("the L3 body maps to {:.0f}..{:.0f} mm, outside the scan (0..{:.0f} mm)", lo, hi, scan_top);
    f.confidence = match;
    return f;
  }
  f.l3 = run;
  if (!f.l3) {
    f.reason = "the L3 body falls between slices";
    return f;
  }
  if (!settled && margin < o.min_margin) {
    f.status = LevelStatus::uncertain;
    f.reason = fmt::format("another alignment puts the L3 middle at {:.0f} mm with almost the same match (NCC {:.3f} vs {:.3f})",
                           f.alternative->transform.to_scan_z(l3.middle_mm()), f.alternative->ncc, f.best.ncc);
    return f;
  }
  const RegistrationOptions& r = o.registration;
  if (o.scale_limit_margin > 0 &&
      (t.scale_z >= r.max_scale - o.scale_limit_margin || t.scale_z <= r.min_scale + o.scale_limit_margin)) {
    f.status = LevelStatus::uncertain;
    f.reason = fmt::format("the best alignment scales the atlas to the limit of its height range (z scale {:.3f}, allowed "
                           "{:.2f}-{:.2f}): the limit stopped it, not a fit",
                           t.scale_z, r.min_scale, r.max_scale);
    return f;
  }
  f.status = LevelStatus::found;
  if (f.discs)
    f.reason = f.discs->applied ? "centred between its discs: " + f.discs->reason
                                : "as the atlas maps it (" + f.discs->reason + ")";
  return f;
}

// The tie-breaker that matches the scan best, and where it puts L3.
TieBreak ask_tie_breakers(const HuImage& hu, const BoneProjection& scan, const SpineAtlas& atlas,
                          const LevelFinderOptions& o) {
  TieBreak vote;
  RegistrationOptions registration = o.registration;
  registration.refine = 3;  // a vote needs only the tie-breaker's best alignment
  for (const SpineAtlas& t : atlas.tie_breakers) {
    const bool same = t.projection_options == atlas.projection_options;
    const BoneProjection own = same ? BoneProjection{} : coronal_bone_projection(hu, t.projection_options);
    const double l3_mm = t.level("L3")->middle_mm();
    const auto matches = register_projection(same ? scan : own, t.projection, l3_mm, registration);
    if (matches.empty() || matches[0].ncc <= vote.ncc) continue;
    vote = {t.name, matches[0].ncc, matches[0].transform.to_scan_z(l3_mm), ""};
  }
  return vote;
}

// Whether the L3 body of a finding (around its middle, refined by the discs) would still lie inside
// the scan if its alignment slipped one vertebra towards either end (by the atlas's L3-L4 or L2-L3
// spacing, as mapped). Tuned on the phantoms of seeds 3000 and 5000: the covering alignments that
// overruled "not in field of view" and failed this were one to three vertebrae off; those that
// passed, right.
bool survives_a_slip(const LevelFinding& f, const SpineAtlas& atlas, const Grid& grid) {
  const LevelExtent *l2 = atlas.level("L2"), *l3 = atlas.level("L3"), *l4 = atlas.level("L4");
  if (!l2 || !l3 || !l4) return false;
  const AtlasTransform& t = f.best.transform;
  const double half = std::abs(t.to_scan_z(l3->hi_mm) - t.to_scan_z(l3->lo_mm)) / 2;
  const double below = std::abs(t.to_scan_z(l3->middle_mm()) - t.to_scan_z(l4->middle_mm()));
  const double above = std::abs(t.to_scan_z(l2->middle_mm()) - t.to_scan_z(l3->middle_mm()));
  const double dz = grid.spacing[2], top = (grid.size[2] - 1) * dz;
  return f.l3_middle_mm - half - below >= -dz / 2 && f.l3_middle_mm + half + above <= top + dz / 2;
}

// The coverage cross-check (LevelFinderOptions::coverage_check_weight): a found or not-in-view
// answer becomes "uncertain" when the alignment that must cover the scan tells another story.
bool check_coverage(const HuImage& hu, const BoneProjection& scan, const SpineAtlas& atlas,
                    const std::vector<AtlasMatch>& covering, const LevelFinderOptions& o, LevelFinding& f) {
  if (covering.empty() || f.best.ncc < o.min_ncc) return false;
  const AtlasMatch& best = f.best;
  const double l3_mm = atlas.level("L3")->middle_mm();
  const double best_mm = best.transform.to_scan_z(l3_mm), covering_mm = covering[0].transform.to_scan_z(l3_mm);
  if (std::abs(best_mm - covering_mm) < o.registration.distinct_mm) return false;
  const LevelFinding other = finding_for(hu, scan, atlas, covering[0], std::nullopt, false, o);
  if (other.status == LevelStatus::not_in_view && f.status == LevelStatus::not_in_view) return false;  // both: L3 is not here
  const double scan_mm = (hu.grid.size[2] - 1) * hu.grid.spacing[2];
  f.reason = fmt::format("{}; but the alignment that covers the scan best ({:.0f} of {:.0f} mm, against {:.0f}) puts the L3 "
                         "middle at {:.0f} mm ({}, NCC {:.3f} vs {:.3f})",
                         f.reason.empty() ? level_status_text(f.status) : f.reason, covering[0].overlap_mm, scan_mm,
                         best.overlap_mm, covering_mm, level_status_text(other.status), covering[0].ncc, best.ncc);
  f.status = LevelStatus::uncertain;
  f.alternative = covering[0];
  f.confidence = std::min(f.confidence, 0.25);
  return true;
}

// Two alignments of the real atlas, the first the one `f` (uncertain) was made from, and the tie-
// breakers' vote between them: the chosen one's finding (confidence at most 0.5), or `f` with the vote.
LevelFinding settle(const HuImage& hu, const BoneProjection& scan, const SpineAtlas& atlas,
                    const std::array<AtlasMatch, 2>& pair, const std::array<const char*, 2>& names,
                    const std::array<const char*, 2>& descriptions, const LevelFinderOptions& o, LevelFinding f) {
  TieBreak vote = ask_tie_breakers(hu, scan, atlas, o);
  // The vote is compared with the two alignments as mapped (before the discs refine either).
  const double l3_mm = atlas.level("L3")->middle_mm();
  vote.verdict = vote.ncc < o.min_ncc ? "no match"
                                      : tie_break_verdict(pair[0].transform.to_scan_z(l3_mm), pair[1].transform.to_scan_z(l3_mm),
                                                          vote.l3_middle_mm, o.registration.distinct_mm);
  if (vote.verdict == "best" || vote.verdict == "alternative") {
    const int chosen = vote.verdict == "best" ? 0 : 1;
    LevelFinding settled = finding_for(hu, scan, atlas, pair[std::size_t(chosen)], pair[std::size_t(1 - chosen)], true, o);
    if (settled.status != LevelStatus::found)
      settled.reason += fmt::format("; the {} alignment, chosen by tie-breaker {} (NCC {:.3f})", names[std::size_t(chosen)],
                                    vote.atlas, vote.ncc);
    else
      settled.reason = fmt::format("{} (NCC {:.3f} vs {:.3f}), settled by tie-breaker {} (NCC {:.3f}, L3 middle at {:.0f} mm){}",
                                   descriptions[std::size_t(chosen)], settled.best.ncc, settled.alternative->ncc, vote.atlas,
                                   vote.ncc, vote.l3_middle_mm, settled.discs ? "; " + settled.reason : "");
    settled.tie_break = vote;
    return settled;
  }
  if (vote.atlas.empty())
    f.reason += "; no tie-breaker overlaps the scan";
  else
    f.reason += fmt::format("; tie-breaker {} (NCC {:.3f}) puts it at {:.0f} mm, {}", vote.atlas, vote.ncc, vote.l3_middle_mm,
                            vote.verdict == "no match" ? "but matches too poorly to count" : "agreeing with neither");
  f.tie_break = vote;
  return f;
}

LevelFinding atlas_finding(const HuImage& hu, const BoneProjection& scan, const SpineAtlas& atlas, const LevelFinderOptions& o) {
  const double l3_mm = atlas.level("L3")->middle_mm();
  std::vector<double> rankings{o.registration.coverage_weight};
  if (o.coverage_check_weight > 0.0) rankings.push_back(o.coverage_check_weight);
  const auto ranked = register_projection(scan, atlas.projection, l3_mm, o.registration, rankings);
  const std::vector<AtlasMatch>& matches = ranked.front();
  if (matches.empty()) {
    LevelFinding f;
    f.level_per_slice.assign(std::size_t(hu.grid.size[2]), "");
    f.reason = "the scan is too short to compare with the atlas";
    return f;
  }
  std::optional<AtlasMatch> alternative;
  if (matches.size() > 1) alternative = matches[1];
  LevelFinding f = finding_for(hu, scan, atlas, matches[0], alternative, false, o);
  if (f.status != LevelStatus::uncertain) {
    const bool was_in_view = f.status == LevelStatus::found;
    if (ranked.size() < 2 || !check_coverage(hu, scan, atlas, ranked[1], o, f) || atlas.tie_breakers.empty()) return f;
    LevelFinding settled = settle(hu, scan, atlas, {matches[0], ranked[1][0]}, {"best", "covering"},
                                  {"the best alignment", "the alignment that covers the scan"}, o, f);
    // A tie-breaker may turn "not in field of view" into "found" only if the covering alignment (the
    // settled finding's) would keep L3 in view after slipping a vertebra either way; otherwise it
    // stays "uncertain".
    if (!was_in_view && settled.status == LevelStatus::found && settled.tie_break &&
        settled.tie_break->verdict == "alternative" && !survives_a_slip(settled, atlas, hu.grid)) {
      f.reason += fmt::format("; tie-breaker {} chose the covering alignment, but it puts L3 within a vertebra of the "
                              "scan's end, too near to overrule the best one",
                              settled.tie_break->atlas);
      f.tie_break = settled.tie_break;
      return f;
    }
    return settled;
  }
  if (atlas.tie_breakers.empty() || !alternative) return f;
  return settle(hu, scan, atlas, {matches[0], *alternative}, {"best", "runner-up"},
                {"the best of two almost equal alignments", "the runner-up of two almost equal alignments"}, o,
                std::move(f));
}

// The level check's second opinion on the atlas's finding (LevelFinderOptions::use_level_check).
// `scan` is the atlas's projection of the scan, `for_check` the check's (the default options).
LevelFinding apply_level_check(const HuImage& hu, const BoneProjection& scan, const BoneProjection& for_check,
                               const SpineAtlas& atlas, const LevelFinderOptions& o, LevelFinding f) {
  const double dz = hu.grid.spacing[2], scan_mm = (hu.grid.size[2] - 1) * dz, tolerance = o.level_check_tolerance_mm;
  const LevelVote v = level_check_vote(*atlas.level_check, for_check, scan_mm);
  const std::string& name = atlas.level_check->name;
  const std::string where = v.any() ? fmt::format("{:.0f} mm{}", v.l3_middle_mm, v.in_view ? "" : ", outside the scan")
                                  : "nowhere in the scan";
  f.level_check = v;
  // The check's verdict on a found or not-in-view answer: kept ("agrees"), or made uncertain.
  auto verdict_on = [&](bool agrees, const char* verdict, const std::string& why) {
    f.level_check_verdict = agrees ? "agrees" : verdict;
    if (!agrees) {
      f.status = LevelStatus::uncertain;
      f.confidence = std::min(f.confidence, 0.25);
      f.reason = fmt::format("{}; but level check {} puts the L3 middle at {}{}", f.reason, name, where, why);
    }
  };
  const double l3_mm = atlas.level("L3")->middle_mm();
  // The check chooses between an uncertain answer's two alignments: the chosen one's finding, if
  // the answer, after the discs refine it, still lies where the check puts L3, the scan's discs do
  // not argue against it (unless found again around the check's L3), and a one-vertebra slip would
  // keep L3 in view (survives_a_slip).
  auto settle_by_check = [&](const std::string& verdict) -> std::optional<LevelFinding> {
    if (verdict != "best" && verdict != "alternative") return std::nullopt;
    const bool best = verdict == "best";
    LevelFinding settled = finding_for(hu, scan, atlas, best ? f.best : *f.alternative,
                                       best ? f.alternative : std::optional<AtlasMatch>(f.best), true, o, v.l3_middle_mm);
    // Unlike the found answer's test below, discs found again around the check's L3 do not count against it.
    const bool discs_still_against =
        settled.discs && settled.discs->argues_against_alignment() && !settled.discs->searched_near_mm;
    if (settled.status != LevelStatus::found || discs_still_against || !survives_a_slip(settled, atlas, hu.grid) ||
        std::abs(v.l3_middle_mm - settled.l3_middle_mm) >= o.registration.distinct_mm)
      return std::nullopt;
    settled.tie_break = f.tie_break;
    settled.level_check = v;
    settled.level_check_verdict = "chose " + verdict;
    settled.confidence = std::min(settled.confidence, 0.5);
    settled.reason = fmt::format("{}; settled by level check {} (L3 middle at {})", f.reason, name, where);
    return settled;
  };
  auto vote_between_alignments = [&] {
    return !v.any() || !f.alternative ? std::string("no vote")
                                      : tie_break_verdict(f.best.transform.to_scan_z(l3_mm), f.alternative->transform.to_scan_z(l3_mm),
                                                          v.l3_middle_mm, o.registration.distinct_mm);
  };
  if (f.status == LevelStatus::found && v.any() && f.discs && f.discs->argues_against_alignment()) {
    // The discs looked for again around the check's L3 (finding_for's discs_near_mm).
    LevelFinding again = finding_for(hu, scan, atlas, f.best, f.alternative, true, o, v.l3_middle_mm);
    if (again.status == LevelStatus::found && again.discs && again.discs->searched_near_mm) {
      again.tie_break = f.tie_break;
      again.level_check = v;
      again.confidence = std::min(f.confidence, 0.5);
      again.reason = fmt::format("{}; then {}", f.reason, again.reason);
      f = std::move(again);
    }
  }
  if (f.status == LevelStatus::found) {
    // The check reads real spines high, so below the atlas's answer it must agree within a tighter
    // tolerance than above it. Where the scan's discs argue against the alignment, which may then be
    // half a vertebra off, the tight tolerance holds on both sides.
    const bool discs_against = f.discs && f.discs->argues_against_alignment();
    const double above = discs_against ? o.level_check_tolerance_discs_against_mm : tolerance;
    const double below = discs_against ? std::min(o.level_check_tolerance_discs_against_mm, o.level_check_tolerance_below_mm)
                                       : o.level_check_tolerance_below_mm;
    const double offset = v.l3_middle_mm - f.l3_middle_mm;
    const bool agrees = v.any() && offset <= above && offset >= -below;
    verdict_on(agrees, "disagrees",
               fmt::format(" (the atlas: {:.0f} mm{})", f.l3_middle_mm,
                           discs_against                 ? ", where the discs argue against it"
                           : v.any() && offset < -below ? fmt::format(", more than {:.0f} mm above it", below)
                                                        : std::string()));
    if (agrees) return f;
    // Uncertain now; the check may still choose the atlas's other alignment, as for any uncertain answer.
    if (auto settled = settle_by_check(vote_between_alignments())) return *settled;
    return f;
  }
  if (f.status == LevelStatus::not_in_view) {  // with no spine like the atlas's, the check alone does not count
    verdict_on(!v.in_view || f.best.ncc < o.min_ncc, "sees L3", ", inside the scan");
    return f;
  }
  // Uncertain: the check chooses between the atlas's two alignments.
  const std::string verdict = vote_between_alignments();
  if (auto settled = settle_by_check(verdict)) return *settled;
  f.level_check_verdict = verdict == "neither" || verdict == "no vote" ? verdict : "could not settle";
  f.reason += fmt::format("; level check {} puts the L3 middle at {}", name, where);
  return f;
}

}  // namespace

LevelFinding find_levels(const HuImage& hu, const SpineAtlas& atlas, const LevelFinderOptions& o) {
  const BoneProjection scan = coronal_bone_projection(hu, atlas.projection_options);
  LevelFinding f = atlas_finding(hu, scan, atlas, o);
  if (!o.use_level_check || !atlas.level_check) return f;
  // The check was trained on projections with the default options (200 HU, 3 mm, +-170 mm).
  const bool same = atlas.projection_options == BoneProjectionOptions{};
  const BoneProjection own = same ? BoneProjection{} : coronal_bone_projection(hu);
  return apply_level_check(hu, scan, same ? scan : own, atlas, o, std::move(f));
}

}  // namespace l3
