#include "l3slice/training/trainer.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <tuple>

#include <fmt/format.h>

#include "l3slice/core/error.h"
#include "l3slice/core/progress.h"
#include "l3slice/model/input_tensor.h"
#include "l3slice/model/model_file.h"
#include "l3slice/model/weights_archive.h"
#include "l3slice/training/checkpoint.h"
#include "l3slice/training/epoch_sampler.h"
#include "l3slice/training/lr_schedule.h"
#include "l3slice/training/random.h"
#include "l3slice/training/training_batch.h"
#include "l3slice/training/weighted_loss.h"

namespace l3 {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kInf = std::numeric_limits<double>::infinity();

// The settings a checkpoint must match to be resumed (all that changes the result but the thread count).
nlohmann::json fingerprint(const SliceDataset& data, const PatientSplit& split, const TrainOptions& o) {
  const auto& a = o.augmentation;
  return {{"depth", o.depth}, {"epochs", o.epochs}, {"batch", o.batch}, {"lr", o.lr},
          {"weight_decay", o.weight_decay}, {"warmup_fraction", o.warmup_fraction},
          {"oversample", o.oversample}, {"class_weight", o.class_weight}, {"seed", o.seed},
          {"augmentation", {{"rotation_deg", a.rotation_deg}, {"scale", a.scale}, {"translation", a.translation},
                            {"brightness", a.brightness}, {"contrast", a.contrast}, {"noise", a.noise},
                            {"originals", a.originals}}},
          {"input", {{"size", data.input().size}, {"channels", data.input().channels},
                     {"neighbour_mm", data.input().neighbour_mm}, {"fov_mm", data.input().fov_mm}, {"window", {data.input().window.low, data.input().window.high}}}},
          {"slices", data.slice_count()}, {"train_cases", split.train}, {"validation_cases", split.validation}};
}

// Lower is better: the selection error, then the validation loss; no validation: later is better.
struct Score {
  double error = kInf, loss = kInf;
  bool better_than(const Score& o) const { return error < o.error || (error == o.error && loss < o.loss); }
};
Score score_of(const EpochRecord& r) {
  if (!r.has_validation) return {-double(r.epoch), -double(r.epoch)};
  const auto& v = r.validation;
  return {std::isnan(v.selection_error) ? kInf : v.selection_error, std::isnan(v.loss) ? kInf : v.loss};
}

EpochRecord epoch_record_from_json(const nlohmann::json& j) {
  EpochRecord r;
  r.epoch = j.at("epoch");
  r.train_loss = j.at("train_loss");
  r.images = j.at("images");
  r.augmented = j.at("augmented");
  r.images_per_second = j.at("images_per_second");
  r.last_lr = j.at("last_lr");
  r.has_validation = j.contains("validation");
  if (r.has_validation) r.validation = ValidationMetrics::from_json(j.at("validation"));
  return r;
}

// Batches of an epoch plan; a trailing batch of one image is dropped (batch norm needs two).
std::vector<std::pair<size_t, size_t>> batches_of(size_t items, int batch) {
  std::vector<std::pair<size_t, size_t>> b;
  for (size_t start = 0; start < items; start += size_t(batch)) {
    const size_t end = std::min(items, start + size_t(batch));
    if (end - start >= 2) b.emplace_back(start, end);
  }
  return b;
}

ModelInfo model_info(const SliceDataset& data, const TrainOptions& o, std::pair<double, double> true_run_mm) {
  ModelInfo info;
  info.arch = ResNetConfig{o.depth, data.input().channels, 2};
  info.input_size = data.input().size;
  info.channels = data.input().channels;
  info.neighbour_mm = data.input().neighbour_mm;
  info.fov_mm = data.input().fov_mm;
  info.window = data.input().window;
  info.truth_definition = o.truth_definition;
  std::tie(info.l3_shortest_mm, info.l3_longest_mm) = true_run_mm;
  return info;
}

void say(std::FILE* log, const std::string& line) {
  if (!log) return;
  fmt::print(log, "{}\n", line);
  std::fflush(log);
}

}  // namespace

void TrainOptions::check() const {
  if (depth != 18 && depth != 34 && depth != 50) throw UsageError("architecture must be resnet18, resnet34 or resnet50");
  if (epochs < 1) throw UsageError("epochs must be at least 1");
  if (batch < 2) throw UsageError("batch size must be at least 2 (batch norm)");
  if (!(lr > 0 && lr < 10)) throw UsageError("learning rate must be in (0, 10)");
  if (!(weight_decay >= 0)) throw UsageError("weight decay must not be negative");
  if (!(warmup_fraction >= 0 && warmup_fraction < 1)) throw UsageError("warm-up fraction must be in [0, 1)");
  if (!(oversample >= 0 && oversample <= 1000)) throw UsageError("oversampling ratio must be in [0, 1000]");
  if (!(class_weight > 0 && class_weight <= 1e4)) throw UsageError("class weight must be in (0, 10000]");
  if (threads < 1) throw UsageError("threads must be at least 1");
  if (out.empty()) throw UsageError("no output model file given");
  augmentation.check();
}

