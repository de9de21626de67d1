#pragma once
// What `l3slice review` serves and records: the cases of a `predict` output folder (one subfolder
// per case with prediction.json and qc.png), the reviewer's corrections (appended to
// OUTDIR/corrections.csv, never editing the results), body composition re-measured on a corrected
// slice, and the corrected cases as a training manifest.
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace l3 {

enum class ReviewAction { accept, move, no_l3, unusable };
const char* review_action_name(ReviewAction a);
std::optional<ReviewAction> parse_review_action(const std::string& name);

struct Correction {
  std::string when;        // ISO 8601 UTC, set by the store
  std::string who;
  std::string case_id;
  ReviewAction action = ReviewAction::accept;
  std::optional<int> l3_middle;        // canonical slice (accept: predict's; move: the new one)
  std::optional<int> predicted_middle;
  std::string note;
};

struct ReviewCase {
  std::string id;        // the case folder's name
  std::string source;    // the CT it was predicted on
  std::string status;    // predict's status ("L3 found", "uncertain", ...)
  double confidence = 0.0;
  std::string reason;    // why (the spine atlas's evidence.reason: e.g. settled by a tie-breaker), or ""
  std::optional<int> first, middle, last;  // predict's L3 run (canonical slices); uncertain: the best guess
  int slice_count = 0;
  double slice_mm = 0.0;
};

class ReviewStore {
 public:
  // Reads every <out_dir>/<case>/prediction.json and corrections.csv. Throws InputError naming
  // out_dir if it holds no predict results.
  explicit ReviewStore(std::filesystem::path out_dir);

  const std::filesystem::path& folder() const { return dir_; }
  const std::vector<ReviewCase>& cases() const { return cases_; }
  // nullptr for an id that is not a case folder (ids come from URLs: nothing else is looked up).
  const ReviewCase* find(const std::string& id) const;
  std::filesystem::path case_folder(const ReviewCase& c) const { return dir_ / c.id; }

  std::vector<Correction> corrections() const;
  std::optional<Correction> latest_correction(const std::string& id) const;
  // Validates (known case; move needs a slice inside the scan), stamps the time and appends it to
  // corrections.csv atomically; safe from several threads. Throws UsageError when invalid.
  Correction add(Correction c);

  // The corrected cases as a training manifest (case_id,image,labels,label_value): accepted and
  // moved cases get <case>/l3-reviewed.nii.gz (the L3 run, its middle where the reviewer put it,
  // its length predict's) and "no L3" cases an empty labels cell; unusable and unreviewed cases
  // are left out. Returns the number of cases written.
  int export_manifest(const std::filesystem::path& manifest) const;

 private:
  std::filesystem::path dir_;
  std::vector<ReviewCase> cases_;
  mutable std::mutex mutex_;
  std::vector<Correction> corrections_;
};

nlohmann::json to_json(const ReviewCase& c);
nlohmann::json to_json(const Correction& c);

}  // namespace l3
