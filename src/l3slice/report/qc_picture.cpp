#include "l3slice/report/qc_picture.h"

#include <algorithm>
#include <cmath>

#include "l3slice/core/error.h"
#include "l3slice/preprocessing/resize.h"

namespace l3 {
namespace {

constexpr int16_t kBoneHu = 150;
constexpr int16_t kBodyHu = -300;
// Cancellous bone of older patients (about 110 HU on the shared real CT) is below kBoneHu; counting
// it keeps the vertebral bodies, not the posterior elements, the largest bone mass along y.
constexpr int16_t kCancellousHu = 90;
constexpr int kGap = 8;
constexpr int kCurveWidth = 160;

uint8_t display(double hu, const QcPictureOptions& o) {
  const double v = (hu - o.window_low) / (o.window_high - o.window_low) * 255.0;
  return static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L));
}

// A reformat with rows = z (superior at the top) and columns along `axis` (0 = x, 1 = y), as the
// maximum over a slab of `half` voxels either side of `at` on the other in-plane axis.
std::vector<uint8_t> reformat(const HuImage& hu, int axis, int at, int half, const QcPictureOptions& o) {
  const auto& s = hu.grid.size;
  const int cols = s[axis], other = s[1 - axis];
  std::vector<uint8_t> out(std::size_t(cols) * s[2]);
  for (int z = 0; z < s[2]; ++z)
    for (int c = 0; c < cols; ++c) {
      int16_t best = INT16_MIN;
      for (int k = std::max(0, at - half); k <= std::min(other - 1, at + half); ++k)
        best = std::max(best, axis == 0 ? hu.at(c, k, z) : hu.at(k, c, z));
      out[std::size_t(s[2] - 1 - z) * cols + c] = display(best, o);
    }
  return out;
}

struct Panel {
  int x0, width;
};

}  // namespace

std::pair<int, int> spine_position(const HuImage& hu) {
  const auto& s = hu.grid.size;
  // x: most bone in the central 40 % of columns (ribs and pelvis lie lateral).
  std::vector<long> by_x(s[0], 0);
  for (int z = 0; z < s[2]; z += 2)
    for (int y = 0; y < s[1]; ++y)
      for (int x = 0; x < s[0]; ++x) by_x[x] += hu.at(x, y, z) >= kBoneHu;
  const int x_lo = int(s[0] * 0.3), x_hi = std::max(x_lo + 1, int(s[0] * 0.7));
  const int x = int(std::max_element(by_x.begin() + x_lo, by_x.begin() + x_hi) - by_x.begin());
  // y: most (cancellous) bone within 15 mm of that column: the vertebral bodies. Only bone with body tissue
  // 10 mm in front of and behind it counts, which leaves out a CT table (air lies between).
  const int half = std::max(1, int(15.0 / hu.grid.spacing[0]));
  const int d = std::max(1, int(10.0 / hu.grid.spacing[1]));
  std::vector<long> by_y(s[1], 0);
  for (int z = 0; z < s[2]; z += 2)
    for (int y = d; y < s[1] - d; ++y)
      for (int xx = std::max(0, x - half); xx <= std::min(s[0] - 1, x + half); ++xx)
        by_y[y] += hu.at(xx, y, z) >= kCancellousHu && hu.at(xx, y - d, z) > kBodyHu && hu.at(xx, y + d, z) > kBodyHu;
  const int y = int(std::max_element(by_y.begin(), by_y.end()) - by_y.begin());
  return {x, y};
}

