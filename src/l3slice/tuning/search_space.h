#pragma once
// The hyperparameters a study searches over, and their mapping to the unit cube the optimiser
// works in. Log scales put equal weight on each factor of change (w = 2 -> 4 counts as much as
// 20 -> 40), which is how class weights and learning rates act.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace l3 {

enum class Scale {
  linear,  // u = (v - lower) / (upper - lower)
  log,     // u linear in log(v); needs lower > 0
  log1p,   // u linear in log(1 + v); for ranges that start at 0 (the oversampling ratio)
};

std::string to_string(Scale scale);
Scale scale_from_string(const std::string& text);  // throws UsageError for unknown names

struct Parameter {
  std::string name;
  double lower = 0.0;
  double upper = 1.0;
  Scale scale = Scale::linear;

  // Value -> [0, 1] and back; values outside [lower, upper] are clamped.
  double to_unit(double value) const;
  double from_unit(double u) const;
};

// Parameter values in the order of SearchSpace::parameters.
using ParamValues = std::vector<double>;

class SearchSpace {
 public:
  SearchSpace() = default;
  // Throws UsageError for an empty space, duplicate names, lower >= upper, or a log scale
  // whose range reaches 0 or below (log1p: -1 or below).
  explicit SearchSpace(std::vector<Parameter> parameters);

  // The tuning defaults: oversampling ratio r in [0, 10] (log1p), L3 class weight w in [1, 50]
  // (log), and with with_learning_rate the learning rate lr in [1e-4, 1e-2] (log).
  static SearchSpace standard(bool with_learning_rate = false);

  const std::vector<Parameter>& parameters() const { return parameters_; }
  int dimension() const { return int(parameters_.size()); }
  int index_of(const std::string& name) const;  // -1 if absent

  std::vector<double> to_unit(const ParamValues& values) const;
  ParamValues from_unit(const std::vector<double>& unit) const;
  std::map<std::string, double> named(const ParamValues& values) const;
  // Throws UsageError if a parameter is missing; extra names are an error too.
  ParamValues from_named(const std::map<std::string, double>& named) const;

  bool operator==(const SearchSpace& other) const;
  bool operator!=(const SearchSpace& other) const { return !(*this == other); }

 private:
  std::vector<Parameter> parameters_;
};

void to_json(nlohmann::json& j, const SearchSpace& space);
void from_json(const nlohmann::json& j, SearchSpace& space);

}  // namespace l3
