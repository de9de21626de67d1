#include "l3slice/model/input_tensor.h"

#include <vector>

#include <gtest/gtest.h>

#include "l3slice/core/error.h"

namespace l3 {
namespace {

TEST(InputTensor, MapsBytesWithTheDocumentedFormula) {
  std::vector<uint8_t> bytes = {0, 1, 128, 255, 7, 200, 30, 99};  // 2 inputs of 1 x 2 x 2
  auto t = input_tensor(bytes.data(), 2, 1, 2);
  ASSERT_EQ(t.scalar_type(), torch::kFloat32);
  ASSERT_EQ(t.sizes(), (std::vector<int64_t>{2, 1, 2, 2}));
  auto flat = t.flatten();
  for (size_t i = 0; i < bytes.size(); ++i) {
    const double expected = (bytes[i] / 255.0 - 0.449) / 0.226;
    EXPECT_NEAR(flat[i].item<double>(), expected, 1e-5) << i;
  }
}

TEST(InputTensor, TensorAndPointerVersionsAgree) {
  auto bytes = torch::randint(0, 256, {3, 3, 5, 5}, torch::kUInt8);
  auto from_pointer = input_tensor(bytes.data_ptr<uint8_t>(), 3, 3, 5);
  EXPECT_TRUE(torch::equal(input_tensor(bytes), from_pointer));
}

TEST(InputTensor, CopiesTheBytes) {
  std::vector<uint8_t> bytes(4, 10);
  auto t = input_tensor(bytes.data(), 1, 1, 2);
  bytes.assign(4, 250);
  EXPECT_NEAR(t[0][0][0][0].item<double>(), (10 / 255.0 - 0.449) / 0.226, 1e-5);
}

TEST(InputTensor, RejectsWrongTypesAndShapes) {
  EXPECT_THROW(input_tensor(torch::zeros({1, 1, 4, 4})), UsageError);  // float, not uint8
  EXPECT_THROW(input_tensor(torch::zeros({4, 4}, torch::kUInt8)), UsageError);
  EXPECT_THROW(input_tensor(nullptr, 1, 1, 4), UsageError);
  EXPECT_EQ(input_tensor(nullptr, 0, 1, 4).size(0), 0);
}

}  // namespace
}  // namespace l3
