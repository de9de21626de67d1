#pragma once
// Write-then-rename, so a crash or a bad input never leaves a half-written output behind.
#include <filesystem>
#include <functional>
#include <string>

namespace l3 {

// A temporary path beside `target` that keeps its extension(s) (".nii.gz", ".png", ...),
// so libraries that pick a writer by extension still work.
std::filesystem::path temp_path_for(const std::filesystem::path& target);

// Calls write(tmp) and renames tmp to target; on any exception removes tmp and rethrows.
// Creates the parent folder.
void write_atomically(const std::filesystem::path& target,
                      const std::function<void(const std::filesystem::path& tmp)>& write);

// Writes text atomically.
void write_text_atomically(const std::filesystem::path& target, const std::string& text);

// A folder built under a temporary name and moved into place by commit();
// removed with everything in it if destroyed before commit().
class StagingDir {
 public:
  explicit StagingDir(std::filesystem::path target);
  ~StagingDir();
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;

  const std::filesystem::path& path() const { return tmp_; }
  // Replaces any existing target folder.
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path tmp_;
  bool committed_ = false;
};

}  // namespace l3
