// `l3slice info` on the shared real CT and on a bad input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace l3 {
namespace {

using testing::run_cli;

TEST(InfoCommand, ReportsL3OfTheSharedCt) {
  const auto data = testing::shared_data() / "totalseg-example";
  const auto ct = (data / "ct.nii.gz").string(), labels = (data / "vertebral-bodies.nii.gz").string();

  const auto text = run_cli({"info", ct, "--labels", labels, "--l3-label", "22"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("orientation:   RAS"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("L3 middle:     slice 74 (file index 74"), std::string::npos) << text.out;

  const auto json = run_cli({"info", ct, "--labels", labels, "--l3-label", "22", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["format"], "nifti");
  EXPECT_EQ(j["size"], (std::vector<int>{122, 101, 112}));
  EXPECT_EQ(j["l3"]["first"]["slice"], 69);
  EXPECT_EQ(j["l3"]["last"]["slice"], 79);
  EXPECT_EQ(j["l3"]["middle"]["slice"], 74);
  EXPECT_EQ(j["l3"]["middle"]["file_index"], 74);
}

TEST(InfoCommand, EmptyFolderIsAOneLineErrorNamingIt) {
  testing::TempDir dir;
  const auto r = run_cli({"info", dir.path().string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.err.rfind("l3slice: error: " + dir.path().string() + ": ", 0), 0u) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "expected exactly one line: " << r.err;
}

TEST(InfoCommand, AbsentLabelValueNamesTheLabelFile) {
  const auto data = testing::shared_data() / "totalseg-example";
  const auto labels = (data / "vertebral-bodies.nii.gz").string();
  const auto r = run_cli({"info", (data / "ct.nii.gz").string(), "--labels", labels, "--l3-label", "99"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.err.rfind("l3slice: error: " + labels + ": ", 0), 0u) << r.err;
}

}  // namespace
}  // namespace l3
