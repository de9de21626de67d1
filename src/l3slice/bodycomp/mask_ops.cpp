#include "l3slice/bodycomp/mask_ops.h"

#include <itkBinaryBallStructuringElement.h>
#include <itkBinaryDilateImageFilter.h>
#include <itkBinaryErodeImageFilter.h>
#include <itkBinaryMorphologicalClosingImageFilter.h>
#include <itkBinaryMorphologicalOpeningImageFilter.h>
#include <itkImage.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#include <stdexcept>
#include <vector>

namespace l3::bodycomp {
namespace {

using ItkMask = itk::Image<uint8_t, 2>;
using Ball = itk::BinaryBallStructuringElement<uint8_t, 2>;

template <typename T>
typename itk::Image<T, 2>::Pointer to_itk(const Image<T>& plane) {
  if (plane.grid.size[2] != 1) throw std::invalid_argument("bodycomp: expected a single-slice image");
  auto image = itk::Image<T, 2>::New();
  typename itk::Image<T, 2>::SizeType size{{std::size_t(plane.grid.size[0]), std::size_t(plane.grid.size[1])}};
  image->SetRegions(typename itk::Image<T, 2>::RegionType(size));
  const double spacing[2] = {plane.grid.spacing[0], plane.grid.spacing[1]};
  image->SetSpacing(spacing);
  image->Allocate();
  std::copy(plane.voxels.begin(), plane.voxels.end(), image->GetBufferPointer());
  return image;
}

template <typename T>
Image<T> from_itk(const itk::Image<T, 2>* image, const Grid& grid) {
  Image<T> out(grid);
  const T* buffer = image->GetBufferPointer();
  std::copy(buffer, buffer + out.voxels.size(), out.voxels.begin());
  return out;
}

Ball ball(const Grid& grid, double radius_mm) {
  Ball::SizeType radius;
  for (unsigned axis = 0; axis < 2; ++axis)
    radius[axis] = std::size_t(std::max(0L, std::lround(radius_mm / grid.spacing[axis])));
  Ball element;
  element.SetRadius(radius);
  element.CreateStructuringElement();
  return element;
}

bool is_zero_radius(const Grid& grid, double radius_mm) {
  return std::lround(radius_mm / grid.spacing[0]) <= 0 && std::lround(radius_mm / grid.spacing[1]) <= 0;
}

template <typename Filter>
SliceMask morphology(const SliceMask& mask, double radius_mm) {
  if (is_zero_radius(mask.grid, radius_mm)) return mask;
  auto filter = Filter::New();
  filter->SetInput(to_itk(mask));
  filter->SetKernel(ball(mask.grid, radius_mm));
  filter->SetForegroundValue(1);
  filter->Update();
  return from_itk(filter->GetOutput(), mask.grid);
}

}  // namespace

SliceMask erode(const SliceMask& mask, double radius_mm) {
  return morphology<itk::BinaryErodeImageFilter<ItkMask, ItkMask, Ball>>(mask, radius_mm);
}
SliceMask dilate(const SliceMask& mask, double radius_mm) {
  return morphology<itk::BinaryDilateImageFilter<ItkMask, ItkMask, Ball>>(mask, radius_mm);
}
SliceMask open(const SliceMask& mask, double radius_mm) {
  return morphology<itk::BinaryMorphologicalOpeningImageFilter<ItkMask, ItkMask, Ball>>(mask, radius_mm);
}
SliceMask close(const SliceMask& mask, double radius_mm) {
  // ITK's closing pads the border (SafeBorder), so objects touching the edge are not eroded away.
  return morphology<itk::BinaryMorphologicalClosingImageFilter<ItkMask, ItkMask, Ball>>(mask, radius_mm);
}

// Connected components and hole filling are flood fills written here: ITK's scanline labelling
// (ConnectedComponentImageFilter, and BinaryFillholeImageFilter through its label maps) does
// pointer arithmetic on a null buffer in ITK 5.2 (ScanlineFilterCommon::SetupLineOffsets), which
// UBSan rightly stops on.
namespace {

// Labels the 8-connected (or 4-connected) regions of pixels where inside(i) is true; returns count.
template <typename Inside>
int flood_label(const Grid& g, std::vector<int>& label, bool eight, Inside inside) {
  const int nx = g.size[0], ny = g.size[1];
  label.assign(std::size_t(nx) * ny, 0);
  std::vector<int> stack;
  int n = 0;
  for (int start = 0; start < nx * ny; ++start) {
    if (label[start] || !inside(start)) continue;
    label[start] = ++n;
    stack.push_back(start);
    while (!stack.empty()) {
      const int p = stack.back();
      stack.pop_back();
      const int x = p % nx, y = p / nx;
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
          if ((!dx && !dy) || (!eight && dx && dy)) continue;
          const int qx = x + dx, qy = y + dy;
          if (qx < 0 || qy < 0 || qx >= nx || qy >= ny) continue;
          const int q = qy * nx + qx;
          if (!label[q] && inside(q)) {
            label[q] = n;
            stack.push_back(q);
          }
        }
    }
  }
  return n;
}

}  // namespace

