#include "l3slice/model/model_file.h"

#include <cmath>
#include <set>
#include <sstream>
#include <vector>

#include <fmt/format.h>
#include <zlib.h>

#include "l3slice/core/atomic_file.h"
#include "l3slice/core/error.h"
#include "l3slice/model/input_tensor.h"

namespace l3 {
namespace {

// The file is a PyTorch serialization archive (zip, CRC-checked): the network's parameters and
// buffers under their torchvision names (as torch::save(module) writes them) plus one string
// entry holding the metadata JSON.
constexpr const char* kMetadataKey = "l3slice_metadata";
// CRC-32 of all weights: PyTorch's reader does not check the zip CRCs, so damaged weight bytes
// would otherwise load silently.
constexpr const char* kChecksumKey = "l3slice_weights_crc32";
constexpr const char* kFormatName = "l3slice-model";
constexpr int kFormatVersion = 1;
const std::vector<std::string> kClasses = {"not_l3", "l3"};

// c10 messages carry a backtrace and source locations: keep the first line only.
std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  return line.size() > 200 ? line.substr(0, 200) + "..." : line;
}

std::string shape_string(const torch::Tensor& t) {
  std::ostringstream s;
  s << t.sizes();
  return s.str();
}

// Names the first parameter or floating-point buffer holding NaN/Inf, or "".
std::string first_non_finite(torch::nn::Module& net) {
  torch::NoGradGuard no_grad;
  for (const auto& p : net.named_parameters())
    if (!torch::isfinite(p.value()).all().item<bool>()) return p.key();
  for (const auto& b : net.named_buffers())
    if (b.value().is_floating_point() && !torch::isfinite(b.value()).all().item<bool>()) return b.key();
  return "";
}

// Over names and bytes of every parameter and buffer, in the network's own order.
int64_t weights_crc32(torch::nn::Module& net) {
  uLong crc = crc32(0L, Z_NULL, 0);
  auto add = [&crc](const std::string& name, const torch::Tensor& tensor) {
    const torch::Tensor t = tensor.detach().to(torch::kCPU).contiguous();
    crc = crc32_z(crc, reinterpret_cast<const Bytef*>(name.data()), name.size());
    crc = crc32_z(crc, static_cast<const Bytef*>(t.data_ptr()), t.nbytes());
  };
  for (const auto& p : net.named_parameters()) add(p.key(), p.value());
  for (const auto& b : net.named_buffers()) add(b.key(), b.value());
  return static_cast<int64_t>(crc);
}

template <typename T>
T required(const nlohmann::json& j, const char* key, const std::filesystem::path& path) {
  if (!j.contains(key)) throw InputError(path, fmt::format("model metadata lacks \"{}\"", key));
  try {
    return j.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw InputError(path, fmt::format("model metadata: \"{}\" has the wrong type ({})", key,
                                       j.at(key).dump()));
  }
}

// Names of all tensors in the archive ("layer1.0.conv1.weight"), nested archives flattened.
void collect_tensor_names(torch::serialize::InputArchive& archive, const std::string& prefix,
                          std::set<std::string>& names) {
  for (const std::string& key : archive.keys()) {
    if (prefix.empty() && (key == kMetadataKey || key == kChecksumKey)) continue;
    torch::Tensor tensor;
    torch::serialize::InputArchive nested;
    if (archive.try_read(key, tensor))
      names.insert(prefix + key);
    else if (archive.try_read(key, nested))
      collect_tensor_names(nested, prefix + key + ".", names);
    else
      names.insert(prefix + key);  // neither: reported as unexpected
  }
}

// Both ways: a ResNet34 file holds every ResNet18 tensor, so missing names alone are not enough.
void check_tensor_names(torch::serialize::InputArchive& archive, torch::nn::Module& net,
                        const std::filesystem::path& path, const std::string& arch) {
  std::set<std::string> in_file, expected;
  collect_tensor_names(archive, "", in_file);
  for (const auto& t : net.named_parameters()) expected.insert(t.key());
  for (const auto& t : net.named_buffers()) expected.insert(t.key());
  for (const auto& name : expected)
    if (!in_file.count(name))
      throw InputError(path, fmt::format("weights do not match the metadata's architecture ({}): "
                                         "{} is missing", arch, name));
  for (const auto& name : in_file)
    if (!expected.count(name))
      throw InputError(path, fmt::format("weights do not match the metadata's architecture ({}): "
                                         "unexpected {}", arch, name));
}

}  // namespace

