#include "l3slice/tuning/plot.h"

#include <algorithm>
#include <cctype>
#include <array>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "l3slice/core/error.h"

namespace l3 {

namespace {

using Color = std::array<std::uint8_t, 3>;
constexpr Color kWhite{255, 255, 255}, kBlack{0, 0, 0}, kLightGray{235, 235, 235};
constexpr Color kDot{40, 90, 180}, kBestLine{240, 130, 20}, kRed{220, 30, 30};

// 5x7 glyphs, one byte per column, bit 0 at the top (the classic "glcdfont" shapes).
struct Glyph {
  char c;
  std::array<std::uint8_t, 5> columns;
};
constexpr Glyph kFont[] = {
    {'0', {0x3E, 0x51, 0x49, 0x45, 0x3E}}, {'1', {0x00, 0x42, 0x7F, 0x40, 0x00}}, {'2', {0x42, 0x61, 0x51, 0x49, 0x46}},
    {'3', {0x21, 0x41, 0x45, 0x4B, 0x31}}, {'4', {0x18, 0x14, 0x12, 0x7F, 0x10}}, {'5', {0x27, 0x45, 0x45, 0x45, 0x39}},
    {'6', {0x3C, 0x4A, 0x49, 0x49, 0x30}}, {'7', {0x01, 0x71, 0x09, 0x05, 0x03}}, {'8', {0x36, 0x49, 0x49, 0x49, 0x36}},
    {'9', {0x06, 0x49, 0x49, 0x29, 0x1E}}, {'a', {0x20, 0x54, 0x54, 0x54, 0x78}}, {'b', {0x7F, 0x48, 0x44, 0x44, 0x38}},
    {'c', {0x38, 0x44, 0x44, 0x44, 0x20}}, {'d', {0x38, 0x44, 0x44, 0x48, 0x7F}}, {'e', {0x38, 0x54, 0x54, 0x54, 0x18}},
    {'f', {0x08, 0x7E, 0x09, 0x01, 0x02}}, {'g', {0x0C, 0x52, 0x52, 0x52, 0x3E}}, {'h', {0x7F, 0x08, 0x04, 0x04, 0x78}},
    {'i', {0x00, 0x44, 0x7D, 0x40, 0x00}}, {'j', {0x20, 0x40, 0x44, 0x3D, 0x00}}, {'k', {0x7F, 0x10, 0x28, 0x44, 0x00}},
    {'l', {0x00, 0x41, 0x7F, 0x40, 0x00}}, {'m', {0x7C, 0x04, 0x18, 0x04, 0x78}}, {'n', {0x7C, 0x08, 0x04, 0x04, 0x78}},
    {'o', {0x38, 0x44, 0x44, 0x44, 0x38}}, {'p', {0x7C, 0x14, 0x14, 0x14, 0x08}}, {'q', {0x08, 0x14, 0x14, 0x18, 0x7C}},
    {'r', {0x7C, 0x08, 0x04, 0x04, 0x08}}, {'s', {0x48, 0x54, 0x54, 0x54, 0x20}}, {'t', {0x04, 0x3F, 0x44, 0x40, 0x20}},
    {'u', {0x3C, 0x40, 0x40, 0x20, 0x7C}}, {'v', {0x1C, 0x20, 0x40, 0x20, 0x1C}}, {'w', {0x3C, 0x40, 0x30, 0x40, 0x3C}},
    {'x', {0x44, 0x28, 0x10, 0x28, 0x44}}, {'y', {0x0C, 0x50, 0x50, 0x50, 0x3C}}, {'z', {0x44, 0x64, 0x54, 0x4C, 0x44}},
    {'.', {0x00, 0x60, 0x60, 0x00, 0x00}}, {'-', {0x08, 0x08, 0x08, 0x08, 0x08}}, {'+', {0x08, 0x08, 0x3E, 0x08, 0x08}},
    {'(', {0x00, 0x1C, 0x22, 0x41, 0x00}}, {')', {0x00, 0x41, 0x22, 0x1C, 0x00}}, {':', {0x00, 0x36, 0x36, 0x00, 0x00}},
    {'_', {0x40, 0x40, 0x40, 0x40, 0x40}}, {'=', {0x14, 0x14, 0x14, 0x14, 0x14}}, {',', {0x00, 0x50, 0x30, 0x00, 0x00}},
};
constexpr int kCharWidth = 6, kCharHeight = 7;

class Raster {
 public:
  Raster(int width, int height) : image_{width, height, std::vector<std::uint8_t>(std::size_t(width) * height * 3, 255)} {}

