#include "l3slice/tuning/study.h"

#include <chrono>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "l3slice/core/atomic_file.h"
#include "l3slice/core/error.h"
#include "l3slice/core/progress.h"

namespace l3 {

namespace {

constexpr const char* kFormat = "l3slice-tuning-study";
constexpr int kVersion = 1;

nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }
double number_or_nan(const nlohmann::json& j) {
  return j.is_null() ? std::numeric_limits<double>::quiet_NaN() : j.get<double>();
}

nlohmann::json settings_to_json(const StudySettings& s) {
  nlohmann::json j;
  j["space"] = s.space;
  j["seed"] = s.optimizer.seed;
  j["initial_trials"] = s.optimizer.initial_trials;
  j["xi"] = s.optimizer.xi;
  j["random_candidates"] = s.optimizer.random_candidates;
  j["local_starts"] = s.optimizer.local_starts;
  return j;
}

StudySettings settings_from_json(const nlohmann::json& j) {
  StudySettings s;
  s.space = j.at("space").get<SearchSpace>();
  s.optimizer.seed = j.at("seed").get<std::uint64_t>();
  s.optimizer.initial_trials = j.at("initial_trials").get<int>();
  s.optimizer.xi = j.at("xi").get<double>();
  s.optimizer.random_candidates = j.at("random_candidates").get<int>();
  s.optimizer.local_starts = j.at("local_starts").get<int>();
  return s;
}

// Which settings differ, for the error message on resume.
std::string settings_difference(const StudySettings& file, const StudySettings& asked) {
  std::vector<std::string> what;
  if (file.space != asked.space) what.push_back("search space");
  if (file.optimizer.seed != asked.optimizer.seed) what.push_back(fmt::format("seed {} vs {}", file.optimizer.seed, asked.optimizer.seed));
  if (file.optimizer.initial_trials != asked.optimizer.initial_trials) {
    what.push_back(fmt::format("initial trials {} vs {}", file.optimizer.initial_trials, asked.optimizer.initial_trials));
  }
  if (file.optimizer.xi != asked.optimizer.xi) what.push_back("xi");
  if (file.optimizer.random_candidates != asked.optimizer.random_candidates ||
      file.optimizer.local_starts != asked.optimizer.local_starts) {
    what.push_back("acquisition search settings");
  }
  return fmt::format("{}", fmt::join(what, ", "));
}

nlohmann::json trial_to_json(const Trial& t, const SearchSpace& space) {
  nlohmann::json params = nlohmann::json::object();
  for (const auto& [name, value] : space.named(t.params)) params[name] = value;
  return {{"index", t.index},         {"params", params},
          {"objective", number_or_null(t.objective)},
          {"loss", number_or_null(t.loss)},
          {"seconds", t.seconds},     {"model_path", t.model_path},
          {"status", t.status},       {"source", t.source},
          {"message", t.message}};
}

Trial trial_from_json(const nlohmann::json& j, const SearchSpace& space) {
  Trial t;
  t.index = j.at("index").get<int>();
  t.params = space.from_named(j.at("params").get<std::map<std::string, double>>());
  t.objective = number_or_nan(j.at("objective"));
  t.loss = number_or_nan(j.value("loss", nlohmann::json(nullptr)));
  t.seconds = j.value("seconds", 0.0);
  t.model_path = j.value("model_path", std::string());
  t.status = j.at("status").get<std::string>();
  t.source = j.value("source", std::string());
  t.message = j.value("message", std::string());
  if (t.status != "ok" && t.status != "failed") throw UsageError(fmt::format("trial {}: unknown status '{}'", t.index, t.status));
  if (t.ok() && !std::isfinite(t.objective)) throw UsageError(fmt::format("trial {}: status ok but no objective", t.index));
  return t;
}

}  // namespace

Study::Study(std::filesystem::path path, StudySettings settings)
    : path_(std::move(path)), settings_(std::move(settings)) {
  BayesianOptimizer check(settings_.space, settings_.optimizer);  // validates the settings
}

Study Study::load(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "cannot open the study file");
  try {
    const nlohmann::json j = nlohmann::json::parse(in);
    if (j.value("format", std::string()) != kFormat) throw UsageError("not an l3slice tuning study");
    if (j.value("version", 0) != kVersion) throw UsageError(fmt::format("unsupported study version {}", j.value("version", 0)));
    Study study(path, settings_from_json(j.at("settings")));
    for (const auto& item : j.at("trials")) {
      Trial t = trial_from_json(item, study.settings_.space);
      if (t.index != int(study.trials_.size())) throw UsageError(fmt::format("trial {} is out of order", t.index));
      study.trials_.push_back(std::move(t));
    }
    return study;
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path, fmt::format("not a valid tuning study ({})", e.what()));
  } catch (const UsageError& e) {
    throw InputError(path, fmt::format("not a valid tuning study ({})", e.what()));
  }
}

Study Study::open(const std::filesystem::path& path, const StudySettings& settings) {
  if (!std::filesystem::exists(path)) return Study(path, settings);
  Study study = load(path);
  if (!(study.settings_ == settings)) {
    throw InputError(path, fmt::format("the study was started with other settings ({}); use another study file or the same settings",
                                       settings_difference(study.settings_, settings)));
  }
  return study;
}

