#include "l3slice/tuning/search_space.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "l3slice/core/error.h"

namespace l3 {

std::string to_string(Scale scale) {
  switch (scale) {
    case Scale::linear: return "linear";
    case Scale::log: return "log";
    case Scale::log1p: return "log1p";
  }
  return "linear";
}

Scale scale_from_string(const std::string& text) {
  if (text == "linear") return Scale::linear;
  if (text == "log") return Scale::log;
  if (text == "log1p") return Scale::log1p;
  throw UsageError(fmt::format("unknown scale '{}' (expected linear, log or log1p)", text));
}

namespace {
double warp(Scale scale, double v) {
  switch (scale) {
    case Scale::linear: return v;
    case Scale::log: return std::log(v);
    case Scale::log1p: return std::log1p(v);
  }
  return v;
}
double unwarp(Scale scale, double t) {
  switch (scale) {
    case Scale::linear: return t;
    case Scale::log: return std::exp(t);
    case Scale::log1p: return std::expm1(t);
  }
  return t;
}
}  // namespace

double Parameter::to_unit(double value) const {
  const double v = std::clamp(value, lower, upper);
  const double lo = warp(scale, lower), hi = warp(scale, upper);
  return std::clamp((warp(scale, v) - lo) / (hi - lo), 0.0, 1.0);
}

double Parameter::from_unit(double u) const {
  // Exact ends, so the bounds read back as written (exp(log(1e-4)) is not quite 1e-4).
  if (u <= 0.0) return lower;
  if (u >= 1.0) return upper;
  const double lo = warp(scale, lower), hi = warp(scale, upper);
  const double t = lo + std::clamp(u, 0.0, 1.0) * (hi - lo);
  return std::clamp(unwarp(scale, t), lower, upper);  // clamp away rounding at the ends
}

SearchSpace::SearchSpace(std::vector<Parameter> parameters) : parameters_(std::move(parameters)) {
  if (parameters_.empty()) throw UsageError("search space has no parameters");
  std::set<std::string> names;
  for (const Parameter& p : parameters_) {
    if (p.name.empty()) throw UsageError("search space: a parameter has no name");
    if (!names.insert(p.name).second) throw UsageError(fmt::format("search space: parameter '{}' appears twice", p.name));
    if (!std::isfinite(p.lower) || !std::isfinite(p.upper) || !(p.lower < p.upper)) {
      throw UsageError(fmt::format("search space: parameter '{}' needs lower < upper (got {} .. {})", p.name, p.lower, p.upper));
    }
    if (p.scale == Scale::log && p.lower <= 0.0) {
      throw UsageError(fmt::format("search space: parameter '{}' has a log scale, so its lower bound must be > 0 (got {})", p.name, p.lower));
    }
    if (p.scale == Scale::log1p && p.lower <= -1.0) {
      throw UsageError(fmt::format("search space: parameter '{}' has a log1p scale, so its lower bound must be > -1 (got {})", p.name, p.lower));
    }
  }
}

SearchSpace SearchSpace::standard(bool with_learning_rate) {
  std::vector<Parameter> p{{"r", 0.0, 10.0, Scale::log1p}, {"w", 1.0, 50.0, Scale::log}};
  if (with_learning_rate) p.push_back({"lr", 1e-4, 1e-2, Scale::log});
  return SearchSpace(std::move(p));
}

int SearchSpace::index_of(const std::string& name) const {
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    if (parameters_[i].name == name) return int(i);
  }
  return -1;
}

std::vector<double> SearchSpace::to_unit(const ParamValues& values) const {
  if (values.size() != parameters_.size()) {
    throw UsageError(fmt::format("expected {} parameter values, got {}", parameters_.size(), values.size()));
  }
  std::vector<double> u(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) u[i] = parameters_[i].to_unit(values[i]);
  return u;
}

ParamValues SearchSpace::from_unit(const std::vector<double>& unit) const {
  if (unit.size() != parameters_.size()) {
    throw UsageError(fmt::format("expected {} unit coordinates, got {}", parameters_.size(), unit.size()));
  }
  ParamValues v(unit.size());
  for (std::size_t i = 0; i < unit.size(); ++i) v[i] = parameters_[i].from_unit(unit[i]);
  return v;
}

std::map<std::string, double> SearchSpace::named(const ParamValues& values) const {
  std::map<std::string, double> out;
  for (std::size_t i = 0; i < parameters_.size() && i < values.size(); ++i) out[parameters_[i].name] = values[i];
  return out;
}

ParamValues SearchSpace::from_named(const std::map<std::string, double>& named) const {
  ParamValues v;
  for (const Parameter& p : parameters_) {
    auto it = named.find(p.name);
    if (it == named.end()) throw UsageError(fmt::format("parameter '{}' is missing", p.name));
    v.push_back(it->second);
  }
  if (named.size() != parameters_.size()) throw UsageError("unknown parameter names given");
  return v;
}

bool SearchSpace::operator==(const SearchSpace& other) const {
  if (parameters_.size() != other.parameters_.size()) return false;
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    const Parameter &a = parameters_[i], &b = other.parameters_[i];
    if (a.name != b.name || a.lower != b.lower || a.upper != b.upper || a.scale != b.scale) return false;
  }
  return true;
}

void to_json(nlohmann::json& j, const SearchSpace& space) {
  j = nlohmann::json::array();
  for (const Parameter& p : space.parameters()) {
    j.push_back({{"name", p.name}, {"lower", p.lower}, {"upper", p.upper}, {"scale", to_string(p.scale)}});
  }
}

void from_json(const nlohmann::json& j, SearchSpace& space) {
  std::vector<Parameter> params;
  for (const auto& item : j) {
    params.push_back({item.at("name").get<std::string>(), item.at("lower").get<double>(),
                      item.at("upper").get<double>(), scale_from_string(item.at("scale").get<std::string>())});
  }
  space = SearchSpace(std::move(params));
}

}  // namespace l3