  void set(int x, int y, Color c) {
    if (x < 0 || y < 0 || x >= image_.width || y >= image_.height) return;
    std::uint8_t* p = &image_.rgb[(std::size_t(y) * image_.width + x) * 3];
    p[0] = c[0], p[1] = c[1], p[2] = c[2];
  }
  void fill(int x0, int y0, int w, int h, Color c) {
    for (int y = y0; y < y0 + h; ++y) {
      for (int x = x0; x < x0 + w; ++x) set(x, y, c);
    }
  }
  void line(int x0, int y0, int x1, int y1, Color c) {  // Bresenham
    const int dx = std::abs(x1 - x0), dy = -std::abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    for (;;) {
      set(x0, y0, c);
      if (x0 == x1 && y0 == y1) break;
      const int e2 = 2 * err;
      if (e2 >= dy) err += dy, x0 += sx;
      if (e2 <= dx) err += dx, y0 += sy;
    }
  }
  void dot(int cx, int cy, int radius, Color fill_color, Color outline) {
    for (int y = -radius - 1; y <= radius + 1; ++y) {
      for (int x = -radius - 1; x <= radius + 1; ++x) {
        const int d2 = x * x + y * y;
        if (d2 <= radius * radius) set(cx + x, cy + y, fill_color);
        else if (d2 <= (radius + 1) * (radius + 1)) set(cx + x, cy + y, outline);
      }
    }
  }
  void cross(int cx, int cy, int size, Color c) {
    for (int t = -1; t <= 1; ++t) {
      line(cx - size, cy - size + t, cx + size, cy + size + t, c);
      line(cx - size, cy + size + t, cx + size, cy - size + t, c);
    }
  }
  // Text with its top-left at (x, y); characters without a glyph are left blank.
  void text(int x, int y, const std::string& s, Color c) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char ch = char(std::tolower(static_cast<unsigned char>(s[i])));
      for (const Glyph& g : kFont) {
        if (g.c != ch) continue;
        for (int col = 0; col < 5; ++col) {
          for (int row = 0; row < kCharHeight; ++row) {
            if (g.columns[std::size_t(col)] >> row & 1) set(x + int(i) * kCharWidth + col, y + row, c);
          }
        }
      }
    }
  }
  static int text_width(const std::string& s) { return int(s.size()) * kCharWidth; }
  PlotImage take() { return std::move(image_); }

 private:
  PlotImage image_;
};

// Viridis, by linear interpolation between 9 samples of the matplotlib map.
Color viridis(double t) {
  static constexpr std::array<Color, 9> stops{{{68, 1, 84},    {71, 44, 122},  {59, 81, 139},
                                                {44, 113, 142}, {33, 144, 141}, {39, 173, 129},
                                                {92, 200, 99},  {170, 220, 50}, {253, 231, 37}}};
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * (stops.size() - 1);
  const std::size_t i = std::min(std::size_t(t), stops.size() - 2);
  const double f = t - double(i);
  Color c;
  for (std::size_t k = 0; k < 3; ++k) c[k] = std::uint8_t(std::lround(stops[i][k] * (1 - f) + stops[i + 1][k] * f));
  return c;
}

std::string number(double v) { return fmt::format("{:.3g}", v); }

void check_size(int width, int height) {
  if (width < 200 || height < 150 || width > 8000 || height > 8000) {
    throw UsageError(fmt::format("plot size {}x{} is out of range (200x150 .. 8000x8000)", width, height));
  }
}

}  // namespace

