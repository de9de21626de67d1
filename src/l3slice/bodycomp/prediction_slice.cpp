#include "l3slice/bodycomp/prediction_slice.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "l3slice/core/error.h"

namespace l3 {

namespace {

// The canonical index of l3.<key> in a prediction file (a file or the case folder holding it).
int l3_index(const std::filesystem::path& path, const char* key) {
  const auto file = std::filesystem::is_directory(path) ? path / "prediction.json" : path;
  std::ifstream in(file);
  if (!in) throw InputError(file, "cannot open the prediction file");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const std::exception&) {
    throw InputError(file, "not a valid JSON prediction file");
  }
  if (!j.contains("l3") || j["l3"].is_null())
    throw InputError(file, "the prediction found no L3 slice (" + j.value("status", std::string("no status")) + ")");
  const auto& at = j["l3"].value(key, nlohmann::json());
  if (!at.is_object() || !at.contains("canonical_index") || !at["canonical_index"].is_number_integer())
    throw InputError(file, std::string("no l3.") + key + ".canonical_index in the prediction file");
  return at["canonical_index"].get<int>();
}

}  // namespace

int slice_from_prediction(const std::filesystem::path& path) { return l3_index(path, "middle"); }

SliceRun l3_run_from_prediction(const std::filesystem::path& path) {
  return {l3_index(path, "first"), l3_index(path, "last")};
}

}  // namespace l3
