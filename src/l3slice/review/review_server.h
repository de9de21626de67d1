#pragma once
// `l3slice review`'s web server (cpp-httplib): the review page and a small JSON API over a
// ReviewStore, on loopback, every request carrying the random token printed at start.
//   GET  /?token=T                              the page (static HTML/JS/CSS, built into the binary)
//   GET  /api/cases?token=T                     cases, least confident first, with their latest correction
//   GET  /api/cases/<id>?token=T                one case: predict's result, corrections, re-measured body composition
//   GET  /api/cases/<id>/qc.png?token=T         predict's QC picture
//   GET  /api/cases/<id>/bodycomp.png?token=T   the body-composition overlay on the reviewed slice
//   POST /api/cases/<id>/corrections?token=T    {"action": "accept|move|no_l3|unusable", "l3_middle": N, "note": "", "who": ""}
// A wrong token is 403, an unknown case 404, a bad body 400; none of them changes anything.
#include <memory>
#include <string>

#include "l3slice/bodycomp/body_composition.h"
#include "l3slice/review/review_store.h"

namespace l3 {

struct ReviewServerOptions {
  std::string host = "127.0.0.1";  // loopback only unless asked
  int port = 0;                    // 0: any free port
  std::string token;               // empty: a random one
  BodyCompOptions bodycomp;        // how a corrected slice is re-measured
};

class ReviewServer {
 public:
  ReviewServer(ReviewStore& store, ReviewServerOptions options);  // binds; throws UsageError if it cannot
  ~ReviewServer();
  ReviewServer(const ReviewServer&) = delete;
  ReviewServer& operator=(const ReviewServer&) = delete;

  int port() const;
  const std::string& token() const;
  std::string url() const;  // http://host:port/?token=...
  void run();   // serves until stop()
  void stop();  // from another thread or a signal handler's thread

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Re-measures body composition of `c` on canonical slice `z` into <case>/reviewed-bodycomp/.
nlohmann::json remeasure_body_composition(const ReviewStore& store, const ReviewCase& c, int z, const BodyCompOptions& options);

}  // namespace l3
