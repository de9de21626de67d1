// The review store (corrections.csv, export) and server (token, case ids, bodies, concurrent
// saves, re-measured body composition) on a predict-style folder over the shared real CT. The page
// itself is tested in a real browser by tests/browser/review_page_test.js.
#include <gtest/gtest.h>

#include <httplib.h>

#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "l3slice/core/atomic_file.h"
#include "l3slice/core/csv.h"
#include "l3slice/core/error.h"
#include "l3slice/core/slice_run.h"
#include "l3slice/io/ct_reader.h"
#include "l3slice/io/l3_truth.h"
#include "l3slice/review/review_server.h"
#include "l3slice/review/review_store.h"
#include "support/test_support.h"

namespace fs = std::filesystem;

namespace {

// A predict output folder with one case: the shared real CT, L3 predicted at 68..79 (middle 73).
fs::path make_results(const fs::path& dir) {
  const fs::path ct = l3::testing::shared_data() / "totalseg-example" / "ct.nii.gz";
  auto slice = [](int z) { return nlohmann::json{{"canonical_index", z}}; };
  const nlohmann::json prediction{{"case_id", "ct"},
                                  {"source", ct.string()},
                                  {"status", "L3 found"},
                                  {"confidence", 0.4},
                                  {"evidence", {{"reason", "settled by tie-breaker phantom-00502"}}},
                                  {"l3", {{"first", slice(68)}, {"middle", slice(73)}, {"last", slice(79)}}},
                                  {"scan", {{"size", {122, 101, 112}}, {"spacing_mm", {3.0, 3.0, 3.0}}}}};
  l3::write_text_atomically(dir / "ct" / "prediction.json", prediction.dump());
  return dir;
}

l3::Correction correction(l3::ReviewAction action, std::optional<int> middle = std::nullopt) {
  l3::Correction c;
  c.case_id = "ct";
  c.action = action;
  c.l3_middle = middle;
  return c;
}

// The review server on the results in `dir`, serving from a thread until the object goes out of
// scope (also when an assertion ends the test early).
struct RunningReview {
  l3::ReviewStore store;
  l3::ReviewServer server;
  std::thread serving;
  explicit RunningReview(const fs::path& dir) : store(dir), server(store, {}), serving([this] { server.run(); }) {}
  ~RunningReview() {
    server.stop();
    serving.join();
  }
  RunningReview(const RunningReview&) = delete;
  RunningReview& operator=(const RunningReview&) = delete;
  std::string token_query() const { return "token=" + server.token(); }
};

std::string text_or_empty(const fs::path& p) { return fs::exists(p) ? l3::testing::read_text(p) : std::string(); }

}  // namespace

TEST(ReviewStore, ReadsPredictResultsAndRefusesAFolderWithout) {
  l3::testing::TempDir dir;
  EXPECT_THROW(l3::ReviewStore{dir.path()}, l3::InputError);
  make_results(dir.path());
  const l3::ReviewStore store(dir.path());
  ASSERT_EQ(store.cases().size(), 1u);
  const l3::ReviewCase& c = store.cases()[0];
  EXPECT_EQ(c.id, "ct");
  EXPECT_EQ(c.middle, 73);
  EXPECT_EQ(c.slice_count, 112);
  EXPECT_EQ(c.reason, "settled by tie-breaker phantom-00502");
  EXPECT_EQ(store.find("../ct"), nullptr);
  EXPECT_EQ(store.find("nosuch"), nullptr);
}

TEST(ReviewStore, CorrectionsAppendAndReadBackAndBadOnesChangeNothing) {
  l3::testing::TempDir dir;
  make_results(dir.path());
  {
    l3::ReviewStore store(dir.path());
    l3::Correction a = correction(l3::ReviewAction::accept);
    a.who = "dr, \"x\"";  // quoted in the CSV
    store.add(a);
    l3::Correction m = correction(l3::ReviewAction::move, 74);
    m.note = "one slice up";
    store.add(m);
    const std::string before = text_or_empty(dir / "corrections.csv");
    l3::Correction bad = m;
    bad.l3_middle = 500;
    EXPECT_THROW(store.add(bad), l3::UsageError);
    bad.case_id = "nosuch";
    EXPECT_THROW(store.add(bad), l3::UsageError);
    bad = m;
    bad.l3_middle.reset();
    EXPECT_THROW(store.add(bad), l3::UsageError);
    EXPECT_EQ(text_or_empty(dir / "corrections.csv"), before);
  }
  const l3::ReviewStore reopened(dir.path());
  const auto all = reopened.corrections();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].action, l3::ReviewAction::accept);
  EXPECT_EQ(all[0].l3_middle, 73);
  EXPECT_EQ(all[0].who, "dr, \"x\"");
  EXPECT_EQ(all[1].l3_middle, 74);
  EXPECT_EQ(all[1].predicted_middle, 73);
  EXPECT_EQ(all[1].note, "one slice up");
  EXPECT_FALSE(all[1].when.empty());
}

