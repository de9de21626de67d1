#include "l3slice/io/l3_truth.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "l3slice/core/error.h"
#include "l3slice/core/slice_run.h"
#include "l3slice/io/label_reader.h"

namespace l3 {

L3Truth read_l3_truth(const std::filesystem::path& labels_path, std::optional<int> requested, const CtScan& ct) {
  const LabelImage labels = read_labels(labels_path, ct);
  L3Truth out;
  if (requested) {
    if (*requested < 1 || *requested > 65535)
      throw InputError(labels_path, "bad label value " + std::to_string(*requested));
    out.value = *requested;
    out.flags = slice_labels(labels, out.value);
    if (!span_of(out.flags))
      out.note = "label " + std::to_string(out.value) + " does not occur in " + labels_path.string() +
                 ": taken as a scan without L3";
  } else {
    out.value = resolve_label_value(labels, std::nullopt, labels_path);
    out.flags = slice_labels(labels, out.value);
  }
  if (const auto run = span_of(out.flags)) {
    int missing = 0;
    for (int z = run->first; z <= run->last; ++z) missing += out.flags[std::size_t(z)] ? 0 : 1;
    if (missing)
      throw InputError(labels_path, fmt::format("label {} spans slices {}-{} but is missing on {} slice(s) inside "
                                                "(a stray voxel or a second structure?): its middle would be wrong",
                                                out.value, run->first, run->last, missing));
  }
  return out;
}

void CohortTruthCheck::add(const L3Truth& truth) {
  ++labelled_;
  if (!span_of(truth.flags)) ++without_l3_;
  values_.push_back(truth.value);
}

std::string label_truth_definition(std::vector<int> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  if (v.empty()) return "no L3 label in any case";
  return fmt::format("slices containing label{} {} of the manifest's label files", v.size() > 1 ? "s" : "", fmt::join(v, ", "));
}

void CohortTruthCheck::finish(const std::filesystem::path& manifest) const {
  if (labelled_ == 0) return;
  if (without_l3_ == labelled_)
    throw InputError(manifest, fmt::format("label {} occurs in none of the {} label files: wrong label value? (scans "
                                           "meant to have no L3 take an empty labels cell)",
                                           values_.front(), labelled_));
  if (2 * without_l3_ > labelled_)
    throw InputError(manifest, fmt::format("L3 label missing in {} of {} label files: wrong label value? (scans meant "
                                           "to have no L3 take an empty labels cell)",
                                           without_l3_, labelled_));
}

}  // namespace l3
