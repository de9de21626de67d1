#include "l3slice/io/image_file_reader.h"

#include "l3slice/io/canonical_scan.h"

namespace l3 {

CtScan read_ct_image_file(const std::filesystem::path& path, ImageFileFormat format) {
  CtScan ct = canonical_scan(read_hu_file(path, format), path);
  ct.format = format_name(format);
  return ct;
}

}  // namespace l3
