#include "architecture_option.h"

#include "l3slice/core/error.h"

namespace l3::cli {

int resnet_depth(const std::string& arch) {
  if (arch == "resnet18") return 18;
  if (arch == "resnet34") return 34;
  if (arch == "resnet50") return 50;
  throw UsageError("unknown architecture '" + arch + "' (resnet18, resnet34 or resnet50)");
}

}  // namespace l3::cli
