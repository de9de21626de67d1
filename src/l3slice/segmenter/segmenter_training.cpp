#include "l3slice/segmenter/segmenter_training.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

#include <fmt/format.h>

#include "l3slice/model/torch_threads.h"
#include "l3slice/model/weights_archive.h"

#include "l3slice/core/error.h"
#include "l3slice/core/manifest.h"
#include "l3slice/core/progress.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/io/label_reader.h"

namespace l3 {
namespace {

struct TrainingSlice {
  HuImage hu;
  MaskImage classes;
};

// Up to n of the slices holding muscle labels, evenly spaced.
std::vector<int> chosen_slices(const LabelImage& labels, const TissueLabelValues& values, int n) {
  std::vector<int> with_muscle;
  const Grid& g = labels.grid;
  for (int z = 0; z < g.size[2]; ++z) {
    const auto* l = labels.slice(z);
    if (std::any_of(l, l + g.slice_voxels(), [&](uint16_t v) { return values.class_of(v) == TissueClass::muscle; }))
      with_muscle.push_back(z);
  }
  if (int(with_muscle.size()) <= n) return with_muscle;
  std::vector<int> out;
  for (int i = 0; i < n; ++i) out.push_back(with_muscle[std::size_t((i + 0.5) * with_muscle.size() / n)]);
  return out;
}

std::vector<TrainingSlice> load_slices(const std::filesystem::path& manifest, const SegmenterTrainingOptions& o,
                                       int& cases) {
  const auto entries = read_manifest(manifest);
  if (entries.empty()) throw InputError(manifest, "manifest lists no cases");
  std::vector<TrainingSlice> slices;
  Progress progress("reading cases", long(entries.size()), "cases", o.progress);
  for (const auto& e : entries) {
    if (!e.labels) throw InputError(manifest, fmt::format("case {} has no labels (tissue label map) column", e.case_id));
    const CtScan ct = read_ct(e.image);
    const LabelImage labels = read_labels(*e.labels, ct);
    const auto zs = chosen_slices(labels, o.label_values, o.slices_per_case);
    if (zs.empty())
      throw InputError(*e.labels, fmt::format("no slice holds muscle (label value {}, label values '{}')", o.label_values.muscle,
                                              o.label_values.name));
    for (const int z : zs) slices.push_back({axial_slice(ct.hu, z), to_tissue_classes(labels, z, o.label_values)});
    progress.advance();
  }
  progress.finish();
  cases = int(entries.size());
  return slices;
}

}  // namespace

SegmenterTrainingResult train_segmenter(const std::filesystem::path& manifest, const std::filesystem::path& out,
                                        const SegmenterTrainingOptions& o) {
  if (o.epochs < 1 || o.batch_size < 1 || !(o.lr > 0) || o.slices_per_case < 1 || !(o.scale_jitter >= 0 && o.scale_jitter < 0.5))
    throw UsageError("train-bodycomp: epochs, batch size, learning rate and slices per case must be positive, scale jitter 0..0.5");
  set_torch_threads(o.threads);
  torch::manual_seed(o.seed);
  SegmenterTrainingResult result;
  const std::vector<TrainingSlice> slices = load_slices(manifest, o, result.cases);
  result.slices = int(slices.size());

  UNet net(o.arch);
  net->train();
  torch::optim::Adam optimiser(net->parameters(), torch::optim::AdamOptions(o.lr));
  std::mt19937 rng(o.seed);
  std::uniform_real_distribution<double> scale(1.0 - o.scale_jitter, 1.0 + o.scale_jitter);
  std::vector<std::size_t> order(slices.size());
  std::iota(order.begin(), order.end(), 0);
  const long steps_per_epoch = long((slices.size() + o.batch_size - 1) / o.batch_size);
  Progress progress("training U-Net", steps_per_epoch * o.epochs, "batches", o.progress);
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    const double lr = o.lr * (epoch >= 0.85 * o.epochs ? 0.25 : epoch >= 0.6 * o.epochs ? 0.5 : 1.0);
    for (auto& group : optimiser.param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
    std::shuffle(order.begin(), order.end(), rng);
    double loss_sum = 0;
    for (std::size_t start = 0; start < order.size(); start += o.batch_size) {
      std::vector<torch::Tensor> xs, ys;
      for (std::size_t k = start; k < std::min(order.size(), start + o.batch_size); ++k) {
        const TrainingSlice& s = slices[order[k]];
        SegmenterGeometry g = o.geometry;
        g.pixel_mm *= scale(rng);
        torch::Tensor x = segmenter_input(s.hu, g)[0], y = segmenter_target(s.classes, g);
        if (rng() % 2) x = x.flip({2}), y = y.flip({1});
        xs.push_back(x);
        ys.push_back(y);
      }
      optimiser.zero_grad();
      const torch::Tensor loss = torch::nn::functional::cross_entropy(net->forward(torch::stack(xs)), torch::stack(ys));
      loss.backward();
      optimiser.step();
      loss_sum += loss.item<double>() * double(xs.size());
      progress.advance();
    }
    const double mean = loss_sum / double(slices.size());
    if (epoch == 0) result.first_epoch_loss = mean;
    result.last_epoch_loss = mean;
    progress.set(progress.done(), fmt::format("epoch {}/{} loss {:.4f}", epoch + 1, o.epochs, mean));
  }
  progress.finish(fmt::format("loss {:.4f} -> {:.4f}", result.first_epoch_loss, result.last_epoch_loss));

  net->eval();
  SegmenterInfo info;
  info.arch = o.arch;
  info.geometry = o.geometry;
  info.training = {{"manifest", manifest.string()},     {"label_values", o.label_values.name},
                   {"cases", result.cases},             {"slices", result.slices},
                   {"slices_per_case", o.slices_per_case}, {"epochs", o.epochs},
                   {"batch_size", o.batch_size},        {"lr", o.lr},
                   {"scale_jitter", o.scale_jitter},    {"seed", o.seed},
                   {"threads", torch::get_num_threads()}, {"loss", "cross-entropy"},
                   {"first_epoch_loss", result.first_epoch_loss}, {"last_epoch_loss", result.last_epoch_loss}};
  save_segmenter(out, info, net);
  result.crc32 = uint32_t(weights_crc32(*net));
  return result;
}

}  // namespace l3
