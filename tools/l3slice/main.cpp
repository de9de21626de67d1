// l3slice: find the L3 slice in a CT scan and measure muscle and fat on it.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/oflog/oflog.h>
#include <malloc.h>

#include <climits>
#include <cstdio>
#include <exception>

#include "commands.h"
#include "l3slice/core/error.h"

int main(int argc, char** argv) {
  // Keep freed memory in the process: glibc returning it to the OS costs libtorch 30-45 %.
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
  // DCMTK logs warnings about its inputs to stderr; l3slice reports its own one-line errors.
  OFLog::configure(OFLogger::FATAL_LOG_LEVEL);

  CLI::App app{"l3slice: find the L3 slice in a CT scan and measure muscle and fat on it"};
  app.set_version_flag("--version", L3SLICE_VERSION);
  app.require_subcommand(1);
  l3::cli::add_info_command(app);
  l3::cli::add_export_command(app);
  l3::cli::add_phantom_command(app);
  l3::cli::add_bodycomp_command(app);
  l3::cli::add_review_command(app);
  l3::cli::add_predict_command(app);
  l3::cli::add_evaluate_command(app);
  l3::cli::add_tune_command(app);
  l3::cli::add_train_command(app);
  l3::cli::add_atlas_command(app);
  l3::cli::add_train_level_check_command(app);
  l3::cli::add_manifest_command(app);
  l3::cli::add_train_bodycomp_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const l3::InputError& e) {
    std::fprintf(stderr, "l3slice: error: %s\n", e.what());
    return 1;
  } catch (const l3::UsageError& e) {
    std::fprintf(stderr, "l3slice: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "l3slice: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