nlohmann::json EpochRecord::to_json() const {
  nlohmann::json j{{"epoch", epoch}, {"train_loss", train_loss}, {"images", images}, {"augmented", augmented},
                   {"images_per_second", images_per_second}, {"last_lr", last_lr}};
  if (has_validation) j["validation"] = validation.to_json();
  return j;
}

namespace {

// Copies a saved model's weights and batch-norm statistics into `net`; the model must have been
// trained with the same network and input (InputError naming the file otherwise).
nlohmann::json initialise_from(ResNet& net, const std::filesystem::path& path, int depth, const ModelInputOptions& input) {
  LoadedModel start = load_model(path);
  const ModelInfo& i = start.info;
  if (i.arch.depth != depth || i.channels != input.channels || i.input_size != input.size ||
      i.fov_mm != input.fov_mm || i.window.low != input.window.low || i.window.high != input.window.high ||
      i.neighbour_mm != input.neighbour_mm)
    throw InputError(path, fmt::format("--init-from: trained as ResNet{} on {} px, {} channel(s), fov {} mm, window {}..{}; "
                                       "this run is ResNet{} on {} px, {} channel(s), fov {} mm, window {}..{}",
                                       i.arch.depth, i.input_size, i.channels, i.fov_mm, i.window.low, i.window.high, depth,
                                       input.size, input.channels, input.fov_mm, input.window.low, input.window.high));
  torch::NoGradGuard no_grad;
  auto from_parameters = start.net->named_parameters(), from_buffers = start.net->named_buffers();
  for (auto& p : net->named_parameters()) p.value().copy_(from_parameters[p.key()]);
  for (auto& b : net->named_buffers()) b.value().copy_(from_buffers[b.key()]);
  return {{"path", path.string()}, {"weights_crc32", weights_crc32(*start.net)}};
}

}  // namespace

std::filesystem::path checkpoint_path(const std::filesystem::path& out) { return out.string() + ".ckpt"; }

