#include "l3slice/review/review_store.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>

#include <fmt/format.h>

#include "l3slice/core/atomic_file.h"
#include "l3slice/core/csv.h"
#include "l3slice/core/error.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/io/image_writer.h"

namespace l3 {
namespace {

const std::vector<std::string> kColumns{"when", "who", "case_id", "action", "l3_middle", "predicted_middle", "note"};

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string optional_int(const std::optional<int>& v) { return v ? std::to_string(*v) : std::string(); }

std::optional<int> slice_index(const nlohmann::json& run, const char* key) {
  if (!run.is_object() || !run.contains(key) || !run[key].is_object()) return std::nullopt;
  return run[key].value("canonical_index", -1) >= 0 ? std::optional<int>(run[key]["canonical_index"].get<int>())
                                                      : std::nullopt;
}

ReviewCase read_case(const std::filesystem::path& folder) {
  const std::filesystem::path file = folder / "prediction.json";
  std::ifstream in(file);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(file, std::string("not a prediction file: ") + e.what());
  }
  ReviewCase c;
  c.id = folder.filename().string();
  c.source = j.value("source", std::string());
  c.status = j.value("status", std::string());
  c.confidence = j.value("confidence", 0.0);
  if (const auto e = j.find("evidence"); e != j.end() && e->is_object() && e->contains("reason") && (*e)["reason"].is_string())
    c.reason = (*e)["reason"].get<std::string>();
  const nlohmann::json run = j.contains("l3") && j["l3"].is_object()
                                 ? j["l3"]
                                 : j.value("evidence", nlohmann::json::object()).value("best_guess", nlohmann::json());
  if (run.is_object() && run.contains("middle") && run["middle"].is_number()) {  // best guesses: plain indices
    c.first = run.value("first", -1);
    c.middle = run["middle"].get<int>();
    c.last = run.value("last", -1);
  } else {
    c.first = slice_index(run, "first");
    c.middle = slice_index(run, "middle");
    c.last = slice_index(run, "last");
  }
  const nlohmann::json scan = j.value("scan", nlohmann::json::object());
  if (scan.contains("size")) c.slice_count = scan["size"][2].get<int>();
  if (scan.contains("spacing_mm")) c.slice_mm = scan["spacing_mm"][2].get<double>();
  return c;
}

Correction correction_from_row(const CsvTable& t, const std::vector<std::string>& row, const std::filesystem::path& file) {
  auto cell = [&](const char* name) {
    const int i = t.column(name);
    return i >= 0 ? row[std::size_t(i)] : std::string();
  };
  Correction c;
  c.when = cell("when");
  c.who = cell("who");
  c.case_id = cell("case_id");
  const auto action = parse_review_action(cell("action"));
  if (!action) throw InputError(file, "unknown action '" + cell("action") + "'");
  c.action = *action;
  if (!cell("l3_middle").empty()) c.l3_middle = std::stoi(cell("l3_middle"));
  if (!cell("predicted_middle").empty()) c.predicted_middle = std::stoi(cell("predicted_middle"));
  c.note = cell("note");
  return c;
}

}  // namespace

const char* review_action_name(ReviewAction a) {
  switch (a) {
    case ReviewAction::accept: return "accept";
    case ReviewAction::move: return "move";
    case ReviewAction::no_l3: return "no_l3";
    case ReviewAction::unusable: return "unusable";
  }
  return "";
}

std::optional<ReviewAction> parse_review_action(const std::string& name) {
  for (ReviewAction a : {ReviewAction::accept, ReviewAction::move, ReviewAction::no_l3, ReviewAction::unusable})
    if (name == review_action_name(a)) return a;
  return std::nullopt;
}

ReviewStore::ReviewStore(std::filesystem::path out_dir) : dir_(std::move(out_dir)) {
  if (!std::filesystem::is_directory(dir_)) throw InputError(dir_, "not a folder");
  for (const auto& entry : std::filesystem::directory_iterator(dir_))
    if (entry.is_directory() && std::filesystem::exists(entry.path() / "prediction.json"))
      cases_.push_back(read_case(entry.path()));
  if (cases_.empty()) throw InputError(dir_, "no predict results (<case>/prediction.json) to review");
  std::sort(cases_.begin(), cases_.end(), [](const ReviewCase& a, const ReviewCase& b) { return a.id < b.id; });
  const std::filesystem::path file = dir_ / "corrections.csv";
  if (std::filesystem::exists(file)) {
    const CsvTable t = read_csv(file);
    for (const auto& row : t.rows) corrections_.push_back(correction_from_row(t, row, file));
  }
}

const ReviewCase* ReviewStore::find(const std::string& id) const {
  for (const ReviewCase& c : cases_)
    if (c.id == id) return &c;
  return nullptr;
}

