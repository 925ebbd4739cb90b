// Gateways as separate processes on one ledger: two replicas sharing a PostgreSQL budget, and
// a gateway SIGKILLed mid-stream whose restart books every request exactly once.
#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "accounting/postgres/postgres_ledger_store.h"
#include "accounting/sqlite/sqlite_ledger_store.h"
#include "tests/gateway/gateway_process.h"
#include "tests/support/fake_openai_server.h"
#include "tests/support/paths.h"
#include "tests/support/pg_test_database.h"

namespace sb::gateway {
namespace {

using nlohmann::json;
using test::FakeOpenAIServer;
using test::GatewayProcess;

enum class Store { Sqlite, Postgres };
void PrintTo(Store store, std::ostream* os) { *os << (store == Store::Sqlite ? "Sqlite" : "Postgres"); }

// A ledger for gateway processes: the yaml that points them at it, and a handle for checks.
class SharedLedger {
 public:
  SharedLedger(Store store, const std::filesystem::path& dir) {
    if (store == Store::Postgres) {
      database_ = std::make_unique<test::PgTestDatabase>();
      yaml_ = "ledger:\n  driver: postgres\n  dsn: \"" + database_->dsn() + "\"\n";
    } else {
      path_ = dir / "ledger.db";
      yaml_ = "ledger:\n  driver: sqlite\n  path: " + path_.string() + "\n";
    }
  }
  const std::string& yaml() const { return yaml_; }
  std::unique_ptr<accounting::LedgerStore> open() const {
    if (database_) return std::make_unique<accounting::PostgresLedgerStore>(database_->dsn());
    return std::make_unique<accounting::SqliteLedgerStore>(path_);
  }

