#include "l3slice/tuning_run/trial_training.h"

#include <cmath>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

#include "l3slice/core/error.h"
#include "l3slice/training/patient_split.h"
#include "l3slice/training/slice_dataset.h"
#include "l3slice/training/trainer.h"

namespace l3 {

struct TrialTrainer::Impl {
  std::filesystem::path manifest;
  TrialTrainingSettings settings;
  SliceDataset data;
  std::vector<PatientSplit> splits;  // one, or one per fold

  Impl(std::filesystem::path m, const TrialTrainingSettings& s, SliceDataset d)
      : manifest(std::move(m)), settings(s), data(std::move(d)) {}

  TrainOptions options(const TrialTrainingParams& p, const std::filesystem::path& model) const {
    TrainOptions o;
    o.depth = settings.depth;
    o.epochs = p.epochs;
    o.batch = settings.batch;
    o.lr = p.lr;
    o.weight_decay = settings.weight_decay;
    o.oversample = p.oversample;
    o.class_weight = p.class_weight;
    o.seed = settings.seed;
    o.threads = settings.threads;
    o.out = model;
    o.truth_definition = data.truth_definition();  // the label value(s) actually used
    o.log = settings.log;
    return o;
  }

  // One training; resumes an interrupted one from its checkpoint when the checkpoint fits.
  TrainResult train_one(const PatientSplit& split, TrainOptions o) const {
    const auto ckpt = checkpoint_path(o.out);
    o.resume = std::filesystem::exists(ckpt);
    try {
      try {
        return train(data, split, o);
      } catch (const InputError& e) {
        if (!o.resume || e.path() != ckpt) throw;
        // A checkpoint of other settings (e.g. left by an older study): start this training afresh.
        if (o.log) fmt::print(o.log, "ignoring {}: {}\n", ckpt.string(), e.problem());
        std::error_code ec;
        std::filesystem::remove(ckpt, ec);
        o.resume = false;
        return train(data, split, o);
      }
    } catch (const UsageError& e) {
      // Divergence belongs to these parameters (e.g. a large class weight or learning rate): the trial
      // fails and the study goes on. Other usage errors are the same for every trial and stop the study.
      const std::string what = e.what();
      if (what.rfind("training diverged", 0) == 0) throw std::runtime_error(what);
      throw;
    }
  }
};

namespace {

bool has_l3(const SliceDataset& data, const std::vector<int>& cases) {
  for (int c : cases)
    if (data.cases()[std::size_t(c)].truth) return true;
  return false;
}

std::filesystem::path fold_model(const std::filesystem::path& model, int fold) {
  return model.parent_path() / fmt::format("{}_fold{}{}", model.stem().string(), fold + 1, model.extension().string());
}

}  // namespace

TrialTrainer::TrialTrainer(const std::filesystem::path& manifest, const TrialTrainingSettings& s) {
  check_model_input_options(s.input);
  if (s.folds == 1 || s.folds < 0) throw UsageError("--folds must be at least 2");
  if (s.folds == 0 && !(s.val_fraction > 0 && s.val_fraction < 1))
    throw UsageError("--val-fraction must be in (0, 1): the objective needs validation patients");
  const auto entries = read_manifest(manifest);
  if (s.folds > int(entries.size()))
    throw UsageError(fmt::format("--folds {} is more than the {} cases of {}", s.folds, entries.size(), manifest.string()));
  SliceDataset data = load_dataset(entries, s.input, s.log, manifest);
  impl_ = std::make_unique<Impl>(manifest, s, std::move(data));
  const auto ids = impl_->data.patient_ids();  // splits group scans of one patient
  if (s.folds > 0) {
    for (int f = 0; f < s.folds; ++f) impl_->splits.push_back(split_k_fold(ids, f, s.folds, s.seed));
  } else {
    impl_->splits.push_back(split_by_fraction(ids, s.val_fraction, s.seed));
  }
  for (std::size_t f = 0; f < impl_->splits.size(); ++f) {
    const PatientSplit& split = impl_->splits[f];
    if (split.train.empty()) throw UsageError("no training patients left after the split");
    if (!has_l3(impl_->data, split.validation)) {
      throw InputError(manifest, s.folds > 0 ? fmt::format("no validation patient of fold {} has L3 labelled; the "
                                                           "objective needs some (use fewer folds or more cases)", f + 1)
                                             : std::string("no validation patient has L3 labelled; the objective "
                                                           "needs some (raise --val-fraction or add cases)"));
    }
  }
}

TrialTrainer::~TrialTrainer() = default;

void TrialTrainer::check(const TrialTrainingParams& params) const {
  impl_->options(params, "check.l3m").check();
}

TrialTrainingResult TrialTrainer::run(const TrialTrainingParams& params, const std::filesystem::path& model,
                                      const nlohmann::json& description) const {
  TrialTrainingResult result;
  double objective_sum = 0, loss_sum = 0;
  const std::size_t folds = impl_->splits.size();
  for (std::size_t f = 0; f < folds; ++f) {
    TrainOptions o = impl_->options(params, folds > 1 ? fold_model(model, int(f)) : model);
    o.data_description = description;
    if (folds > 1) {
      o.data_description["fold"] = {{"fold", f + 1}, {"folds", folds}};
      if (o.log) fmt::print(o.log, "fold {}/{}\n", f + 1, folds);
    }
    const TrainResult r = impl_->train_one(impl_->splits[f], o);
    result.models.push_back(r.model);
    result.fold_objectives.push_back(r.best.selection_error);
    objective_sum += r.best.selection_error;  // NaN propagates: the trial then has no objective
    loss_sum += r.best.loss;
  }
  result.objective = objective_sum / double(folds);
  result.loss = loss_sum / double(folds);
  return result;
}

TrialTrainingResult TrialTrainer::run_single(const TrialTrainingParams& params, const std::filesystem::path& model,
                                             const nlohmann::json& description) const {
  TrainOptions o = impl_->options(params, model);
  o.data_description = description;
  const TrainResult r = impl_->train_one(impl_->splits.front(), o);
  return {r.best.selection_error, r.best.loss, {r.model}, {r.best.selection_error}};
}

nlohmann::json TrialTrainer::fingerprint() const {
  const auto& d = impl_->data;
  const auto& s = impl_->settings;
  nlohmann::json splits = nlohmann::json::array();
  for (const auto& split : impl_->splits) {
    nlohmann::json v = nlohmann::json::array();
    for (int c : split.validation) v.push_back(d.cases()[std::size_t(c)].case_id);
    splits.push_back(v);
  }
  return {{"cases", d.case_ids()},
          {"slices", d.slice_count()},
          {"l3_slices", d.l3_slice_count()},
          {"validation_patients", splits},
          {"input", {{"size", s.input.size}, {"channels", s.input.channels}, {"neighbour_mm", s.input.neighbour_mm}, {"fov_mm", s.input.fov_mm},
                     {"window", {s.input.window.low, s.input.window.high}}}},
          {"depth", s.depth},
          {"batch", s.batch},
          {"weight_decay", s.weight_decay},
          {"val_fraction", s.folds > 0 ? 0.0 : s.val_fraction},
          {"folds", s.folds},
          {"seed", s.seed}};
}

std::string TrialTrainer::describe() const {
  const auto& d = impl_->data;
  const auto& first = impl_->splits.front();
  std::string text = fmt::format("{} cases ({} slices, {} L3)", d.cases().size(), d.slice_count(), d.l3_slice_count());
  if (impl_->splits.size() > 1)
    return text + fmt::format(", {}-fold cross-validation by patient", impl_->splits.size());
  return text + fmt::format(", training on {} patients, validating on {}", first.train.size(), first.validation.size());
}

}  // namespace l3
