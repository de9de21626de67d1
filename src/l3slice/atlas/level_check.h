#pragma once
// A second opinion on the level, from a trained level-counting sequence network
// (model/level_sequence_net.h) run on the same bone projection the atlas is registered to. The
// atlas says where L3 is; the check says whether a network that has seen the whole spine of many
// phantoms and of the atlas's own real spine counts the same vertebra. Used by the level finder
// (level_finder.h) to flag disagreements and to settle "uncertain", never to give an answer alone.
// File format: JSON (.l3q), also embedded in an atlas file.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "l3slice/atlas/bone_projection.h"

namespace l3 {

struct LevelCheck {
  std::string name;           // e.g. "sequence-phantoms"
  std::string provenance;     // what it was trained on
  nlohmann::json settings;    // the training settings and summary
  std::string program_version = L3SLICE_VERSION;
  std::vector<float> weights; // flat, in the network's parameter order
  uint32_t crc32 = 0;         // of name and weights; set by training and load
};

// Where the network puts the L3 middle: the median over the rows that say they lie within
// `near_mm` of it of (row height - its distance). `spread_mm`: median deviation of those rows.
struct LevelVote {
  bool in_view = false;       // the L3 body (+3 mm) lies inside the scan
  double l3_middle_mm = 0.0;  // mm above the centre of the scan's first slice
  double spread_mm = 0.0;
  int rows_near = 0;
  bool any() const { return rows_near > 0; }  // some row put itself near L3
};

// The network's input: the projection's central columns (+-170 mm around its midline, zero beyond
// its edges), rows x kLevelSequenceCols.
std::vector<float> level_check_input(const BoneProjection& projection);

// `scan` must use the default projection options (3 mm, +-170 mm); `scan_mm`: the scan's length
// (first to last slice centre). Throws UsageError for another projection step.
LevelVote level_check_vote(const LevelCheck& check, const BoneProjection& scan, double scan_mm);

uint32_t level_check_crc32(const LevelCheck& check);
nlohmann::ordered_json level_check_to_json(const LevelCheck& check);
// Throws InputError naming `path` when a field is missing, the weights do not decode or the CRC fails.
LevelCheck level_check_from_json(const nlohmann::json& j, const std::filesystem::path& path);

// Standalone files (atomic write; load throws InputError naming the file).
void save_level_check(const std::filesystem::path& path, const LevelCheck& check);
LevelCheck load_level_check(const std::filesystem::path& path);

}  // namespace l3
