#include "l3slice/io/dicom_scan.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <gdcmReader.h>
#include <gdcmStringFilter.h>
#include <gdcmTag.h>

#include "l3slice/core/error.h"
#include "l3slice/core/progress.h"
#include "l3slice/io/dicom_file_check.h"
#include "l3slice/io/gdcm_quiet.h"

namespace l3 {
namespace {

namespace fs = std::filesystem;

const gdcm::Tag kSopClass(0x0008, 0x0016), kSopInstance(0x0008, 0x0018), kModality(0x0008, 0x0060),
    kSliceThickness(0x0018, 0x0050), kSeries(0x0020, 0x000e), kInstanceNumber(0x0020, 0x0013),
    kPosition(0x0020, 0x0032), kOrientation(0x0020, 0x0037), kRows(0x0028, 0x0010),
    kColumns(0x0028, 0x0011), kPixelSpacing(0x0028, 0x0030), kIntercept(0x0028, 0x1052),
    kSlope(0x0028, 0x1053);

std::string trimmed(std::string s) {
  const auto not_space = [](unsigned char c) { return c != ' ' && c != '\0'; };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

// Decimal-string values separated by backslashes; nothing if any is missing or not a number.
template <std::size_t N>
std::optional<std::array<double, N>> numbers(const std::string& text) {
  if (trimmed(text).empty()) return std::nullopt;
  std::array<double, N> out{};
  std::istringstream in(text);
  std::string part;
  for (std::size_t i = 0; i < N; ++i) {
    if (!std::getline(in, part, '\\')) return std::nullopt;
    try {
      std::size_t used = 0;
      part = trimmed(part);
      out[i] = std::stod(part, &used);
      if (used != part.size()) return std::nullopt;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return out;
}

std::optional<double> number(const std::string& text) {
  const auto one = numbers<1>(text);
  return one ? std::optional<double>((*one)[0]) : std::nullopt;
}

std::vector<fs::path> files_under(const fs::path& folder) {
  std::vector<fs::path> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec);
  if (ec) throw InputError(folder, "cannot list folder: " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) throw InputError(folder, "cannot list folder: " + ec.message());
    if (it->is_regular_file(ec)) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());  // deterministic order whatever the file system does
  return files;
}

// GDCM reports some parse failures by exception rather than by return value.
bool read_without_throwing(gdcm::Reader& reader, const std::set<gdcm::Tag>& tags) {
  try {
    return reader.ReadSelectedTags(tags);
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

DicomFolderScan scan_dicom_folder(const fs::path& folder) {
  const std::vector<fs::path> files = files_under(folder);
  if (files.empty()) throw InputError(folder, "is empty (no files, so no DICOM series)");

  const std::set<gdcm::Tag> tags{kSopClass, kSopInstance, kModality, kSliceThickness, kSeries,
                                 kInstanceNumber, kPosition, kOrientation, kRows, kColumns,
                                 kPixelSpacing, kIntercept, kSlope};
  quiet_gdcm();
  DicomFolderScan scan;
  Progress progress("scanning DICOM", long(files.size()), "files");
  for (const fs::path& path : files) {
    progress.advance();
    const bool part10 = has_dicm_marker(path);
    if (part10)
      if (const auto problem = dicom_structure_problem(path)) throw InputError(path, *problem);
    gdcm::Reader reader;
    reader.SetFileName(path.c_str());
    if (!read_without_throwing(reader, tags)) {
      if (part10) throw InputError(path, "is a damaged DICOM file (its header cannot be parsed)");
      ++scan.non_dicom;
      continue;
    }
    gdcm::StringFilter strings;
    strings.SetFile(reader.GetFile());
    const gdcm::DataSet& ds = reader.GetFile().GetDataSet();
    const auto text = [&](const gdcm::Tag& t) { return ds.FindDataElement(t) ? trimmed(strings.ToString(t)) : ""; };

    DicomImageHeader h;
    h.rows = int(number(text(kRows)).value_or(0));
    h.columns = int(number(text(kColumns)).value_or(0));
    if (h.rows <= 0 || h.columns <= 0) {
      // A file gdcm parses without any of our tags is most likely not DICOM at all (gdcm is lenient).
      if (text(kSopClass).empty() && text(kSeries).empty() && !part10)
        ++scan.non_dicom;
      else
        ++scan.without_image;
      continue;
    }
    h.path = path;
    h.name = path.lexically_relative(folder).generic_string();
    h.series_uid = text(kSeries);
    h.sop_instance_uid = text(kSopInstance);
    if (h.sop_instance_uid.empty()) {  // some anonymisers keep it only in the file meta header
      const gdcm::Tag media_instance(0x0002, 0x0003);
      if (reader.GetFile().GetHeader().FindDataElement(media_instance))
        h.sop_instance_uid = trimmed(strings.ToString(media_instance));
    }
    h.sop_class_uid = text(kSopClass);
    h.modality = text(kModality);
    if (const auto n = number(text(kInstanceNumber))) h.instance_number = int(*n);
    h.position = numbers<3>(text(kPosition));
    h.orientation = numbers<6>(text(kOrientation));
    h.pixel_spacing = numbers<2>(text(kPixelSpacing));
    h.slice_thickness = number(text(kSliceThickness));
    h.rescale_slope = number(text(kSlope));
    h.rescale_intercept = number(text(kIntercept));
    scan.images.push_back(std::move(h));
  }
  return scan;  // no summary line: the decoding step reports for both
}

}  // namespace l3