std::vector<Correction> ReviewStore::corrections() const {
  std::lock_guard lock(mutex_);
  return corrections_;
}

std::optional<Correction> ReviewStore::latest_correction(const std::string& id) const {
  std::lock_guard lock(mutex_);
  for (auto it = corrections_.rbegin(); it != corrections_.rend(); ++it)
    if (it->case_id == id) return *it;
  return std::nullopt;
}

Correction ReviewStore::add(Correction c) {
  const ReviewCase* rc = find(c.case_id);
  if (!rc) throw UsageError("no case '" + c.case_id + "' in " + dir_.string());
  c.predicted_middle = rc->middle;
  if (c.action == ReviewAction::accept) {
    if (!c.l3_middle) c.l3_middle = rc->middle;
    if (!c.l3_middle) throw UsageError("accept: predict gave no L3 slice for '" + c.case_id + "'; move it or mark no L3");
  }
  if (c.action == ReviewAction::move && !c.l3_middle) throw UsageError("move: which slice?");
  if (c.l3_middle && (*c.l3_middle < 0 || (rc->slice_count > 0 && *c.l3_middle >= rc->slice_count)))
    throw UsageError(fmt::format("slice {} is outside the scan (0..{})", *c.l3_middle, rc->slice_count - 1));
  if (c.action == ReviewAction::no_l3 || c.action == ReviewAction::unusable) c.l3_middle.reset();
  if (c.who.empty()) c.who = "anonymous";
  if (c.note.size() > 2000) c.note.resize(2000);
  std::lock_guard lock(mutex_);  // one writer at a time: two tabs saving at once both land
  c.when = utc_now();
  const std::filesystem::path file = dir_ / "corrections.csv";
  std::string text = csv_line(kColumns);
  for (const Correction& old : corrections_)
    text += csv_line({old.when, old.who, old.case_id, review_action_name(old.action), optional_int(old.l3_middle),
                      optional_int(old.predicted_middle), old.note});
  text += csv_line({c.when, c.who, c.case_id, review_action_name(c.action), optional_int(c.l3_middle),
                    optional_int(c.predicted_middle), c.note});
  write_text_atomically(file, text);
  corrections_.push_back(c);
  return c;
}

int ReviewStore::export_manifest(const std::filesystem::path& manifest) const {
  const std::filesystem::path base = std::filesystem::absolute(manifest).parent_path();
  std::string text = csv_line({"case_id", "image", "labels", "label_value"});
  int written = 0;
  for (const ReviewCase& c : cases_) {
    const auto latest = latest_correction(c.id);
    if (!latest || latest->action == ReviewAction::unusable) continue;
    std::string labels;
    if (latest->l3_middle) {
      // The reviewed run: predict's length, centred where the reviewer put the middle.
      const int half_below = c.first && c.middle ? *c.middle - *c.first : 0;
      const int half_above = c.last && c.middle ? *c.last - *c.middle : 0;
      const CtScan ct = read_ct(c.source);
      LabelImage l3(ct.hu.grid, 0);
      const int nz = ct.hu.grid.size[2];
      for (int z = std::max(0, *latest->l3_middle - half_below); z <= std::min(nz - 1, *latest->l3_middle + half_above); ++z)
        std::fill(l3.voxels.begin() + std::ptrdiff_t(l3.grid.slice_voxels() * std::size_t(z)),
                  l3.voxels.begin() + std::ptrdiff_t(l3.grid.slice_voxels() * std::size_t(z + 1)), uint16_t(1));
      const std::filesystem::path file = case_folder(c) / "l3-reviewed.nii.gz";
      write_image(l3, file);
      labels = std::filesystem::absolute(file).lexically_relative(base).string();
    }
    const std::filesystem::path image = std::filesystem::absolute(c.source).lexically_relative(base);
    text += csv_line({c.id, image.string(), labels, labels.empty() ? "" : "1"});
    ++written;
  }
  write_text_atomically(manifest, text);
  return written;
}

nlohmann::json to_json(const ReviewCase& c) {
  auto opt = [](const std::optional<int>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  return {{"id", c.id},          {"source", c.source},     {"status", c.status},     {"confidence", c.confidence},
          {"first", opt(c.first)}, {"middle", opt(c.middle)}, {"last", opt(c.last)}, {"slice_count", c.slice_count},
          {"slice_mm", c.slice_mm}, {"reason", c.reason}};
}

nlohmann::json to_json(const Correction& c) {
  return {{"when", c.when},
          {"who", c.who},
          {"case_id", c.case_id},
          {"action", review_action_name(c.action)},
          {"l3_middle", c.l3_middle ? nlohmann::json(*c.l3_middle) : nlohmann::json()},
          {"predicted_middle", c.predicted_middle ? nlohmann::json(*c.predicted_middle) : nlohmann::json()},
          {"note", c.note}};
}

}  // namespace l3
