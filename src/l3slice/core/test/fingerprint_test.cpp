// Input fingerprints: a file's bytes, a folder's listing.
#include "l3slice/core/fingerprint.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "l3slice/core/error.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using l3::testing::TempDir;

TEST(Fingerprint, ChangesWithContentAndFolderListing) {
  TempDir dir;
  std::ofstream(dir / "a.bin") << "abc";
  const std::string a = l3::input_fingerprint(dir / "a.bin");
  std::ofstream(dir / "a.bin") << "abd";
  EXPECT_NE(l3::input_fingerprint(dir / "a.bin"), a);
  fs::create_directories(dir / "series");
  std::ofstream(dir / "series" / "1.dcm") << "x";
  const std::string f = l3::input_fingerprint(dir / "series");
  std::ofstream(dir / "series" / "2.dcm") << "y";
  EXPECT_NE(l3::input_fingerprint(dir / "series"), f);
  EXPECT_THROW(l3::input_fingerprint(dir / "missing"), l3::InputError);
}

