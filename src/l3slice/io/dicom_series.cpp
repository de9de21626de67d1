#include "l3slice/io/dicom_series.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "l3slice/core/error.h"

namespace l3 {
namespace {

namespace fs = std::filesystem;
using Vec3 = std::array<double, 3>;

double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
Vec3 minus(const Vec3& a, const Vec3& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
double norm(const Vec3& a) { return std::sqrt(dot(a, a)); }

std::string describe(const DicomImageHeader& h) {
  return h.instance_number >= 0 ? fmt::format("{} (InstanceNumber {})", h.name, h.instance_number) : h.name;
}

void note(std::string* notes, const std::string& line) {
  if (!notes) return;
  if (!notes->empty()) *notes += '\n';
  *notes += line;
}

// Groups by SeriesInstanceUID and returns the chosen series' images.
std::vector<DicomImageHeader> choose(std::vector<DicomImageHeader> images, const fs::path& folder,
                                     const std::string& wanted, std::string* notes, std::string* uid) {
  std::map<std::string, std::vector<DicomImageHeader>> series;
  for (auto& h : images) series[h.series_uid].push_back(std::move(h));
  std::vector<std::pair<std::string, std::size_t>> counts;
  for (const auto& [id, list] : series) counts.emplace_back(id, list.size());
  // Largest first; ties broken by UID so the choice never depends on file order.
  std::sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  const auto list_others = [&](const std::string& except) {
    std::string out;
    for (const auto& [id, n] : counts)
      if (id != except) out += fmt::format("{}{} ({} images)", out.empty() ? "" : ", ", id.empty() ? "<no UID>" : id, n);
    return out;
  };
  if (!wanted.empty()) {
    const auto it = series.find(wanted);
    if (it == series.end())
      throw InputError(folder, fmt::format("has no series {}; series here: {}", wanted, list_others("")));
    if (counts.size() > 1) note(notes, fmt::format("read series {} as asked; others: {}", wanted, list_others(wanted)));
    *uid = wanted;
    return std::move(it->second);
  }
  *uid = counts.front().first;
  if (counts.size() > 1)
    note(notes, fmt::format("{} series found; read the largest, {} ({} images); others: {}", counts.size(), *uid,
                            counts.front().second, list_others(*uid)));
  return std::move(series[*uid]);
}

void check_headers(const std::vector<DicomImageHeader>& slices, const fs::path& folder, const CtReadOptions& options,
                   const std::string& uid) {
  const DicomImageHeader& first = slices.front();
  if (!options.allow_non_ct)
    for (const auto& h : slices)
      if (h.modality != "CT")
        throw InputError(h.path, fmt::format("is modality '{}', not CT (series {}); only CT can be measured in HU",
                                             h.modality, uid));
  for (const auto& h : slices) {
    if (!h.position) throw InputError(h.path, "has no usable ImagePositionPatient (0020,0032)");
    if (!h.orientation) throw InputError(h.path, "has no usable ImageOrientationPatient (0020,0037)");
    if (!h.pixel_spacing) throw InputError(h.path, "has no usable PixelSpacing (0028,0030)");
    if ((*h.pixel_spacing)[0] <= 0 || (*h.pixel_spacing)[1] <= 0) throw InputError(h.path, "has a PixelSpacing of 0 or less");
    if (!options.assume_hu && (!h.rescale_slope || !h.rescale_intercept))
      throw InputError(h.path, std::string("has no ") + (!h.rescale_slope ? "RescaleSlope (0028,1053)" : "RescaleIntercept (0028,1052)") +
                                   ", so its values cannot be converted to HU (if they are HU already, use --assume-hu)");
    if (h.rows != first.rows || h.columns != first.columns)
      throw InputError(folder, fmt::format("series {} mixes image sizes: {}x{} in {} but {}x{} in {}", uid, first.columns,
                                           first.rows, describe(first), h.columns, h.rows, describe(h)));
    for (int i = 0; i < 6; ++i)
      if (std::abs((*h.orientation)[i] - (*first.orientation)[i]) > 1e-3)
        throw InputError(folder, fmt::format("series {} mixes orientations (ImageOrientationPatient) in {} and {}", uid,
                                             describe(first), describe(h)));
    for (int i = 0; i < 2; ++i)
      if (std::abs((*h.pixel_spacing)[i] - (*first.pixel_spacing)[i]) > 1e-3 * (*first.pixel_spacing)[i])
        throw InputError(folder, fmt::format("series {} mixes pixel spacings in {} and {}", uid, describe(first), describe(h)));
  }
}

}  // namespace

DicomSeries select_series(DicomFolderScan scan, const fs::path& folder, const CtReadOptions& options,
                          std::string* notes) {
  if (scan.images.empty()) {
    if (scan.without_image > 0)
      throw InputError(folder, fmt::format("has no DICOM image ({} DICOM files without pixel data, {} other files)",
                                           scan.without_image, scan.non_dicom));
    throw InputError(folder, fmt::format("has no DICOM files ({} files, none of them DICOM)", scan.non_dicom));
  }
  if (scan.non_dicom > 0) note(notes, fmt::format("skipped {} non-DICOM file{}", scan.non_dicom, scan.non_dicom == 1 ? "" : "s"));
  if (scan.without_image > 0)
    note(notes, fmt::format("skipped {} DICOM file{} without an image", scan.without_image, scan.without_image == 1 ? "" : "s"));

  DicomSeries series;
  series.slices = choose(std::move(scan.images), folder, options.series_uid, notes, &series.uid);
  auto& slices = series.slices;
  check_headers(slices, folder, options, series.uid);

  const auto& iop = *slices.front().orientation;
  Vec3 row{iop[0], iop[1], iop[2]}, col{iop[3], iop[4], iop[5]};
  for (Vec3* v : {&row, &col}) {
    const double length = norm(*v);
    if (length < 1e-6) throw InputError(slices.front().path, "has an invalid ImageOrientationPatient (zero vector)");
    for (double& c : *v) c /= length;
  }
  Vec3 normal = cross(row, col);
  const double normal_length = norm(normal);
  if (normal_length < 0.5 || std::abs(dot(row, col)) > 1e-2)
    throw InputError(slices.front().path, "has an invalid ImageOrientationPatient (row and column not perpendicular)");
  for (double& v : normal) v /= normal_length;

  const auto along = [&](const DicomImageHeader& h) { return dot(*h.position, normal); };
  std::sort(slices.begin(), slices.end(), [&](const auto& a, const auto& b) {
    const double da = along(a), db = along(b);
    return da != db ? da < db : a.name < b.name;
  });

  const std::size_t n = slices.size();
  std::vector<double> gaps;
  for (std::size_t i = 1; i < n; ++i) gaps.push_back(along(slices[i]) - along(slices[i - 1]));
  for (std::size_t i = 0; i < gaps.size(); ++i)
    if (gaps[i] < 1e-3)
      throw InputError(folder, fmt::format("series {} has two images at the same position ({} and {}): "
                                           "it holds more than one volume or duplicated files",
                                           series.uid, describe(slices[i]), describe(slices[i + 1])));
  double spacing = slices.front().slice_thickness.value_or(1.0);
  if (!gaps.empty()) {
    std::vector<double> sorted = gaps;
    std::nth_element(sorted.begin(), sorted.begin() + long(sorted.size() / 2), sorted.end());
    const double median = sorted[sorted.size() / 2];
    std::size_t worst = 0;
    for (std::size_t i = 0; i < gaps.size(); ++i)
      if (std::abs(gaps[i] - median) > std::abs(gaps[worst] - median)) worst = i;
    if (std::abs(gaps[worst] - median) > 0.01 * median)
      throw InputError(folder, fmt::format("series {} has non-uniform slice spacing: {:.3g} mm between {} and {}, "
                                           "{:.3g} mm elsewhere ({:.0f} % off){}",
                                           series.uid, gaps[worst], describe(slices[worst]), describe(slices[worst + 1]),
                                           median, 100.0 * std::abs(gaps[worst] - median) / median,
                                           gaps[worst] > median ? " - a missing slice?" : ""));
    spacing = (along(slices.back()) - along(slices.front())) / double(n - 1);

    // Gantry tilt: positions drift sideways, off the line along the slice normal.
    double worst_offset = 0;
    for (const auto& h : slices) {
      const Vec3 d = minus(*h.position, *slices.front().position);
      const double a = dot(d, normal);
      worst_offset = std::max(worst_offset, norm(minus(d, {a * normal[0], a * normal[1], a * normal[2]})));
    }
    const auto& ps = *slices.front().pixel_spacing;
    if (worst_offset > 0.25 * std::min(ps[0], ps[1])) {
      const Vec3 total = minus(*slices.back().position, *slices.front().position);
      const double tilt = std::acos(std::clamp(dot(total, normal) / norm(total), -1.0, 1.0)) * 180.0 / M_PI;
      throw InputError(folder, fmt::format("series {} has a gantry tilt of {:.1f} degrees (slice positions drift {:.1f} mm "
                                           "off the slice normal); resample it to an untilted volume first",
                                           series.uid, tilt, worst_offset));
    }
  }

  const auto& ps = *slices.front().pixel_spacing;
  Grid& g = series.grid;
  g.size = {slices.front().columns, slices.front().rows, int(n)};
  g.spacing = {ps[1], ps[0], spacing};  // PixelSpacing is (between rows, between columns)
  g.origin = *slices.front().position;
  for (int r = 0; r < 3; ++r) {
    g.direction[r * 3 + 0] = row[r];
    g.direction[r * 3 + 1] = col[r];
    g.direction[r * 3 + 2] = normal[r];
  }
  return series;
}

}  // namespace l3
