#pragma once
// --arch NAME, shared by train and tune: the ResNet depth a name stands for.
#include <string>

namespace l3::cli {

// 18, 34 or 50 for "resnet18", "resnet34" or "resnet50"; throws UsageError otherwise.
int resnet_depth(const std::string& arch);

}  // namespace l3::cli