TrainResult train(const SliceDataset& data, const PatientSplit& split, const TrainOptions& o) {
  o.check();
  if (split.train.empty()) throw UsageError("no training cases");
  torch::set_num_threads(o.threads);
  torch::manual_seed(derive_seed(o.seed, SeedStream::model_init));
  ResNet net = make_resnet(ResNetConfig{o.depth, data.input().channels, 2});
  nlohmann::json init;  // part of the fingerprint: a resumed run must start from the same weights
  if (!o.init_from.empty()) init = initialise_from(net, o.init_from, o.depth, data.input());
  torch::optim::AdamW optimizer(net->parameters(), torch::optim::AdamWOptions(o.lr).weight_decay(o.weight_decay));

  const auto train_slices = data.slices_of(split.train);
  // Validation chooses runs exactly as predict will with the saved model (lengths from the training truth).
  const std::pair<double, double> true_run_mm = true_run_lengths_mm(data, split.train);
  const RunLengthLimits run_limits = run_length_limits(true_run_mm.first, true_run_mm.second);
  // Plans are cheap to draw; drawing them all up front gives the exact step count for the schedule.
  std::vector<size_t> plan_sizes;
  int64_t total_steps = 0;
  for (int e = 0; e < o.epochs; ++e) {
    plan_sizes.push_back(epoch_plan(train_slices, data.labels(), o.oversample, o.seed, e).size());
    total_steps += int64_t(batches_of(plan_sizes.back(), o.batch).size());
  }
  if (total_steps == 0) throw UsageError("too few training slices for one batch");
  const int64_t warmup_steps = int64_t(std::llround(o.warmup_fraction * double(total_steps)));

  nlohmann::json settings = fingerprint(data, split, o);
  if (!init.is_null()) settings["init_from"] = init;
  const auto ckpt = checkpoint_path(o.out);
  TrainResult result;
  result.model = o.out;
  int start_epoch = 0;
  Score best;
  if (o.resume) {
    const auto state = load_checkpoint(ckpt, net, optimizer);
    if (state.at("settings") != settings) {
      std::string diff;
      for (const auto& [key, value] : settings.items())
        if (!state.at("settings").contains(key) || state.at("settings").at(key) != value) diff += (diff.empty() ? "" : ", ") + key;
      throw InputError(ckpt, "checkpoint was made with different settings or data (" + diff + "); start without --resume");
    }
    start_epoch = state.at("epochs_done");
    for (const auto& r : state.at("history")) result.history.push_back(epoch_record_from_json(r));
    result.best_epoch = state.at("best_epoch");
    if (result.best_epoch > 0) {
      const auto& b = result.history.at(size_t(result.best_epoch - 1));
      best = score_of(b);
      result.best = b.validation;
    }
    say(o.log, fmt::format("resuming after epoch {}/{} from {}", start_epoch, o.epochs, ckpt.string()));
  }

  int64_t step = 0;
  for (int e = 0; e < start_epoch; ++e) step += int64_t(batches_of(plan_sizes[size_t(e)], o.batch).size());
  const auto run_start = Clock::now();
  int64_t images_this_run = 0, images_left = 0;
  for (int e = start_epoch; e < o.epochs; ++e) images_left += int64_t(plan_sizes[size_t(e)]);

  for (int e = start_epoch; e < o.epochs; ++e) {
    const auto plan = epoch_plan(train_slices, data.labels(), o.oversample, o.seed, e);
    const auto batches = batches_of(plan.size(), o.batch);
    EpochRecord record;
    record.epoch = e + 1;
    const std::string label = fmt::format("epoch {}/{}", e + 1, o.epochs);
    Progress progress(label, long(plan.size()), "img", o.log);
    const auto epoch_start = Clock::now();
    double loss_sum = 0;
    net->train();
    for (size_t b = 0; b < batches.size(); ++b) {
      const auto [begin, end] = batches[b];
      const uint64_t batch_seed = derive_seed(o.seed, SeedStream::augmentation, (uint64_t(e) << 32) | b);
      const TrainingBatch batch = make_training_batch(data, plan, begin, end, o.augmentation, batch_seed);
      const double lr = scheduled_learning_rate(o.lr, step, total_steps, warmup_steps);
      for (auto& group : optimizer.param_groups()) static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
      optimizer.zero_grad();
      const auto loss = weighted_cross_entropy(net->forward(input_tensor(batch.images)), batch.targets, o.class_weight);
      loss.backward();
      optimizer.step();
      ++step;
      const double loss_value = loss.item<double>();
      if (!std::isfinite(loss_value))
        throw UsageError(fmt::format("training diverged (loss {}) in epoch {}; try a lower learning rate", loss_value, e + 1));
      loss_sum += loss_value * double(end - begin);
      record.images += int64_t(end - begin);
      for (size_t i = begin; i < end; ++i) record.augmented += plan[i].augmented || o.augmentation.originals;
      record.last_lr = lr;
      images_this_run += int64_t(end - begin);
      const double run_seconds = std::chrono::duration<double>(Clock::now() - run_start).count();
      const double left = double(images_left - images_this_run) * run_seconds / double(images_this_run);
      progress.set(long(end), fmt::format("loss {:.4f}  total ETA {}", loss_sum / double(record.images),
                                          Progress::format_duration(left)));
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - epoch_start).count();
    record.train_loss = loss_sum / double(record.images);
    record.images_per_second = double(record.images) / seconds;
    progress.finish(fmt::format("train loss {:.4f}", record.train_loss));

    if (!split.validation.empty()) {
      record.has_validation = true;
      record.validation = validate(net, data, split.validation, o.class_weight, std::max(o.batch, 32), run_limits);
    }
    result.history.push_back(record);
    const Score score = score_of(record);
    const bool improved = score.better_than(best);
    if (improved) {
      best = score;
      result.best_epoch = record.epoch;
      result.best = record.validation;
      ModelInfo info = model_info(data, o, true_run_mm);
      nlohmann::json history = nlohmann::json::array();
      for (const auto& r : result.history) history.push_back(r.to_json());
      info.training = {{"data", o.data_description},
                       {"cases", {{"train", split.train.size()}, {"validation", split.validation.size()}}},
                       {"slices", {{"train", train_slices.size()}, {"validation", data.slices_of(split.validation).size()}}},
                       {"settings", settings},
                       {"best_epoch", record.epoch},
                       {"history", history}};
      info.training["settings"].erase("train_cases");
      info.training["settings"].erase("validation_cases");
      info.training["validation_case_ids"] = nlohmann::json::array();
      for (int c : split.validation) info.training["validation_case_ids"].push_back(data.cases()[size_t(c)].case_id);
      save_model(o.out, info, net);
    }
    say(o.log, fmt::format("{} {}{}", label,
                           record.has_validation ? record.validation.summary() : std::string("(no validation cases)"),
                           improved ? "  [best, saved]" : ""));

    nlohmann::json history = nlohmann::json::array();
    for (const auto& r : result.history) history.push_back(r.to_json());
    save_checkpoint(ckpt, net, optimizer,
                    {{"settings", settings}, {"epochs_done", e + 1}, {"best_epoch", result.best_epoch}, {"history", history}});
    if (o.stop_after_epoch > 0 && e + 1 >= o.stop_after_epoch && e + 1 < o.epochs) return result;
  }
  result.finished = true;
  std::error_code ec;
  std::filesystem::remove(ckpt, ec);  // finished: the model file is the result
  return result;
}

}  // namespace l3