PlotImage plot_objective_over_trials(const Study& study, int width, int height) {
  check_size(width, height);
  Raster r(width, height);
  const int left = 64, right = 16, top = 16, bottom = 40;
  const int pw = width - left - right, ph = height - top - bottom;
  const auto& trials = study.trials();

  double lo = INFINITY, hi = -INFINITY;
  for (const Trial& t : trials) {
    if (t.ok()) lo = std::min(lo, t.objective), hi = std::max(hi, t.objective);
  }
  if (!std::isfinite(lo)) lo = 0.0, hi = 1.0;
  if (hi - lo < 1e-9) lo -= 0.5, hi += 0.5;
  const double pad = 0.05 * (hi - lo);
  lo -= pad, hi += pad;
  const int n = std::max<int>(int(trials.size()), 2);
  auto px = [&](double i) { return left + int(std::lround(i / (n - 1) * (pw - 1))); };
  auto py = [&](double v) { return top + int(std::lround((hi - v) / (hi - lo) * (ph - 1))); };

  // Frame, light grid at quarters, labels.
  for (int k = 1; k < 4; ++k) r.line(left, top + k * ph / 4, left + pw - 1, top + k * ph / 4, kLightGray);
  r.line(left, top, left, top + ph - 1, kBlack);
  r.line(left, top + ph - 1, left + pw - 1, top + ph - 1, kBlack);
  for (int k = 0; k <= 4; ++k) {
    const double v = hi - (hi - lo) * k / 4;
    const std::string s = number(v);
    r.text(left - 6 - Raster::text_width(s), top + k * (ph - 1) / 4 - 3, s, kBlack);
  }
  r.text(left - 3, top + ph + 6, "0", kBlack);
  const std::string last = std::to_string(n - 1);
  r.text(left + pw - Raster::text_width(last), top + ph + 6, last, kBlack);
  r.text(left + pw / 2 - Raster::text_width("trial") / 2, top + ph + 22, "trial", kBlack);
  r.text(4, 4, "objective (dots), best so far (line)", kBlack);

  // Best so far as a step line, then the trials on top.
  bool have_best = false;
  double best = 0.0;
  int last_x = 0, last_y = 0;
  for (std::size_t i = 0; i < trials.size(); ++i) {
    const Trial& t = trials[i];
    if (!t.ok()) continue;
    const bool improves = !have_best || t.objective < best;
    const double next = improves ? t.objective : best;
    const int x = px(double(i)), y = py(next);
    if (have_best) {
      r.line(last_x, last_y, x, last_y, kBestLine);
      r.line(x, last_y, x, y, kBestLine);
      r.line(last_x, last_y + 1, x, last_y + 1, kBestLine);  // 2 px thick
    }
    have_best = true, best = next, last_x = x, last_y = y;
  }
  if (have_best) {
    r.line(last_x, last_y, px(double(n - 1)), last_y, kBestLine);
    r.line(last_x, last_y + 1, px(double(n - 1)), last_y + 1, kBestLine);
  }
  for (std::size_t i = 0; i < trials.size(); ++i) {
    const Trial& t = trials[i];
    if (t.ok()) {
      r.dot(px(double(i)), py(t.objective), 3, kDot, kWhite);
    } else {
      r.cross(px(double(i)), top + 6, 4, kRed);
    }
  }
  return r.take();
}

PlotArea surrogate_plot_area(int width, int height) {
  const int left = 64, right = 90, top = 24, bottom = 44;
  return {left, top, width - left - right, height - top - bottom};
}

