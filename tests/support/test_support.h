#pragma once
// Helpers shared by all tests.
#include <filesystem>
#include <string>
#include <vector>

namespace l3::testing {

// ../shared/data (from the L3SLICE_SHARED_DATA environment variable set by CTest).
// Fails the calling test if the folder is missing: these tests must not pass silently.
std::filesystem::path shared_data();

// A fresh, empty folder removed when the object goes out of scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct CliResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs the real l3slice binary (L3SLICE_CLI) with the given arguments.
CliResult run_cli(const std::vector<std::string>& args);

// Starts the real l3slice binary in the background with output discarded; returns its pid.
int spawn_cli(const std::vector<std::string>& args);

std::string read_text(const std::filesystem::path& path);

}  // namespace l3::testing
