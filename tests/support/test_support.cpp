#include "support/test_support.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

namespace fs = std::filesystem;

namespace l3::testing {

fs::path shared_data() {
  const char* env = std::getenv("L3SLICE_SHARED_DATA");
  fs::path p = env ? fs::path(env) : fs::path("../shared/data");
  if (!fs::is_directory(p)) ADD_FAILURE() << "shared data folder not found: " << p << " (set L3SLICE_SHARED_DATA)";
  return p;
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = fs::temp_directory_path() / ("l3slice-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {

// Forks and execs the CLI with stdout/stderr sent to the given files.
pid_t start_cli(const std::vector<std::string>& args, const fs::path& out, const fs::path& err) {
  const char* env = std::getenv("L3SLICE_CLI");
  const char* cli = env ? env : L3SLICE_CLI_PATH;
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::vector<std::string> argv_s{cli};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (!std::freopen(out.c_str(), "w", stdout) || !std::freopen(err.c_str(), "w", stderr)) ::_exit(127);
    ::execv(cli, argv.data());
    ::_exit(127);
  }
  return pid;
}

}  // namespace

int spawn_cli(const std::vector<std::string>& args) { return start_cli(args, "/dev/null", "/dev/null"); }

CliResult run_cli(const std::vector<std::string>& args) {
  TempDir io;
  const fs::path out = io / "stdout", err = io / "stderr";
  const pid_t pid = start_cli(args, out, err);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_text(out);
  r.err = read_text(err);
  return r;
}

}  // namespace l3::testing
