#include "l3slice/model/resnet.h"

#include <array>
#include <utility>

#include <fmt/format.h>

#include "l3slice/core/error.h"

namespace l3 {
namespace {

namespace nn = torch::nn;

nn::Conv2d conv(int in, int out, int kernel, int stride) {
  // torchvision: conv3x3 padding 1, conv1x1 padding 0, never a bias (BN follows).
  return nn::Conv2d(
      nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2).bias(false));
}

// conv1x1 + BN on the shortcut when the shape changes (torchvision's `downsample`).
nn::Sequential make_downsample(int in, int out, int stride) {
  return nn::Sequential(conv(in, out, 1, stride), nn::BatchNorm2d(out));
}

bool needs_downsample(int in, int out, int stride) { return stride != 1 || in != out; }

// ResNet18/34 block: two 3x3 convolutions.
class BasicBlockImpl : public nn::Module {
 public:
  static constexpr int expansion = 1;
  BasicBlockImpl(int in, int planes, int stride)
      : conv1(register_module("conv1", conv(in, planes, 3, stride))),
        bn1(register_module("bn1", nn::BatchNorm2d(planes))),
        conv2(register_module("conv2", conv(planes, planes, 3, 1))),
        bn2(register_module("bn2", nn::BatchNorm2d(planes))) {
    if (needs_downsample(in, planes, stride))
      downsample = register_module("downsample", make_downsample(in, planes, stride));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    auto out = torch::relu(bn1(conv1(x)));
    out = bn2(conv2(out));
    out += downsample ? downsample->forward(x) : x;
    return torch::relu(out);
  }

 private:
  nn::Conv2d conv1;
  nn::BatchNorm2d bn1;
  nn::Conv2d conv2;
  nn::BatchNorm2d bn2;
  nn::Sequential downsample{nullptr};
};
TORCH_MODULE(BasicBlock);

// ResNet50 block: 1x1 reduce, 3x3 (carrying the stride, torchvision's "v1.5"), 1x1 expand x4.
class BottleneckImpl : public nn::Module {
 public:
  static constexpr int expansion = 4;
  BottleneckImpl(int in, int planes, int stride)
      : conv1(register_module("conv1", conv(in, planes, 1, 1))),
        bn1(register_module("bn1", nn::BatchNorm2d(planes))),
        conv2(register_module("conv2", conv(planes, planes, 3, stride))),
        bn2(register_module("bn2", nn::BatchNorm2d(planes))),
        conv3(register_module("conv3", conv(planes, planes * expansion, 1, 1))),
        bn3(register_module("bn3", nn::BatchNorm2d(planes * expansion))) {
    if (needs_downsample(in, planes * expansion, stride))
      downsample = register_module("downsample", make_downsample(in, planes * expansion, stride));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    auto out = torch::relu(bn1(conv1(x)));
    out = torch::relu(bn2(conv2(out)));
    out = bn3(conv3(out));
    out += downsample ? downsample->forward(x) : x;
    return torch::relu(out);
  }

 private:
  nn::Conv2d conv1;
  nn::BatchNorm2d bn1;
  nn::Conv2d conv2;
  nn::BatchNorm2d bn2;
  nn::Conv2d conv3;
  nn::BatchNorm2d bn3;
  nn::Sequential downsample{nullptr};
};
TORCH_MODULE(Bottleneck);

// torchvision's _make_layer; `in` is updated to the layer's output channels.
template <typename Block>
nn::Sequential make_layer(int& in, int planes, int blocks, int stride) {
  nn::Sequential layer;
  layer->push_back(Block(in, planes, stride));
  in = planes * Block::Impl::expansion;
  for (int i = 1; i < blocks; ++i) layer->push_back(Block(in, planes, 1));
  return layer;
}

struct Stages {
  std::array<nn::Sequential, 4> layers;
  int out_channels = 0;
};

template <typename Block>
Stages make_stages(const std::array<int, 4>& blocks) {
  int in = 64;
  Stages s;
  s.layers[0] = make_layer<Block>(in, 64, blocks[0], 1);
  s.layers[1] = make_layer<Block>(in, 128, blocks[1], 2);
  s.layers[2] = make_layer<Block>(in, 256, blocks[2], 2);
  s.layers[3] = make_layer<Block>(in, 512, blocks[3], 2);
  s.out_channels = in;
  return s;
}

Stages stages_for(int depth) {
  switch (depth) {
    case 18: return make_stages<BasicBlock>({2, 2, 2, 2});
    case 34: return make_stages<BasicBlock>({3, 4, 6, 3});
    case 50: return make_stages<Bottleneck>({3, 4, 6, 3});
    default: throw UsageError(fmt::format("unsupported ResNet depth {} (use 18, 34 or 50)", depth));
  }
}

const ResNetConfig& checked(const ResNetConfig& c) {
  if (c.in_channels < 1)
    throw UsageError(fmt::format("ResNet needs at least 1 input channel, got {}", c.in_channels));
  if (c.num_classes < 1)
    throw UsageError(fmt::format("ResNet needs at least 1 class, got {}", c.num_classes));
  return c;
}

}  // namespace

ResNetImpl::ResNetImpl(const ResNetConfig& config) : config_(checked(config)) {
  Stages stages = stages_for(config.depth);
  conv1 = register_module(
      "conv1", nn::Conv2d(nn::Conv2dOptions(config.in_channels, 64, 7).stride(2).padding(3).bias(false)));
  bn1 = register_module("bn1", nn::BatchNorm2d(64));
  maxpool = register_module("maxpool", nn::MaxPool2d(nn::MaxPool2dOptions(3).stride(2).padding(1)));
  layer1 = register_module("layer1", stages.layers[0]);
  layer2 = register_module("layer2", stages.layers[1]);
  layer3 = register_module("layer3", stages.layers[2]);
  layer4 = register_module("layer4", stages.layers[3]);
  fc = register_module("fc", nn::Linear(stages.out_channels, config.num_classes));

  // torchvision's initialisation; Linear keeps PyTorch's default (as torchvision does).
  torch::NoGradGuard no_grad;
  for (const auto& m : modules(/*include_self=*/false)) {
    if (auto* c = m->as<nn::Conv2d>()) {
      nn::init::kaiming_normal_(c->weight, 0.0, torch::kFanOut, torch::kReLU);
    } else if (auto* b = m->as<nn::BatchNorm2d>()) {
      nn::init::ones_(b->weight);
      nn::init::zeros_(b->bias);
    }
  }
}

torch::Tensor ResNetImpl::forward(torch::Tensor x) {
  x = maxpool(torch::relu(bn1(conv1(x))));
  x = layer4->forward(layer3->forward(layer2->forward(layer1->forward(x))));
  x = torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1);
  return fc(x);
}

ResNet make_resnet(const ResNetConfig& config) { return ResNet(config); }

std::string architecture_name(const ResNetConfig& config) {
  return fmt::format("resnet{}", config.depth);
}

int64_t parameter_count(torch::nn::Module& module) {
  int64_t n = 0;
  for (const auto& p : module.parameters()) n += p.numel();
  return n;
}

}  // namespace l3