nlohmann::json to_json(const ModelInfo& info) {
  return {
      {"format", kFormatName},
      {"format_version", info.format_version},
      {"program_version", info.program_version},
      {"architecture", architecture_name(info.arch)},
      {"depth", info.arch.depth},
      {"num_classes", info.arch.num_classes},
      {"classes", kClasses},
      {"input_size", info.input_size},
      {"channels", info.channels},
      {"neighbour_mm", info.neighbour_mm},
      {"fov_mm", info.fov_mm},
      {"window", {{"low", info.window.low}, {"high", info.window.high}}},
      {"input_normalisation", {{"scale", 1.0 / 255.0}, {"mean", kInputMean}, {"std", kInputStd}}},
      {"truth_definition", info.truth_definition},
      {"training", info.training},
      {"l3_run_mm", {{"shortest", info.l3_shortest_mm}, {"longest", info.l3_longest_mm}}},
  };
}

ModelInfo model_info_from_json(const nlohmann::json& j, const std::filesystem::path& path) {
  if (!j.is_object() || j.value("format", "") != kFormatName)
    throw InputError(path, "not an l3slice model file (metadata lacks format \"l3slice-model\")");
  ModelInfo info;
  info.format_version = required<int>(j, "format_version", path);
  if (info.format_version > kFormatVersion)
    throw InputError(path, fmt::format("model file format version {} is newer than this l3slice "
                                       "(reads up to {}); update l3slice",
                                       info.format_version, kFormatVersion));
  if (info.format_version < 1)
    throw InputError(path, fmt::format("invalid model file format version {}", info.format_version));
  info.program_version = required<std::string>(j, "program_version", path);
  info.arch.depth = required<int>(j, "depth", path);
  info.arch.num_classes = required<int>(j, "num_classes", path);
  info.input_size = required<int>(j, "input_size", path);
  info.channels = required<int>(j, "channels", path);
  info.arch.in_channels = info.channels;
  info.neighbour_mm = required<double>(j, "neighbour_mm", path);
  if (j.contains("fov_mm")) info.fov_mm = required<double>(j, "fov_mm", path);  // optional: older files lack it
  const auto window = required<nlohmann::json>(j, "window", path);
  info.window.low = required<double>(window, "low", path);
  info.window.high = required<double>(window, "high", path);
  info.truth_definition = required<std::string>(j, "truth_definition", path);
  info.training = j.value("training", nlohmann::json());
  if (j.contains("l3_run_mm")) {  // optional: absent in files written before it existed
    const auto run = required<nlohmann::json>(j, "l3_run_mm", path);
    info.l3_shortest_mm = required<double>(run, "shortest", path);
    info.l3_longest_mm = required<double>(run, "longest", path);
  }

  if (info.arch.depth != 18 && info.arch.depth != 34 && info.arch.depth != 50)
    throw InputError(path, fmt::format("model metadata: unsupported ResNet depth {}", info.arch.depth));
  if (required<std::string>(j, "architecture", path) != architecture_name(info.arch))
    throw InputError(path, "model metadata: \"architecture\" contradicts \"depth\"");
  if (info.arch.num_classes != 2 || required<std::vector<std::string>>(j, "classes", path) != kClasses)
    throw InputError(path, "model metadata: classes must be [\"not_l3\", \"l3\"]");
  if (info.input_size < 16 || info.input_size > 4096)
    throw InputError(path, fmt::format("model metadata: implausible input size {}", info.input_size));
  if (info.channels < 1 || info.channels % 2 == 0)
    throw InputError(path, fmt::format("model metadata: channels must be odd (slice +- neighbours), got {}",
                                       info.channels));
  if (!(info.neighbour_mm >= 0.0) || !std::isfinite(info.neighbour_mm))
    throw InputError(path, "model metadata: neighbour_mm must be >= 0");
  if (!(info.fov_mm == 0.0 || (info.fov_mm >= 50.0 && info.fov_mm <= 2000.0)))
    throw InputError(path, "model metadata: fov_mm must be 0 (whole slice) or 50..2000");
  if (!(info.window.low < info.window.high))
    throw InputError(path, fmt::format("model metadata: empty window [{}, {}]", info.window.low,
                                       info.window.high));
  // A model trained with other input scaling would silently give wrong answers.
  const auto norm = required<nlohmann::json>(j, "input_normalisation", path);
  if (required<float>(norm, "mean", path) != kInputMean || required<float>(norm, "std", path) != kInputStd)
    throw InputError(path, fmt::format("model was trained with input normalisation mean {} std {}; "
                                       "this l3slice uses mean {} std {}",
                                       norm.at("mean").dump(), norm.at("std").dump(), kInputMean, kInputStd));
  return info;
}

