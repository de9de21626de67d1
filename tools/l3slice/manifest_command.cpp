// l3slice manifest: a training/evaluation manifest from a public dataset folder, in one command.
#include <filesystem>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "commands.h"
#include "l3slice/core/error.h"
#include "l3slice/io/public_datasets.h"

namespace l3::cli {

void add_manifest_command(CLI::App& app) {
  struct Args {
    std::string totalsegmentator, verse, out;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("manifest", "Make a manifest (case_id,image,labels,label_value) from a public dataset folder");
  auto* ts = cmd->add_option("--totalsegmentator", args->totalsegmentator,
                             "TotalSegmentator dataset root (sXXXX/ct.nii.gz, sXXXX/segmentations/vertebrae_L3.nii.gz)");
  auto* vs = cmd->add_option("--verse", args->verse,
                             "VerSe dataset root (rawdata/sub-*/..._ct.nii.gz, derivatives/sub-*/..._seg-vert_msk.nii.gz)");
  ts->excludes(vs);
  cmd->add_option("-o,--out", args->out, "Manifest to write (.csv)")->required();
  cmd->callback([args] {
    if (args->totalsegmentator.empty() == args->verse.empty())
      throw UsageError("manifest: give exactly one of --totalsegmentator DIR or --verse DIR");
    int skipped = 0;
    const bool ts = !args->totalsegmentator.empty();
    auto entries = ts ? totalsegmentator_manifest(args->totalsegmentator, &skipped) : verse_manifest(args->verse, &skipped);
    const std::filesystem::path out(args->out);
    write_manifest(out, relative_to(entries, out.has_parent_path() ? out.parent_path() : "."));
    fmt::print("{}: {} cases ({} L3: {}){}\n", out.string(), entries.size(), ts ? "TotalSegmentator" : "VerSe",
               ts ? "vertebrae_L3 mask, whole vertebra" : "label 22, whole vertebra",
               skipped ? fmt::format("; {} CTs without a label file left out", skipped) : "");
  });
}

}  // namespace l3::cli
