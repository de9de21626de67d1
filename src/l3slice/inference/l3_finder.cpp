#include "l3slice/inference/l3_finder.h"

#include <chrono>
#include <cstdlib>

#include <fmt/format.h>

#include "l3slice/atlas/level_finder.h"
#include "l3slice/core/error.h"
#include "l3slice/model/classifier.h"
#include "l3slice/model/resnet.h"

namespace l3 {
namespace {

class AtlasFinder : public L3Finder {
 public:
  AtlasFinder(std::filesystem::path path, SpineAtlas atlas) : path_(std::move(path)), atlas_(std::move(atlas)) {}

  Prediction find(const CtScan& ct) override {
    const auto start = std::chrono::steady_clock::now();
    const LevelFinding f = find_levels(ct.hu, atlas_, options_);
    Prediction p;
    const int nz = ct.hu.grid.size[2];
    p.probabilities.p.assign(std::size_t(nz), 0.0f);
    p.probabilities.scored.assign(std::size_t(nz), 1);
    if (f.l3)
      for (int z = f.l3->first; z <= f.l3->last; ++z) p.probabilities.p[std::size_t(z)] = 1.0f;
    p.uncertain = f.status == LevelStatus::uncertain;
    if (f.status == LevelStatus::found) p.run = f.l3;
    p.confidence = f.confidence;
    const auto& t = f.best.transform;
    p.details = {{"status", level_status_text(f.status)},
                 {"reason", f.reason},
                 {"match_ncc", f.best.ncc},
                 {"lumbar_match_ncc", f.lumbar_ncc},
                 {"l3_middle_mm_above_first_slice", f.l3_middle_mm},
                 {"transform", {{"scale_z", t.scale_z}, {"shift_z_mm", t.shift_z_mm}, {"scale_x", t.scale_x},
                                {"shift_x_mm", t.shift_x_mm}, {"tilt_x_mm", t.tilt_x_mm}, {"bend_x_mm", t.bend_x_mm}}}};
    if (f.alternative)
      p.details["alternative"] = {
          {"match_ncc", f.alternative->ncc},
          {"l3_middle_mm_above_first_slice", f.alternative->transform.to_scan_z(atlas_.level("L3")->middle_mm())}};
    if (f.tie_break)
      p.details["tie_break"] = {{"atlas", f.tie_break->atlas},
                                {"match_ncc", f.tie_break->ncc},
                                {"l3_middle_mm_above_first_slice", f.tie_break->l3_middle_mm},
                                {"verdict", f.tie_break->verdict}};
    if (f.level_check)
      p.details["level_check"] = {{"name", atlas_.level_check->name},
                                  {"verdict", f.level_check_verdict},
                                  {"sees_l3", f.level_check->in_view},
                                  {"l3_middle_mm_above_first_slice", f.level_check->any() ? nlohmann::json(f.level_check->l3_middle_mm) : nlohmann::json()},
                                  {"spread_mm", f.level_check->spread_mm},
                                  {"rows_near_l3", f.level_check->rows_near}};
    if (f.discs)
      p.details["disc_refinement"] = {{"applied", f.discs->applied},
                                      {"reason", f.discs->reason},
                                      {"lower_disc_mm_above_first_slice", f.discs->lower_disc_mm},
                                      {"upper_disc_mm_above_first_slice", f.discs->upper_disc_mm},
                                      {"lower_dip_hu", f.discs->lower_dip_hu},
                                      {"upper_dip_hu", f.discs->upper_dip_hu},
                                      {"disc_missing", f.discs->doubts.disc_missing},
                                      {"dips_misspaced", f.discs->doubts.dips_misspaced},
                                      {"discs_too_far", f.discs->doubts.discs_too_far}};
    if (f.discs && f.discs->searched_near_mm)
      p.details["disc_refinement"]["searched_near_mm_above_first_slice"] = *f.discs->searched_near_mm;
    if (f.status == LevelStatus::uncertain && f.l3)
      p.details["best_guess"] = {{"first", f.l3->first}, {"last", f.l3->last}, {"middle", f.l3->middle()}};
    p.details["level_per_slice"] = f.level_per_slice;
    p.inference_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return p;
  }

