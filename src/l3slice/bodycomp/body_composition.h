#pragma once
// Body composition on an axial CT slice (usually the L3 slice): skeletal muscle, visceral,
// subcutaneous and intermuscular fat areas, muscle attenuation, and height/weight-derived indices.
//
// Compartments first, thresholds second: the body is separated from the table and air, the
// subcutaneous compartment (skin to the muscle wall's outer fascia) from the inside of the wall,
// the muscle compartment (wall ring, back muscles, psoas) from the visceral cavity, and bone and
// the spinal canal are removed; only then are the HU ranges applied inside each compartment.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "l3slice/core/image.h"

namespace l3 {

// Identifies the method in every output, so numbers from different versions are never mixed silently.
inline constexpr const char* kBodyCompMethod = "l3slice-bodycomp-5";

struct HuRange {
  int low = 0;
  int high = 0;  // inclusive
  bool contains(int hu) const { return hu >= low && hu <= high; }
};

// Default HU ranges are the ones in common use at L3 (Mitsiopoulos et al., J Appl Physiol 1998;
// Shen et al. 2004; Prado et al., Lancet Oncol 2008): muscle -29..150, VAT -150..-50,
// SAT and IMAT -190..-30.
struct TissueThresholds {
  HuRange muscle{-29, 150};
  HuRange visceral_fat{-150, -50};
  HuRange subcutaneous_fat{-190, -30};
  HuRange intermuscular_fat{-190, -30};
  int body_hu = -500;  // air/body boundary
  int bone_hu = 200;   // cortical/trabecular bone seeds (the vertebra is then closed and filled)
};

// One axial slice (size[2] == 1) -> BodyLabel per pixel; throws InputError naming `source`.
using SliceSegmenter = std::function<MaskImage(const HuImage& slice, const TissueThresholds& thresholds,
                                               const std::string& source)>;

struct BodyCompOptions {
  TissueThresholds thresholds;
  // Empty: the classical method (segment_slice). Otherwise e.g. a trained U-Net (segmenter module),
  // named in `method` with what identifies it (the model file's CRC).
  SliceSegmenter segmenter;
  std::string method = kBodyCompMethod;
  int half_width = 0;                // average over slices z-half_width .. z+half_width
  std::optional<double> height_m;    // for SMI and BMI
  std::optional<double> weight_kg;   // for BMI
  std::string case_id;
};

// The body's outer band that is skin (with air partial volume: about -75 HU at 3 mm pixels), never
// SAT, whatever segments the slice: pixel centres this close to the outline.
inline constexpr double kSkinBandMm = 1.5;

// Per-pixel class of the segmented slice (the picture, and the truth the areas are counted from).
enum class BodyLabel : uint8_t {
  outside = 0,       // air, table
  other = 1,         // in the body, none of the measured tissues (skin, organs, gas, ...)
  subcutaneous_fat = 2,
  visceral_fat = 3,
  muscle = 4,
  intermuscular_fat = 5,
  bone = 6,          // bone and the spinal canal (excluded from every tissue)
};

struct BodyComposition {
  std::string case_id;
  std::string source;          // the CT it came from
  int slice = 0;               // canonical axial index of the central slice
  int first_slice = 0;         // slices averaged (first..last, inclusive)
  int last_slice = 0;
  double z_mm = 0.0;           // patient z of the central slice
  double pixel_mm[2] = {0, 0}; // in-plane spacing (columns, rows)
  double sma_cm2 = 0, vat_cm2 = 0, sat_cm2 = 0, imat_cm2 = 0;
  double muscle_hu = 0;        // mean HU of the skeletal muscle pixels
  double body_cm2 = 0;         // cross-sectional area of the body
  std::optional<double> height_m, weight_kg;
  std::optional<double> smi_cm2_m2;   // SMA / height^2
  std::optional<double> bmi_kg_m2;    // weight / height^2
  std::optional<double> sma_per_bmi;  // SMA (cm2) / BMI
  std::vector<std::string> warnings;  // e.g. the body touches the image edge
  nlohmann::json measured_slice;      // the central slice in the user's files (core/slice_location.h)
  std::string method = kBodyCompMethod;
  TissueThresholds thresholds;        // the HU ranges it was measured with (recorded in every output)
};

struct SliceMeasurement {
  BodyComposition composition;
  HuImage slice;      // the central slice (size[2] == 1)
  MaskImage labels;   // BodyLabel per pixel of the central slice
};

// Measures slice z (and its neighbours if options.half_width > 0; areas and muscle HU averaged).
// Throws InputError (naming ct.source) for a slice outside the volume, a slice plane that is not
// axial, or no body on the slice.
SliceMeasurement measure_body_composition(const CtScan& ct, int z, const BodyCompOptions& options = {});

// One slice's segmentation (exposed for tests and the picture). `slice` has size[2] == 1.
// Throws InputError (naming `source`) if no body is found.
MaskImage segment_slice(const HuImage& slice, const TissueThresholds& thresholds,
                        const std::string& source = "<slice>");

}  // namespace l3
