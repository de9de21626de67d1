#include "l3slice/io/file_length_check.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
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

}  // namespace

void check_nifti_complete(const fs::path& path, uint64_t data_bytes) {
  // gzopen reads plain files transparently, so one path handles .nii and .nii.gz.
  std::unique_ptr<gzFile_s, GzCloser> in(gzopen(path.c_str(), "rb"));
  if (!in) throw InputError(path, "cannot be opened");
  std::vector<unsigned char> buffer(1 << 20);
  uint64_t total = 0;
  double offset = -1;
  while (true) {
    const int n = gzread(in.get(), buffer.data(), unsigned(buffer.size()));
    if (n < 0) {
      int code = 0;
      const char* message = gzerror(in.get(), &code);
      throw InputError(path, fmt::format("is corrupt or truncated ({})", message ? message : "gzip error"));
    }
    if (total == 0) offset = vox_offset(buffer.data(), std::size_t(n));
    total += uint64_t(n);
    if (n == 0) break;
  }
  int code = 0;
  gzerror(in.get(), &code);
  if (code != Z_OK && code != Z_STREAM_END)
    throw InputError(path, "is truncated or corrupt (its compressed data ends early)");
  if (offset < 0) return;
  const double needed = offset + double(data_bytes);
  if (double(total) < needed)
    throw InputError(path, fmt::format("is truncated: {} bytes of data, but its header needs {:.0f}", total, needed));
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
