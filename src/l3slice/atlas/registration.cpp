#include "l3slice/atlas/registration.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "l3slice/atlas/coarse_scoring.h"
#include "l3slice/core/parallel_for.h"
#include "l3slice/tuning/nlopt_box.h"

namespace l3 {
namespace {

double effective_min_overlap(const BoneProjection& scan, const RegistrationOptions& o) {
  return std::min(o.min_overlap_mm, (scan.rows - 1) * scan.step_mm);
}

// The score that ranks alignments: the NCC, less the coverage penalty (RegistrationOptions::coverage_weight).
double ranking_score(const AtlasMatch& m, const BoneProjection& scan, const BoneProjection& atlas, double coverage_weight) {
  if (coverage_weight <= 0.0) return m.ncc;
  const double coverable = std::min((scan.rows - 1) * scan.step_mm, (atlas.rows - 1) * atlas.step_mm / m.transform.scale_z);
  return coverable > 0 ? m.ncc - coverage_weight * std::max(0.0, 1.0 - m.overlap_mm / coverable) : m.ncc;
}

std::vector<double> geometric_steps(double lo, double hi, int n) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(lo * std::pow(hi / lo, n > 1 ? double(i) / (n - 1) : 0.0));
  return v;
}

}  // namespace

AtlasMatch score_transform(const BoneProjection& scan, const BoneProjection& atlas, const AtlasTransform& t,
                           double window_lo_mm, double window_hi_mm) {
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  long n = 0;
  int rows_covered = 0;
  // Atlas column of each scan column (the same for every row).
  std::vector<double> acol(std::size_t(scan.cols));
  for (int c = 0; c < scan.cols; ++c)
    acol[std::size_t(c)] = (t.scale_x * scan.x_mm(c) + t.shift_x_mm) / atlas.step_mm + atlas.centre_col;
  for (int r = 0; r < scan.rows; ++r) {
    const double az = t.to_atlas_z(scan.z_mm(r));
    if (az < window_lo_mm || az > window_hi_mm) continue;
    const double ar = (az - atlas.z0_mm) / atlas.step_mm;
    if (ar < 0 || ar > atlas.rows - 1) continue;
    const int r0 = std::min(int(ar), atlas.rows - 2 < 0 ? 0 : atlas.rows - 2);
    const double fr = atlas.rows > 1 ? ar - r0 : 0.0;
    const float* a0 = atlas.mm.data() + std::size_t(r0) * atlas.cols;
    const float* a1 = atlas.rows > 1 ? a0 + atlas.cols : a0;
    const float* s = scan.mm.data() + std::size_t(r) * scan.cols;
    const double bend = t.x_offset(az) / atlas.step_mm;
    bool any = false;
    for (int c = 0; c < scan.cols; ++c) {
      const double ac = acol[std::size_t(c)] + bend;
      if (ac < 0 || ac > atlas.cols - 1) continue;
      const int c0 = std::min(int(ac), atlas.cols - 2);
      const double fc = ac - c0;
      const double b = (1 - fr) * ((1 - fc) * a0[c0] + fc * a0[c0 + 1]) + fr * ((1 - fc) * a1[c0] + fc * a1[c0 + 1]);
      const double a = s[c];
      sa += a;
      sb += b;
      saa += a * a;
      sbb += b * b;
      sab += a * b;
      ++n;
      any = true;
    }
    rows_covered += any;
  }
  AtlasMatch m;
  m.transform = t;
  m.overlap_mm = rows_covered * scan.step_mm;
  if (n < 2) return m;
  const double cov = sab - sa * sb / n, va = saa - sa * sa / n, vb = sbb - sb * sb / n;
  m.ncc = (va > 0 && vb > 0) ? cov / std::sqrt(va * vb) : -1.0;
  return m;
}

