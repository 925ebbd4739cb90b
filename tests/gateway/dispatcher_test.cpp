// Retries, backoff, Retry-After, cooldowns and fallback, against fake upstreams, with the
// dispatcher's sleep and clock injected: nothing here waits for real.
#include "gateway/dispatcher.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "connectors/provider_registry.h"
#include "tests/support/fake_openai_server.h"

namespace sb::gateway {
namespace {

using connectors::CircuitBreaker;
using connectors::ProviderError;
using std::chrono::milliseconds;
using test::FakeOpenAIServer;
using Reply = FakeOpenAIServer::Reply;

class DispatcherTest : public ::testing::Test {
 protected:
  // primary: max_retries 2; backup: max_retries 0. Breakers open after 3 failures for 10 s.
  void SetUp() override { build(""); }

  void build(const std::string& primary_extra, int primary_retries = 2) {
    const std::string yaml = R"(
providers:
  - name: primary
    kind: openai_compatible
    base_url: )" + primary_.base_url() + R"(
    models: [m-primary]
    max_retries: )" + std::to_string(primary_retries) + "\n" + primary_extra + R"(
  - name: backup
    kind: openai_compatible
    base_url: )" + backup_.base_url() + R"(
    models: [m-backup]
    max_retries: 0
  - name: claude  # never reached: only asked what it refuses before calling out
    kind: anthropic
    base_url: http://127.0.0.1:9
    models: [m-claude]
    max_retries: 0
prices:
  m-primary: {input: 1, output: 2}
  m-backup: {input: 1, output: 2}
  m-claude: {input: 1, output: 2}
)";
    config_ = config::parse_config(yaml, "test.yaml", [](std::string_view) { return std::nullopt; });
    providers_ = std::make_unique<connectors::ProviderRegistry>(config_);
    Dispatcher::Options options;
    options.breaker = {3, milliseconds(10000)};
    options.sleep = [this](milliseconds d) { sleeps_.push_back(d.count()); };
    options.random = [] { return 0.5; };
    options.now = [this] { return now_; };
    dispatcher_ = std::make_unique<Dispatcher>(config_, *providers_, options);
    decision_.requested_model = "auto";
    decision_.targets = {remote("m-primary", "primary"), remote("m-backup", "backup")};
  }

  static policies::Target remote(std::string model, std::string provider) {
    policies::Target t;
    t.model = std::move(model);
    t.provider = std::move(provider);
    return t;
  }

  static ChatRequest ping(bool stream = false) {
    ChatRequest r;
    r.model = "auto";
    r.messages.push_back({Role::User, {{ContentPart::Kind::Text, "ping", {}, {}}}, {}, {}, {}});
    r.stream = stream;
    return r;
  }

  static Reply status(int code, std::map<std::string, std::string> headers = {}) {
    Reply r;
    r.status = code;
    r.body = R"({"error":{"message":"injected )" + std::to_string(code) + R"("}})";
    r.headers = std::move(headers);
    return r;
  }

  std::string complete_target() { return dispatcher_->complete(decision_, ping()).target; }

