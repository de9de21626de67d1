#include "l3slice/bodycomp/report.h"

#include <fmt/format.h>

#include <cmath>

namespace l3 {
namespace {

// Rounded for publication tables: 0.01 cm2 and 0.1 HU are well below the method's precision.
double round_to(double v, double step) { return std::round(v / step) * step; }

nlohmann::json optional_number(const std::optional<double>& v, double step) {
  return v ? nlohmann::json(round_to(*v, step)) : nlohmann::json(nullptr);
}

std::string csv_number(const std::optional<double>& v, int decimals) {
  return v && std::isfinite(*v) ? fmt::format("{:.{}f}", *v, decimals) : std::string();
}

}  // namespace

nlohmann::json to_json(const BodyComposition& c) {
  nlohmann::json j;
  j["case_id"] = c.case_id;
  j["source"] = c.source;
  j["slice"] = c.slice;
  j["slices_averaged"] = {c.first_slice, c.last_slice};
  if (!c.measured_slice.is_null()) j["measured_slice"] = c.measured_slice;
  j["z_mm"] = round_to(c.z_mm, 0.01);
  j["pixel_mm"] = {c.pixel_mm[0], c.pixel_mm[1]};
  j["sma_cm2"] = round_to(c.sma_cm2, 0.01);
  j["vat_cm2"] = round_to(c.vat_cm2, 0.01);
  j["sat_cm2"] = round_to(c.sat_cm2, 0.01);
  j["imat_cm2"] = round_to(c.imat_cm2, 0.01);
  j["muscle_hu"] = optional_number(std::isfinite(c.muscle_hu) ? std::optional<double>(c.muscle_hu) : std::nullopt, 0.1);
  j["body_cm2"] = round_to(c.body_cm2, 0.01);
  j["height_m"] = optional_number(c.height_m, 0.001);
  j["weight_kg"] = optional_number(c.weight_kg, 0.1);
  j["smi_cm2_m2"] = optional_number(c.smi_cm2_m2, 0.01);
  j["bmi_kg_m2"] = optional_number(c.bmi_kg_m2, 0.01);
  j["sma_per_bmi"] = optional_number(c.sma_per_bmi, 0.001);
  j["warnings"] = c.warnings;
  j["method"] = c.method;
  const auto& t = c.thresholds;
  j["thresholds_hu"] = {{"muscle", {t.muscle.low, t.muscle.high}},
                        {"visceral_fat", {t.visceral_fat.low, t.visceral_fat.high}},
                        {"subcutaneous_fat", {t.subcutaneous_fat.low, t.subcutaneous_fat.high}},
                        {"intermuscular_fat", {t.intermuscular_fat.low, t.intermuscular_fat.high}},
                        {"body", t.body_hu},
                        {"bone", t.bone_hu}};
  return j;
}

namespace {

HuRange range_from_json(const nlohmann::json& j) { return {j.at(0).get<int>(), j.at(1).get<int>()}; }

std::string thresholds_text(const TissueThresholds& t) {
  return fmt::format("SMA {}..{}; VAT {}..{}; SAT {}..{}; IMAT {}..{}", t.muscle.low, t.muscle.high, t.visceral_fat.low,
                     t.visceral_fat.high, t.subcutaneous_fat.low, t.subcutaneous_fat.high, t.intermuscular_fat.low,
                     t.intermuscular_fat.high);
}

}  // namespace

BodyComposition body_composition_from_json(const nlohmann::json& j) {
  auto opt = [&](const char* key) -> std::optional<double> {
    return j.contains(key) && j[key].is_number() ? std::optional<double>(j[key].get<double>()) : std::nullopt;
  };
  BodyComposition c;
  c.case_id = j.value("case_id", "");
  c.source = j.value("source", "");
  c.slice = j.value("slice", 0);
  c.first_slice = j.at("slices_averaged").at(0).get<int>();
  c.last_slice = j.at("slices_averaged").at(1).get<int>();
  c.z_mm = j.value("z_mm", 0.0);
  c.measured_slice = j.value("measured_slice", nlohmann::json());
  c.pixel_mm[0] = j.at("pixel_mm").at(0).get<double>();
  c.pixel_mm[1] = j.at("pixel_mm").at(1).get<double>();
  c.sma_cm2 = j.at("sma_cm2").get<double>();
  c.vat_cm2 = j.at("vat_cm2").get<double>();
  c.sat_cm2 = j.at("sat_cm2").get<double>();
  c.imat_cm2 = j.at("imat_cm2").get<double>();
  c.muscle_hu = opt("muscle_hu").value_or(std::nan(""));
  c.body_cm2 = j.value("body_cm2", 0.0);
  c.height_m = opt("height_m");
  c.weight_kg = opt("weight_kg");
  c.smi_cm2_m2 = opt("smi_cm2_m2");
  c.bmi_kg_m2 = opt("bmi_kg_m2");
  c.sma_per_bmi = opt("sma_per_bmi");
  c.warnings = j.value("warnings", std::vector<std::string>{});
  c.method = j.value("method", "");
  if (j.contains("thresholds_hu")) {
    const auto& t = j["thresholds_hu"];
    c.thresholds.muscle = range_from_json(t.at("muscle"));
    c.thresholds.visceral_fat = range_from_json(t.at("visceral_fat"));
    c.thresholds.subcutaneous_fat = range_from_json(t.at("subcutaneous_fat"));
    c.thresholds.intermuscular_fat = range_from_json(t.at("intermuscular_fat"));
    c.thresholds.body_hu = t.at("body").get<int>();
    c.thresholds.bone_hu = t.at("bone").get<int>();
  }
  return c;
}

std::vector<std::string> body_composition_csv_header() {
  return {"case_id", "slice", "first_slice", "last_slice", "z_mm", "pixel_x_mm", "pixel_y_mm",
          "sma_cm2", "vat_cm2", "sat_cm2", "imat_cm2", "muscle_hu", "body_cm2", "height_m",
          "weight_kg", "smi_cm2_m2", "bmi_kg_m2", "sma_per_bmi", "warnings", "method", "source", "thresholds_hu"};
}

std::vector<std::string> body_composition_csv_row(const BodyComposition& c) {
  std::string warnings;
  for (const auto& w : c.warnings) warnings += (warnings.empty() ? "" : "; ") + w;
  return {c.case_id,
          std::to_string(c.slice),
          std::to_string(c.first_slice),
          std::to_string(c.last_slice),
          fmt::format("{:.2f}", c.z_mm),
          fmt::format("{:.4g}", c.pixel_mm[0]),
          fmt::format("{:.4g}", c.pixel_mm[1]),
          fmt::format("{:.2f}", c.sma_cm2),
          fmt::format("{:.2f}", c.vat_cm2),
          fmt::format("{:.2f}", c.sat_cm2),
          fmt::format("{:.2f}", c.imat_cm2),
          csv_number(c.muscle_hu, 1),
          fmt::format("{:.2f}", c.body_cm2),
          csv_number(c.height_m, 3),
          csv_number(c.weight_kg, 1),
          csv_number(c.smi_cm2_m2, 2),
          csv_number(c.bmi_kg_m2, 2),
          csv_number(c.sma_per_bmi, 3),
          warnings,
          c.method,
          c.source,
          thresholds_text(c.thresholds)};
}

}  // namespace l3
