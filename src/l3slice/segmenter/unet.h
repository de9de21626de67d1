#pragma once
// A small 2-D U-Net (Ronneberger et al. 2015) for tissue segmentation of axial slices: per level
// two 3x3 convolutions with batch norm and ReLU, 2x2 max pooling down, bilinear upsampling and a
// 1x1 convolution up, skip connections by concatenation. Input N x C x S x S (S divisible by
// 2^(levels-1)); output N x classes x S x S logits.
#include <cstdint>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace l3 {

struct UNetConfig {
  int in_channels = 1;
  int classes = 5;
  int base_channels = 8;  // channels at full resolution; doubled per level
  int levels = 5;         // resolutions (4 poolings: 256 px -> 16 px: context to tell an organ from the wall)
};

class UNetImpl : public torch::nn::Module {
 public:
  // Throws UsageError for a non-positive size or more than 6 levels.
  explicit UNetImpl(const UNetConfig& config);
  torch::Tensor forward(torch::Tensor x);
  const UNetConfig& config() const { return config_; }

 private:
  UNetConfig config_;
  std::vector<torch::nn::Sequential> down_, up_;  // down_[l]: level l's block; up_[l]: level l's decoder block
  std::vector<torch::nn::Conv2d> reduce_;         // 1x1 after upsampling level l+1 -> level l's width
  torch::nn::Conv2d head_{nullptr};
};
TORCH_MODULE(UNet);

std::string architecture_name(const UNetConfig& config);  // "unet-l4-c8"

}  // namespace l3