 private:
  std::unique_ptr<test::PgTestDatabase> database_;
  std::filesystem::path path_;
  std::string yaml_;
};

std::string gateway_config(const FakeOpenAIServer& upstream, const SharedLedger& ledger,
                           const std::string& budget) {
  return R"(server:
  request_timeout_ms: 1000
)" + ledger.yaml() + R"(providers:
  - name: up
    kind: openai_compatible
    base_url: )" + upstream.base_url() + R"(
    models: [m-cloud]
    max_retries: 0
prices:
  m-cloud: {input: 1000, output: 2000}
teams:
  - name: eng
    keys: [key-eng]
)" + budget;
}

std::string completion_body() {
  return json({{"id", "chatcmpl-1"},
               {"object", "chat.completion"},
               {"created", 1},
               {"model", "m-cloud"},
               {"choices",
                {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", "pong"}}}, {"finish_reason", "stop"}}}},
               {"usage", {{"prompt_tokens", 11}, {"completion_tokens", 7}, {"total_tokens", 18}}}})
      .dump();
}

json chat_body(bool stream) {
  json body = {{"model", "m-cloud"}, {"max_tokens", 10}, {"messages", {{{"role", "user"}, {"content", "ping"}}}}};
  if (stream) body["stream"] = true;
  return body;
}

class GatewayProcessTest : public ::testing::Test {
 protected:
  void start(Store store) {
    ledger_ = std::make_unique<SharedLedger>(store, dir_.path());
    upstream_ = std::make_unique<FakeOpenAIServer>();
  }
  std::filesystem::path write_config(const std::string& budget) {
    return dir_.write("gateway.yaml", gateway_config(*upstream_, *ledger_, budget));
  }

  test::TempDir dir_;
  std::unique_ptr<SharedLedger> ledger_;
  std::unique_ptr<FakeOpenAIServer> upstream_;  // made after the skip checks (see start)
};

class GatewayLedgerProcessTest : public GatewayProcessTest, public ::testing::WithParamInterface<Store> {
 protected:
  void SetUp() override {
    if (GetParam() == Store::Postgres) {
      if (auto reason = test::PgTestDatabase::unavailable()) GTEST_SKIP() << *reason;
    }
    start(GetParam());
  }
};

class TwoGatewaysTest : public GatewayProcessTest {
 protected:
  void SetUp() override {
    if (auto reason = test::PgTestDatabase::unavailable()) GTEST_SKIP() << *reason;
    start(Store::Postgres);
  }
};

TEST_F(TwoGatewaysTest, SharingOnePostgresLedgerTheyNeverSpendMoreThanTheBudget) {
  constexpr int kRequests = 20;
  for (int i = 0; i < kRequests; ++i) {
    FakeOpenAIServer::Reply slow;
    slow.body = completion_body();
    slow.delay_ms = 300;  // every hold is taken while the first answers are on their way
    upstream_->enqueue(slow);
  }
  const auto config = write_config("    budget: {daily_usd: 0.1}\n");  // fits three $0.03 holds
  GatewayProcess a(config, dir_.path() / "a.log");
  GatewayProcess b(config, dir_.path() / "b.log");

  std::atomic<int> answered{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kRequests; ++i) {
    threads.emplace_back([&, port = (i % 2 ? a : b).port()] {
      httplib::Client client("127.0.0.1", port);
      client.set_read_timeout(20, 0);
      auto r = client.Post("/v1/chat/completions", {{"Authorization", "Bearer key-eng"}},
                           chat_body(false).dump(), "application/json");
      if (r && r->status == 200) ++answered;
      if (r && r->status == 429 && json::parse(r->body)["error"]["code"] == "budget_exceeded") ++refused;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_GE(answered.load(), 1);
  EXPECT_LE(answered.load(), 3);
  EXPECT_EQ(answered + refused, kRequests);
  EXPECT_EQ(static_cast<int>(upstream_->requests().size()), answered.load());

  const auto ledger = ledger_->open();
  const auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  const accounting::BudgetStatus status = ledger->status("eng", now);
  EXPECT_EQ(status.daily.held, accounting::Money{});
  EXPECT_LE(status.daily.spent, accounting::Money::from_usd(0.1));
  EXPECT_EQ(status.daily.spent, accounting::Money::from_usd(answered * (11 * 0.001 + 7 * 0.002)));
}

TEST_P(GatewayLedgerProcessTest, AGatewayKilledMidStreamBooksEveryRequestOnceAfterRestart) {
  constexpr int kStreams = 4;
  std::vector<std::string> events = {
      R"({"id":"c1","object":"chat.completion.chunk","created":1,"model":"m-cloud","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})"};
  for (int i = 0; i < 200; ++i) {
    events.push_back(
        R"({"id":"c1","object":"chat.completion.chunk","created":1,"model":"m-cloud","choices":[{"index":0,"delta":{"content":"word "}}]})");
  }
  for (int i = 0; i < kStreams; ++i) {
    FakeOpenAIServer::Reply stream;
    stream.sse_events = events;
    stream.event_interval_ms = 50;  // ten seconds of streaming: the kill lands mid-stream
    upstream_->enqueue(stream);
  }
  const auto config = write_config("");
  auto gateway = std::make_unique<GatewayProcess>(config, dir_.path() / "first.log");

  std::mutex mutex;
  std::vector<std::string> ids;
  std::atomic<int> streaming{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kStreams; ++i) {
    clients.emplace_back([&, port = gateway->port()] {
      httplib::Client client("127.0.0.1", port);
      client.set_read_timeout(30, 0);
      httplib::Request req;
      req.method = "POST";
      req.path = "/v1/chat/completions";
      req.headers = {{"Authorization", "Bearer key-eng"}, {"Content-Type", "application/json"}};
      req.body = chat_body(true).dump();
      req.response_handler = [&](const httplib::Response& r) {
        std::lock_guard lock(mutex);
        ids.push_back(r.get_header_value("x-switchboard-decision"));
        return true;
      };
      bool counted = false;
      req.content_receiver = [&](const char*, size_t, uint64_t, uint64_t) {
        if (!counted) ++streaming;
        counted = true;
        return true;
      };
      httplib::Response res;
      httplib::Error error = httplib::Error::Success;
      client.send(req, res, error);  // ends with the connection when the gateway dies
    });
  }
  const auto started_by = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (streaming < kStreams && std::chrono::steady_clock::now() < started_by) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const int started = streaming.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // past the first progress record
  gateway->kill_hard();
  for (auto& c : clients) c.join();  // before any assertion can leave the test
  ASSERT_EQ(started, kStreams);
  ASSERT_EQ(ids.size(), static_cast<size_t>(kStreams));

  // The restart reconciles the dead process's reservations once their leases run out
  // (request_timeout_ms + 5 s without progress).
  gateway = std::make_unique<GatewayProcess>(config, dir_.path() / "second.log");
  const auto ledger = ledger_->open();
  const auto booked_by = std::chrono::steady_clock::now() + std::chrono::seconds(40);
  const auto all_booked = [&] {
    for (const auto& id : ids) {
      const auto entry = ledger->find(id);
      if (!entry || entry->state == accounting::EntryState::Open) return false;
    }
    return true;
  };
  while (!all_booked() && std::chrono::steady_clock::now() < booked_by) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  accounting::Money sum;
  for (const auto& id : ids) {
    const auto entry = ledger->find(id);
    ASSERT_TRUE(entry) << id;
    EXPECT_EQ(entry->state, accounting::EntryState::Settled) << id;
    EXPECT_NE(entry->flags & accounting::kChargeReconciled, 0u) << id;
    EXPECT_GT(entry->cost, accounting::Money{}) << id;
    EXPECT_GT(entry->usage.completion_tokens, 0) << id;  // the progress recorded before the kill
    sum += entry->cost;
  }
  const auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  const auto report = ledger->spend({std::string("eng"), accounting::window_start(accounting::BudgetWindow::Daily, now),
                                     accounting::window_reset(accounting::BudgetWindow::Daily, now),
                                     accounting::GroupBy::Team});
  ASSERT_EQ(report.size(), 1u);
  EXPECT_EQ(report[0].requests, kStreams);  // each once
  EXPECT_EQ(report[0].cost, sum);
  EXPECT_EQ(ledger->status("eng", now).daily.held, accounting::Money{});
  EXPECT_EQ(ledger->status("eng", now).daily.spent, sum);
}

INSTANTIATE_TEST_SUITE_P(Stores, GatewayLedgerProcessTest, ::testing::Values(Store::Sqlite, Store::Postgres),
                         [](const auto& info) { return info.param == Store::Sqlite ? "Sqlite" : "Postgres"; });

}  // namespace
}  // namespace sb::gateway
