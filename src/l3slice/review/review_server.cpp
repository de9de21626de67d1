#include "l3slice/review/review_server.h"

#include <httplib.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>

#include <fmt/format.h>

#include "l3slice/bodycomp/batch.h"
#include "l3slice/bodycomp/report.h"
#include "l3slice/core/error.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/review/review_page.h"

namespace l3 {
namespace {

std::string random_token() {
  std::random_device device;  // a secret, not a simulation: not seeded for reproducibility
  std::string token;
  for (int i = 0; i < 4; ++i) token += fmt::format("{:08x}", device());
  return token;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void json_reply(httplib::Response& res, const nlohmann::json& j, int status = 200) {
  res.status = status;
  res.set_content(j.dump(), "application/json");
}

void error_reply(httplib::Response& res, int status, const std::string& message) {
  json_reply(res, {{"error", message}}, status);
}

std::filesystem::path reviewed_folder(const ReviewStore& store, const ReviewCase& c) {
  return store.case_folder(c) / "reviewed-bodycomp";
}

}  // namespace

nlohmann::json remeasure_body_composition(const ReviewStore& store, const ReviewCase& c, int z, const BodyCompOptions& options) {
  const CtScan ct = read_ct(c.source);
  BodyCompOptions o = options;
  o.case_id = c.id;
  const SliceMeasurement m = measure_body_composition(ct, z, o);
  write_case_outputs(ct, m, case_outputs(reviewed_folder(store, c), c.id));
  return to_json(m.composition);
}

struct ReviewServer::Impl {
  ReviewStore& store;
  ReviewServerOptions options;
  httplib::Server server;
  int port = 0;

  Impl(ReviewStore& s, ReviewServerOptions o) : store(s), options(std::move(o)) {}

  const ReviewCase* case_of(const httplib::Request& req, httplib::Response& res) {
    const ReviewCase* c = store.find(req.matches[1]);
    if (!c) error_reply(res, 404, "no such case");
    return c;
  }

  nlohmann::json case_list() {
    std::vector<const ReviewCase*> sorted;
    for (const ReviewCase& c : store.cases()) sorted.push_back(&c);
    std::stable_sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->confidence < b->confidence; });
    nlohmann::json list = nlohmann::json::array();
    for (const ReviewCase* c : sorted) {
      nlohmann::json j = to_json(*c);
      const auto latest = store.latest_correction(c->id);
      j["correction"] = latest ? to_json(*latest) : nlohmann::json();
      list.push_back(j);
    }
    return list;
  }

  nlohmann::json case_detail(const ReviewCase& c) {
    nlohmann::json j = to_json(c);
    j["prediction"] = nlohmann::json::parse(read_file(store.case_folder(c) / "prediction.json"), nullptr, false);
    nlohmann::json history = nlohmann::json::array();
    for (const Correction& k : store.corrections())
      if (k.case_id == c.id) history.push_back(to_json(k));
    j["corrections"] = history;
    const auto reviewed = case_outputs(reviewed_folder(store, c), c.id).json;
    j["bodycomp"] = std::filesystem::exists(reviewed) ? nlohmann::json::parse(read_file(reviewed), nullptr, false) : nlohmann::json();
    return j;
  }

  void routes() {
    // Every request needs the token; nothing else is looked at before it matches.
    server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (req.get_param_value("token") == options.token) return httplib::Server::HandlerResponse::Unhandled;
      error_reply(res, 403, "wrong or missing token");
      return httplib::Server::HandlerResponse::Handled;
    });
    server.Get("/", [](const httplib::Request&, httplib::Response& res) { res.set_content(review_page_html(), "text/html"); });
    server.Get("/api/cases", [this](const httplib::Request&, httplib::Response& res) { json_reply(res, case_list()); });
    server.Get(R"(/api/cases/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      if (const ReviewCase* c = case_of(req, res)) json_reply(res, case_detail(*c));
    });
    server.Get(R"(/api/cases/([^/]+)/(qc|bodycomp)\.png)", [this](const httplib::Request& req, httplib::Response& res) {
      const ReviewCase* c = case_of(req, res);
      if (!c) return;
      const auto file = req.matches[2] == "qc" ? store.case_folder(*c) / "qc.png"
                                                : case_outputs(reviewed_folder(store, *c), c->id).png;
      if (!std::filesystem::exists(file)) return error_reply(res, 404, "no picture yet");
      res.set_content(read_file(file), "image/png");
    });
    server.Post(R"(/api/cases/([^/]+)/corrections)", [this](const httplib::Request& req, httplib::Response& res) {
      const ReviewCase* c = case_of(req, res);
      if (!c) return;
      const nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
      if (body.is_discarded() || !body.is_object()) return error_reply(res, 400, "the body is not a JSON object");
      Correction k;
      k.case_id = c->id;
      const auto action = parse_review_action(body.value("action", std::string()));
      if (!action) return error_reply(res, 400, "action must be accept, move, no_l3 or unusable");
      k.action = *action;
      if (body.contains("l3_middle") && !body["l3_middle"].is_null()) {
        if (!body["l3_middle"].is_number_integer()) return error_reply(res, 400, "l3_middle must be a whole number");
        k.l3_middle = body["l3_middle"].get<int>();
      }
      if (body.contains("note") && body["note"].is_string()) k.note = body["note"];
      if (body.contains("who") && body["who"].is_string()) k.who = body["who"];
      try {
        k = store.add(k);
      } catch (const UsageError& e) {
        return error_reply(res, 400, e.what());
      }
      nlohmann::json reply{{"correction", to_json(k)}, {"bodycomp", nullptr}};
      if (k.l3_middle) {
        try {
          reply["bodycomp"] = remeasure_body_composition(store, *c, *k.l3_middle, options.bodycomp);
        } catch (const std::exception& e) {
          reply["bodycomp_error"] = e.what();  // the correction stands; the numbers could not be made
        }
      }
      json_reply(res, reply);
    });
  }
};

ReviewServer::ReviewServer(ReviewStore& store, ReviewServerOptions options)
    : impl_(std::make_unique<Impl>(store, std::move(options))) {
  if (impl_->options.token.empty()) impl_->options.token = random_token();
  impl_->routes();
  if (impl_->options.port == 0) {
    impl_->port = impl_->server.bind_to_any_port(impl_->options.host);
  } else if (impl_->server.bind_to_port(impl_->options.host, impl_->options.port)) {
    impl_->port = impl_->options.port;
  } else {
    impl_->port = -1;
  }
  if (impl_->port <= 0)
    throw UsageError(fmt::format("review: cannot listen on {}:{}", impl_->options.host, impl_->options.port));
}

ReviewServer::~ReviewServer() { stop(); }
int ReviewServer::port() const { return impl_->port; }
const std::string& ReviewServer::token() const { return impl_->options.token; }
std::string ReviewServer::url() const { return fmt::format("http://{}:{}/?token={}", impl_->options.host, impl_->port, token()); }
void ReviewServer::run() { impl_->server.listen_after_bind(); }
void ReviewServer::stop() { impl_->server.stop(); }

}  // namespace l3
