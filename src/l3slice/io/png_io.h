#pragma once
// 8-bit PNG files (gray and RGB) through libpng: slice exports, overlays, QC pictures.
// Writes are atomic (core/atomic_file.h); every error is an InputError naming the file.
#include <cstdint>
#include <filesystem>
#include <vector>

namespace l3 {

// A decoded 8-bit picture: row-major, `channels` interleaved bytes a pixel (1 = gray, 3 = RGB).
struct PngImage {
  int width = 0;
  int height = 0;
  int channels = 1;
  std::vector<uint8_t> pixels;
};

// gray: width * height bytes, row-major (row 0 at the top).
void write_png_gray(const std::filesystem::path& path, int width, int height, const std::vector<uint8_t>& gray);
// rgb: width * height * 3 bytes, row-major, R G B per pixel.
void write_png_rgb(const std::filesystem::path& path, int width, int height, const std::vector<uint8_t>& rgb);
// Writes a gray (channels 1) or RGB (channels 3) image.
void write_png(const std::filesystem::path& path, const PngImage& image);

// Reads any PNG as 8-bit gray (if it has no colour) or RGB: palettes are expanded, 16-bit samples
// reduced to 8, alpha composed onto black. Throws InputError for a missing, corrupt or truncated file.
PngImage read_png(const std::filesystem::path& path);

}  // namespace l3
