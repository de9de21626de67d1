#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "l3slice/core/error.h"
#include "l3slice/io/png_io.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using l3::testing::TempDir;

namespace {

std::vector<uint8_t> ramp(std::size_t n, int step) {
  std::vector<uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = uint8_t((i * step + i / 7) % 256);
  return v;
}

std::size_t file_count(const fs::path& dir) {
  return std::size_t(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

}  // namespace

TEST(PngIo, GrayRoundTripIsExact) {
  TempDir dir;
  const auto gray = ramp(5 * 3, 17);  // 5 wide, 3 high: row order and width must survive
  l3::write_png_gray(dir / "g.png", 5, 3, gray);
  const auto back = l3::read_png(dir / "g.png");
  EXPECT_EQ(back.width, 5);
  EXPECT_EQ(back.height, 3);
  EXPECT_EQ(back.channels, 1);
  EXPECT_EQ(back.pixels, gray);
  EXPECT_EQ(file_count(dir.path()), 1u);  // no temp files left
}

TEST(PngIo, RgbRoundTripIsExact) {
  TempDir dir;
  const auto rgb = ramp(4 * 6 * 3, 29);
  l3::write_png_rgb(dir / "c.png", 4, 6, rgb);
  const auto back = l3::read_png(dir / "c.png");
  EXPECT_EQ(back.width, 4);
  EXPECT_EQ(back.height, 6);
  EXPECT_EQ(back.channels, 3);
  EXPECT_EQ(back.pixels, rgb);
}

TEST(PngIo, OverwritesAnExistingFileAtomically) {
  TempDir dir;
  l3::write_png_gray(dir / "g.png", 2, 1, {1, 2});
  l3::write_png_gray(dir / "g.png", 1, 1, {9});
  EXPECT_EQ(l3::read_png(dir / "g.png").pixels, std::vector<uint8_t>{9});
  EXPECT_EQ(file_count(dir.path()), 1u);
}

TEST(PngIo, RejectsPixelBuffersOfTheWrongSizeWithoutWriting) {
  TempDir dir;
  EXPECT_THROW(l3::write_png_gray(dir / "g.png", 3, 3, std::vector<uint8_t>(8)), l3::UsageError);
  EXPECT_THROW(l3::write_png_rgb(dir / "c.png", 2, 2, std::vector<uint8_t>(4)), l3::UsageError);
  EXPECT_THROW(l3::write_png(dir / "x.png", l3::PngImage{1, 1, 2, {0, 0}}), l3::UsageError);
  EXPECT_EQ(file_count(dir.path()), 0u);
}

TEST(PngIo, MissingCorruptAndTruncatedFilesAreInputErrorsNamingTheFile) {
  TempDir dir;
  const auto expect_input_error = [](const fs::path& p) {
    try {
      l3::read_png(p);
      ADD_FAILURE() << "no error for " << p;
    } catch (const l3::InputError& e) {
      EXPECT_EQ(e.path(), p);
      EXPECT_NE(std::string(e.what()).find(p.filename().string()), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << "one line: " << e.what();
    }
  };
  expect_input_error(dir / "missing.png");
  expect_input_error(dir.path());

  std::ofstream(dir / "text.png") << "this is not a PNG file at all";
  expect_input_error(dir / "text.png");

  l3::write_png_gray(dir / "big.png", 64, 64, ramp(64 * 64, 101));
  const std::string bytes = l3::testing::read_text(dir / "big.png");
  ASSERT_GT(bytes.size(), 200u);
  std::ofstream(dir / "cut.png", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  expect_input_error(dir / "cut.png");

  std::string flipped = bytes;
  flipped[bytes.size() / 2] = char(flipped[bytes.size() / 2] ^ 0x5a);  // damages the compressed data (CRC)
  std::ofstream(dir / "flipped.png", std::ios::binary) << flipped;
  expect_input_error(dir / "flipped.png");
}

TEST(PngIo, WritingWhereTheParentIsAFileFails) {
  TempDir dir;
  std::ofstream(dir / "file") << "x";
  // The parent "folder" is a file: nothing can be written there.
  EXPECT_ANY_THROW(l3::write_png_gray(dir / "file" / "g.png", 1, 1, {0}));
}
