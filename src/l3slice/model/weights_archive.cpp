#include "l3slice/model/weights_archive.h"

#include <set>
#include <sstream>
#include <vector>

#include <fmt/format.h>
#include <zlib.h>

#include "l3slice/core/atomic_file.h"
#include "l3slice/core/error.h"

namespace l3 {
namespace {

// The file is a PyTorch serialization archive (zip, CRC-checked): the network's parameters and
// buffers under their torchvision names (as torch::save(module) writes them) plus one string
// entry holding the metadata JSON.
constexpr const char* kMetadataKey = "l3slice_metadata";
// CRC-32 of all weights: PyTorch's reader does not check the zip CRCs, so damaged weight bytes
// would otherwise load silently.
constexpr const char* kChecksumKey = "l3slice_weights_crc32";

std::string shape_string(const torch::Tensor& t) {
  std::ostringstream s;
  s << t.sizes();
  return s.str();
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

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  return line.size() > 200 ? line.substr(0, 200) + "..." : line;
}

std::string first_non_finite(torch::nn::Module& net) {
  torch::NoGradGuard no_grad;
  for (const auto& p : net.named_parameters())
    if (!torch::isfinite(p.value()).all().item<bool>()) return p.key();
  for (const auto& b : net.named_buffers())
    if (b.value().is_floating_point() && !torch::isfinite(b.value()).all().item<bool>()) return b.key();
  return "";
}

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

void save_weights_archive(const std::filesystem::path& path, torch::nn::Module& net, const nlohmann::json& metadata) {
  if (const std::string bad = first_non_finite(net); !bad.empty())
    throw UsageError(fmt::format("refusing to save {}: weights contain NaN or Inf ({}); training diverged",
                                 path.string(), bad));
  torch::serialize::OutputArchive archive;
  archive.write(kMetadataKey, c10::IValue(metadata.dump()));
  archive.write(kChecksumKey, c10::IValue(weights_crc32(net)));
  net.save(archive);
  write_atomically(path, [&](const std::filesystem::path& tmp) {
    try {
      archive.save_to(tmp.string());
    } catch (const c10::Error& e) {
      throw InputError(path, "cannot write model file: " + first_line(e.what_without_backtrace()));
    }
  });
}

nlohmann::json open_weights_archive(const std::filesystem::path& path, torch::serialize::InputArchive& archive) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw InputError(path, "model file not found");
  if (std::filesystem::is_directory(path, ec)) throw InputError(path, "is a folder, not a model file");
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
  try {
    return nlohmann::json::parse(metadata.toStringRef());
  } catch (const nlohmann::json::exception&) {
    throw InputError(path, "damaged model file (metadata is not valid JSON)");
  }
}

void load_weights(torch::serialize::InputArchive& archive, torch::nn::Module& net, const std::filesystem::path& path,
                  const std::string& arch) {
  try {
    check_tensor_names(archive, net, path, arch);
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
  for (const auto& t : net.named_parameters()) expected.push_back({t.key(), t.value().sizes().vec(), t.value().scalar_type()});
  for (const auto& t : net.named_buffers()) expected.push_back({t.key(), t.value().sizes().vec(), t.value().scalar_type()});
  try {
    net.load(archive);
  } catch (const c10::Error& e) {
    throw InputError(path, fmt::format("weights do not match the metadata's architecture ({}): {}", arch,
                                       first_line(e.what_without_backtrace())));
  }
  auto params = net.named_parameters();
  auto buffers = net.named_buffers();
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
  if (const std::string bad = first_non_finite(net); !bad.empty())
    throw InputError(path, fmt::format("weights contain NaN or Inf ({}); the model is unusable", bad));
  c10::IValue checksum;
  if (!archive.try_read(kChecksumKey, checksum) || !checksum.isInt() || checksum.toInt() != weights_crc32(net))
    throw InputError(path, "damaged model file (weights checksum does not match)");
  net.eval();
}

}  // namespace l3