SliceMask fill_holes(const SliceMask& mask) {
  // Background regions (4-connected, the dual of 8-connected foreground) not touching the border.
  const Grid& g = mask.grid;
  std::vector<int> label;
  const int n = flood_label(g, label, false, [&](int i) { return !mask.voxels[i]; });
  std::vector<bool> open(n + 1, false);
  const int nx = g.size[0], ny = g.size[1];
  for (int x = 0; x < nx; ++x) open[label[x]] = open[label[(ny - 1) * nx + x]] = true;
  for (int y = 0; y < ny; ++y) open[label[y * nx]] = open[label[y * nx + nx - 1]] = true;
  SliceMask out = mask;
  for (std::size_t i = 0; i < out.voxels.size(); ++i)
    if (!out.voxels[i] && !open[label[i]]) out.voxels[i] = 1;
  return out;
}

LabelImage components(const SliceMask& mask) {
  std::vector<int> label;
  const int n = flood_label(mask.grid, label, true, [&](int i) { return mask.voxels[i] != 0; });
  // Relabel by decreasing size (ties: first found first), as RelabelComponentImageFilter would.
  std::vector<long> size(n + 1, 0);
  for (int l : label) ++size[l];
  std::vector<int> order(n);
  for (int i = 0; i < n; ++i) order[i] = i + 1;
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return size[a] > size[b]; });
  std::vector<uint16_t> rank(n + 1, 0);
  for (int i = 0; i < n; ++i) rank[order[i]] = uint16_t(std::min(i + 1, 65535));
  LabelImage out(mask.grid, 0);
  for (std::size_t i = 0; i < out.voxels.size(); ++i) out.voxels[i] = rank[label[i]];
  return out;
}

SliceMask largest_component(const SliceMask& mask) {
  const LabelImage labels = components(mask);
  SliceMask out(mask.grid, 0);
  for (std::size_t i = 0; i < out.voxels.size(); ++i) out.voxels[i] = labels.voxels[i] == 1;
  return out;
}

LabelImage split_at_necks(const SliceMask& mask, double radius_mm) {
  const Grid& g = mask.grid;
  const int nx = g.size[0], ny = g.size[1];
  LabelImage parts = components(erode(mask, radius_mm));
  int n = *std::max_element(parts.voxels.begin(), parts.voxels.end());
  // Nearest-core regrowth: Dijkstra over the 8-neighbourhood with step lengths in mm.
  const double reach = radius_mm + std::max(g.spacing[0], g.spacing[1]);
  std::vector<double> dist(parts.voxels.size(), std::numeric_limits<double>::infinity());
  using Entry = std::pair<double, int>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> queue;
  for (int i = 0; i < nx * ny; ++i)
    if (parts.voxels[i]) {
      dist[i] = 0;
      queue.push({0.0, i});
    }
  while (!queue.empty()) {
    const auto [d, p] = queue.top();
    queue.pop();
    if (d > dist[p]) continue;
    const int x = p % nx, y = p / nx;
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        const int qx = x + dx, qy = y + dy;
        if ((!dx && !dy) || qx < 0 || qy < 0 || qx >= nx || qy >= ny) continue;
        const int q = qy * nx + qx;
        const double step = std::hypot(dx * g.spacing[0], dy * g.spacing[1]);
        if (!mask.voxels[q] || d + step > reach || d + step >= dist[q]) continue;
        dist[q] = d + step;
        parts.voxels[q] = parts.voxels[p];
        queue.push({dist[q], q});
      }
  }
  // What no core reached: thin pieces, labelled after the cores.
  std::vector<int> rest;
  const int extra = flood_label(g, rest, true, [&](int i) { return mask.voxels[i] && !parts.voxels[i]; });
  if (n + extra > 65535) throw std::runtime_error("bodycomp: too many pieces to label");
  for (int i = 0; i < nx * ny; ++i)
    if (rest[i]) parts.voxels[i] = uint16_t(n + rest[i]);
  return parts;
}

namespace {
template <typename Op>
SliceMask combine(const SliceMask& a, const SliceMask& b, Op op) {
  if (a.voxels.size() != b.voxels.size()) throw std::invalid_argument("bodycomp: mask sizes differ");
  SliceMask out(a.grid, 0);
  for (std::size_t i = 0; i < out.voxels.size(); ++i) out.voxels[i] = op(a.voxels[i] != 0, b.voxels[i] != 0);
  return out;
}
}  // namespace

SliceMask mask_and(const SliceMask& a, const SliceMask& b) {
  return combine(a, b, [](bool x, bool y) { return x && y; });
}
SliceMask mask_or(const SliceMask& a, const SliceMask& b) {
  return combine(a, b, [](bool x, bool y) { return x || y; });
}
SliceMask mask_and_not(const SliceMask& a, const SliceMask& b) {
  return combine(a, b, [](bool x, bool y) { return x && !y; });
}
long count(const SliceMask& mask) {
  return long(std::count_if(mask.voxels.begin(), mask.voxels.end(), [](uint8_t v) { return v != 0; }));
}

}  // namespace l3::bodycomp
