#include "gateway/server.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/fake_openai_server.h"
#include "tests/support/sse_payloads.h"
#include "tests/support/test_gateway.h"

namespace sb::gateway {
namespace {

using nlohmann::json;
using test::FakeOpenAIServer;

constexpr const char* kServerKey = "sk-dev-test-key";

// A gateway on an ephemeral port in front of two fake upstreams: route `auto` tries
// `m-primary` then `m-backup`, neither retried (retries: dispatcher_test.cpp).
class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string yaml = R"(
server:
  listen: 127.0.0.1:8080
  max_body_bytes: 4000
providers:
  - name: primary
    kind: openai_compatible
    base_url: )" + primary_.base_url() + R"(
    models: [m-primary]
    timeout_ms: 5000
    max_retries: 0
  - name: backup
    kind: openai
    base_url: )" + backup_.base_url() + R"(
    api_key: sk-backup
    models: [m-backup]
    max_retries: 0
  - name: off
    kind: openai
    base_url: https://api.openai.com/v1
    api_key: ${UNSET_TEST_KEY}
    models: [m-off]
prices:
  m-primary: {input: 1, output: 2}
  m-backup: {input: 1, output: 2}
  m-off: {input: 1, output: 2}
routes:
  - model: auto
    cloud: [m-primary, m-backup]
teams:
  - name: dev
    keys: [)" + std::string(kServerKey) + R"(]
)";
    gateway_ = std::make_unique<test::TestGateway>(yaml);
  }

  httplib::Result post_chat(const json& body, const std::string& key = kServerKey) {
    return gateway_->post("/v1/chat/completions", body, key);
  }

  static json chat(const std::string& model, bool stream = false) {
    json body = {{"model", model}, {"messages", {{{"role", "user"}, {"content", "ping"}}}}};
    if (stream) body["stream"] = true;
    return body;
  }

  static void expect_error(const httplib::Result& r, int status, const std::string& type, const std::string& code) {
    ASSERT_TRUE(r) << "no response";
    EXPECT_EQ(r->status, status) << r->body;
    json body = json::parse(r->body);
    EXPECT_EQ(body["error"]["type"], type) << r->body;
    EXPECT_EQ(body["error"]["code"], code) << r->body;
    EXPECT_TRUE(body["error"]["message"].is_string());
    EXPECT_TRUE(body["error"].contains("param"));
  }

  FakeOpenAIServer primary_;
  FakeOpenAIServer backup_;
  std::unique_ptr<test::TestGateway> gateway_;
};

TEST_F(GatewayTest, HealthAndReadiness) {
  auto r = gateway_->get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["status"], "ok");
  gateway_->server().set_ready(false);
  EXPECT_EQ(gateway_->get("/readyz")->status, 503);
  gateway_->server().set_ready(true);
  EXPECT_EQ(gateway_->get("/readyz")->status, 200);
}

