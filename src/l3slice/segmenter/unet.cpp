#include "l3slice/segmenter/unet.h"

#include <fmt/format.h>

#include "l3slice/core/error.h"

namespace l3 {
namespace {

torch::nn::Sequential double_conv(int in, int out) {
  namespace nn = torch::nn;
  return nn::Sequential(nn::Conv2d(nn::Conv2dOptions(in, out, 3).padding(1).bias(false)), nn::BatchNorm2d(out),
                        nn::ReLU(nn::ReLUOptions(true)),
                        nn::Conv2d(nn::Conv2dOptions(out, out, 3).padding(1).bias(false)), nn::BatchNorm2d(out),
                        nn::ReLU(nn::ReLUOptions(true)));
}

}  // namespace

UNetImpl::UNetImpl(const UNetConfig& config) : config_(config) {
  if (config.in_channels < 1 || config.classes < 2 || config.base_channels < 1 || config.levels < 2 || config.levels > 6)
    throw UsageError(fmt::format("unsupported U-Net: {} input channels, {} classes, {} base channels, {} levels",
                                 config.in_channels, config.classes, config.base_channels, config.levels));
  int in = config.in_channels;
  for (int l = 0; l < config.levels; ++l) {
    const int width = config.base_channels << l;
    down_.push_back(register_module(fmt::format("down{}", l), double_conv(in, width)));
    in = width;
  }
  for (int l = 0; l + 1 < config.levels; ++l) {
    const int width = config.base_channels << l;
    reduce_.push_back(register_module(fmt::format("reduce{}", l),
                                      torch::nn::Conv2d(torch::nn::Conv2dOptions(2 * width, width, 1))));
    up_.push_back(register_module(fmt::format("up{}", l), double_conv(2 * width, width)));
  }
  head_ = register_module("head", torch::nn::Conv2d(torch::nn::Conv2dOptions(config.base_channels, config.classes, 1)));
}

torch::Tensor UNetImpl::forward(torch::Tensor x) {
  std::vector<torch::Tensor> skips;
  for (int l = 0; l < config_.levels; ++l) {
    if (l > 0) x = torch::max_pool2d(x, 2);
    x = down_[l]->forward(x);
    skips.push_back(x);
  }
  for (int l = config_.levels - 2; l >= 0; --l) {
    x = torch::upsample_bilinear2d(x, {skips[l].size(2), skips[l].size(3)}, false);
    x = reduce_[l]->forward(x);
    x = up_[l]->forward(torch::cat({skips[l], x}, 1));
  }
  return head_->forward(x);
}

std::string architecture_name(const UNetConfig& config) {
  return fmt::format("unet-l{}-c{}", config.levels, config.base_channels);
}

}  // namespace l3
