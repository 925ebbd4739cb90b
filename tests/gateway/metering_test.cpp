// Budgets, rate limits, booking and spend reports through the gateway (one in-process server,
// a fake upstream, an SQLite ledger in the gateway's temp dir).
#include <atomic>
#include <functional>
#include <stdexcept>
#include <cstdio>
#include <chrono>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "accounting/sqlite/sqlite_ledger_store.h"
#include "tests/support/fake_anthropic_server.h"
#include "tests/support/fake_openai_server.h"
#include "tests/support/test_gateway.h"

namespace sb::gateway {
namespace {

using nlohmann::json;
using test::FakeOpenAIServer;

// $0.001 per prompt token, $0.002 per completion token: the echo answer (11 + 7 tokens)
// costs $0.025; a request with max_tokens 10 holds about $0.03.
constexpr double kEchoCost = 11 * 0.001 + 7 * 0.002;

class MeteringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string yaml = R"(
server:
  admin_token: admin-secret
  request_timeout_ms: 10000
ledger:
  driver: sqlite
providers:
  - name: up
    kind: openai_compatible
    base_url: )" + upstream_.base_url() + R"(
    models: [m-cloud]
    max_retries: 0
prices:
  m-cloud: {input: 1000, output: 2000}
teams:
  - name: capped
    keys: [key-capped]
    budget: {daily_usd: 0.1}
  - name: tiny
    keys: [key-tiny]
    budget: {daily_usd: 0.01, monthly_usd: 100}
  - name: limited
    keys: [key-limited]
    rate_limit: {rpm: 2}
  - name: free
    keys: [key-free]
  - name: hundred
    keys: [key-hundred]
    budget: {daily_usd: 2.5}
)";
    gateway_ = std::make_unique<test::TestGateway>(yaml);
  }

  httplib::Result chat(const std::string& key, bool stream = false) const {
    json body = {{"model", "m-cloud"},
                 {"max_tokens", 10},
                 {"messages", {{{"role", "user"}, {"content", "ping"}}}}};
    if (stream) body["stream"] = true;
    return gateway_->post("/v1/chat/completions", body, key);
  }

  json spend(const std::string& query, const std::string& key, int expected_status = 200) const {
    auto r = gateway_->get("/v1/spend" + query, key);
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, expected_status) << r->body;
    return json::parse(r->body);
  }

  static std::string completion_body() {
    return json({{"id", "chatcmpl-1"},
                 {"object", "chat.completion"},
                 {"created", 1},
                 {"model", "m-cloud"},
                 {"choices",
                  {{{"index", 0},
                    {"message", {{"role", "assistant"}, {"content", "pong"}}},
                    {"finish_reason", "stop"}}}},
                 {"usage", {{"prompt_tokens", 11}, {"completion_tokens", 7}, {"total_tokens", 18}}}})
        .dump();
  }

  FakeOpenAIServer upstream_;
  std::unique_ptr<test::TestGateway> gateway_;
};

