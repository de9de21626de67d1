#include "l3slice/atlas/spine_atlas.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "l3slice/core/atomic_file.h"
#include "l3slice/core/error.h"

namespace l3 {
namespace {

constexpr const char* kFormat = "l3slice-spine-atlas";
constexpr int kFormatVersion = 3;  // 2: tie-breakers, 3: level check

}  // namespace

const LevelExtent* SpineAtlas::level(const std::string& n) const {
  for (const auto& b : bodies)
    if (b.name == n) return &b;
  return nullptr;
}

std::string level_name(LevelScheme scheme, int label) {
  if (scheme == LevelScheme::totalsegmentator) {
    // TotalSegmentator v2: 25 sacrum, 26 S1, 27..31 L5..L1, 32..43 T12..T1, 44..50 C7..C1.
    if (label == 25) return "sacrum";
    if (label == 26) return "S1";
    if (label >= 27 && label <= 31) return fmt::format("L{}", 31 - label + 1);
    if (label >= 32 && label <= 43) return fmt::format("T{}", 43 - label + 1);
    if (label >= 44 && label <= 50) return fmt::format("C{}", 50 - label + 1);
    return "";
  }
  // VerSe: 1..7 C1..C7, 8..19 T1..T12, 20..25 L1..L6, 26 sacrum, 28 T13.
  if (label >= 1 && label <= 7) return fmt::format("C{}", label);
  if (label >= 8 && label <= 19) return fmt::format("T{}", label - 7);
  if (label >= 20 && label <= 25) return fmt::format("L{}", label - 19);
  if (label == 26) return "sacrum";
  if (label == 28) return "T13";
  return "";
}

SpineAtlas build_spine_atlas(const CtScan& ct, const LabelImage& vertebrae, LevelScheme scheme,
                             const std::filesystem::path& labels_path, const BoneProjectionOptions& options) {
  const Grid& g = vertebrae.grid;
  // Per label: y extent, then the z extent of its anterior part (the body).
  struct Extent {
    int y_lo = 1 << 30, y_hi = -1, z_lo = 1 << 30, z_hi = -1;
  };
  std::map<int, Extent> extents;
  for (int z = 0; z < g.size[2]; ++z)
    for (int y = 0; y < g.size[1]; ++y)
      for (int x = 0; x < g.size[0]; ++x) {
        const int v = vertebrae.at(x, y, z);
        if (!v) continue;
        Extent& e = extents[v];
        e.y_lo = std::min(e.y_lo, y);
        e.y_hi = std::max(e.y_hi, y);
      }
  for (auto& [label, e] : extents) {
    const double cut = e.y_lo + 0.35 * (e.y_hi - e.y_lo);  // canonical y runs anterior -> posterior
    for (int z = 0; z < g.size[2]; ++z)
      for (int y = e.y_lo; y <= int(std::floor(cut)); ++y)
        for (int x = 0; x < g.size[0]; ++x)
          if (vertebrae.at(x, y, z) == label) {
            e.z_lo = std::min(e.z_lo, z);
            e.z_hi = std::max(e.z_hi, z);
          }
  }
  SpineAtlas atlas;
  atlas.projection_options = options;
  atlas.projection = coronal_bone_projection(ct.hu, options);
  const double dz = g.spacing[2];
  for (const auto& [label, e] : extents) {
    const std::string name = level_name(scheme, label);
    if (name.empty() || e.z_hi < 0) continue;
    atlas.bodies.push_back({name, e.z_lo * dz - dz / 2, e.z_hi * dz + dz / 2});
  }
  std::sort(atlas.bodies.begin(), atlas.bodies.end(),
            [](const LevelExtent& a, const LevelExtent& b) { return a.middle_mm() < b.middle_mm(); });
  for (const char* needed : {"L2", "L3", "L4"})
    if (!atlas.level(needed))
      throw InputError(labels_path, fmt::format("no {} label: an atlas needs at least L2-L4 labelled (wrong --scheme?)", needed));
  atlas.crc32 = atlas_crc32(atlas);
  return atlas;
}

uint32_t atlas_crc32(const SpineAtlas& a) {
  uLong crc = crc32(0L, Z_NULL, 0);
  const auto& p = a.projection;
  const double header[] = {p.step_mm, double(p.rows), double(p.cols), p.centre_col, p.z0_mm};
  crc = crc32_z(crc, reinterpret_cast<const Bytef*>(header), sizeof(header));
  crc = crc32_z(crc, reinterpret_cast<const Bytef*>(p.mm.data()), p.mm.size() * sizeof(float));
  for (const auto& b : a.bodies) {
    crc = crc32_z(crc, reinterpret_cast<const Bytef*>(b.name.data()), b.name.size());
    const double e[] = {b.lo_mm, b.hi_mm};
    crc = crc32_z(crc, reinterpret_cast<const Bytef*>(e), sizeof(e));
  }
  for (const auto& t : a.tie_breakers) {
    const uint32_t sub = atlas_crc32(t);
    crc = crc32_z(crc, reinterpret_cast<const Bytef*>(&sub), sizeof(sub));
  }
  if (a.level_check) {  // atlases without one keep their CRC
    const uint32_t sub = level_check_crc32(*a.level_check);
    crc = crc32_z(crc, reinterpret_cast<const Bytef*>(&sub), sizeof(sub));
  }
  return static_cast<uint32_t>(crc);
}

namespace {

// One atlas's own fields (no format header, no tie-breakers). Thickness in 1/100 mm as integers:
// exact round trip, compact file; `rounded` receives the atlas as it will load.
nlohmann::ordered_json atlas_to_json(const SpineAtlas& a, SpineAtlas& rounded) {
  nlohmann::ordered_json j;
  j["name"] = a.name;
  j["provenance"] = a.provenance;
  j["program_version"] = a.program_version;
  j["bone_threshold_hu"] = a.projection_options.threshold_hu;
  j["half_width_mm"] = a.projection_options.half_width_mm;
  const auto& p = a.projection;
  j["projection"] = nlohmann::ordered_json{{"step_mm", p.step_mm}, {"rows", p.rows}, {"cols", p.cols}, {"centre_col", p.centre_col},
                     {"z0_mm", p.z0_mm}};
  std::vector<int> data(p.mm.size());
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = int(std::lround(p.mm[i] * 100.0f));
  j["projection"]["thickness_cmm"] = data;
  for (const auto& b : a.bodies)
    j["bodies"].push_back(nlohmann::ordered_json{{"level", b.name}, {"lo_mm", b.lo_mm}, {"hi_mm", b.hi_mm}});
  rounded = a;
  rounded.tie_breakers.clear();
  rounded.level_check.reset();
  for (std::size_t i = 0; i < data.size(); ++i) rounded.projection.mm[i] = float(data[i]) / 100.0f;
  return j;
}

SpineAtlas atlas_from_json(const nlohmann::json& j, const std::filesystem::path& path) {
  SpineAtlas a;
  a.name = j.at("name").get<std::string>();
  a.provenance = j.at("provenance").get<std::string>();
  a.program_version = j.at("program_version").get<std::string>();
  a.projection_options.threshold_hu = j.at("bone_threshold_hu").get<double>();
  a.projection_options.half_width_mm = j.at("half_width_mm").get<double>();
  const auto& pj = j.at("projection");
  auto& p = a.projection;
  p.step_mm = pj.at("step_mm").get<double>();
  p.rows = pj.at("rows").get<int>();
  p.cols = pj.at("cols").get<int>();
  p.centre_col = pj.at("centre_col").get<double>();
  p.z0_mm = pj.at("z0_mm").get<double>();
  a.projection_options.step_mm = p.step_mm;
  const auto data = pj.at("thickness_cmm").get<std::vector<int>>();
  if (p.rows < 2 || p.cols < 2 || data.size() != std::size_t(p.rows) * std::size_t(p.cols) || !(p.step_mm > 0))
    throw InputError(path, fmt::format("atlas {} projection size does not match its data (truncated?)", a.name));
  p.mm.resize(data.size());
  for (std::size_t i = 0; i < data.size(); ++i) p.mm[i] = float(data[i]) / 100.0f;
  for (const auto& b : j.at("bodies"))
    a.bodies.push_back({b.at("level").get<std::string>(), b.at("lo_mm").get<double>(), b.at("hi_mm").get<double>()});
  if (!a.level("L3")) throw InputError(path, fmt::format("atlas {} has no L3 level", a.name));
  a.crc32 = atlas_crc32(a);
  return a;
}

}  // namespace

void save_spine_atlas(const std::filesystem::path& path, const SpineAtlas& a) {
  nlohmann::ordered_json j;  // format first: is_spine_atlas_file reads only the head
  j["format"] = kFormat;
  j["format_version"] = kFormatVersion;
  SpineAtlas rounded;
  const nlohmann::ordered_json own = atlas_to_json(a, rounded);
  for (const auto& [key, value] : own.items()) j[key] = value;
  j["tie_breakers"] = nlohmann::ordered_json::array();
  for (const auto& t : a.tie_breakers) {
    SpineAtlas rounded_tie_breaker;
    j["tie_breakers"].push_back(atlas_to_json(t, rounded_tie_breaker));
    rounded.tie_breakers.push_back(std::move(rounded_tie_breaker));
  }
  if (a.level_check) {
    j["level_check"] = level_check_to_json(*a.level_check);
    rounded.level_check = a.level_check;
  }
  j["crc32"] = atlas_crc32(rounded);
  write_text_atomically(path, j.dump() + "\n");
}

SpineAtlas load_spine_atlas(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open atlas file");
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw InputError(path, "not a spine atlas file (not valid JSON; truncated?)");
  if (j.value("format", "") != kFormat) throw InputError(path, "not a spine atlas file");
  const int version = j.value("format_version", 0);
  if (version < 1 || version > kFormatVersion) throw InputError(path, fmt::format("unknown atlas format version {}", version));
  try {
    SpineAtlas a = atlas_from_json(j, path);
    if (version >= 2)
      for (const auto& t : j.at("tie_breakers")) a.tie_breakers.push_back(atlas_from_json(t, path));
    if (version >= 3 && j.contains("level_check")) a.level_check = level_check_from_json(j.at("level_check"), path);
    a.crc32 = atlas_crc32(a);
    if (a.crc32 != j.at("crc32").get<uint32_t>()) throw InputError(path, "atlas CRC mismatch (file damaged or edited)");
    return a;
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path, fmt::format("bad atlas file: {}", e.what()));
  }
}

bool is_spine_atlas_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char head[64] = {};
  in.read(head, sizeof(head) - 1);
  return std::string(head).find(kFormat) != std::string::npos;
}

}  // namespace l3
