#include "l3slice/report/qc_picture.h"

#include <gtest/gtest.h>

#include "l3slice/phantom/phantom.h"

namespace {

l3::Phantom phantom() {
  l3::PhantomOptions o;
  o.matrix = 96;
  o.pixel_mm = 4.5;
  o.slice_mm = 4.0;
  return l3::make_phantom(o);
}

TEST(Canvas, DrawsLinesAndBlends) {
  l3::Canvas c(10, 5, l3::colors::black);
  c.line(0, 0, 9, 4, l3::colors::white);
  EXPECT_EQ(c.at(0, 0), l3::colors::white);
  EXPECT_EQ(c.at(9, 4), l3::colors::white);
  c.fill_rect(0, 4, 2, 1, l3::colors::red, 0.5);
  EXPECT_EQ(c.at(1, 4)[0], 115);  // round(230 * 0.5)
  c.set(-1, 100, l3::colors::white);  // outside: ignored
}

TEST(QcPicture, SpinePositionIsOnTheVertebralBodies) {
  const auto ph = phantom();
  const auto [x, y] = l3::spine_position(ph.ct.hu);
  const int z = ph.l3_body->middle();
  // The found column/row passes through the L3 body (label 22) on its middle slice, within 2 voxels.
  bool hit = false;
  for (int dy = -2; dy <= 2 && !hit; ++dy)
    for (int dx = -2; dx <= 2 && !hit; ++dx)
      hit = ph.vertebral_bodies.at(x + dx, y + dy, z) == l3::verse::L3;
  EXPECT_TRUE(hit) << "x=" << x << " y=" << y;
}

TEST(QcPicture, ShowsTheBandTheMiddleLineAndTheCurve) {
  const auto ph = phantom();
  const int n = ph.ct.hu.grid.size[2];
  std::vector<float> p(n, 0.01f);
  const l3::SliceRun run = *ph.l3_body;
  for (int z = run.first; z <= run.last; ++z) p[z] = 0.97f;
  l3::QcPictureOptions o;
  const auto canvas = l3::render_qc_picture(ph.ct, p, run, std::nullopt, o);
  EXPECT_EQ(canvas.height(), o.panel_height + 16);
  // The red middle line crosses the sagittal panel (starting at x = 8) at the middle slice's row.
  const int row = 8 + int((n - 0.5 - run.middle()) * double(o.panel_height) / n);
  int red = 0;
  for (int x = 8; x < 60; ++x) red += canvas.at(x, row) == l3::colors::red;
  EXPECT_GT(red, 40);
  // Far from the band there is no green tint or red line on that panel: gray pixels only.
  const int far_row = 8 + 2;
  for (int x = 8; x < 60; ++x) {
    const auto c = canvas.at(x, far_row);
    EXPECT_TRUE(c[0] == c[1] && c[1] == c[2]) << x;
  }
  // Without L3 the axial panel is tinted red.
  const auto none = l3::render_qc_picture(ph.ct, std::vector<float>(n, 0.01f), std::nullopt);
  const auto px = none.at(none.width() - 20, 20);
  EXPECT_GT(px[0], px[1]);
}

}  // namespace