TEST_F(GatewayTest, ModelsListsRoutesAndEnabledModels) {
  expect_error(gateway_->get("/v1/models"), 401, "invalid_request_error", "invalid_api_key");
  auto r = gateway_->get("/v1/models", kServerKey);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  json body = json::parse(r->body);
  EXPECT_EQ(body["object"], "list");
  std::vector<std::string> ids;
  for (const auto& m : body["data"]) ids.push_back(m["id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"auto", "m-primary", "m-backup"}));  // m-off is disabled
}

TEST_F(GatewayTest, ErrorPathsAnswerOpenAIStyle) {
  expect_error(post_chat(chat("auto"), ""), 401, "invalid_request_error", "invalid_api_key");
  expect_error(post_chat(chat("auto"), "sk-wrong"), 401, "invalid_request_error", "invalid_api_key");
  auto bad_json = gateway_->client().Post("/v1/chat/completions", {{"Authorization", std::string("Bearer ") + kServerKey}},
                                          "{not json", "application/json");
  expect_error(bad_json, 400, "invalid_request_error", "invalid_json");
  expect_error(post_chat(chat("no-such-model")), 404, "invalid_request_error", "model_not_found");
  expect_error(post_chat({{"model", "auto"}}), 400, "invalid_request_error", "invalid_value");
  json big = chat("auto");
  big["messages"][0]["content"] = std::string(5000, 'x');
  expect_error(post_chat(big), 413, "invalid_request_error", "request_too_large");
  expect_error(gateway_->get("/v1/nothing-here"), 404, "invalid_request_error", "unknown_url");
  EXPECT_TRUE(primary_.requests().empty()) << "no failed request may reach an upstream";
}

TEST_F(GatewayTest, CompletesThroughTheFirstTarget) {
  auto r = post_chat(chat("auto"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  json body = json::parse(r->body);
  EXPECT_EQ(body["choices"][0]["message"]["content"], "echo: ping");
  EXPECT_EQ(body["usage"]["total_tokens"], 18);
  EXPECT_EQ(r->get_header_value("x-switchboard-target"), "m-primary");
  EXPECT_EQ(r->get_header_value("x-switchboard-decision").rfind("dec_", 0), 0u);
  EXPECT_FALSE(r->get_header_value("x-switchboard-overhead-us").empty());
  EXPECT_EQ(json::parse(primary_.requests().at(0).body)["model"], "m-primary");
  EXPECT_TRUE(backup_.requests().empty());
}

TEST_F(GatewayTest, FallsBackOnRetriableFailure) {
  primary_.enqueue({503, R"({"error":{"message":"overloaded"}})", {}, {}, false});
  auto r = post_chat(chat("auto"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("x-switchboard-target"), "m-backup");
  EXPECT_EQ(json::parse(backup_.requests().at(0).body)["model"], "m-backup");
}

TEST_F(GatewayTest, DoesNotFallBackOnAClientError) {
  primary_.enqueue({400, R"({"error":{"message":"bad tool schema"}})", {}, {}, false});
  auto r = post_chat(chat("auto"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("bad tool schema"), std::string::npos);
  EXPECT_TRUE(backup_.requests().empty());
}

TEST_F(GatewayTest, AllTargetsFailingGivesTheLastError) {
  primary_.enqueue({500, "{}", {}, {}, false});
  backup_.enqueue({429, R"({"error":{"message":"slow down"}})", {{"Retry-After", "2"}}, {}, false});
  expect_error(post_chat(chat("auto")), 429, "rate_limit_error", "upstream_rate_limited");
}

TEST_F(GatewayTest, StreamsServerSentEvents) {
  json body = chat("auto", true);
  body["stream_options"] = {{"include_usage", true}};
  auto r = post_chat(body);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/event-stream");
  EXPECT_EQ(r->get_header_value("x-switchboard-target"), "m-primary");
  std::string text;
  json usage;
  const std::vector<std::string> payloads = test::sse_data(r->body);
  ASSERT_GE(payloads.size(), 3u);
  EXPECT_EQ(payloads.back(), "[DONE]");
  for (size_t i = 0; i + 1 < payloads.size(); ++i) {
    json chunk = json::parse(payloads[i]);
    EXPECT_EQ(chunk["object"], "chat.completion.chunk");
    if (!chunk["choices"].empty()) text += chunk["choices"][0]["delta"].value("content", "");
    if (chunk.contains("usage")) usage = chunk["usage"];
  }
  EXPECT_EQ(text, "echo: ping");
  EXPECT_EQ(usage["completion_tokens"], 7);
}

TEST_F(GatewayTest, StreamFallsBackWhenTheFirstTargetFailsBeforeAnyChunk) {
  primary_.enqueue({502, "{}", {}, {}, false});
  auto r = post_chat(chat("auto", true));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("x-switchboard-target"), "m-backup");
  EXPECT_NE(r->body.find("[DONE]"), std::string::npos);
}

TEST_F(GatewayTest, StreamCutAfterTheFirstChunkEndsWithAnErrorEvent) {
  primary_.enqueue({200, "", {}, {R"({"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":"par"}}]})"}, true});
  auto r = post_chat(chat("auto", true));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("\"par\""), std::string::npos);
  EXPECT_NE(r->body.find("upstream_stream_truncated"), std::string::npos);
  EXPECT_EQ(r->body.find("[DONE]"), std::string::npos) << "a cut answer must not finish cleanly";
  EXPECT_TRUE(backup_.requests().empty()) << "no fallback once the client has content";
}

TEST_F(GatewayTest, StreamErrorBeforeAnyChunkIsAnHttpError) {
  primary_.enqueue({400, R"({"error":{"message":"nope"}})", {}, {}, false});
  auto r = post_chat(chat("auto", true));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(json::parse(r->body)["error"]["code"], "upstream_rejected");
}

TEST_F(GatewayTest, ConcreteModelOfADisabledProviderIsUnavailable) {
  expect_error(post_chat(chat("m-off")), 503, "service_unavailable", "no_available_target");
}

}  // namespace
}  // namespace sb::gateway
