#pragma once
// Progress for long work: "label 12/100  3.4/s  ETA 0:25" redrawn on a terminal;
// silent when stderr is not a terminal (logs stay clean), but for one summary line at the end.
#include <chrono>
#include <cstdio>
#include <string>

namespace l3 {

class Progress {
 public:
  // total = 0: unknown total (no ETA). unit: what is counted ("cases", "slices", "img").
  Progress(std::string label, long total, std::string unit = "", std::FILE* out = stderr);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void advance(long n = 1) { set(done_ + n); }
  void set(long done, const std::string& extra = "");
  // Ends the line; with a summary when not on a terminal.
  void finish(const std::string& extra = "");

  long done() const { return done_; }
  double rate() const;  // per second since start

  static std::string format_duration(double seconds);  // "1:02:03" / "2:03"

 private:
  void draw(const std::string& extra);

  std::string label_;
  long total_;
  std::string unit_;
  std::FILE* out_;
  bool tty_;
  long done_ = 0;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace l3
