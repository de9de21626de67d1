#pragma once
// ResNet classifiers for axial slices, torchvision's architecture (He et al. 2016):
// ResNet18/34 (BasicBlock [2,2,2,2] / [3,4,6,3]) and ResNet50 (Bottleneck [3,4,6,3], the paper's).
// Input: N x C x H x W float (C = 1 for the paper's single windowed slice, 3 for 2.5D);
// output: N x num_classes logits (class 0 = not L3, class 1 = L3).
#include <string>

#include <torch/torch.h>

namespace l3 {

struct ResNetConfig {
  int depth = 50;         // 18, 34 or 50
  int in_channels = 1;
  int num_classes = 2;
};

class ResNetImpl;  // torch::nn::Module, defined in resnet.cpp's header section below
TORCH_MODULE(ResNet);

// Builds a ResNet with torchvision's initialisation (Kaiming normal convs, BN weight 1 bias 0),
// seeded by the caller through torch::manual_seed. Throws UsageError for an unsupported depth.
ResNet make_resnet(const ResNetConfig& config);

std::string architecture_name(const ResNetConfig& config);  // "resnet50"
int64_t parameter_count(torch::nn::Module& module);

}  // namespace l3
