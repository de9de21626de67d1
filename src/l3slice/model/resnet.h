#pragma once
// ResNet classifiers for axial slices, torchvision's architecture (He et al. 2016):
// ResNet18/34 (BasicBlock [2,2,2,2] / [3,4,6,3]) and ResNet50 (Bottleneck [3,4,6,3], the paper's).
// Input: N x C x H x W float (C = 1 for the paper's single windowed slice, 3 for 2.5D), made by
// model/input_tensor.h; output: N x num_classes logits (class 0 = not L3, class 1 = L3).
// Parameter names equal torchvision's (conv1, bn1, layer1.0.conv1, ..., downsample.0, fc), so
// state dicts map one to one.
#include <cstdint>
#include <string>

#include <torch/torch.h>

namespace l3 {

struct ResNetConfig {
  int depth = 50;         // 18, 34 or 50
  int in_channels = 1;
  int num_classes = 2;
};

// Defined here (not only declared) because TORCH_MODULE's holder needs the complete type.
class ResNetImpl : public torch::nn::Module {
 public:
  // Throws UsageError for an unsupported depth, channel or class count.
  explicit ResNetImpl(const ResNetConfig& config);

  torch::Tensor forward(torch::Tensor x);
  const ResNetConfig& config() const { return config_; }

 private:
  ResNetConfig config_;
  torch::nn::Conv2d conv1{nullptr};
  torch::nn::BatchNorm2d bn1{nullptr};
  torch::nn::MaxPool2d maxpool{nullptr};
  torch::nn::Sequential layer1{nullptr}, layer2{nullptr}, layer3{nullptr}, layer4{nullptr};
  torch::nn::Linear fc{nullptr};
};
TORCH_MODULE(ResNet);

// Builds a ResNet with torchvision's initialisation (Kaiming normal fan_out convs, BN weight 1
// bias 0, PyTorch's default Linear init), seeded by the caller through torch::manual_seed.
// Throws UsageError for an unsupported depth.
ResNet make_resnet(const ResNetConfig& config);

std::string architecture_name(const ResNetConfig& config);  // "resnet50"
int64_t parameter_count(torch::nn::Module& module);

}  // namespace l3
