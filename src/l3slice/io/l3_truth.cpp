#include "l3slice/io/l3_truth.h"

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
  return out;
}

}  // namespace l3