BayesianOptimizer Study::optimizer() const {
  BayesianOptimizer bo(settings_.space, settings_.optimizer);
  for (const Trial& t : trials_) {
    if (t.ok()) {
      bo.observe(t.params, t.objective, t.loss);
    } else {
      bo.observe_failure(t.params);
    }
  }
  return bo;
}

void Study::add(Trial trial) {
  trial.index = int(trials_.size());
  settings_.space.to_unit(trial.params);  // checks the count
  trials_.push_back(std::move(trial));
  save();
}

void Study::save() const { write_text_atomically(path_, to_json().dump(2) + "\n"); }

std::optional<Trial> Study::best() const {
  std::optional<Trial> best;
  for (const Trial& t : trials_) {
    if (t.ok() && (!best || better_result(t.objective, t.loss, best->objective, best->loss))) best = t;
  }
  return best;
}

nlohmann::json Study::to_json() const {
  nlohmann::json j;
  j["format"] = kFormat;
  j["version"] = kVersion;
  j["settings"] = settings_to_json(settings_);
  j["trials"] = nlohmann::json::array();
  for (const Trial& t : trials_) j["trials"].push_back(trial_to_json(t, settings_.space));
  if (const auto b = best()) {
    nlohmann::json entry = trial_to_json(*b, settings_.space);
    j["best"] = {{"index", b->index}, {"params", entry["params"]}, {"objective", entry["objective"]},
                 {"loss", entry["loss"]}, {"model_path", b->model_path}};
  } else {
    j["best"] = nullptr;
  }
  return j;
}

std::string Study::table() const {
  const auto b = best();
  std::string out = fmt::format("{:>5} ", "trial");
  for (const Parameter& p : settings_.space.parameters()) out += fmt::format("{:>10} ", p.name);
  out += fmt::format("{:>10} {:>10} {:>8}  {:<22} {}\n", "objective", "loss", "time", "status", "model");
  for (const Trial& t : trials_) {
    const bool is_best = b && b->index == t.index;
    out += fmt::format("{:>4}{} ", t.index, is_best ? '*' : ' ');
    for (double v : t.params) out += fmt::format("{:>10.4g} ", v);
    const std::string objective = std::isfinite(t.objective) ? fmt::format("{:.3f}", t.objective) : "-";
    const std::string loss = std::isfinite(t.loss) ? fmt::format("{:.4f}", t.loss) : "-";
    const std::string status = t.ok() ? t.source : "failed: " + t.message;
    out += fmt::format("{:>10} {:>10} {:>8}  {:<22} {}\n", objective, loss, Progress::format_duration(t.seconds), status, t.model_path);
  }
  if (b) {
    std::vector<std::string> params;
    for (std::size_t i = 0; i < b->params.size(); ++i) {
      params.push_back(fmt::format("{}={:.4g}", settings_.space.parameters()[i].name, b->params[i]));
    }
    out += fmt::format("best: trial {} ({}), objective {:.3f}", b->index, fmt::join(params, ", "), b->objective);
    if (std::isfinite(b->loss)) out += fmt::format(", loss {:.4f}", b->loss);
    out += "\n";
  } else {
    out += "best: none yet\n";
  }
  return out;
}

void run_study(Study& study, int trials, const TrialFunction& run_trial, const StudyRunOptions& options) {
  if (trials < 0) throw UsageError("the number of trials must be >= 0");
  std::optional<Progress> progress;
  if (options.show_progress) progress.emplace("tune", trials, "trials");
  int failures_in_a_row = 0;
  for (int k = 0; k < trials; ++k) {
    const Proposal proposal = study.optimizer().propose();
    Trial trial;
    trial.params = proposal.params;
    trial.source = proposal.source;
    const int index = int(study.trials().size());
    const auto start = std::chrono::steady_clock::now();
    try {
      const TrialOutcome outcome = run_trial(study.settings().space.named(proposal.params), index);
      trial.objective = outcome.objective;
      trial.loss = outcome.loss;
      trial.model_path = outcome.model_path;
      if (!std::isfinite(outcome.objective)) {
        trial.status = "failed";
        trial.message = "no finite objective";
      }
    } catch (const InputError&) {
      throw;
    } catch (const UsageError&) {
      throw;
    } catch (const std::bad_alloc&) {
      throw;
    } catch (const std::exception& e) {
      trial.status = "failed";
      trial.message = e.what();
    }
    trial.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const bool failed = !trial.ok();
    const std::string message = trial.message;
    study.add(std::move(trial));
    failures_in_a_row = failed ? failures_in_a_row + 1 : 0;
    if (failures_in_a_row >= options.max_consecutive_failures) {
      throw std::runtime_error(fmt::format("{} trials in a row failed (last: {}); study saved in {}", failures_in_a_row,
                                           message, study.path().string()));
    }
    if (progress) {
      const auto b = study.best();
      progress->set(k + 1, b ? fmt::format("best {:.3f} (trial {})", b->objective, b->index) : "");
    }
  }
  if (progress) {
    const auto b = study.best();
    progress->finish(b ? fmt::format("best {:.3f} (trial {})", b->objective, b->index) : "");
  }
}

}  // namespace l3
