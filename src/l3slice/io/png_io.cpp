#include "l3slice/io/png_io.h"

#include <png.h>

#include <fmt/format.h>

#include "l3slice/core/atomic_file.h"
#include "l3slice/core/error.h"

namespace fs = std::filesystem;

namespace l3 {
namespace {

// libpng's simplified API: no setjmp in our code, errors come back as image.message.
struct PngImageHandle {
  png_image image{};
  PngImageHandle() { image.version = PNG_IMAGE_VERSION; }
  ~PngImageHandle() { png_image_free(&image); }
  PngImageHandle(const PngImageHandle&) = delete;
  PngImageHandle& operator=(const PngImageHandle&) = delete;
};

// Guards against headers announcing absurd sizes (and size_t overflow below).
constexpr long kMaxPixels = 1L << 28;

}  // namespace

void write_png(const fs::path& path, const PngImage& picture) {
  if (picture.channels != 1 && picture.channels != 3) {
    throw UsageError(fmt::format("{}: PNG with {} channels: only gray (1) or RGB (3)", path.string(), picture.channels));
  }
  if (picture.width < 1 || picture.height < 1 || long(picture.width) * picture.height > kMaxPixels ||
      picture.pixels.size() != std::size_t(picture.width) * picture.height * picture.channels) {
    throw UsageError(fmt::format("{}: cannot write a {}x{}x{} PNG from {} bytes", path.string(), picture.width,
                                 picture.height, picture.channels, picture.pixels.size()));
  }
  write_atomically(path, [&](const fs::path& tmp) {
    PngImageHandle h;
    h.image.width = png_uint_32(picture.width);
    h.image.height = png_uint_32(picture.height);
    h.image.format = picture.channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
    if (!png_image_write_to_file(&h.image, tmp.c_str(), 0, picture.pixels.data(), 0, nullptr)) {
      throw InputError(path, std::string("cannot write PNG: ") + h.image.message);
    }
  });
}

void write_png_gray(const fs::path& path, int width, int height, const std::vector<uint8_t>& gray) {
  write_png(path, PngImage{width, height, 1, gray});
}

void write_png_rgb(const fs::path& path, int width, int height, const std::vector<uint8_t>& rgb) {
  write_png(path, PngImage{width, height, 3, rgb});
}

PngImage read_png(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError(path, "file not found");
  if (fs::is_directory(path, ec)) throw InputError(path, "is a folder, expected a PNG file");
  PngImageHandle h;
  if (!png_image_begin_read_from_file(&h.image, path.c_str())) {
    throw InputError(path, std::string("not a readable PNG (") + h.image.message + ")");
  }
  PngImage out;
  out.width = int(h.image.width);
  out.height = int(h.image.height);
  if (long(h.image.width) * long(h.image.height) > kMaxPixels) {
    throw InputError(path, fmt::format("PNG too large ({}x{})", h.image.width, h.image.height));
  }
  const bool color = (h.image.format & PNG_FORMAT_FLAG_COLOR) != 0;
  out.channels = color ? 3 : 1;
  h.image.format = color ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
  out.pixels.resize(PNG_IMAGE_SIZE(h.image));
  const png_color black{0, 0, 0};
  if (!png_image_finish_read(&h.image, &black, out.pixels.data(), 0, nullptr)) {
    throw InputError(path, std::string("corrupt or truncated PNG (") + h.image.message + ")");
  }
  return out;
}

}  // namespace l3
