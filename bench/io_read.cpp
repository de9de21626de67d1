// I/O throughput: DICOM series reading (JPEG 2000 and uncompressed), NIfTI reading, PNG export.
// Plain program printing a table; run from a Release build:
//   build-bench/bin/bench_io_read [repetitions]
// Times are the median of the repetitions with a warm page cache (files just read or written).
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "l3slice/core/atomic_file.h"
#include "l3slice/exporting/export_case.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/io/image_writer.h"
#include "l3slice/phantom/phantom.h"

namespace fs = std::filesystem;

namespace {

double cpu_seconds() {
  timespec t{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + t.tv_nsec * 1e-9;
}

// Median wall time and median CPU time (all threads) of the repetitions. On a busy machine the
// wall time overstates the cost; CPU time does not (rates are computed from it if `by_cpu`).
struct Timing {
  double wall = 0, cpu = 0;
};

Timing median_time(int repetitions, const std::function<void()>& work) {
  std::vector<double> wall, cpu;
  for (int i = 0; i < repetitions; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const double c0 = cpu_seconds();
    work();
    cpu.push_back(cpu_seconds() - c0);
    wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  return {wall[wall.size() / 2], cpu[cpu.size() / 2]};
}

double bytes_on_disk(const fs::path& p) {
  if (fs::is_regular_file(p)) return double(fs::file_size(p));
  double total = 0;
  for (const auto& e : fs::recursive_directory_iterator(p))
    if (e.is_regular_file()) total += double(e.file_size());
  return total;
}

void print_header() {
  fmt::print("{:<42} {:>6} {:>7} {:>7} {:>10} {:>12} {:>9}\n", "case (rates per CPU second)", "slices", "wall s",
             "cpu s", "disk MB/s", "decoded MB/s", "slices/s");
}

void print_row(const std::string& name, int slices, Timing t, double disk_bytes, double decoded_bytes) {
  const double s = t.cpu;
  fmt::print("{:<42} {:>6} {:>7.3f} {:>7.3f} {:>10.1f} {:>12.1f} {:>9.1f}\n", name, slices, t.wall, t.cpu,
             disk_bytes / 1e6 / s, decoded_bytes / 1e6 / s, slices / s);
}

void bench_read(const std::string& name, const fs::path& path, int repetitions) {
  l3::CtScan ct = l3::read_ct(path);  // warms the page cache
  const Timing t = median_time(repetitions, [&] { ct = l3::read_ct(path); });
  print_row(name, ct.hu.grid.size[2], t, bytes_on_disk(path), double(ct.hu.voxels.size() * sizeof(int16_t)));
}

void bench_export(const std::string& name, const fs::path& ct_path, const fs::path& out, int repetitions) {
  l3::ManifestEntry entry{"case", ct_path, std::nullopt, std::nullopt, ""};
  l3::ExportedCase r;
  const Timing t = median_time(repetitions, [&] { r = l3::export_case(entry, out, {}); });
  const l3::CtScan ct = l3::read_ct(ct_path);
  print_row(name, r.slices, t, bytes_on_disk(out / "case"), double(ct.hu.voxels.size() * sizeof(int16_t)));
}

}  // namespace

int main(int argc, char** argv) {
  const int repetitions = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  const fs::path data = fs::path(L3SLICE_SHARED_DATA) / "totalseg-example";
  const fs::path tmp = fs::temp_directory_path() / fmt::format("l3slice-bench-io-{}", ::getpid());
  fs::create_directories(tmp);

  // A 512 x 512 uncompressed series, written once (not timed).
  l3::PhantomOptions o = l3::with_matrix(l3::PhantomOptions{}, 512);
  o.slice_mm = 3.0;
  o.fov_inferior_mm = -60;
  o.fov_superior_mm = 60;  // 40 slices
  const l3::Phantom phantom = l3::make_phantom(o);
  l3::write_dicom_series(phantom.ct, tmp / "phantom-dicom");
  l3::write_image(phantom.ct.hu, tmp / "phantom.nii.gz");

  fmt::print("l3slice I/O benchmark: median of {} runs, warm page cache; rates per CPU second\n"
             "(disk MB/s = size of the files on disk / time; decoded = int16 voxels / time;\n"
             " export rows: CT read + window + PNG encode + write; disk = PNG output size)\n\n", repetitions);
  print_header();
  bench_read("read DICOM JPEG 2000 (partial-dicom)", data / "partial-dicom", repetitions);
  bench_read("read DICOM uncompressed 512x512 (phantom)", tmp / "phantom-dicom", repetitions);
  bench_read("read NIfTI ct.nii.gz 122x101", data / "ct.nii.gz", repetitions);
  bench_read("read NIfTI 512x512 (phantom)", tmp / "phantom.nii.gz", repetitions);
  bench_export("export ct.nii.gz 122x101", data / "ct.nii.gz", tmp / "export", repetitions);
  bench_export("export DICOM 512x512 (phantom)", tmp / "phantom-dicom", tmp / "export", repetitions);
  bench_export("export DICOM JPEG 2000 (partial-dicom)", data / "partial-dicom", tmp / "export", repetitions);

  std::error_code ec;
  fs::remove_all(tmp, ec);
  return 0;
}
