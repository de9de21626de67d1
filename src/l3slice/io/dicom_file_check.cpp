#include "l3slice/io/dicom_file_check.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>

#include <fmt/format.h>

namespace l3 {
namespace {

namespace fs = std::filesystem;

constexpr uint32_t kUndefined = 0xffffffffU;

struct Truncated {
  std::string what;
};

// Reads little-endian values from a file whose size is known, throwing Truncated past the end.
class Walker {
 public:
  Walker(const fs::path& path) : in_(path, std::ios::binary), size_(fs::file_size(path)) {}

  uint64_t pos() const { return pos_; }
  void seek(uint64_t pos) { pos_ = pos; }
  uint64_t size() const { return size_; }
  bool at_end() const { return pos_ >= size_; }

  void read(void* out, std::size_t n, const char* what) {
    need(n, what);
    in_.seekg(std::streamoff(pos_));
    in_.read(static_cast<char*>(out), std::streamsize(n));
    if (!in_) throw Truncated{what};
    pos_ += n;
  }
  uint16_t u16(const char* what) {
    unsigned char b[2];
    read(b, 2, what);
    return uint16_t(b[0] | (b[1] << 8));
  }
  uint32_t u32(const char* what) {
    unsigned char b[4];
    read(b, 4, what);
    return uint32_t(b[0]) | (uint32_t(b[1]) << 8) | (uint32_t(b[2]) << 16) | (uint32_t(b[3]) << 24);
  }
  void skip(uint64_t n, const std::string& what) {
    if (n > size_ - std::min(pos_, size_)) throw Truncated{what};
    pos_ += n;
  }
  void need(uint64_t n, const std::string& what) const {
    if (n > size_ - std::min(pos_, size_)) throw Truncated{what};
  }

 private:
  std::ifstream in_;
  uint64_t size_;
  uint64_t pos_ = 0;
};

bool long_length_vr(const char vr[2]) {
  static const std::array<const char*, 13> vrs{"OB", "OW", "OF", "SQ", "UT", "UN", "OD", "OL", "OV", "UC", "UR", "SV", "UV"};
  return std::any_of(vrs.begin(), vrs.end(), [&](const char* v) { return vr[0] == v[0] && vr[1] == v[1]; });
}

struct Element {
  uint16_t group = 0, element = 0;
  uint32_t length = 0;
  bool sequence = false;  // SQ (explicit VR) or undefined length: holds items
  bool unknown_vr = false;  // UN with undefined length: its items are implicit VR (PS3.5 6.2.2)
};

std::string tag_name(uint16_t g, uint16_t e) { return fmt::format("({:04X},{:04X})", g, e); }

Element read_header(Walker& w, bool explicit_vr) {
  Element el;
  el.group = w.u16("an element tag");
  el.element = w.u16("an element tag");
  const std::string name = "element " + tag_name(el.group, el.element);
  if (el.group == 0xfffe) {  // item and delimiters have no VR
    el.length = w.u32(name.c_str());
    return el;
  }
  if (explicit_vr) {
    char vr[2];
    w.read(vr, 2, name.c_str());
    if (long_length_vr(vr)) {
      w.u16(name.c_str());
      el.length = w.u32(name.c_str());
    } else {
      el.length = w.u16(name.c_str());
    }
    el.sequence = vr[0] == 'S' && vr[1] == 'Q';
    el.unknown_vr = vr[0] == 'U' && vr[1] == 'N';
  } else {
    el.length = w.u32(name.c_str());
  }
  if (el.length == kUndefined) el.sequence = true;
  return el;
}

void walk_items(Walker& w, bool explicit_vr, int depth);

// Walks data set elements until the end of the file, or an item delimiter when nested.
void walk_elements(Walker& w, bool explicit_vr, int depth, uint64_t end) {
  while (w.pos() < end) {
    if (depth == 0 && w.size() - w.pos() < 8) {
      // Fewer bytes than an element header at the very end: harmless zero padding, or a cut.
      std::string tail(std::size_t(w.size() - w.pos()), '\0');
      w.read(tail.data(), tail.size(), "padding");
      if (tail.find_first_not_of('\0') != std::string::npos) throw Truncated{"an element tag"};
      return;
    }
    const Element el = read_header(w, explicit_vr);
    if (el.group == 0xfffe && el.element == 0xe00d) return;  // end of an undefined-length item
    const std::string name = "element " + tag_name(el.group, el.element);
    if (el.length == kUndefined) {
      walk_items(w, explicit_vr && !el.unknown_vr, depth + 1);  // sequence or encapsulated pixel data
    } else {
      w.skip(el.length, fmt::format("{} ({} bytes)", name, el.length));
    }
  }
}

// Items of a sequence / fragments of encapsulated pixel data, up to the sequence delimiter.
void walk_items(Walker& w, bool explicit_vr, int depth) {
  if (depth > 32) throw Truncated{"nesting too deep"};
  while (true) {
    const Element item = read_header(w, false);
    if (item.group == 0xfffe && item.element == 0xe0dd) return;  // sequence delimiter
    if (item.group != 0xfffe || item.element != 0xe000)
      throw Truncated{"a sequence item (found " + tag_name(item.group, item.element) + ")"};
    if (item.length == kUndefined)
      walk_elements(w, explicit_vr, depth, w.size());
    else
      w.skip(item.length, fmt::format("an item of {} bytes", item.length));
  }
}

}  // namespace

bool has_dicm_marker(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.seekg(128);
  in.read(magic, 4);
  return in && std::equal(magic, magic + 4, "DICM");
}

std::optional<std::string> dicom_structure_problem(const fs::path& path) {
  try {
    Walker w(path);
    w.skip(132, "the preamble");
    // File meta information: always explicit VR little endian, group 0002.
    std::string syntax;
    while (true) {
      const uint64_t start = w.pos();
      if (w.at_end()) return std::string("has no data set after its file meta information");
      const uint16_t group = w.u16("an element tag");
      if (group != 0x0002) {
        w.seek(start);  // the data set starts here
        break;
      }
      const uint16_t element = w.u16("an element tag");
      char vr[2];
      w.read(vr, 2, "a meta element");
      const uint32_t length = long_length_vr(vr) ? (w.u16("a meta element"), w.u32("a meta element")) : w.u16("a meta element");
      if (length == kUndefined) return std::string("has a malformed file meta information");
      if (element == 0x0010) {
        syntax.resize(length);
        w.read(syntax.data(), length, "the transfer syntax");
        syntax.erase(std::find_if(syntax.begin(), syntax.end(), [](char c) { return c == '\0' || c == ' '; }), syntax.end());
      } else {
        w.skip(length, "a meta element");
      }
    }
    const bool implicit = syntax == "1.2.840.10008.1.2";
    const bool big_or_deflated = syntax == "1.2.840.10008.1.2.2" || syntax == "1.2.840.10008.1.2.1.99";
    if (big_or_deflated) return std::nullopt;  // not walked: left to GDCM
    walk_elements(w, !implicit, 0, w.size());
    return std::nullopt;
  } catch (const Truncated& t) {
    return "is truncated or corrupt: the file ends inside " + t.what;
  } catch (const std::exception& e) {
    return std::string("cannot be read: ") + e.what();
  }
}

}  // namespace l3
