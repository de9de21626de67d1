#include "l3slice/core/atomic_file.h"

#include <atomic>
#include <fstream>
#include <random>
#include <unistd.h>

#include "l3slice/core/error.h"

namespace fs = std::filesystem;

namespace l3 {
namespace {

std::string unique_tag() {
  static std::atomic<unsigned> counter{0};
  return ".tmp" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

// Splits "a/b/name.nii.gz" into "name" and ".nii.gz" (all extensions).
std::pair<std::string, std::string> split_extensions(const fs::path& p) {
  const std::string name = p.filename().string();
  const auto dot = name.find('.', 1);
  if (dot == std::string::npos) return {name, ""};
  return {name.substr(0, dot), name.substr(dot)};
}

}  // namespace

fs::path temp_path_for(const fs::path& target) {
  const auto [stem, ext] = split_extensions(target);
  return target.parent_path() / ("." + stem + unique_tag() + ext);
}

void write_atomically(const fs::path& target, const std::function<void(const fs::path&)>& write) {
  if (target.has_parent_path()) fs::create_directories(target.parent_path());
  const fs::path tmp = temp_path_for(target);
  try {
    write(tmp);
    fs::rename(tmp, target);
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
}

void write_text_atomically(const fs::path& target, const std::string& text) {
  write_atomically(target, [&](const fs::path& tmp) {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    out.close();
    if (!out) throw InputError(target, "cannot write file");
  });
}

StagingDir::StagingDir(fs::path target) : target_(std::move(target)) {
  if (target_.has_parent_path()) fs::create_directories(target_.parent_path());
  tmp_ = target_.parent_path() / ("." + target_.filename().string() + unique_tag());
  fs::create_directories(tmp_);
}

StagingDir::~StagingDir() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(tmp_, ec);
}

void StagingDir::commit() {
  std::error_code ec;
  if (fs::exists(target_)) {
    // Move the old folder aside first so the target is never missing a complete version for long.
    const fs::path old = target_.parent_path() / ("." + target_.filename().string() + unique_tag() + ".old");
    fs::rename(target_, old);
    fs::rename(tmp_, target_);
    fs::remove_all(old, ec);
  } else {
    fs::rename(tmp_, target_);
  }
  committed_ = true;
}

}  // namespace l3
