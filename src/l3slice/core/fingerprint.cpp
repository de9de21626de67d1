#include "l3slice/core/fingerprint.h"

#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <vector>

#include <fmt/format.h>

#include "l3slice/core/error.h"

namespace fs = std::filesystem;

namespace l3 {

std::string input_fingerprint(const fs::path& path) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path, "cannot open file");
    uLong crc = crc32(0L, Z_NULL, 0);
    std::vector<char> buffer(1 << 20);
    std::uintmax_t size = 0;
    while (in) {
      in.read(buffer.data(), std::streamsize(buffer.size()));
      const auto n = in.gcount();
      crc = crc32_z(crc, reinterpret_cast<const Bytef*>(buffer.data()), std::size_t(n));
      size += std::uintmax_t(n);
    }
    return fmt::format("file:{}:{:08x}", size, crc);
  }
  if (fs::is_directory(path, ec)) {
    std::vector<std::pair<std::string, std::uintmax_t>> files;
    for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
      if (it->is_regular_file(ec)) files.emplace_back(fs::relative(it->path(), path).generic_string(), it->file_size(ec));
    if (ec) throw InputError(path, "cannot list folder: " + ec.message());
    std::sort(files.begin(), files.end());
    uLong crc = crc32(0L, Z_NULL, 0);
    std::uintmax_t bytes = 0;
    for (const auto& [name, size] : files) {
      const std::string entry = fmt::format("{}\n{}\n", name, size);
      crc = crc32_z(crc, reinterpret_cast<const Bytef*>(entry.data()), entry.size());
      bytes += size;
    }
    return fmt::format("folder:{}:{}:{:08x}", files.size(), bytes, crc);
  }
  throw InputError(path, "no such file or folder");
}

}  // namespace l3