TEST_F(MeteringTest, ConcurrentRequestsNeverSpendMoreThanTheBudget) {
  constexpr int kRequests = 12;
  for (int i = 0; i < kRequests; ++i) {
    FakeOpenAIServer::Reply slow;
    slow.body = completion_body();
    slow.delay_ms = 300;  // every hold is taken while the first answers are still on their way
    upstream_.enqueue(slow);
  }
  std::atomic<int> answered{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kRequests; ++i) {
    threads.emplace_back([&] {
      auto r = chat("key-capped");
      if (!r) return;
      if (r->status == 200) ++answered;
      if (r->status == 429 && json::parse(r->body)["error"]["code"] == "budget_exceeded" &&
          r->has_header("Retry-After")) {
        ++refused;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_GE(answered.load(), 1);
  EXPECT_LE(answered.load(), 3);  // $0.10 holds three reservations of about $0.03
  EXPECT_EQ(answered + refused, kRequests);
  EXPECT_EQ(static_cast<int>(upstream_.requests().size()), answered.load());  // refused: never sent
  const json report = spend("?team=capped", "admin-secret");
  EXPECT_EQ(report["total"]["requests"], answered.load());
  EXPECT_LE(report["total"]["cost_usd"].get<double>(), 0.1);
  EXPECT_NEAR(report["total"]["cost_usd"].get<double>(), answered * kEchoCost, 1e-9);
}

// Issue 8's figure: 1,000 requests at once (250 client threads x 4) against a budget that
// fits 100 answers. Holds (~$0.027) are a little above the real cost ($0.025), so about 100
// are answered; spend never passes the cap and nothing refused reaches the upstream.
TEST_F(MeteringTest, AThousandConcurrentRequestsNeverSpendMoreThanTheBudget) {
  constexpr int kThreads = 250, kPerThread = 4;
  std::atomic<int> answered{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&] {
      for (int j = 0; j < kPerThread; ++j) {
        auto r = chat("key-hundred");
        if (r && r->status == 200) ++answered;
        else if (r && r->status == 429) ++refused;
        else ++other;
      }
    });
  for (auto& t : threads) t.join();
  std::printf("[ budget   ] 1000 concurrent requests, cap $2.50: %d answered, %d refused (429), %d other\n",
              answered.load(), refused.load(), other.load());
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(answered + refused, kThreads * kPerThread);
  EXPECT_GE(answered.load(), 90);
  EXPECT_LE(answered.load(), 100);  // $2.50 / $0.025 per answer
  EXPECT_EQ(static_cast<int>(upstream_.requests().size()), answered.load());
  const json report = spend("?team=hundred", "admin-secret");
  EXPECT_EQ(report["total"]["requests"], answered.load());
  EXPECT_LE(report["total"]["cost_usd"].get<double>(), 2.5 + 1e-12);
  EXPECT_NEAR(report["total"]["cost_usd"].get<double>(), answered * kEchoCost, 1e-9);
}

TEST_F(MeteringTest, AnExhaustedBudgetIsA429WithItsResetTimeAndIsNotSent) {
  auto r = chat("key-tiny");  // about $0.03 may not fit $0.01
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 429) << r->body;
  const json error = json::parse(r->body)["error"];
  EXPECT_EQ(error["code"], "budget_exceeded");
  const auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  const std::string reset =
      accounting::format_iso8601(accounting::window_reset(accounting::BudgetWindow::Daily, now));
  EXPECT_NE(error["message"].get<std::string>().find("daily budget of $0.01"), std::string::npos)
      << error["message"];
  EXPECT_NE(error["message"].get<std::string>().find("resets at " + reset), std::string::npos)
      << error["message"];
  ASSERT_TRUE(r->has_header("Retry-After"));
  EXPECT_GT(std::stoll(r->get_header_value("Retry-After")), 0);
  EXPECT_LE(std::stoll(r->get_header_value("Retry-After")), 86400);
  EXPECT_TRUE(upstream_.requests().empty());
}

TEST_F(MeteringTest, RateLimitsAnswer429WithRetryAfterAndRateLimitHeaders) {
  for (int i = 0; i < 2; ++i) {
    auto ok = chat("key-limited");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200) << ok->body;
    EXPECT_EQ(ok->get_header_value("x-ratelimit-limit-requests"), "2");
  }
  auto r = chat("key-limited");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 429) << r->body;
  EXPECT_EQ(json::parse(r->body)["error"]["code"], "rate_limit_exceeded");
  EXPECT_EQ(r->get_header_value("Retry-After"), "30");  // 2 per minute: one every 30 s
  EXPECT_EQ(r->get_header_value("x-ratelimit-limit-requests"), "2");
  EXPECT_EQ(r->get_header_value("x-ratelimit-remaining-requests"), "0");
  EXPECT_FALSE(r->get_header_value("x-ratelimit-reset-requests").empty());
  EXPECT_EQ(upstream_.requests().size(), 2u);
  // Another team has its own limit.
  EXPECT_EQ(chat("key-free")->status, 200);
}

TEST_F(MeteringTest, SpendReportsWhatWasBookedToWhoMayReadIt) {
  ASSERT_EQ(chat("key-free")->status, 200);
  ASSERT_EQ(chat("key-free", true)->status, 200);  // the echo stream reports usage too

  const json own = spend("?group_by=target", "key-free");
  EXPECT_EQ(own["team"], "free");
  EXPECT_EQ(own["group_by"], "target");
  ASSERT_EQ(own["data"].size(), 1u);
  EXPECT_EQ(own["data"][0]["group"], "m-cloud");
  EXPECT_EQ(own["data"][0]["requests"], 2);
  EXPECT_EQ(own["data"][0]["prompt_tokens"], 22);
  EXPECT_EQ(own["data"][0]["completion_tokens"], 14);
  EXPECT_NEAR(own["data"][0]["cost_usd"].get<double>(), 2 * kEchoCost, 1e-9);
  EXPECT_EQ(own["data"][0]["estimated_requests"], 0);

  const json by_team = spend("?group_by=team", "admin-secret");
  EXPECT_TRUE(by_team["team"].is_null());
  ASSERT_EQ(by_team["data"].size(), 1u);
  EXPECT_EQ(by_team["data"][0]["group"], "free");
  EXPECT_EQ(spend("?team=free&group_by=day", "admin-secret")["total"]["requests"], 2);
  EXPECT_EQ(spend("?from=2000-01-01&to=2000-02-01", "admin-secret")["total"]["requests"], 0);

  EXPECT_EQ(spend("?team=capped", "key-free", 403)["error"]["code"], "forbidden");
  EXPECT_EQ(spend("", "nobody", 401)["error"]["code"], "invalid_api_key");
  EXPECT_EQ(spend("?group_by=week", "admin-secret", 400)["error"]["param"], "group_by");
  EXPECT_EQ(spend("?from=yesterday", "admin-secret", 400)["error"]["param"], "from");
}

