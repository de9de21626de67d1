#include "l3slice/io/file_length_check.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "l3slice/core/error.h"

namespace l3 {
namespace {

namespace fs = std::filesystem;

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};

// The NIfTI vox_offset from the first bytes of the (decompressed) file, or -1 if not recognised.
double vox_offset(const unsigned char* head, std::size_t n) {
  if (n < 176) return -1;
  int32_t header_size;
  std::memcpy(&header_size, head, 4);
  if (header_size == 348) {  // NIfTI-1: float at byte 108
    float v;
    std::memcpy(&v, head + 108, 4);
    return v;
  }
  if (header_size == 540) {  // NIfTI-2: int64 at byte 168
    int64_t v;
    std::memcpy(&v, head + 168, 8);
    return double(v);
  }
  return -1;  // other byte order: left to ITK
}

// The NIfTI datatype code (16 float32, 64 float64, ...), or 0 if not recognised.
int datatype(const unsigned char* head, std::size_t n) {
  if (n < 176) return 0;
  int32_t header_size;
  std::memcpy(&header_size, head, 4);
  int16_t code = 0;
  if (header_size == 348) std::memcpy(&code, head + 70, 2);
  if (header_size == 540) std::memcpy(&code, head + 12, 2);
  return code;
}

// Counts NaN and infinite values of type Float in a byte stream fed in arbitrary pieces.
template <typename Float>
class NonFiniteCounter {
 public:
  explicit NonFiniteCounter(NonFinite* counts) : counts_(counts) {}
  void add(const unsigned char* data, std::size_t n) {
    while (n > 0) {
      const std::size_t take = std::min(n, sizeof(Float) - used_);
      std::memcpy(value_ + used_, data, take);
      used_ += take;
      data += take;
      n -= take;
      if (used_ < sizeof(Float)) return;
      used_ = 0;
      Float v;
      std::memcpy(&v, value_, sizeof v);
      counts_->nan += std::isnan(v) ? 1 : 0;
      counts_->infinite += std::isinf(v) ? 1 : 0;
    }
  }

 private:
  NonFinite* counts_;
  unsigned char value_[sizeof(Float)] = {};
  std::size_t used_ = 0;
};

// Feeds the voxel bytes of each decompressed piece (at `position` in the file) to a counter.
struct VoxelBytes {
  uint64_t begin = 0, end = 0;  // voxel data in the file
  template <typename Counter>
  void feed(Counter& counter, const unsigned char* piece, std::size_t n, uint64_t position) const {
    const uint64_t from = std::max(begin, position), to = std::min(end, position + n);
    if (from < to) counter.add(piece + (from - position), std::size_t(to - from));
  }
};

}  // namespace

NonFinite check_nifti_complete(const fs::path& path, uint64_t data_bytes) {
  // gzopen reads plain files transparently, so one path handles .nii and .nii.gz.
  std::unique_ptr<gzFile_s, GzCloser> in(gzopen(path.c_str(), "rb"));
  if (!in) throw InputError(path, "cannot be opened");
  std::vector<unsigned char> buffer(1 << 20);
  uint64_t total = 0;
  double offset = -1;
  int type = 0;
  VoxelBytes voxels;
  // ITK's NIfTI reader turns NaN and infinite floats into 0, so they are counted here.
  NonFinite non_finite;
  NonFiniteCounter<float> floats(&non_finite);
  NonFiniteCounter<double> doubles(&non_finite);
  while (true) {
    const int n = gzread(in.get(), buffer.data(), unsigned(buffer.size()));
    if (n < 0) {
      int code = 0;
      const char* message = gzerror(in.get(), &code);
      throw InputError(path, fmt::format("is corrupt or truncated ({})", message ? message : "gzip error"));
    }
    if (total == 0) {
      offset = vox_offset(buffer.data(), std::size_t(n));
      type = datatype(buffer.data(), std::size_t(n));
      if (offset >= 0) voxels = {uint64_t(offset), uint64_t(offset) + data_bytes};
    }
    if (type == 16) voxels.feed(floats, buffer.data(), std::size_t(n), total);
    if (type == 64) voxels.feed(doubles, buffer.data(), std::size_t(n), total);
    total += uint64_t(n);
    if (n == 0) break;
  }
  int code = 0;
  gzerror(in.get(), &code);
  if (code != Z_OK && code != Z_STREAM_END)
    throw InputError(path, "is truncated or corrupt (its compressed data ends early)");
  if (offset < 0) return non_finite;
  const double needed = offset + double(data_bytes);
  if (double(total) < needed)
    throw InputError(path, fmt::format("is truncated: {} bytes of data, but its header needs {:.0f}", total, needed));
  return non_finite;
}

void check_metaimage_complete(const fs::path& path, uint64_t data_bytes) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  bool compressed = false;
  double compressed_size = -1;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    const auto trim = [](std::string& s) {
      s.erase(0, s.find_first_not_of(" \t\r"));
      s.erase(s.find_last_not_of(" \t\r") + 1);
    };
    trim(key);
    trim(value);
    if (key == "CompressedData") compressed = value == "True" || value == "true";
    if (key == "CompressedDataSize") compressed_size = std::atof(value.c_str());
    if (key == "ElementDataFile") {
      if (value != "LOCAL") return;  // separate data file (.mhd + .raw): not checked here
      break;
    }
  }
  if (!in) return;
  const double start = double(in.tellg());
  const double expected = compressed ? compressed_size : double(data_bytes);
  if (expected < 0) return;
  const double size = double(fs::file_size(path));
  if (size < start + expected)
    throw InputError(path, fmt::format("is truncated: {:.0f} bytes, but its header needs {:.0f}", size, start + expected));
}

}  // namespace l3
