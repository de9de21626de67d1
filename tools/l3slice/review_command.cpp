// l3slice review OUTDIR: a local web page to check predict's results and correct them.
#include <csignal>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "commands.h"
#include "l3slice/core/error.h"
#include "l3slice/review/review_server.h"
#include "l3slice/review/review_store.h"

namespace fs = std::filesystem;

namespace l3::cli {

void add_review_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("review", "Check and correct predict results in a web page on this machine (corrections.csv)");
  struct Args {
    std::string dir, export_manifest, host = "127.0.0.1";
    int port = 0;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("dir", args->dir, "A predict output folder (<case>/prediction.json, qc.png)")->required();
  cmd->add_option("-p,--port", args->port, "Port (default: any free one)")->check(CLI::Range(0, 65535));
  cmd->add_option("--host", args->host, "Address to listen on (default: loopback only)")->capture_default_str();
  cmd->add_option("--export-manifest", args->export_manifest,
                  "Write the reviewed cases as a training manifest (case_id,image,labels,label_value) and exit");
  cmd->callback([args] {
    ReviewStore store(args->dir);
    if (!args->export_manifest.empty()) {
      const int n = store.export_manifest(args->export_manifest);
      fmt::print("{} reviewed cases of {} in {}\n", n, store.cases().size(), args->export_manifest);
      return;
    }
    // SIGINT/SIGTERM go to one thread that stops the server (not a signal handler: stop() locks).
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    ReviewServerOptions options;
    options.host = args->host;
    options.port = args->port;
    ReviewServer server(store, options);
    std::thread waiter([&] {
      int signal = 0;
      sigwait(&signals, &signal);
      server.stop();
    });
    fmt::print("{} cases; corrections go to {}\nopen {}\n", store.cases().size(), (store.folder() / "corrections.csv").string(),
               server.url());
    std::fflush(stdout);
    server.run();
    pthread_kill(waiter.native_handle(), SIGTERM);  // if run() ended for another reason
    waiter.join();
  });
}

}  // namespace l3::cli
