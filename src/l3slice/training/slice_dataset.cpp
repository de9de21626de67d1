#include "l3slice/training/slice_dataset.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "l3slice/core/error.h"
#include "l3slice/core/progress.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/io/l3_truth.h"
#include "l3slice/io/label_reader.h"

namespace l3 {

SliceDataset::SliceDataset(const ModelInputOptions& input) : input_(input) { check_model_input_options(input_); }

void SliceDataset::add_case(const std::string& case_id, const CtScan& ct, const std::vector<uint8_t>& labels,
                            const std::string& patient_id) {
  const int n = ct.hu.grid.size[2];
  if (static_cast<int>(labels.size()) != n)
    throw InputError(ct.source, fmt::format("{} slice labels for {} slices", labels.size(), n));
  DatasetCase c;
  c.case_id = case_id;
  c.patient_id = patient_id;
  c.first_slice = slice_count();
  c.slice_count = n;
  c.slice_mm = ct.hu.grid.spacing[2];
  c.truth = span_of(labels);
  const PreparedScan prepared(ct, input_);
  pixels_.reserve(pixels_.size() + std::size_t(n) * slice_bytes());
  for (int z = 0; z < n; ++z) {
    const auto input = prepared.model_input(z);
    pixels_.insert(pixels_.end(), input.begin(), input.end());
    labels_.push_back(labels[z] ? 1 : 0);
  }
  cases_.push_back(std::move(c));
}

void SliceDataset::add_label_value(int value) {
  if (std::find(label_values_.begin(), label_values_.end(), value) == label_values_.end()) {
    label_values_.push_back(value);
    std::sort(label_values_.begin(), label_values_.end());
  }
}

std::string SliceDataset::truth_definition() const { return label_truth_definition(label_values_); }

int64_t SliceDataset::l3_slice_count() const {
  return std::count(labels_.begin(), labels_.end(), uint8_t{1});
}

std::vector<int64_t> SliceDataset::slices_of(const std::vector<int>& case_indices) const {
  std::vector<int64_t> slices;
  for (const int ci : case_indices) {
    const auto& c = cases_.at(std::size_t(ci));
    for (int z = 0; z < c.slice_count; ++z) slices.push_back(c.first_slice + z);
  }
  return slices;
}

std::vector<std::string> SliceDataset::patient_ids() const {
  std::vector<std::string> ids;
  for (const auto& c : cases_) ids.push_back(c.patient_id.empty() ? c.case_id : c.patient_id);
  return ids;
}

std::vector<std::string> SliceDataset::case_ids() const {
  std::vector<std::string> ids;
  for (const auto& c : cases_) ids.push_back(c.case_id);
  return ids;
}

SliceDataset load_dataset(const std::vector<ManifestEntry>& manifest, const ModelInputOptions& input, std::FILE* log,
                          const std::filesystem::path& manifest_path) {
  SliceDataset data(input);
  Progress progress("loading", static_cast<long>(manifest.size()), "cases", log);
  CohortTruthCheck check;
  for (const auto& entry : manifest) {
    const CtScan ct = read_ct(entry.image);
    if (!entry.labels) {  // an explicit scan without L3
      check.add_explicit_negative();
      data.add_case(entry.case_id, ct, std::vector<uint8_t>(std::size_t(ct.hu.grid.size[2]), 0), entry.patient_id);
      progress.advance();
      continue;
    }
    const L3Truth truth = read_l3_truth(*entry.labels, entry.label_value, ct);
    if (!truth.note.empty() && log) fmt::print(log, "case {}: {}\n", entry.case_id, truth.note);
    check.add(truth);
    data.add_label_value(truth.value);
    data.add_case(entry.case_id, ct, truth.flags, entry.patient_id);
    progress.advance();
  }
  check.finish(manifest_path);
  progress.finish(fmt::format("{} slices, {} L3, {:.0f} MB", data.slice_count(), data.l3_slice_count(),
                              data.memory_bytes() / 1e6));
  return data;
}

}  // namespace l3
