#include "l3slice/bodycomp/radial_wall.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace l3::bodycomp {
namespace {

constexpr double kPi = 3.14159265358979323846;

struct Ray {
  std::vector<RayTissue> samples;  // samples[j] at radius j * step
  double step = 0;
};

RayTissue sample(const Image<uint8_t>& classes, double x_mm, double y_mm) {
  const Grid& g = classes.grid;
  const long x = std::lround(x_mm / g.spacing[0]), y = std::lround(y_mm / g.spacing[1]);
  if (x < 0 || y < 0 || x >= g.size[0] || y >= g.size[1]) return RayTissue::outside;
  return RayTissue(classes.at(int(x), int(y), 0));
}

bool is_soft(RayTissue t) { return t == RayTissue::soft || t == RayTissue::bone; }

struct Edges {
  std::optional<double> outer, inner;
};

// Walks one ray inwards from the skin.
Edges find_edges(const Ray& ray, double max_wall_mm, const WallParams& p) {
  const auto& s = ray.samples;
  const double h = ray.step;
  int skin = -1;
  for (int j = int(s.size()) - 1; j >= 0; --j)
    if (s[j] != RayTissue::outside) { skin = j; break; }
  if (skin < 0) return {};
  const int min_run = std::max(1, int(std::ceil(p.wall_min_mm / h)));
  const int max_gap = std::max(1, int(std::ceil(p.gap_mm / h)));
  Edges e;
  // The wall starts at the first soft sample below the skin from which at least min_run soft
  // samples follow with no fat gap of max_gap or more: the flat muscles are split by thin fat
  // planes, while SAT septa are thin soft lines between long stretches of fat.
  int start = -1;
  for (int j = skin; j >= 0 && start < 0; --j) {
    if ((skin - j) * h < p.skin_mm || !is_soft(s[j])) continue;
    int soft = 0, gap = 0;
    for (int k = j; k >= 0 && gap < max_gap; --k) {
      if (is_soft(s[k])) {
        gap = 0;
        if (++soft >= min_run) { start = j; break; }
      } else {
        ++gap;
      }
    }
  }
  if (start < 0) return e;
  e.outer = (start + 0.5) * h;
  // Inner edge: follow the wall, tolerating short fat gaps, until a long gap or bone.
  const int max_bowel_wall = int(std::floor(p.bowel_wall_mm / h));
  int last_soft = start, gap = 0, run_start = start, previous_run_end = -1;
  for (int j = start; j >= 0; --j) {
    if (s[j] == RayTissue::bone) {
      // The spine (or a rib) ends the wall; the bone itself is excluded from muscle later.
      e.inner = (j + 0.5) * h;
      break;
    }
    if (s[j] == RayTissue::soft) {
      if (gap > 0) {
        previous_run_end = last_soft;
        run_start = j;
      }
      last_soft = j;
      gap = 0;
    } else if (++gap >= max_gap) {
      e.inner = (last_soft - 0.5) * h;
      // Muscle never lies against gas: a thin soft run behind a fat gap and in front of gas is
      // the wall of a bowel loop (or the colon in front of the quadratus); the wall ends before it.
      if (previous_run_end >= 0 && run_start - last_soft < max_bowel_wall && s[last_soft - 1] == RayTissue::other)
        e.inner = (previous_run_end - 0.5) * h;
      break;
    }
  }
  if (e.inner && *e.outer - *e.inner > max_wall_mm) e.inner.reset();  // an organ against the wall
  return e;
}

// Fills missing values by linear interpolation around the circle, then a circular median.
std::vector<double> complete_and_smooth(const std::vector<std::optional<double>>& values, int window) {
  const int n = int(values.size());
  std::vector<int> known;
  for (int i = 0; i < n; ++i)
    if (values[i]) known.push_back(i);
  std::vector<double> filled(n, 0.0);
  if (known.empty()) return filled;
  for (int i = 0; i < n; ++i) {
    if (values[i]) { filled[i] = *values[i]; continue; }
    // Nearest known neighbours before and after (circularly).
    auto after = std::upper_bound(known.begin(), known.end(), i);
    const int next = after == known.end() ? known.front() + n : *after;
    const int prev = after == known.begin() ? known.back() - n : *(after - 1);
    const double a = *values[(prev + n) % n], b = *values[next % n];
    const double t = next == prev ? 0.0 : double(i - prev) / double(next - prev);
    filled[i] = a + t * (b - a);
  }
  std::vector<double> smoothed(n);
  const int half = window / 2;
  std::vector<double> buffer;
  for (int i = 0; i < n; ++i) {
    buffer.clear();
    for (int k = -half; k <= half; ++k) buffer.push_back(filled[((i + k) % n + n) % n]);
    std::nth_element(buffer.begin(), buffer.begin() + half, buffer.end());
    smoothed[i] = buffer[half];
  }
  return smoothed;
}

// Drops values further than [below, above] from the median of their known neighbours within
// +-half_window rays: the fascia and the wall thickness change slowly around the body, so a few
// rays that jumped to a bowel loop, a septum or an organ pressed against the wall stand out.
void drop_outliers(std::vector<std::optional<double>>& values, int half_window, double below, double above) {
  const int n = int(values.size());
  const auto original = values;
  std::vector<double> around;
  for (int i = 0; i < n; ++i) {
    if (!original[i]) continue;
    around.clear();
    for (int k = -half_window; k <= half_window; ++k)
      if (const auto& v = original[((i + k) % n + n) % n]) around.push_back(*v);
    if (around.size() < 3) continue;
    std::nth_element(around.begin(), around.begin() + around.size() / 2, around.end());
    const double median = around[around.size() / 2];
    if (*original[i] < median - below || *original[i] > median + above) values[i].reset();
  }
}

double interpolate(const std::vector<double>& radii, double dx, double dy) {
  const int n = int(radii.size());
  double angle = std::atan2(dy, dx);
  if (angle < 0) angle += 2 * kPi;
  const double t = angle / (2 * kPi) * n;
  const int i = int(std::floor(t)) % n;
  const double f = t - std::floor(t);
  return radii[i] * (1 - f) + radii[(i + 1) % n] * f;
}

}  // namespace