  FakeOpenAIServer primary_;
  FakeOpenAIServer backup_;
  config::Config config_;
  std::unique_ptr<connectors::ProviderRegistry> providers_;
  std::unique_ptr<Dispatcher> dispatcher_;
  policies::RouteDecision decision_;
  std::vector<int64_t> sleeps_;
  CircuitBreaker::Clock::time_point now_{};
};

TEST_F(DispatcherTest, RetriesTheSameTargetWithJitteredBackoff) {
  primary_.enqueue(status(500));
  primary_.enqueue(status(503));
  EXPECT_EQ(complete_target(), "m-primary");
  EXPECT_EQ(primary_.requests().size(), 3u);
  EXPECT_TRUE(backup_.requests().empty());
  EXPECT_EQ(sleeps_, (std::vector<int64_t>{187, 375}));  // 250 ms then 500 ms steps, half jittered at 0.5
}

TEST_F(DispatcherTest, HonoursRetryAfter) {
  primary_.enqueue(status(429, {{"Retry-After", "2"}}));
  EXPECT_EQ(complete_target(), "m-primary");
  EXPECT_EQ(sleeps_, (std::vector<int64_t>{2000}));
}

TEST_F(DispatcherTest, ARetryAfterTooLongToWaitFallsBackAtOnce) {
  primary_.enqueue(status(429, {{"Retry-After", "120"}}));
  EXPECT_EQ(complete_target(), "m-backup");
  EXPECT_EQ(primary_.requests().size(), 1u);
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(DispatcherTest, FallsBackOnceRetriesAreSpent) {
  for (int i = 0; i < 3; ++i) primary_.enqueue(status(502));
  EXPECT_EQ(complete_target(), "m-backup");
  EXPECT_EQ(primary_.requests().size(), 3u);
  EXPECT_EQ(backup_.requests().size(), 1u);
}

TEST_F(DispatcherTest, RejectedCredentialsFallBackWithoutRetrying) {
  primary_.enqueue(status(401));
  EXPECT_EQ(complete_target(), "m-backup");
  EXPECT_EQ(primary_.requests().size(), 1u);
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(DispatcherTest, AClientErrorIsNeitherRetriedNorFallenBackFrom) {
  primary_.enqueue(status(400));
  try {
    complete_target();
    FAIL() << "a 400 must reach the client";
  } catch (const ProviderError& e) {
    EXPECT_EQ(e.status(), 400);
  }
  EXPECT_EQ(primary_.requests().size(), 1u);
  EXPECT_TRUE(backup_.requests().empty());
  EXPECT_EQ(dispatcher_->breaker_state(decision_.targets[0]), CircuitBreaker::State::Closed);
}

TEST_F(DispatcherTest, ATargetRefusingTheRequestsShapeFallsBackWithoutCoolingDown) {
  decision_.targets = {remote("m-claude", "claude"), remote("m-backup", "backup")};
  ChatRequest two_choices = ping();
  two_choices.n = 2;  // Anthropic cannot: a 400 the next target may not give
  for (int i = 0; i < 5; ++i) EXPECT_EQ(dispatcher_->complete(decision_, two_choices).target, "m-backup");
  EXPECT_EQ(backup_.requests().size(), 5u);
  EXPECT_EQ(dispatcher_->breaker_state(decision_.targets[0]), CircuitBreaker::State::Closed)
      << "requests the target refuses must not cool it down for everyone";
}

TEST_F(DispatcherTest, RepeatedFailuresCoolATargetDownThenOneProbeReopensIt) {
  for (int i = 0; i < 3; ++i) primary_.enqueue(status(500));
  EXPECT_EQ(complete_target(), "m-backup");  // 3 failures: the breaker opened, no 4th call
  EXPECT_EQ(dispatcher_->breaker_state(decision_.targets[0]), CircuitBreaker::State::Open);
  EXPECT_EQ(complete_target(), "m-backup");
  EXPECT_EQ(primary_.requests().size(), 3u) << "a cooling target is not contacted";
  now_ += milliseconds(10000);
  EXPECT_EQ(complete_target(), "m-primary");  // the probe succeeds
  EXPECT_EQ(dispatcher_->breaker_state(decision_.targets[0]), CircuitBreaker::State::Closed);
  EXPECT_EQ(primary_.requests().size(), 4u);
}

TEST_F(DispatcherTest, EveryTargetCoolingDownIsA503) {
  for (int i = 0; i < 3; ++i) primary_.enqueue(status(500));
  for (int i = 0; i < 3; ++i) backup_.enqueue(status(500));
  for (int i = 0; i < 3; ++i) EXPECT_THROW(complete_target(), ProviderError);
  try {
    complete_target();
    FAIL();
  } catch (const ProviderError&) {
    FAIL() << "no target should have been called";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 503);
    EXPECT_EQ(e.code(), "no_available_target");
    EXPECT_NE(std::string(e.what()).find("cooling down"), std::string::npos);
  }
  EXPECT_EQ(primary_.requests().size(), 3u);
  EXPECT_EQ(backup_.requests().size(), 3u);
}

TEST_F(DispatcherTest, AFirstByteTimeoutFallsBack) {
  build("    first_byte_timeout_ms: 100\n", 0);
  Reply slow;
  slow.delay_ms = 3000;
  primary_.enqueue(slow);
  EXPECT_EQ(complete_target(), "m-backup");
}

TEST_F(DispatcherTest, AStreamDroppedBeforeAnyChunkFallsBack) {
  Reply dropped;
  dropped.sse_events = {};
  dropped.reset_after_events = true;
  dropped.status = 200;
  for (int i = 0; i < 3; ++i) primary_.enqueue(dropped);
  std::string text;
  auto outcome = dispatcher_->stream(decision_, ping(true), [](const std::string&) {}, [&](const ChatChunk& c) {
    text += c.content;
    return true;
  });
  EXPECT_EQ(outcome.target, "m-backup");
  EXPECT_EQ(text, "echo: ping");
}

TEST_F(DispatcherTest, AStreamThatFailsAfterAChunkIsNeverRetriedNorFallenBack) {
  struct Case {
    const char* name;
    Reply reply;
  };
  Reply reset;
  reset.sse_events = {R"({"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":"par"}}]})"};
  reset.reset_after_events = true;
  Reply truncated = reset;
  truncated.reset_after_events = false;
  truncated.cut_after_events = true;
  Reply stalled = reset;
  stalled.reset_after_events = false;
  stalled.sse_events.push_back(R"({"id":"c","choices":[{"index":0,"delta":{"content":"tial"}}]})");
  stalled.event_interval_ms = 3000;
  for (const Case& c : {Case{"reset", reset}, Case{"truncated", truncated}, Case{"stalled", stalled}}) {
    build("    idle_timeout_ms: 100\n");
    primary_.enqueue(c.reply);
    std::string text;
    std::vector<std::string> starts;
    try {
      dispatcher_->stream(decision_, ping(true), [&](const std::string& t) { starts.push_back(t); },
                          [&](const ChatChunk& chunk) {
                            text += chunk.content;
                            return true;
                          });
      ADD_FAILURE() << c.name << ": a cut stream must not end normally";
    } catch (const ProviderError& e) {
      EXPECT_TRUE(e.retriable()) << c.name;
    }
    EXPECT_EQ(text, "par") << c.name;
    EXPECT_EQ(starts, std::vector<std::string>{"m-primary"}) << c.name;
    EXPECT_TRUE(sleeps_.empty()) << c.name;
  }
  EXPECT_EQ(primary_.requests().size(), 3u);
  EXPECT_TRUE(backup_.requests().empty());
}

}  // namespace
}  // namespace sb::gateway
