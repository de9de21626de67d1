#pragma once
// Test volumes for the io tests (every voxel distinct, so any axis mix-up shows), and reading errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "l3slice/core/error.h"
#include "l3slice/core/image.h"
#include "l3slice/io/ct_reader.h"

namespace l3::io_test {

// 24 x 20 x 15 voxels, anisotropic spacing, off-centre origin, canonical layout.
inline CtScan synthetic_ct(int nx = 24, int ny = 20, int nz = 15) {
  CtScan ct;
  Grid g;
  g.size = {nx, ny, nz};
  g.spacing = {0.75, 0.9, 2.5};
  g.origin = {-10.0, 20.0, -30.0};
  ct.hu = HuImage(g);
  for (int z = 0; z < nz; ++z)
    for (int y = 0; y < ny; ++y)
      for (int x = 0; x < nx; ++x) ct.hu.at(x, y, z) = int16_t(-1000 + x + nx * y + nx * ny * z);
  ct.slices.resize(std::size_t(nz));
  for (int z = 0; z < nz; ++z) {
    ct.slices[std::size_t(z)].file_index = z;
    ct.slices[std::size_t(z)].z_mm = g.origin[2] + z * g.spacing[2];
  }
  ct.format = "memory";
  ct.file_orientation = "LPS";
  return ct;
}

// Expects read_ct to throw InputError for `path`; returns the message.
inline std::string read_error(const std::filesystem::path& path, const CtReadOptions& options = {}) {
  try {
    read_ct(path, options);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError for " << path;
  return "";
}

}  // namespace l3::io_test
