#include <gtest/gtest.h>

#include <fstream>

#include "l3slice/core/error.h"
#include "l3slice/model/model_file.h"
#include "l3slice/segmenter/segmenter_file.h"
#include "support/test_support.h"

namespace {

l3::SegmenterInfo small_info() {
  l3::SegmenterInfo info;
  info.arch = {1, 5, 4, 3};
  info.geometry = {64, 4.0};
  info.training = {{"epochs", 1}};
  return info;
}

}  // namespace

TEST(SegmenterFile, RoundTripKeepsWeightsMetadataAndChecksum) {
  l3::testing::TempDir dir;
  torch::manual_seed(3);
  const auto info = small_info();
  l3::UNet net(info.arch);
  l3::save_segmenter(dir / "u.l3u", info, net);
  auto back = l3::load_segmenter(dir / "u.l3u");
  EXPECT_EQ(back.info.arch.base_channels, 4);
  EXPECT_EQ(back.info.geometry.size, 64);
  EXPECT_EQ(back.info.training["epochs"], 1);
  net->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor x = torch::randn({1, 1, 64, 64});
  EXPECT_TRUE(torch::equal(net->forward(x), back.net->forward(x)));
  EXPECT_NE(back.crc32, 0u);
}

TEST(SegmenterFile, WrongOrDamagedFilesAreOneLineErrorsNamingTheFile) {
  l3::testing::TempDir dir;
  EXPECT_THROW(l3::load_segmenter(dir / "missing.l3u"), l3::InputError);
  // A classifier is not a segmenter.
  l3::ModelInfo classifier;
  classifier.arch = {18, 1, 2};
  classifier.input_size = 64;
  l3::ResNet resnet = l3::make_resnet(classifier.arch);
  l3::save_model(dir / "c.l3m", classifier, resnet);
  try {
    l3::load_segmenter(dir / "c.l3m");
    FAIL() << "a classifier loaded as a segmenter";
  } catch (const l3::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("c.l3m"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("not an l3slice segmenter file"), std::string::npos) << e.what();
  }
  // Truncated.
  l3::UNet net(small_info().arch);
  l3::save_segmenter(dir / "u.l3u", small_info(), net);
  const auto size = std::filesystem::file_size(dir / "u.l3u");
  std::filesystem::resize_file(dir / "u.l3u", size / 2);
  EXPECT_THROW(l3::load_segmenter(dir / "u.l3u"), l3::InputError);
}