Canvas render_qc_picture(const CtScan& ct, const std::vector<float>& p, const std::optional<SliceRun>& predicted,
                         const std::optional<SliceRun>& truth, const QcPictureOptions& o) {
  const HuImage& hu = ct.hu;
  const auto& s = hu.grid.size;
  const auto& sp = hu.grid.spacing;
  if (int(p.size()) != s[2]) throw UsageError("QC picture: one probability per slice is needed");
  const int H = o.panel_height;
  const double px_per_mm = H / (s[2] * sp[2]);
  const auto [spine_x, spine_y] = spine_position(hu);

  const int sag_w = std::max(1, int(std::lround(s[1] * sp[1] * px_per_mm)));
  const int cor_w = std::max(1, int(std::lround(s[0] * sp[0] * px_per_mm)));
  const double axial_scale = std::min(H / (s[1] * sp[1]), 1.5 * H / (s[0] * sp[0]));
  const int ax_w = std::max(1, int(std::lround(s[0] * sp[0] * axial_scale)));
  const int ax_h = std::max(1, int(std::lround(s[1] * sp[1] * axial_scale)));

  const Panel sag{kGap, sag_w}, cor{sag.x0 + sag_w + kGap, cor_w}, curve{cor.x0 + cor_w + kGap, kCurveWidth};
  const int ax_x0 = curve.x0 + kCurveWidth + kGap;
  Canvas canvas(ax_x0 + ax_w + kGap, H + 2 * kGap, {24, 24, 24});

  const int slab_y = std::max(0, int(o.slab_mm / 2 / sp[0]));
  const int slab_x = std::max(0, int(o.slab_mm / 2 / sp[1]));
  canvas.draw_gray(resample(reformat(hu, 1, spine_x, slab_y, o).data(), s[1], s[2], sag_w, H), sag_w, H, sag.x0, kGap);
  canvas.draw_gray(resample(reformat(hu, 0, spine_y, slab_x, o).data(), s[0], s[2], cor_w, H), cor_w, H, cor.x0, kGap);
  canvas.fill_rect(curve.x0, kGap, kCurveWidth, H, colors::black);

  // Display row range of slice z (superior at the top).
  const double row_per_slice = double(H) / s[2];
  auto row_top = [&](int z) { return kGap + int(std::floor((s[2] - 1 - z) * row_per_slice)); };
  auto row_mid = [&](int z) { return kGap + int(std::floor((s[2] - 0.5 - z) * row_per_slice)); };
  const Panel panels[] = {sag, cor, curve};

  if (predicted) {
    const int top = row_top(predicted->last), bottom = row_top(predicted->first) + int(std::ceil(row_per_slice));
    for (const auto& panel : panels) {
      canvas.fill_rect(panel.x0, top, panel.width, bottom - top, colors::green, 0.25);
      canvas.line(panel.x0, row_mid(predicted->middle()), panel.x0 + panel.width - 1, row_mid(predicted->middle()), colors::red);
    }
  }
  if (truth) {
    for (const auto& panel : panels) {
      for (int z : {truth->first, truth->last}) {
        const int r = z == truth->last ? row_top(z) : row_top(z) + int(std::ceil(row_per_slice)) - 1;
        for (int x = panel.x0; x < panel.x0 + panel.width; x += 4) canvas.fill_rect(x, r, 2, 1, colors::blue);
      }
      for (int x = panel.x0; x < panel.x0 + panel.width; x += 6) canvas.fill_rect(x, row_mid(truth->middle()), 3, 1, colors::blue);
    }
  }
  // Probability curve: x = P(L3), the 0.5 line dotted.
  for (int r = kGap; r < kGap + H; r += 4) canvas.set(curve.x0 + kCurveWidth / 2, r, colors::gray);
  for (int z = 0; z + 1 < s[2]; ++z) {
    auto px = [&](float v) { return curve.x0 + int(std::lround(std::clamp(v, 0.0f, 1.0f) * (kCurveWidth - 1))); };
    canvas.line(px(p[z]), row_mid(z), px(p[z + 1]), row_mid(z + 1), colors::yellow);
  }
  // The chosen axial slice (or the middle slice when there is no L3), with the spine cross-hair.
  const int z_axial = predicted ? predicted->middle() : s[2] / 2;
  std::vector<uint8_t> axial(std::size_t(s[0]) * s[1]);
  for (int y = 0; y < s[1]; ++y)
    for (int x = 0; x < s[0]; ++x) axial[std::size_t(y) * s[0] + x] = display(hu.at(x, y, z_axial), o);
  canvas.draw_gray(resample(axial.data(), s[0], s[1], ax_w, ax_h), ax_w, ax_h, ax_x0, kGap);
  if (!predicted) canvas.fill_rect(ax_x0, kGap, ax_w, ax_h, colors::red, 0.15);  // "no L3": tinted
  return canvas;
}

}  // namespace l3