void save_model(const std::filesystem::path& path, const ModelInfo& info, ResNet& net) {
  const ResNetConfig& c = net->config();
  if (c.depth != info.arch.depth || c.in_channels != info.arch.in_channels ||
      c.num_classes != info.arch.num_classes || info.channels != c.in_channels)
    throw UsageError(fmt::format("model metadata ({}, {} channels) does not describe the network ({}, {} channels)",
                                 architecture_name(info.arch), info.channels, architecture_name(c),
                                 c.in_channels));
  if (const std::string bad = first_non_finite(*net); !bad.empty())
    throw UsageError(fmt::format("refusing to save {}: weights contain NaN or Inf ({}); training diverged",
                                 path.string(), bad));
  // Round trip through our own reader's checks, so save never writes what load would refuse.
  try {
    model_info_from_json(to_json(info), path);
  } catch (const InputError& e) {
    throw UsageError("refusing to save " + path.string() + ": " + e.problem());
  }

  torch::serialize::OutputArchive archive;
  archive.write(kMetadataKey, c10::IValue(to_json(info).dump()));
  archive.write(kChecksumKey, c10::IValue(weights_crc32(*net)));
  net->save(archive);
  write_atomically(path, [&](const std::filesystem::path& tmp) {
    try {
      archive.save_to(tmp.string());
    } catch (const c10::Error& e) {
      throw InputError(path, "cannot write model file: " + first_line(e.what_without_backtrace()));
    }
  });
}

LoadedModel load_model(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw InputError(path, "model file not found");
  if (std::filesystem::is_directory(path, ec)) throw InputError(path, "is a folder, not a model file");

  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path.string());
  } catch (const c10::Error& e) {
    throw InputError(path, "not an l3slice model file, or truncated/damaged (" +
                               first_line(e.what_without_backtrace()) + ")");
  }
  c10::IValue metadata;
  bool has_metadata = false;
  try {
    has_metadata = archive.try_read(kMetadataKey, metadata) && metadata.isString();
  } catch (const c10::Error& e) {
    throw InputError(path, "damaged model file (" + first_line(e.what_without_backtrace()) + ")");
  }
  if (!has_metadata) throw InputError(path, "not an l3slice model file (no l3slice metadata)");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(metadata.toStringRef());
  } catch (const nlohmann::json::exception&) {
    throw InputError(path, "damaged model file (metadata is not valid JSON)");
  }

  LoadedModel model{model_info_from_json(j, path), nullptr};
  model.net = make_resnet(model.info.arch);
  const std::string arch = fmt::format("{}, {} channel(s)", architecture_name(model.info.arch),
                                       model.info.channels);
  try {
    check_tensor_names(archive, *model.net, path, arch);
  } catch (const c10::Error& e) {
    throw InputError(path, "damaged model file (" + first_line(e.what_without_backtrace()) + ")");
  }
  // Module::load replaces tensors whatever their shape, so compare shapes ourselves.
  struct Expected {
    std::string name;
    std::vector<int64_t> sizes;
    torch::Dtype dtype;
  };
  std::vector<Expected> expected;
  for (const auto& t : model.net->named_parameters())
    expected.push_back({t.key(), t.value().sizes().vec(), t.value().scalar_type()});
  for (const auto& t : model.net->named_buffers())
    expected.push_back({t.key(), t.value().sizes().vec(), t.value().scalar_type()});
  try {
    model.net->load(archive);
  } catch (const c10::Error& e) {
    throw InputError(path, fmt::format("weights do not match the metadata's architecture ({}): {}", arch,
                                       first_line(e.what_without_backtrace())));
  }
  auto params = model.net->named_parameters();
  auto buffers = model.net->named_buffers();
  for (const Expected& e : expected) {
    const torch::Tensor* t = params.find(e.name);
    if (t == nullptr) t = buffers.find(e.name);
    if (t == nullptr || t->sizes().vec() != e.sizes)
      throw InputError(path, fmt::format("weights do not match the metadata's architecture ({}): {} has shape {}",
                                         arch, e.name, t ? shape_string(*t) : "(missing)"));
    if (t->scalar_type() != e.dtype)
      throw InputError(path, fmt::format("weights: {} is {}, expected {}", e.name,
                                         c10::toString(t->scalar_type()), c10::toString(e.dtype)));
  }
  if (const std::string bad = first_non_finite(*model.net); !bad.empty())
    throw InputError(path, fmt::format("weights contain NaN or Inf ({}); the model is unusable", bad));
  c10::IValue checksum;
  if (!archive.try_read(kChecksumKey, checksum) || !checksum.isInt() ||
      checksum.toInt() != weights_crc32(*model.net))
    throw InputError(path, "damaged model file (weights checksum does not match)");
  model.net->eval();
  return model;
}

}  // namespace l3