// Streams `model` as `key`, leaving as soon as the first bytes arrive; returns the request id.
std::string stream_and_leave(const test::TestGateway& gateway, const std::string& model,
                             const std::string& key) {
  httplib::Request req;
  req.method = "POST";
  req.path = "/v1/chat/completions";
  req.headers = {{"Authorization", "Bearer " + key}, {"Content-Type", "application/json"}};
  req.body = json({{"model", model},
                   {"stream", true},
                   {"messages", {{{"role", "user"}, {"content", "ping"}}}}})
                 .dump();
  std::string request_id;
  req.response_handler = [&](const httplib::Response& r) {
    request_id = r.get_header_value("x-switchboard-decision");
    return true;
  };
  req.content_receiver = [](const char*, size_t, uint64_t, uint64_t) { return false; };  // leave
  httplib::Response res;
  httplib::Error error = httplib::Error::Success;
  gateway.client().send(req, res, error);
  return request_id;
}

// The ledger entry of `request_id` once it is no longer open (or as it is after 20 s).
std::optional<accounting::LedgerEntry> closed_entry(const test::TestGateway& gateway,
                                                    const std::string& request_id) {
  accounting::SqliteLedgerStore ledger(gateway.config().ledger.path);
  std::optional<accounting::LedgerEntry> entry;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {  // the server notices the next write
    entry = ledger.find(request_id);
    if (entry && entry->state != accounting::EntryState::Open) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return entry;
}

TEST_F(MeteringTest, AClientThatLeavesMidStreamIsChargedForWhatWasGenerated) {
  std::vector<std::string> events = {
      R"({"id":"c1","object":"chat.completion.chunk","created":1,"model":"m-cloud","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})"};
  for (int i = 0; i < 40; ++i) {
    events.push_back(
        R"({"id":"c1","object":"chat.completion.chunk","created":1,"model":"m-cloud","choices":[{"index":0,"delta":{"content":"word "}}]})");
  }
  FakeOpenAIServer::Reply stream;
  stream.sse_events = events;  // no usage anywhere
  stream.event_interval_ms = 25;
  upstream_.enqueue(stream);

  const std::string request_id = stream_and_leave(*gateway_, "m-cloud", "key-free");
  ASSERT_FALSE(request_id.empty());
  const auto entry = closed_entry(*gateway_, request_id);
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->state, accounting::EntryState::Settled);
  EXPECT_NE(entry->flags & accounting::kChargePartial, 0u);
  EXPECT_NE(entry->flags & accounting::kChargeEstimated, 0u);
  EXPECT_GT(entry->usage.prompt_tokens, 0);
  EXPECT_GT(entry->cost, accounting::Money{});
  EXPECT_EQ(entry->team, "free");
}

// Anthropic reports usage in message_start (output_tokens 1) long before message_delta: a client
// that leaves in between is charged for the text generated, not for that one token.
TEST(AnthropicMeteringTest, AClientThatLeavesAnAnthropicStreamIsChargedForWhatWasGenerated) {
  test::FakeAnthropicServer anthropic;
  test::FakeAnthropicServer::Reply stream;
  for (int i = 0; i < 100; ++i) stream.text += ".,;:";  // 4-byte deltas of 4 tokens each
  stream.event_interval_ms = 25;
  anthropic.enqueue(stream);
  const test::TestGateway gateway(R"(
ledger:
  driver: sqlite
providers:
  - {name: claude-up, kind: anthropic, base_url: ")" + anthropic.base_url() + R"(", api_key: k, models: [m-claude], max_retries: 0}
prices:
  m-claude: {input: 1000, output: 2000}
teams:
  - name: free
    keys: [key-free]
)");

  const std::string request_id = stream_and_leave(gateway, "m-claude", "key-free");
  ASSERT_FALSE(request_id.empty());
  const auto entry = closed_entry(gateway, request_id);
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->state, accounting::EntryState::Settled);
  EXPECT_EQ(entry->flags & accounting::kChargePartial, accounting::kChargePartial);
  EXPECT_EQ(entry->flags & accounting::kChargeEstimated, accounting::kChargeEstimated);
  EXPECT_EQ(entry->usage.prompt_tokens, 11);        // as message_start reported it
  EXPECT_GE(entry->usage.completion_tokens, 4);     // at least one 4-character delta
  EXPECT_LT(entry->usage.completion_tokens, 400);   // the client left long before the end
}

