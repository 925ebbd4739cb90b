// Fail closed across every fault: with OpenAI, Anthropic and Gemini fakes injecting 429 +
// Retry-After, 500, 529, a slow first byte, a dropped connection or a truncated stream, and
// a local model that cannot load, no device-only request's content ever reaches any fake —
// through either served API, whole or streamed — and redacted values never do either.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/fake_anthropic_server.h"
#include "tests/support/fake_gemini_server.h"
#include "tests/support/fake_openai_server.h"
#include "tests/support/paths.h"
#include "tests/support/test_gateway.h"

namespace sb::gateway {
namespace {

using nlohmann::json;

constexpr const char* kFaultsKey = "sk-privacy-faults";
const std::string kFaultsSsn = "536-22-8145";
const std::string kFaultsEmail = "grace.hopper@example.org";

struct Fault {
  std::string name;
  test::Faults faults;
};

std::vector<Fault> all_faults() {
  std::vector<Fault> out;
  test::Faults f;
  f.status = 429;
  f.headers = {{"Retry-After", "0"}};
  out.push_back({"429", f});
  for (int status : {500, 529}) {
    test::Faults server_error;
    server_error.status = status;
    out.push_back({std::to_string(status), server_error});
  }
  test::Faults slow;
  slow.first_byte_delay_ms = 3000;
  out.push_back({"slow first byte", slow});
  test::Faults drop;
  drop.drop_connection = true;
  out.push_back({"dropped connection", drop});
  test::Faults cut;
  cut.truncate_stream = true;
  out.push_back({"truncated stream", cut});
  test::Faults no_usage;
  no_usage.omit_usage = true;
  out.push_back({"missing usage", no_usage});
  return out;
}

class PrivacyFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string yaml = R"(
local_models:
  - name: stories
    path: )" + (test::shared_dir() / "models" / "stories260K.gguf").string() + R"(
    context: 256
    chat_template: llama2
  - name: broken
    path: /nonexistent/model.gguf
    lazy_load: true
providers:
  - {name: openai, kind: openai, base_url: ")" + openai_.base_url() + R"(", api_key: k1, models: [gpt-fake], max_retries: 1, first_byte_timeout_ms: 1000}
  - {name: anthropic, kind: anthropic, base_url: ")" + anthropic_.base_url() + R"(", api_key: k2, models: [claude-fake], max_retries: 1, first_byte_timeout_ms: 1000}
  - {name: gemini, kind: gemini, base_url: ")" + gemini_.base_url() + R"(", api_key: k3, models: [gemini-fake], max_retries: 1, first_byte_timeout_ms: 1000}
prices:
  gpt-fake: {input: 1, output: 2}
  claude-fake: {input: 1, output: 2}
  gemini-fake: {input: 1, output: 2}
routes:
  - {model: fragile, local: [broken], cloud: [gpt-fake, claude-fake, gemini-fake]}
  - {model: cloudy, cloud: [gpt-fake, claude-fake, gemini-fake]}
teams:
  - {name: dev, keys: [)" + std::string(kFaultsKey) + R"(]}
)";
    test::TestGatewayOptions fast;
    fast.dispatch.sleep = [](std::chrono::milliseconds) {};
    gateway_ = std::make_unique<test::TestGateway>(yaml, fast);
  }

  void inject(const test::Faults& f, bool openai_only = false) {
    for (int i = 0; i < 4; ++i) {  // enough for every retry of every attempt
      test::FakeOpenAIServer::Reply o;
      o.status = f.status;
      o.headers = f.headers;
      o.delay_ms = f.first_byte_delay_ms;
      o.reset_after_events = f.drop_connection;
      if (f.status != 200) o.body = R"({"error":{"message":"injected","type":"server_error"}})";
      openai_.enqueue(o);
      if (openai_only) continue;
      test::FakeAnthropicServer::Reply a;
      static_cast<test::Faults&>(a) = f;
      anthropic_.enqueue(a);
      test::FakeGeminiServer::Reply g;
      static_cast<test::Faults&>(g) = f;
      gemini_.enqueue(g);
    }
  }

  httplib::Result send(const std::string& api, const std::string& model, const std::string& text, bool stream) {
    json body = {{"model", model}, {"max_tokens", 8}, {"stream", stream},
                 {"messages", {{{"role", "user"}, {"content", text}}}}};
    return gateway_->post(api == "openai" ? "/v1/chat/completions" : "/v1/messages", body, kFaultsKey);
  }

  // Every byte any fake received: paths, headers and bodies.
  std::string everything_recorded() const {
    std::string all;
    auto add = [&](const auto& requests) {
      for (const auto& r : requests) {
        all += r.path + "\n" + r.body + "\n";
        for (const auto& [k, v] : r.headers) all += k + ": " + v + "\n";
      }
    };
    add(openai_.requests());
    add(anthropic_.requests());
    add(gemini_.requests());
    return all;
  }

  test::FakeOpenAIServer openai_;
  test::FakeAnthropicServer anthropic_;
  test::FakeGeminiServer gemini_;
  std::unique_ptr<test::TestGateway> gateway_;
};