std::vector<std::vector<AtlasMatch>> register_projection(const BoneProjection& scan, const BoneProjection& atlas,
                                                         double key_z_mm, const RegistrationOptions& o,
                                                         const std::vector<double>& coverage_weights) {
  const double min_overlap = effective_min_overlap(scan, o);
  const BoneProjection coarse_scan = halve(scan), coarse_atlas = halve(atlas);
  const double step = coarse_scan.step_mm;
  const double scan_lo = scan.z_mm(0), scan_hi = scan.z_mm(scan.rows - 1);
  const double atlas_lo = atlas.z_mm(0), atlas_hi = atlas.z_mm(atlas.rows - 1);

  // Coarse: best match per bin of the key height's position in the scan.
  auto key_bin = [&](const AtlasTransform& t) { return long(std::floor(t.to_scan_z(key_z_mm) / o.distinct_mm)); };
  // A straight spine and a curve to either side (refined below).
  const bool bending = o.max_bend_mm > 0.0;
  std::vector<double> coarse_bends{0.0};
  if (bending) coarse_bends = {0.0, -0.6 * o.max_bend_mm, 0.6 * o.max_bend_mm};
  std::vector<AtlasTransform> candidates;
  std::map<std::array<double, 3>, std::vector<std::size_t>> lateral_groups;  // by bend, scale x, shift x
  for (double bend : coarse_bends)
    for (double sz : geometric_steps(o.min_scale, o.max_scale, 9))
      for (double sx : geometric_steps(o.min_scale, o.max_scale, 5))
        for (double tx = -o.max_shift_x_mm; tx <= o.max_shift_x_mm + 1e-9; tx += o.max_shift_x_mm / 3)
          for (double tz = atlas_lo - sz * scan_hi + sz * min_overlap;
               tz <= atlas_hi - sz * scan_lo - sz * min_overlap + 1e-9; tz += step) {
            if (std::abs(std::log(sx / sz)) > std::log(o.max_aspect) + 1e-9) continue;
            AtlasTransform t{sz, tz, sx, tx};
            t.bend_x_mm = bend;
            t.bend_z_mm = key_z_mm;
            lateral_groups[{bend, sx, tx}].push_back(candidates.size());
            candidates.push_back(t);
          }
  std::vector<AtlasMatch> scores(candidates.size());
  std::vector<const std::vector<std::size_t>*> groups;
  for (const auto& [lateral, members] : lateral_groups) groups.push_back(&members);
  const CoarseScorer scorer(coarse_scan, coarse_atlas);
  parallel_for(groups.size(), o.threads, [&](std::size_t g) {
    const CoarseScorer::Resampled resampled = scorer.resample(candidates[groups[g]->front()]);
    for (std::size_t i : *groups[g]) scores[i] = scorer.score(resampled, candidates[i]);
  });
  // Each ranking selects, refines and sorts on its own; the coarse scores are shared.
  auto rank = [&](double coverage_weight) {
    std::map<long, AtlasMatch> best_per_bin;
    for (const AtlasMatch& m : scores) {  // in candidate order: the same answer on any thread count
      if (m.overlap_mm + step < min_overlap) continue;
      auto [it, inserted] = best_per_bin.try_emplace(key_bin(m.transform), m);
      if (!inserted && ranking_score(m, coarse_scan, coarse_atlas, coverage_weight) > ranking_score(it->second, coarse_scan, coarse_atlas, coverage_weight))
        it->second = m;
    }
    std::vector<AtlasMatch> coarse;
    for (auto& [bin, m] : best_per_bin) coarse.push_back(m);
    std::sort(coarse.begin(), coarse.end(), [&](const AtlasMatch& a, const AtlasMatch& b) {
      return ranking_score(a, coarse_scan, coarse_atlas, coverage_weight) > ranking_score(b, coarse_scan, coarse_atlas, coverage_weight);
    });
    if (int(coarse.size()) > o.refine) coarse.resize(std::size_t(o.refine));

    // Fine: BOBYQA on (log scale z, shift z / 10 mm, log scale x, shift x / 10 mm[, tilt / 10 mm,
    // bend / 10 mm]).
    std::vector<AtlasMatch> refined(coarse.size());
    const double ls = std::log(o.min_scale), hs = std::log(o.max_scale);
    parallel_for(coarse.size(), o.threads, [&](std::size_t index) {
      const AtlasTransform& t0 = coarse[index].transform;
      auto to_transform = [&](const std::vector<double>& v) {
        AtlasTransform t{std::exp(v[0]), v[1] * 10.0, std::exp(v[2]), v[3] * 10.0};
        if (bending) {
          t.tilt_x_mm = v[4] * 10.0;
          t.bend_x_mm = v[5] * 10.0;
          t.bend_z_mm = key_z_mm;
        }
        return t;
      };
      const BoxObjective f = [&](const std::vector<double>& v, std::vector<double>*) {
        if (std::abs(v[0] - v[2]) > std::log(o.max_aspect)) return 2.0;
        const AtlasMatch m = score_transform(scan, atlas, to_transform(v));
        return m.overlap_mm + scan.step_mm < min_overlap ? 2.0 : -ranking_score(m, scan, atlas, coverage_weight);
      };
      std::vector<double> x0{std::log(t0.scale_z), t0.shift_z_mm / 10, std::log(t0.scale_x), t0.shift_x_mm / 10};
      std::vector<double> lo{ls, x0[1] - 2.5, ls, -o.max_shift_x_mm / 10};
      std::vector<double> hi{hs, x0[1] + 2.5, hs, o.max_shift_x_mm / 10};
      if (bending)
        for (double start : {t0.tilt_x_mm, t0.bend_x_mm}) {
          x0.push_back(start / 10);
          lo.push_back(-o.max_bend_mm / 10);
          hi.push_back(o.max_bend_mm / 10);
        }
      const BoxOptimum best = minimize_in_box(nlopt::LN_BOBYQA, f, x0, lo, hi, 300, 1e-4);
      AtlasMatch m = score_transform(scan, atlas, to_transform(best.x));
      if (m.overlap_mm + scan.step_mm < min_overlap) m = score_transform(scan, atlas, t0);
      refined[index] = m;
    });
    std::sort(refined.begin(), refined.end(), [&](const AtlasMatch& a, const AtlasMatch& b) {
      return ranking_score(a, scan, atlas, coverage_weight) > ranking_score(b, scan, atlas, coverage_weight);
    });
    std::vector<AtlasMatch> distinct;
    for (const AtlasMatch& m : refined) {
      const double z = m.transform.to_scan_z(key_z_mm);
      const bool near = std::any_of(distinct.begin(), distinct.end(), [&](const AtlasMatch& d) {
        return std::abs(d.transform.to_scan_z(key_z_mm) - z) < o.distinct_mm;
      });
      if (!near) distinct.push_back(m);
    }
    return distinct;
  };
  std::vector<std::vector<AtlasMatch>> rankings;
  for (double w : coverage_weights) rankings.push_back(rank(w));
  return rankings;
}

std::vector<AtlasMatch> register_projection(const BoneProjection& scan, const BoneProjection& atlas, double key_z_mm,
                                            const RegistrationOptions& o) {
  return register_projection(scan, atlas, key_z_mm, o, {o.coverage_weight}).front();
}

}  // namespace l3