  nlohmann::json describe() const override {
    nlohmann::json tie_breakers = nlohmann::json::array();
    for (const auto& t : atlas_.tie_breakers)
      tie_breakers.push_back({{"atlas", t.name}, {"crc32", fmt::format("{:08x}", t.crc32)}, {"provenance", t.provenance}});
    nlohmann::json level_check;  // null when the atlas has none
    if (atlas_.level_check)
      level_check = {{"name", atlas_.level_check->name},
                     {"crc32", fmt::format("{:08x}", atlas_.level_check->crc32)},
                     {"provenance", atlas_.level_check->provenance},
                     {"training", atlas_.level_check->settings},
                     {"used", options_.use_level_check},
                     {"tolerance_mm", options_.level_check_tolerance_mm},
                     {"tolerance_below_mm", options_.level_check_tolerance_below_mm},
                     {"tolerance_where_the_discs_argue_against_mm", options_.level_check_tolerance_discs_against_mm}};
    return {{"method", "spine-atlas"},
            {"rules", kLevelFinderRules},
            {"path", path_.string()},
            {"atlas", atlas_.name},
            {"crc32", fmt::format("{:08x}", atlas_.crc32)},
            {"provenance", atlas_.provenance},
            {"tie_breakers", tie_breakers},
            {"level_check", level_check},
            {"truth_definition", "vertebral body (anterior 35 % of the whole-vertebra label)"},
            {"settings",
             {{"bone_threshold_hu", atlas_.projection_options.threshold_hu},
              {"step_mm", atlas_.projection.step_mm},
              {"min_ncc", options_.min_ncc},
              {"min_margin", options_.min_margin},
              {"edge_margin_mm", options_.edge_margin_mm},
              {"scale_range", {options_.registration.min_scale, options_.registration.max_scale}},
              {"max_aspect", options_.registration.max_aspect},
              {"max_bend_mm", options_.registration.max_bend_mm},
              {"refine_by_discs", options_.refine_by_discs},
              {"scale_limit_margin", options_.scale_limit_margin},
              {"coverage_check_weight", options_.coverage_check_weight},
              {"disc_refinement",
               {{"column_half_width_mm", options_.discs.column_half_width_mm},
                {"body_threshold_hu", {options_.discs.osteoporotic_body_threshold_hu, options_.discs.body_threshold_hu}},
                {"body_depth_mm", {options_.discs.min_body_depth_mm, options_.discs.max_body_depth_mm}},
                {"min_dip_hu", options_.discs.min_dip_hu},
                {"search_fraction", options_.discs.search_fraction},
                {"spacing_fraction", {options_.discs.min_spacing_fraction, options_.discs.max_spacing_fraction}},
                {"max_shift_fraction", options_.discs.max_shift_fraction},
                {"no_disc_hu", options_.discs.no_disc_hu}}}}}};
  }

 private:
  std::filesystem::path path_;
  SpineAtlas atlas_;
  LevelFinderOptions options_;
};

class ClassifierFinder : public L3Finder {
 public:
  ClassifierFinder(std::filesystem::path path, LoadedModel model, PredictOptions options)
      : path_(std::move(path)), info_(model.info), classifier_(model), options_(options) {}

  Prediction find(const CtScan& ct) override { return predict_l3(ct, classifier_, options_); }

  nlohmann::json describe() const override {
    const RunLengthLimits limits = run_length_limits(info_, options_);
    return {{"method", "slice-classifier"},
            {"path", path_.string()},
            {"architecture", architecture_name(info_.arch)},
            {"input_size", info_.input_size},
            {"channels", info_.channels},
            {"truth_definition", info_.truth_definition},
            {"program_version", info_.program_version},
            {"mode", options_.schedule.exhaustive ? "exhaustive" : "coarse-to-fine"},
            {"run_length_limits_mm", {{"min", limits.min_mm}, {"max", limits.max_mm}}}};
  }

 private:
  std::filesystem::path path_;
  ModelInfo info_;
  SliceClassifier classifier_;
  PredictOptions options_;
};

}  // namespace

std::unique_ptr<L3Finder> open_l3_finder(const std::filesystem::path& path, const PredictOptions& options) {
  if (is_spine_atlas_file(path)) return std::make_unique<AtlasFinder>(path, load_spine_atlas(path));
  return std::make_unique<ClassifierFinder>(path, load_model(path), options);
}

std::filesystem::path default_model_path() {
  if (const char* env = std::getenv("L3SLICE_DEFAULT_MODEL"); env && *env) return env;
  return L3SLICE_DEFAULT_MODEL;
}

}  // namespace l3
