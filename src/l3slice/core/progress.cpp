#include "l3slice/core/progress.h"

#include <unistd.h>

#include <fmt/format.h>

namespace l3 {

Progress::Progress(std::string label, long total, std::string unit, std::FILE* out)
    : label_(std::move(label)),
      total_(total),
      unit_(std::move(unit)),
      out_(out),
      tty_(out && ::isatty(::fileno(out))),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_ - std::chrono::seconds(1)) {}

Progress::~Progress() {
  if (!finished_ && tty_ && done_ > 0) std::fputc('\n', out_);
}

double Progress::rate() const {
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  return s > 0 ? done_ / s : 0.0;
}

std::string Progress::format_duration(double seconds) {
  if (!(seconds >= 0) || seconds > 1e7) return "?";
  const long s = static_cast<long>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

void Progress::set(long done, const std::string& extra) {
  done_ = done;
  if (!tty_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100) && done_ != total_) return;
  last_draw_ = now;
  draw(extra);
}

void Progress::draw(const std::string& extra) {
  const double r = rate();
  std::string line = fmt::format("{} {}", label_, done_);
  if (total_ > 0) line += fmt::format("/{}", total_);
  if (!unit_.empty()) line += " " + unit_;
  line += fmt::format("  {:.1f}/s", r);
  if (total_ > 0 && r > 0) line += "  ETA " + format_duration((total_ - done_) / r);
  if (!extra.empty()) line += "  " + extra;
  fmt::print(out_, "\r{}\x1b[K", line);
  std::fflush(out_);
}

void Progress::finish(const std::string& extra) {
  if (finished_) return;
  finished_ = true;
  if (!out_) return;
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (tty_) {
    draw(extra);
    std::fputc('\n', out_);
  } else {
    fmt::print(out_, "{} {} {} in {} ({:.1f}/s){}\n", label_, done_, unit_, format_duration(s), rate(),
               extra.empty() ? "" : "  " + extra);
  }
  std::fflush(out_);
}

}  // namespace l3
