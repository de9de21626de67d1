#include "l3slice/model/model_file.h"

#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "l3slice/core/error.h"
#include "l3slice/model/input_tensor.h"
#include "support/test_support.h"

namespace l3 {
namespace {

using l3::testing::TempDir;

ModelInfo small_info(int depth = 18, int channels = 1) {
  ModelInfo info;
  info.arch = {depth, channels, 2};
  info.channels = channels;
  info.input_size = 64;
  info.neighbour_mm = channels > 1 ? 2.5 : 0.0;
  info.window = {-150.0, 250.0};
  info.truth_definition = "vertebral body (label 22)";
  info.training = {{"cases", 12}, {"seed", 42}, {"data", "synthetic"}};
  return info;
}

// A network whose BN running statistics differ from the initial ones, so buffers matter.
ResNet trained_looking_net(const ModelInfo& info) {
  torch::manual_seed(5);
  ResNet net = make_resnet(info.arch);
  net->train();
  {
    torch::NoGradGuard no_grad;
    net->forward(torch::randn({4, info.channels, 32, 32}) * 2 + 1);
  }
  net->eval();
  return net;
}

std::string load_error(const std::filesystem::path& path) {
  try {
    load_model(path);
  } catch (const InputError& e) {
    EXPECT_EQ(e.path(), path);
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << "one line: " << e.what();
    return e.what();
  }
  ADD_FAILURE() << "load_model accepted " << path;
  return "";
}

std::string bytes_of(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// Writes an archive like save_model but with arbitrary metadata and no checksum (what a damaged
// or foreign file could hold).
void write_raw(const std::filesystem::path& path, const nlohmann::json& metadata, ResNet& net) {
  torch::serialize::OutputArchive archive;
  archive.write("l3slice_metadata", c10::IValue(metadata.dump()));
  net->save(archive);
  archive.save_to(path.string());
}

TEST(ModelFile, RoundTripGivesBitwiseIdenticalOutputsAndMetadata) {
  TempDir dir;
  ModelInfo info = small_info(18, 3);
  info.l3_shortest_mm = 24.0;
  info.l3_longest_mm = 36.5;
  info.fov_mm = 400.0;
  ResNet net = trained_looking_net(info);
  save_model(dir / "m.l3m", info, net);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1) << "temp file left";

  LoadedModel loaded = load_model(dir / "m.l3m");
  EXPECT_FALSE(loaded.net->is_training());
  EXPECT_EQ(loaded.info.arch.depth, 18);
  EXPECT_EQ(loaded.info.arch.in_channels, 3);
  EXPECT_EQ(loaded.info.channels, 3);
  EXPECT_EQ(loaded.info.input_size, 64);
  EXPECT_EQ(loaded.info.neighbour_mm, 2.5);
  EXPECT_EQ(loaded.info.fov_mm, 400.0);
  EXPECT_EQ(loaded.info.window.low, -150.0);
  EXPECT_EQ(loaded.info.window.high, 250.0);
  EXPECT_EQ(loaded.info.truth_definition, info.truth_definition);
  EXPECT_EQ(loaded.info.training, info.training);
  EXPECT_EQ(loaded.info.l3_shortest_mm, 24.0);
  EXPECT_EQ(loaded.info.l3_longest_mm, 36.5);
  EXPECT_EQ(loaded.info.program_version, L3SLICE_VERSION);
  EXPECT_EQ(to_json(loaded.info), to_json(info));

  torch::NoGradGuard no_grad;
  auto x = input_tensor(torch::randint(0, 256, {3, 3, 64, 64}, torch::kUInt8));
  EXPECT_TRUE(torch::equal(net->forward(x), loaded.net->forward(x)));
}

TEST(ModelFile, FilesWithoutTrueRunLengthsStillLoad) {
  // Files written before the L3 run lengths were kept: lengths unknown (0), predict's generic limits.
  TempDir dir;
  const ModelInfo info = small_info(18, 1);
  ResNet net = trained_looking_net(info);
  nlohmann::json metadata = to_json(info);
  metadata.erase("l3_run_mm");
  metadata.erase("fov_mm");  // nor the input field of view: the whole slice, as those models saw it
  const ModelInfo back = model_info_from_json(metadata, dir / "old.l3m");
  EXPECT_EQ(back.l3_shortest_mm, 0.0);
  EXPECT_EQ(back.l3_longest_mm, 0.0);
  EXPECT_EQ(back.fov_mm, 0.0);
}

TEST(ModelFile, SaveReplacesAnExistingFile) {
  TempDir dir;
  write_bytes(dir / "m.l3m", "old");
  ModelInfo info = small_info();
  ResNet net = trained_looking_net(info);
  save_model(dir / "m.l3m", info, net);
  EXPECT_NO_THROW(load_model(dir / "m.l3m"));
}

TEST(ModelFile, SaveRefusesNonFiniteWeightsAndLeavesNoFile) {
  TempDir dir;
  ModelInfo info = small_info();
  ResNet net = trained_looking_net(info);
  {
    torch::NoGradGuard no_grad;
    net->named_parameters()["layer2.0.conv1.weight"][0][0][0][0] = NAN;
  }
  EXPECT_THROW(save_model(dir / "m.l3m", info, net), UsageError);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(ModelFile, SaveRefusesMetadataThatDoesNotDescribeTheNetwork) {
  TempDir dir;
  ModelInfo info = small_info(18);
  ResNet net34 = make_resnet({34, 1, 2});
  EXPECT_THROW(save_model(dir / "m.l3m", info, net34), UsageError);
  ResNet net18 = make_resnet({18, 1, 2});
  info.window = {300.0, 100.0};  // metadata load would refuse
  EXPECT_THROW(save_model(dir / "m.l3m", info, net18), UsageError);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(ModelFile, LoadRejectsMissingFileAndFolders) {
  TempDir dir;
  EXPECT_NE(load_error(dir / "absent.l3m").find("not found"), std::string::npos);
  EXPECT_NE(load_error(dir.path()).find("folder"), std::string::npos);
}

TEST(ModelFile, LoadRejectsFilesThatAreNotModels) {
  TempDir dir;
  write_bytes(dir / "text.l3m", "this is not a model\n");
  EXPECT_NE(load_error(dir / "text.l3m").find("not an l3slice model file"), std::string::npos);
  write_bytes(dir / "empty.l3m", "");
  EXPECT_NE(load_error(dir / "empty.l3m").find("not an l3slice model file"), std::string::npos);
  // A plain torch::save of a network: a valid archive without l3slice metadata.
  ResNet net = make_resnet({18, 1, 2});
  torch::save(net, (dir / "plain.pt").string());
  EXPECT_NE(load_error(dir / "plain.pt").find("no l3slice metadata"), std::string::npos);
}

TEST(ModelFile, LoadRejectsTruncatedAndCorruptFiles) {
  TempDir dir;
  ModelInfo info = small_info();
  ResNet net = trained_looking_net(info);
  save_model(dir / "m.l3m", info, net);
  const std::string bytes = bytes_of(dir / "m.l3m");
  for (double fraction : {0.01, 0.5, 0.999}) {
    write_bytes(dir / "cut.l3m", bytes.substr(0, size_t(bytes.size() * fraction)));
    load_error(dir / "cut.l3m");
  }
  // Flipped bytes inside the weights (the middle of the file is layer3/4 weight data).
  std::string corrupt = bytes;
  for (size_t i = corrupt.size() / 2; i < corrupt.size() / 2 + 4096; ++i) corrupt[i] = char(~corrupt[i]);
  write_bytes(dir / "corrupt.l3m", corrupt);
  load_error(dir / "corrupt.l3m");
  // A single changed bit in the weights, keeping them finite: only the checksum can tell.
  std::string one_bit = bytes;
  one_bit[bytes.size() / 2] ^= 0x01;
  write_bytes(dir / "bit.l3m", one_bit);
  EXPECT_NE(load_error(dir / "bit.l3m").find("checksum"), std::string::npos);
}

TEST(ModelFile, LoadRejectsUnknownFormatVersion) {
  TempDir dir;
  ModelInfo info = small_info();
  ResNet net = trained_looking_net(info);
  auto metadata = to_json(info);
  metadata["format_version"] = 2;
  write_raw(dir / "future.l3m", metadata, net);
  const std::string error = load_error(dir / "future.l3m");
  EXPECT_NE(error.find("format version 2"), std::string::npos) << error;
}

TEST(ModelFile, LoadRejectsWeightsNotMatchingMetadata) {
  TempDir dir;
  // ResNet34 weights contain every ResNet18 tensor name: the extra blocks must be noticed.
  ResNet net34 = make_resnet({34, 1, 2});
  write_raw(dir / "34as18.l3m", to_json(small_info(18)), net34);
  EXPECT_NE(load_error(dir / "34as18.l3m").find("unexpected layer1.2"), std::string::npos);
  // Same names, other shapes: 3-channel stem under 1-channel metadata.
  ResNet net18c3 = make_resnet({18, 3, 2});
  write_raw(dir / "c3as1.l3m", to_json(small_info(18, 1)), net18c3);
  EXPECT_NE(load_error(dir / "c3as1.l3m").find("conv1.weight"), std::string::npos);
  // Fewer tensors than the metadata's architecture.
  ResNet net18 = make_resnet({18, 1, 2});
  write_raw(dir / "18as34.l3m", to_json(small_info(34)), net18);
  EXPECT_NE(load_error(dir / "18as34.l3m").find("missing"), std::string::npos);
}

TEST(ModelFile, LoadRejectsNonFiniteWeights) {
  TempDir dir;
  ModelInfo info = small_info();
  ResNet net = trained_looking_net(info);
  {
    torch::NoGradGuard no_grad;
    net->named_buffers()["layer1.0.bn1.running_var"][3] = INFINITY;
  }
  write_raw(dir / "inf.l3m", to_json(info), net);
  EXPECT_NE(load_error(dir / "inf.l3m").find("NaN or Inf"), std::string::npos);
  // The same archive with finite weights fails only for its missing checksum.
  ResNet finite = trained_looking_net(info);
  write_raw(dir / "nochecksum.l3m", to_json(info), finite);
  EXPECT_NE(load_error(dir / "nochecksum.l3m").find("checksum"), std::string::npos);
}

TEST(ModelFile, MetadataValidation) {
  const std::filesystem::path p = "x.l3m";
  const auto good = to_json(small_info());
  EXPECT_NO_THROW(model_info_from_json(good, p));
  auto expect_rejected = [&](const char* key, const nlohmann::json& value) {
    auto j = good;
    j[key] = value;
    EXPECT_THROW(model_info_from_json(j, p), InputError) << key << " = " << value.dump();
  };
  expect_rejected("format", "something-else");
  expect_rejected("depth", 101);
  expect_rejected("depth", "fifty");
  expect_rejected("architecture", "resnet50");  // contradicts depth 18
  expect_rejected("classes", nlohmann::json::array({"l3", "not_l3"}));
  expect_rejected("channels", 2);
  expect_rejected("input_size", 4);
  expect_rejected("fov_mm", 10.0);
  expect_rejected("fov_mm", "wide");
  expect_rejected("window", {{"low", 100.0}, {"high", -100.0}});
  expect_rejected("input_normalisation", {{"scale", 1 / 255.0}, {"mean", 0.5}, {"std", 0.5}});
  auto missing = good;
  missing.erase("input_size");
  EXPECT_THROW(model_info_from_json(missing, p), InputError);
}

}  // namespace
}  // namespace l3
