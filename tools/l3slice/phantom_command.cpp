// l3slice phantom: synthetic CT torsos with known L3 (see phantom/phantom.h), as a dataset.
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "commands.h"
#include "l3slice/phantom/phantom_dataset.h"

namespace l3::cli {

void add_phantom_command(CLI::App& app) {
  struct Args {
    std::string out, format = "nifti", compression = "none", orientation = "LPS";
    int count = 1;
    unsigned seed = 1;
    std::optional<int> matrix;
    std::optional<double> slice_mm;
    double no_l3_fraction = 0.1;
    double scoliosis_fraction = 0.0;
    bool scanner_variety = false;
    bool crowded_abdomen = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "phantom", "Write synthetic CT torsos with known anatomy (L3 truth, vertebra and tissue labels)");
  cmd->add_option("--out", args->out, "Output folder: one subfolder per case, manifest.csv, tissue-manifest.csv, truth.csv")->required();
  cmd->add_option("--count", args->count, "Number of cases")->check(CLI::Range(1, 1000000))->capture_default_str();
  cmd->add_option("--seed", args->seed, "Seed of the first case (case i uses seed + i)")->capture_default_str();
  cmd->add_option("--format", args->format, "CT file format")
      ->check(CLI::IsMember({"nifti", "dicom", "both"}))
      ->capture_default_str();
  cmd->add_option("--dicom-compression", args->compression, "DICOM transfer syntax")
      ->check(CLI::IsMember({"none", "jpeg-lossless", "jpeg-ls", "jpeg2000", "rle"}))
      ->capture_default_str();
  cmd->add_option("--orientation", args->orientation,
                  "Voxel layout of the written files, e.g. LPS, RAS, PIR (the letter each axis runs towards)")
      ->capture_default_str();
  cmd->add_option("--matrix", args->matrix, "In-plane voxels (default 128; the field of view stays the same)")
      ->check(CLI::Range(32, 1024));
  cmd->add_option("--slice-mm", args->slice_mm, "Slice spacing/thickness in mm (default: 1-5 mm drawn per case)")
      ->check(CLI::Range(0.5, 10.0));
  cmd->add_option("--no-l3-fraction", args->no_l3_fraction, "Share of cases whose field of view misses L3")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_flag("--scanner-variety", args->scanner_variety,
                "Also draw the reconstruction kernel, contrast phase and -3024 HU padding per case");
  cmd->add_option("--scoliosis", args->scoliosis_fraction,
                  "Share of cases with a scoliotic lumbar curve, Cobb 10-40 degrees (0.2 is realistic for older adults)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_flag("--crowded-abdomen", args->crowded_abdomen,
                "Half of the cases with organs filling the upper abdomen against the wall, as on real CT (for train-bodycomp)");

  cmd->callback([args] {
    static const std::map<std::string, DicomCompression> compressions{
        {"none", DicomCompression::none},
        {"jpeg-lossless", DicomCompression::jpeg_lossless},
        {"jpeg-ls", DicomCompression::jpegls_lossless},
        {"jpeg2000", DicomCompression::jpeg2000_lossless},
        {"rle", DicomCompression::rle}};
    PhantomDatasetOptions d;
    d.count = args->count;
    d.seed = args->seed;
    d.nifti = args->format != "dicom";
    d.dicom = args->format != "nifti";
    d.compression = compressions.at(args->compression);
    d.orientation = args->orientation;
    d.matrix = args->matrix;
    d.slice_mm = args->slice_mm;
    d.no_l3_fraction = args->no_l3_fraction;
    d.scanner_variety = args->scanner_variety;
    d.crowded_abdomen = args->crowded_abdomen;
    d.scoliosis_fraction = args->scoliosis_fraction;
    const auto ids = write_phantom_dataset(args->out, d);
    fmt::print("wrote {} phantom case(s) to {} (manifest.csv, tissue-manifest.csv, truth.csv)\n", ids.size(), args->out);
  });
}

}  // namespace l3::cli