TEST(ReviewStore, ExportedManifestHoldsTheReviewedRun) {
  l3::testing::TempDir dir;
  make_results(dir.path());
  l3::ReviewStore store(dir.path());
  store.add(correction(l3::ReviewAction::move, 75));
  const fs::path manifest = dir / "reviewed.csv";
  EXPECT_EQ(store.export_manifest(manifest), 1);
  const l3::CsvTable t = l3::read_csv(manifest);
  ASSERT_EQ(t.rows.size(), 1u);
  const fs::path labels = dir.path() / t.rows[0][std::size_t(t.column("labels"))];
  const l3::CtScan ct = l3::read_ct(dir.path() / t.rows[0][std::size_t(t.column("image"))]);
  const l3::L3Truth truth = l3::read_l3_truth(labels, 1, ct);
  const auto run = l3::span_of(truth.flags);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->middle(), 75);
  EXPECT_EQ(run->last - run->first, 79 - 68);  // predict's length
}

TEST(ReviewServer, TokenCaseIdsAndBodiesAreCheckedAndACorrectionIsRemeasured) {
  l3::testing::TempDir dir;
  make_results(dir.path());
  RunningReview review(dir.path());
  httplib::Client client("127.0.0.1", review.server.port());
  const std::string t = review.token_query();
  EXPECT_EQ(client.Get("/api/cases")->status, 403);
  EXPECT_EQ(client.Get("/api/cases?token=wrong")->status, 403);
  EXPECT_EQ(client.Get("/?token=wrong")->status, 403);
  EXPECT_EQ(client.Get("/?" + t)->status, 200);
  EXPECT_EQ(client.Get("/api/cases/..%2F..%2Fetc%2Fpasswd?" + t)->status, 404);
  EXPECT_EQ(client.Get("/api/cases/../../etc/passwd?" + t)->status, 404);
  EXPECT_EQ(client.Get("/api/cases/nosuch?" + t)->status, 404);
  const std::string path = "/api/cases/ct/corrections?" + t;
  EXPECT_EQ(client.Post(path, "{not json", "application/json")->status, 400);
  EXPECT_EQ(client.Post(path, R"({"action": "delete"})", "application/json")->status, 400);
  EXPECT_EQ(client.Post(path, R"({"action": "move", "l3_middle": "x"})", "application/json")->status, 400);
  EXPECT_EQ(client.Post(path, R"({"action": "move", "l3_middle": 999})", "application/json")->status, 400);
  EXPECT_EQ(client.Post("/api/cases/nosuch/corrections?" + t, R"({"action": "accept"})", "application/json")->status, 404);
  EXPECT_FALSE(fs::exists(dir / "corrections.csv")) << "a bad request changed something";

  const auto list = nlohmann::json::parse(client.Get("/api/cases?" + t)->body);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["middle"], 73);
  const auto saved = client.Post(path, R"({"action": "move", "l3_middle": 74, "who": "test"})", "application/json");
  ASSERT_EQ(saved->status, 200) << saved->body;
  const auto reply = nlohmann::json::parse(saved->body);
  EXPECT_EQ(reply["correction"]["l3_middle"], 74);
  EXPECT_EQ(reply["bodycomp"]["slice"], 74);
  EXPECT_GT(reply["bodycomp"]["sma_cm2"].get<double>(), 50.0);
  EXPECT_TRUE(fs::exists(dir.path() / "ct" / "reviewed-bodycomp" / "ct.json"));
  EXPECT_EQ(client.Get("/api/cases/ct/bodycomp.png?" + t)->status, 200);
  EXPECT_EQ(nlohmann::json::parse(client.Get("/api/cases/ct?" + t)->body)["bodycomp"]["slice"], 74);
}

TEST(ReviewServer, TwoClientsSavingAtOnceLoseNothing) {
  l3::testing::TempDir dir;
  make_results(dir.path());
  {
    RunningReview review(dir.path());
    auto tab = [&](const std::string& who) {
      httplib::Client client("127.0.0.1", review.server.port());
      for (int i = 0; i < 5; ++i)
        EXPECT_EQ(client.Post("/api/cases/ct/corrections?" + review.token_query(),
                              nlohmann::json{{"action", "no_l3"}, {"who", who}, {"note", std::to_string(i)}}.dump(),
                              "application/json")
                      ->status,
                  200);
    };
    std::thread a(tab, "a"), b(tab, "b");
    a.join();
    b.join();
  }
  EXPECT_EQ(l3::read_csv(dir / "corrections.csv").rows.size(), 10u);
  EXPECT_EQ(l3::ReviewStore(dir.path()).corrections().size(), 10u);
}
