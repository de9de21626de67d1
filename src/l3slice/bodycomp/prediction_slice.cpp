#include "l3slice/bodycomp/prediction_slice.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "l3slice/core/error.h"

namespace l3 {

int slice_from_prediction(const std::filesystem::path& path) {
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
  const auto& middle = j["l3"].value("middle", nlohmann::json());
  if (!middle.is_object() || !middle.contains("canonical_index") || !middle["canonical_index"].is_number_integer())
    throw InputError(file, "no l3.middle.canonical_index in the prediction file");
  return middle["canonical_index"].get<int>();
}

}  // namespace l3
