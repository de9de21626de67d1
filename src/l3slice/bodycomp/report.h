#pragma once
// Body-composition results as JSON (one case) and CSV rows (one line a case, same columns always).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "l3slice/bodycomp/body_composition.h"

namespace l3 {

nlohmann::json to_json(const BodyComposition& c);
BodyComposition body_composition_from_json(const nlohmann::json& j);

std::vector<std::string> body_composition_csv_header();
std::vector<std::string> body_composition_csv_row(const BodyComposition& c);

}  // namespace l3
