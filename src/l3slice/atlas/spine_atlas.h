#pragma once
// A spine atlas: one real CT's bone projection with the vertebral levels marked on it. Registering
// a new scan's bone projection to it (registration.h) tells which vertebra every slice of the scan
// is at, without training: the ribs, the lumbar gap and the pelvis fix the levels the way a
// radiologist counts them. An atlas may carry tie-breakers: further atlases that are asked only when
// its own two best alignments match almost equally (level_finder.h). File format: JSON (.l3a), with
// a CRC of the projections and levels.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "l3slice/atlas/bone_projection.h"
#include "l3slice/atlas/level_check.h"

namespace l3 {

// Where one vertebral body lies along z, in the atlas projection's mm (edges, not slice centres).
struct LevelExtent {
  std::string name;  // "T12", "L3", "S1", "sacrum", ...
  double lo_mm = 0.0;
  double hi_mm = 0.0;
  double middle_mm() const { return (lo_mm + hi_mm) / 2; }
};

struct SpineAtlas {
  std::string name;         // e.g. "s0328"
  std::string provenance;   // where the scan and labels came from, and their licence
  std::string program_version = L3SLICE_VERSION;
  BoneProjectionOptions projection_options;
  BoneProjection projection;
  std::vector<LevelExtent> bodies;  // inferior -> superior
  // Second opinions for "uncertain" only: they pick between this atlas's two best alignments and
  // never give an answer of their own (the bundled default carries synthetic phantoms here).
  std::vector<SpineAtlas> tie_breakers;
  // A trained level-counting network asked about every answer (level_check.h); optional.
  std::optional<LevelCheck> level_check;
  uint32_t crc32 = 0;               // of the projection, levels and tie-breakers; set by build and load

  const LevelExtent* level(const std::string& name) const;
};

// Label numbering of the vertebra label file.
enum class LevelScheme { totalsegmentator, verse };
// "T12", "L3", ... for a label value, or "" if the value is not a vertebra.
std::string level_name(LevelScheme scheme, int label);

// Builds an atlas from a CT (bone >= options.threshold_hu is used; a bone-only CT works) and its
// whole-vertebra label map on the same grid. The body of each vertebra is the anterior 35 % of its
// label's extent along anterior-posterior (reproduces VerSe body labels on the shared example CT).
// Throws InputError naming `labels_path` when L3 or the levels around it are missing.
SpineAtlas build_spine_atlas(const CtScan& ct, const LabelImage& vertebrae, LevelScheme scheme,
                             const std::filesystem::path& labels_path, const BoneProjectionOptions& options = {});

uint32_t atlas_crc32(const SpineAtlas& atlas);
// Atomic write. load throws InputError naming the file: not an atlas, truncated, CRC mismatch.
// Format version 2 adds tie-breakers, 3 the level check; older files still load.
void save_spine_atlas(const std::filesystem::path& path, const SpineAtlas& atlas);
SpineAtlas load_spine_atlas(const std::filesystem::path& path);
// True if the file starts like an atlas file (JSON with the atlas format key).
bool is_spine_atlas_file(const std::filesystem::path& path);

}  // namespace l3
