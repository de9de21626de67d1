#include "l3slice/io/image_file_reader.h"

#include <cstdio>

#include <fmt/format.h>

#include "l3slice/io/canonical_scan.h"
#include "l3slice/io/hu_check.h"

namespace l3 {

CtScan read_ct_image_file(const std::filesystem::path& path, ImageFileFormat format) {
  CtScan ct = canonical_scan(read_hu_file(path, format), path);
  ct.format = format_name(format);
  // Image files carry no rescale tags to check, so check the values themselves.
  if (const auto warning = not_hu_warning(ct.hu)) fmt::print(stderr, "l3slice: warning: {}: {}\n", path.string(), *warning);
  return ct;
}

}  // namespace l3
