#include "l3slice/training/checkpoint.h"

#include "l3slice/core/atomic_file.h"
#include "l3slice/core/error.h"

namespace l3 {

void save_checkpoint(const std::filesystem::path& path, ResNet& net, torch::optim::Optimizer& optimizer,
                     const nlohmann::json& state) {
  torch::serialize::OutputArchive root, model, optim;
  net->save(model);
  optimizer.save(optim);
  root.write("model", model);
  root.write("optimizer", optim);
  root.write("state", c10::IValue(state.dump()));
  write_atomically(path, [&](const std::filesystem::path& tmp) { root.save_to(tmp.string()); });
}

nlohmann::json load_checkpoint(const std::filesystem::path& path, ResNet& net, torch::optim::Optimizer& optimizer) {
  if (!std::filesystem::is_regular_file(path)) throw InputError(path, "no checkpoint to resume from");
  try {
    torch::serialize::InputArchive root, model, optim;
    root.load_from(path.string());
    root.read("model", model);
    root.read("optimizer", optim);
    net->load(model);
    optimizer.load(optim);
    c10::IValue state;
    root.read("state", state);
    return nlohmann::json::parse(state.toStringRef());
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    std::string what = e.what();
    what = what.substr(0, what.find('\n'));  // torch messages carry a backtrace
    throw InputError(path, "not a usable training checkpoint (" + what + ")");
  }
}

}  // namespace l3