TEST_F(PrivacyFaultsTest, DeviceOnlyContentNeverReachesAnyFakeWhateverFails) {
  for (const Fault& fault : all_faults())
    for (const std::string api : {"openai", "anthropic"})
      for (bool stream : {false, true}) {
        SCOPED_TRACE(fault.name + " via " + api + (stream ? " streamed" : " whole"));
        inject(fault.faults);
        // The only device target cannot load: the request fails, and goes nowhere else.
        auto res = send(api, "fragile", "my SSN is " + kFaultsSsn, stream);
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 503) << res->body;
        EXPECT_EQ(res->body.find(kFaultsSsn), std::string::npos);
        // A concrete remote model is rerouted to its route's device model, which fails too.
        auto concrete = send(api, "gpt-fake", "my SSN is " + kFaultsSsn, stream);
        ASSERT_TRUE(concrete);
        EXPECT_EQ(concrete->status, 503) << concrete->body;
      }
  EXPECT_EQ(everything_recorded().find(kFaultsSsn), std::string::npos);
  EXPECT_TRUE(openai_.requests().empty());
  EXPECT_TRUE(anthropic_.requests().empty());
  EXPECT_TRUE(gemini_.requests().empty());
}

TEST_F(PrivacyFaultsTest, RedactedValuesReachNoFakeAndComeBackAfterAFallback) {
  for (const Fault& fault : all_faults()) {
    SCOPED_TRACE(fault.name);
    // The first target fails; the fallback echoes the placeholder; the client reads the value.
    inject(fault.faults, /*openai_only=*/true);
    auto res = send("openai", "cloudy", "please write to " + kFaultsEmail, false);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
    EXPECT_NE(res->body.find(kFaultsEmail), std::string::npos) << res->body;
  }
  const std::string recorded = everything_recorded();
  EXPECT_EQ(recorded.find(kFaultsEmail), std::string::npos);
  EXPECT_NE(recorded.find("<EMAIL_1>"), std::string::npos);
}

TEST_F(PrivacyFaultsTest, RedactedValuesReachNoFakeWhenEveryTargetFailsMidStream) {
  for (const Fault& fault : all_faults())
    for (const std::string api : {"openai", "anthropic"}) {
      SCOPED_TRACE(fault.name + " via " + api);
      inject(fault.faults);
      auto res = send(api, "cloudy", "please write to " + kFaultsEmail, true);  // answered, cut or refused
      ASSERT_TRUE(res);
    }
  const std::string recorded = everything_recorded();
  EXPECT_EQ(recorded.find(kFaultsEmail), std::string::npos);
  EXPECT_NE(recorded.find("<EMAIL_1>"), std::string::npos);
}

}  // namespace
}  // namespace sb::gateway
