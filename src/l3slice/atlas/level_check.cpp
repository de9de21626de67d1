#include "l3slice/atlas/level_check.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "l3slice/core/atomic_file.h"
#include "l3slice/core/error.h"
#include "l3slice/model/level_sequence_net.h"

namespace l3 {
namespace {

constexpr const char* kLevelCheckFormat = "l3slice-level-check";
constexpr int kLevelCheckFormatVersion = 1;
constexpr double kVoteNearMm = 100.0;     // rows farther from L3 than this do not vote
constexpr double kVoteHalfBodyMm = 17.0;  // half an L3 body and the level finder's 3 mm edge margin

// Weights as the hex of their IEEE bits, little end first: exact and compact in JSON.
std::string to_hex(const std::vector<float>& w) {
  static const char digits[] = "0123456789abcdef";
  std::string out(w.size() * 8, '0');
  for (std::size_t i = 0; i < w.size(); ++i) {
    uint32_t bits;
    std::memcpy(&bits, &w[i], 4);
    for (int k = 0; k < 8; ++k) out[i * 8 + std::size_t(k)] = digits[(bits >> (28 - 4 * k)) & 0xf];
  }
  return out;
}

bool from_hex(const std::string& s, std::vector<float>& w) {
  if (s.size() % 8) return false;
  w.resize(s.size() / 8);
  for (std::size_t i = 0; i < w.size(); ++i) {
    uint32_t bits = 0;
    for (int k = 0; k < 8; ++k) {
      const char c = s[i * 8 + std::size_t(k)];
      const int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (v < 0) return false;
      bits = bits << 4 | uint32_t(v);
    }
    std::memcpy(&w[i], &bits, 4);
    if (!std::isfinite(w[i])) return false;
  }
  return true;
}

}  // namespace

std::vector<float> level_check_input(const BoneProjection& p) {
  std::vector<float> x(std::size_t(p.rows) * kLevelSequenceCols, 0.0f);
  const int c0 = int(std::lround(p.centre_col)) - kLevelSequenceCols / 2;
  for (int r = 0; r < p.rows; ++r)
    for (int c = 0; c < kLevelSequenceCols; ++c)
      if (const int src = c0 + c; src >= 0 && src < p.cols) x[std::size_t(r) * kLevelSequenceCols + c] = p.at(r, src);
  return x;
}

LevelVote level_check_vote(const LevelCheck& check, const BoneProjection& scan, double scan_mm) {
  if (std::abs(scan.step_mm - 3.0) > 1e-9) throw UsageError("the level check needs a 3 mm bone projection");
  LevelSequenceNet net = level_sequence_net_from(check.weights);
  const std::vector<float> d = row_distances_mm(net, level_check_input(scan), scan.rows);
  std::vector<double> estimates;
  for (int r = 0; r < scan.rows; ++r)
    if (std::abs(d[std::size_t(r)]) < kVoteNearMm) estimates.push_back(scan.z_mm(r) - d[std::size_t(r)]);
  LevelVote v;
  v.rows_near = int(estimates.size());
  if (estimates.empty()) return v;
  std::sort(estimates.begin(), estimates.end());
  v.l3_middle_mm = estimates[estimates.size() / 2];
  std::vector<double> deviation;
  for (double e : estimates) deviation.push_back(std::abs(e - v.l3_middle_mm));
  std::sort(deviation.begin(), deviation.end());
  v.spread_mm = deviation[deviation.size() / 2];
  v.in_view = v.l3_middle_mm - kVoteHalfBodyMm >= -scan.step_mm / 2 && v.l3_middle_mm + kVoteHalfBodyMm <= scan_mm + scan.step_mm / 2;
  return v;
}

uint32_t level_check_crc32(const LevelCheck& c) {
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32_z(crc, reinterpret_cast<const Bytef*>(c.name.data()), c.name.size());
  crc = crc32_z(crc, reinterpret_cast<const Bytef*>(c.weights.data()), c.weights.size() * sizeof(float));
  return static_cast<uint32_t>(crc);
}

nlohmann::ordered_json level_check_to_json(const LevelCheck& c) {
  nlohmann::ordered_json j;
  j["format"] = kLevelCheckFormat;
  j["format_version"] = kLevelCheckFormatVersion;
  j["name"] = c.name;
  j["provenance"] = c.provenance;
  j["program_version"] = c.program_version;
  j["settings"] = c.settings;
  j["network"] = "level-sequence-v1";
  j["weight_count"] = c.weights.size();
  j["weights_f32_hex"] = to_hex(c.weights);
  j["crc32"] = level_check_crc32(c);
  return j;
}

LevelCheck level_check_from_json(const nlohmann::json& j, const std::filesystem::path& path) {
  try {
    if (j.value("format", "") != kLevelCheckFormat) throw InputError(path, "not a level check");
    if (j.value("format_version", 0) != kLevelCheckFormatVersion)
      throw InputError(path, fmt::format("unknown level check format version {}", j.value("format_version", 0)));
    if (j.at("network").get<std::string>() != "level-sequence-v1")
      throw InputError(path, "unknown level check network " + j.at("network").get<std::string>());
    LevelCheck c;
    c.name = j.at("name").get<std::string>();
    c.provenance = j.at("provenance").get<std::string>();
    c.program_version = j.at("program_version").get<std::string>();
    c.settings = j.at("settings");
    if (!from_hex(j.at("weights_f32_hex").get<std::string>(), c.weights) || c.weights.size() != j.at("weight_count").get<std::size_t>())
      throw InputError(path, fmt::format("level check {}: weights do not decode (truncated or edited?)", c.name));
    try {
      level_sequence_net_from(c.weights);  // the weight count fits the network
    } catch (const UsageError& e) {
      throw InputError(path, e.what());
    }
    c.crc32 = level_check_crc32(c);
    if (c.crc32 != j.at("crc32").get<uint32_t>()) throw InputError(path, "level check CRC mismatch (file damaged or edited)");
    return c;
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path, fmt::format("bad level check: {}", e.what()));
  }
}

void save_level_check(const std::filesystem::path& path, const LevelCheck& c) {
  write_text_atomically(path, level_check_to_json(c).dump() + "\n");
}

LevelCheck load_level_check(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open level check file");
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw InputError(path, "not a level check file (not valid JSON; truncated?)");
  return level_check_from_json(j, path);
}

}  // namespace l3
