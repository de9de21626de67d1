#pragma once
// Errors the user can act on: one line that names the file and the problem.
#include <filesystem>
#include <stdexcept>
#include <string>

namespace l3 {

// Bad input: a file or folder that cannot be used. what() = "<path>: <problem>".
class InputError : public std::runtime_error {
 public:
  InputError(const std::filesystem::path& path, const std::string& problem)
      : std::runtime_error(path.string() + ": " + problem), path_(path), problem_(problem) {}
  const std::filesystem::path& path() const { return path_; }
  const std::string& problem() const { return problem_; }

 private:
  std::filesystem::path path_;
  std::string problem_;
};

// Bad arguments or settings that do not fit together (not tied to one file).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace l3