double RadialWall::outer_at(double dx, double dy) const { return interpolate(outer_mm, dx, dy); }
double RadialWall::inner_at(double dx, double dy) const { return interpolate(inner_mm, dx, dy); }

RadialWall find_radial_wall(const Image<uint8_t>& classes, const MaskImage& body, const WallParams& p) {
  const Grid& g = body.grid;
  RadialWall wall;
  double sx = 0, sy = 0;
  long n = 0;
  for (int y = 0; y < g.size[1]; ++y)
    for (int x = 0; x < g.size[0]; ++x)
      if (body.at(x, y, 0)) { sx += x; sy += y; ++n; }
  if (n == 0) return wall;
  wall.centre_x_mm = sx / n * g.spacing[0];
  wall.centre_y_mm = sy / n * g.spacing[1];

  const double step = 0.5 * std::min(g.spacing[0], g.spacing[1]);
  const double reach = std::hypot(g.size[0] * g.spacing[0], g.size[1] * g.spacing[1]);
  const int samples = int(reach / step) + 1;
  std::vector<std::optional<double>> outer(p.rays), inner(p.rays);
  Ray ray;
  ray.step = step;
  for (int r = 0; r < p.rays; ++r) {
    const double angle = 2 * kPi * r / p.rays;
    const double cx = std::cos(angle), cy = std::sin(angle);
    ray.samples.resize(samples);
    for (int j = 0; j < samples; ++j)
      ray.samples[j] = sample(classes, wall.centre_x_mm + j * step * cx, wall.centre_y_mm + j * step * cy);
    // Rows run anterior -> posterior, so cy > 0 points to the back, where the muscles are thicker.
    const double posterior = std::max(0.0, cy);
    const double max_wall = p.max_wall_anterior_mm + posterior * (p.max_wall_posterior_mm - p.max_wall_anterior_mm);
    const Edges e = find_edges(ray, max_wall, p);
    outer[r] = e.outer;
    inner[r] = e.inner;
    wall.valid_outer += bool(e.outer);
    wall.valid_inner += bool(e.inner);
  }
  // Gross failures first, over a wide window: where the wall is too thin or too fatty to be seen,
  // a run of neighbouring rays jumps to the same bowel loop and would fool a narrow median.
  drop_outliers(outer, p.rays / 9, p.fascia_gross_jump_mm, p.fascia_gross_jump_mm);
  drop_outliers(outer, p.rays / 24, p.fascia_jump_mm, p.fascia_jump_mm);
  std::vector<std::optional<double>> thickness(p.rays);
  for (int r = 0; r < p.rays; ++r)
    if (outer[r] && inner[r]) thickness[r] = *outer[r] - *inner[r];
  drop_outliers(thickness, p.rays / 9, 1e9, p.thickness_jump_mm);
  for (int r = 0; r < p.rays; ++r)
    if (!outer[r] || !thickness[r]) inner[r].reset();
  wall.outer_mm = complete_and_smooth(outer, p.median_rays);
  wall.inner_mm = complete_and_smooth(inner, p.median_rays);
  for (int r = 0; r < p.rays; ++r) wall.inner_mm[r] = std::min(wall.inner_mm[r], wall.outer_mm[r]);
  return wall;
}

}  // namespace l3::bodycomp