// A ledger whose database is down: every call fails with the driver's text.
class UnreachableLedger : public accounting::LedgerStore {
 public:
  static constexpr const char* kDriverText = "postgres: cannot connect: host db.internal port 5432 user sb";
  accounting::ReserveResult reserve(const accounting::ReserveRequest&) override { fail(); }
  accounting::SettleOutcome settle(const std::string&, const accounting::Charge&, accounting::Timestamp) override { fail(); }
  bool record_progress(const std::string&, const accounting::Charge&, accounting::Timestamp) override { fail(); }
  bool release(const std::string&, accounting::Timestamp) override { fail(); }
  accounting::ReconcileSummary reconcile_expired(accounting::Timestamp) override { return {}; }
  accounting::BudgetStatus status(const std::string&, accounting::Timestamp) override { fail(); }
  std::vector<accounting::SpendRow> spend(const accounting::SpendQuery&) override { fail(); }
  std::optional<accounting::LedgerEntry> find(const std::string&) override { fail(); }

 private:
  [[noreturn]] static void fail() { throw std::runtime_error(kDriverText); }
};

void expect_ledger_unavailable(const std::function<void()>& call) {
  try {
    call();
    FAIL() << "expected 503 ledger_unavailable";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 503);
    EXPECT_EQ(e.code(), "ledger_unavailable");
    EXPECT_EQ(std::string(e.what()).find("db.internal"), std::string::npos) << e.what();
  }
}

// A non-streamed answer slower than the reservation's lease (request_timeout_ms 0.1 s + 5 s)
// is booked at its real cost: open bookings renew their leases, so the reconciler never
// closes a call that is still under way.
TEST(MeteringLeaseTest, AnAnswerSlowerThanTheLeaseIsBookedAtItsRealCost) {
  FakeOpenAIServer upstream;
  const std::string yaml = R"(
server: {request_timeout_ms: 100}
ledger: {driver: sqlite}
providers:
  - {name: up, kind: openai_compatible, base_url: ")" + upstream.base_url() + R"(", models: [m-cloud], max_retries: 0}
prices:
  m-cloud: {input: 1000, output: 2000}
teams:
  - {name: capped, keys: [key-capped], budget: {daily_usd: 100}}
)";
  test::TestGateway gateway(yaml);
  FakeOpenAIServer::Reply slow;
  slow.delay_ms = 8000;  // past the 5.1 s lease and the reconciler's round at 7.65 s
  slow.body = R"({"id":"c1","object":"chat.completion","created":1,"model":"m-cloud","choices":[{"index":0,
    "message":{"role":"assistant","content":"pong"},"finish_reason":"stop"}],
    "usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18}})";
  upstream.enqueue(slow);
  auto r = gateway.post("/v1/chat/completions",
                        {{"model", "m-cloud"}, {"max_tokens", 10}, {"messages", {{{"role", "user"}, {"content", "ping"}}}}},
                        "key-capped");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const auto entry = closed_entry(gateway, r->get_header_value("x-switchboard-decision"));
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->state, accounting::EntryState::Settled);
  EXPECT_NEAR(entry->cost.usd(), kEchoCost, 1e-9);
  EXPECT_EQ(entry->flags & accounting::kChargeReconciled, 0u);
}

TEST(MeteringLedgerFailureTest, AnUnreadableLedgerIsA503WithoutTheDriversText) {
  const config::Config config = config::parse_config(R"(
providers:
  - {name: up, kind: openai_compatible, base_url: "http://127.0.0.1:9", models: [m]}
prices:
  m: {input: 1, output: 2}
teams:
  - name: capped
    keys: [key-capped]
    budget: {daily_usd: 1}
)", "test.yaml", [](std::string_view) { return std::nullopt; });
  Metering metering(config, std::make_unique<UnreachableLedger>());
  const config::TeamConfig& team = config.teams.front();
  expect_ledger_unavailable([&] { metering.budget_headroom_usd(team); });
  expect_ledger_unavailable([&] { metering.budget_error(team); });

  policies::RouteDecision decision;
  decision.id = "dec_1";
  decision.targets.push_back({"m", "up", config::Locality::Remote, false, {}});
  httplib::Response res;
  expect_ledger_unavailable([&] { metering.admit(team, "key", decision, res); });
}

}  // namespace
}  // namespace sb::gateway