PlotImage plot_surrogate(const Study& study, int width, int height) {
  check_size(width, height);
  const SearchSpace& space = study.settings().space;
  if (space.dimension() < 2) throw UsageError("the surrogate plot needs at least two parameters");
  const BayesianOptimizer bo = study.optimizer();
  const auto gp = bo.surrogate();
  const auto best = study.best();
  if (!gp || !best) throw UsageError("the surrogate plot needs at least one successful trial");

  Raster r(width, height);
  const PlotArea area = surrogate_plot_area(width, height);
  const int left = area.left, top = area.top, pw = area.width, ph = area.height;

  // GP mean on a grid of at most 160 x 160 cells (fast enough for any study size), the other
  // parameters fixed at the best trial's values.
  const int cells_x = std::min(pw, 160), cells_y = std::min(ph, 160);
  const std::vector<double> best_unit = space.to_unit(best->params);
  std::vector<double> mean(std::size_t(cells_x) * cells_y);
  Eigen::RowVectorXd point = Eigen::Map<const Eigen::RowVectorXd>(best_unit.data(), Eigen::Index(best_unit.size()));
  for (int cy = 0; cy < cells_y; ++cy) {
    for (int cx = 0; cx < cells_x; ++cx) {
      point(0) = (cx + 0.5) / cells_x;
      point(1) = 1.0 - (cy + 0.5) / cells_y;  // up = larger
      mean[std::size_t(cy) * cells_x + cx] = gp->predict(point).mean;
    }
  }
  const auto [min_it, max_it] = std::minmax_element(mean.begin(), mean.end());
  const double lo = *min_it, hi = std::max(*max_it, *min_it + 1e-12);
  for (int y = 0; y < ph; ++y) {
    for (int x = 0; x < pw; ++x) {
      const double v = mean[std::size_t(y * cells_y / ph) * cells_x + std::size_t(x * cells_x / pw)];
      r.set(left + x, top + y, viridis((v - lo) / (hi - lo)));
    }
  }

  // Trials and the best.
  auto px = [&](double u) { return left + int(std::lround(u * (pw - 1))); };
  auto py = [&](double u) { return top + int(std::lround((1.0 - u) * (ph - 1))); };
  for (const Trial& t : study.trials()) {
    const std::vector<double> u = space.to_unit(t.params);
    if (t.ok()) r.dot(px(u[0]), py(u[1]), 3, kWhite, kBlack);
    else r.cross(px(u[0]), py(u[1]), 3, kBlack);
  }
  r.cross(px(best_unit[0]), py(best_unit[1]), 6, kRed);

  // Axes: ticks at both ends and the middle, labelled in the parameters' own units.
  const Parameter& ax = space.parameters()[0];
  const Parameter& ay = space.parameters()[1];
  r.line(left - 1, top, left - 1, top + ph, kBlack);
  r.line(left - 1, top + ph, left + pw, top + ph, kBlack);
  for (double u : {0.0, 0.5, 1.0}) {
    const std::string sx = number(ax.from_unit(u)), sy = number(ay.from_unit(u));
    r.line(px(u), top + ph, px(u), top + ph + 4, kBlack);
    r.text(std::clamp(px(u) - Raster::text_width(sx) / 2, 0, width - Raster::text_width(sx)), top + ph + 7, sx, kBlack);
    r.line(left - 5, py(u), left - 1, py(u), kBlack);
    r.text(left - 8 - Raster::text_width(sy), std::clamp(py(u) - 3, 0, height - kCharHeight), sy, kBlack);
  }
  const std::string xlabel = ax.name + " (" + to_string(ax.scale) + " scale)";
  const std::string ylabel = ay.name + " (" + to_string(ay.scale) + " scale)";
  r.text(left + pw / 2 - Raster::text_width(xlabel) / 2, top + ph + 24, xlabel, kBlack);
  r.text(4, 3, ylabel, kBlack);
  std::string title = "surrogate mean objective";
  for (int i = 2; i < space.dimension(); ++i) {  // the slice the map shows
    title += fmt::format(", {} = {}", space.parameters()[std::size_t(i)].name, number(best->params[std::size_t(i)]));
  }
  r.text(std::max(16 + Raster::text_width(ylabel), left + pw / 2 - Raster::text_width(title) / 2), 3, title, kBlack);

  // Colour bar with the range of the mean.
  const int bar_x = left + pw + 16, bar_w = 16;
  for (int y = 0; y < ph; ++y) r.fill(bar_x, top + y, bar_w, 1, viridis(1.0 - double(y) / std::max(ph - 1, 1)));
  r.text(bar_x + bar_w + 4, top, number(hi), kBlack);
  r.text(bar_x + bar_w + 4, top + ph - kCharHeight, number(lo), kBlack);
  return r.take();
}

}  // namespace l3
