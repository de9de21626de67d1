// l3slice atlas: build a spine atlas (.l3a) from a CT and its vertebra label map. The atlas is
// what `predict` registers new scans to (training-free level finding, src/l3slice/atlas).
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.h"
#include "l3slice/atlas/phantom_atlas.h"
#include "l3slice/atlas/spine_atlas.h"
#include "l3slice/core/error.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/io/label_reader.h"

namespace l3::cli {

void add_atlas_command(CLI::App& app) {
  struct Args {
    std::string ct, labels, out, scheme = "totalsegmentator", name, provenance, level_check;
    double threshold_hu = 200.0;
    std::vector<std::string> tie_breakers;
    int tie_break_phantoms = 0;
    unsigned phantom_seed = 500;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("atlas", "Build a spine atlas (.l3a) from a CT and its vertebra labels");
  cmd->add_option("ct", args->ct, "CT (a bone-only CT works): DICOM folder or image file")->required();
  cmd->add_option("-l,--labels", args->labels, "Whole-vertebra label map on the CT's grid")->required();
  cmd->add_option("-o,--out", args->out, "Atlas file to write (.l3a)")->required();
  cmd->add_option("-s,--scheme", args->scheme, "Label numbering: totalsegmentator (29 = L3) or verse (22 = L3)")
      ->check(CLI::IsMember({"totalsegmentator", "verse"}))
      ->capture_default_str();
  cmd->add_option("--name", args->name, "Atlas name (default: the CT's file name)");
  cmd->add_option("--provenance", args->provenance, "Where the CT and labels came from, and their licence");
  cmd->add_option("--bone-hu", args->threshold_hu, "Bone threshold (HU)")->capture_default_str();
  cmd->add_option("-t,--tie-breaker", args->tie_breakers,
                  "Atlas (.l3a) asked only when this one is uncertain between two alignments (repeatable)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--tie-break-phantoms", args->tie_break_phantoms,
                  "Also carry this many synthetic phantom atlases as tie-breakers (the bundled default has 3)")
      ->check(CLI::Range(0, 20));
  cmd->add_option("--phantom-seed", args->phantom_seed, "Seed of the first tie-breaker phantom (phantom i uses seed + i)")
      ->capture_default_str();
  cmd->add_option("-q,--level-check", args->level_check,
                  "Level check (.l3q, `l3slice train-level-check`) to carry: a second opinion on every answer")
      ->check(CLI::ExistingFile);
  cmd->callback([args] {
    const CtScan ct = read_ct(args->ct);
    const LabelImage labels = read_labels(args->labels, ct);
    BoneProjectionOptions options;
    options.threshold_hu = args->threshold_hu;
    const LevelScheme scheme = args->scheme == "verse" ? LevelScheme::verse : LevelScheme::totalsegmentator;
    SpineAtlas atlas = build_spine_atlas(ct, labels, scheme, args->labels, options);
    atlas.name = args->name.empty() ? std::filesystem::path(args->ct).filename().string() : args->name;
    atlas.provenance = args->provenance;
    for (const auto& file : args->tie_breakers) {
      SpineAtlas t = load_spine_atlas(file);
      t.tie_breakers.clear();  // one level of second opinions
      atlas.tie_breakers.push_back(std::move(t));
    }
    for (int i = 0; i < args->tie_break_phantoms; ++i)
      atlas.tie_breakers.push_back(phantom_spine_atlas(args->phantom_seed + unsigned(i)));
    if (!args->level_check.empty()) atlas.level_check = load_level_check(args->level_check);
    save_spine_atlas(args->out, atlas);
    fmt::print("atlas {}: {} levels ({}..{}), projection {}x{} at {} mm, CRC {:08x}\n", args->out, atlas.bodies.size(),
               atlas.bodies.front().name, atlas.bodies.back().name, atlas.projection.rows, atlas.projection.cols,
               atlas.projection.step_mm, load_spine_atlas(args->out).crc32);
    for (const auto& b : atlas.bodies) fmt::print("  {:6s} body {:7.1f} .. {:7.1f} mm\n", b.name, b.lo_mm, b.hi_mm);
    for (const auto& t : atlas.tie_breakers) fmt::print("  tie-breaker {} ({})\n", t.name, t.provenance);
    if (atlas.level_check)
      fmt::print("  level check {} (CRC {:08x}; {})\n", atlas.level_check->name, atlas.level_check->crc32,
                 atlas.level_check->provenance);
  });
}

}  // namespace l3::cli
