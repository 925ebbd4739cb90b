// POST /v1/messages end to end over HTTP: an Anthropic-format client reaching OpenAI,
// Anthropic and Gemini targets (fake upstreams speaking each real wire format), whole and
// streamed, with tool use, errors in Anthropic's shape, fallback and mid-stream failure.
// Also: no field or header of a request can make the gateway contact another host.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "gateway/anthropic_api/anthropic_errors.h"
#include "tests/support/fake_anthropic_server.h"
#include "tests/support/fake_gemini_server.h"
#include "tests/support/fake_openai_server.h"
#include "tests/support/sse_payloads.h"
#include "tests/support/test_gateway.h"

namespace sb::gateway {
namespace {

using nlohmann::json;
using test::FakeAnthropicServer;
using test::FakeGeminiServer;
using test::FakeOpenAIServer;

constexpr const char* kMessagesKey = "sk-dev-messages";
constexpr const char* kBrokeKey = "sk-broke-messages";

struct Event {
  std::string name;
  json data;
};

std::vector<Event> events_of(const std::string& body) {
  std::vector<Event> out;
  for (const auto& e : test::sse_events(body)) out.push_back({e.event, json::parse(e.data)});
  return out;
}

std::string streamed_text(const std::vector<Event>& events) {
  std::string text;
  for (const auto& e : events)
    if (e.name == "content_block_delta" && e.data["delta"]["type"] == "text_delta") text += e.data["delta"]["text"];
  return text;
}

class MessagesEndpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string yaml = R"(
server:
  listen: 127.0.0.1:8080
  max_body_bytes: 20000
providers:
  - name: openai-up
    kind: openai
    base_url: )" + openai_.base_url() + R"(
    api_key: sk-configured-openai
    models: [m-openai]
    max_retries: 0
  - name: anthropic-up
    kind: anthropic
    base_url: )" + anthropic_.base_url() + R"(
    api_key: sk-configured-anthropic
    models: [m-claude]
    max_retries: 0
  - name: gemini-up
    kind: gemini
    base_url: )" + gemini_.base_url() + R"(
    api_key: configured-gemini
    models: [m-gemini]
    max_retries: 0
prices:
  m-openai: {input: 1, output: 2}
  m-claude: {input: 1, output: 2}
  m-gemini: {input: 1, output: 2}
routes:
  - model: auto
    cloud: [m-openai, m-claude]
teams:
  - name: dev
    keys: [)" + std::string(kMessagesKey) + R"(]
  - name: broke
    keys: [)" + std::string(kBrokeKey) + R"(]
    budget: {daily_usd: 0.0001}
)";
    gateway_ = std::make_unique<test::TestGateway>(yaml);
  }

  httplib::Result post(const std::string& path, const json& body, httplib::Headers headers = {{"x-api-key", kMessagesKey}}) {
    headers.emplace("anthropic-version", "2023-06-01");
    return gateway_->post(path, body, "", std::move(headers));
  }
  httplib::Result post_messages(const json& body, httplib::Headers headers = {{"x-api-key", kMessagesKey}}) {
    return post("/v1/messages", body, std::move(headers));
  }

  static json message(const std::string& model, bool stream = false) {
    json body = {{"model", model}, {"max_tokens", 64}, {"messages", {{{"role", "user"}, {"content", "ping"}}}}};
    if (stream) body["stream"] = true;
    return body;
  }

  static void expect_error(const httplib::Result& r, int status, const std::string& type) {
    ASSERT_TRUE(r) << "no response";
    EXPECT_EQ(r->status, status) << r->body;
    json body = json::parse(r->body);
    EXPECT_EQ(body["type"], "error") << r->body;
    EXPECT_EQ(body["error"]["type"], type) << r->body;
    EXPECT_TRUE(body["error"]["message"].is_string()) << r->body;
  }

  FakeOpenAIServer openai_;
  FakeAnthropicServer anthropic_;
  FakeGeminiServer gemini_;
  std::unique_ptr<test::TestGateway> gateway_;
};

TEST_F(MessagesEndpointTest, WholeMessageThroughEveryKindOfTarget) {
  for (const std::string model : {"m-openai", "m-claude", "m-gemini"}) {
    json body = message(model);
    body["system"] = "be brief";
    auto r = post_messages(body);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << model << ": " << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
    EXPECT_EQ(r->get_header_value("x-switchboard-target"), model);
    EXPECT_EQ(r->get_header_value("x-switchboard-decision").rfind("dec_", 0), 0u);
    json m = json::parse(r->body);
    EXPECT_EQ(m["type"], "message");
    EXPECT_EQ(m["role"], "assistant");
    EXPECT_EQ(m["id"].get<std::string>().rfind("msg_", 0), 0u);
    EXPECT_EQ(m["content"], json::array({{{"type", "text"}, {"text", "echo: ping"}}})) << model;
    EXPECT_EQ(m["stop_reason"], "end_turn");
    EXPECT_EQ(m["usage"]["input_tokens"], 11) << model;
    EXPECT_EQ(m["usage"]["output_tokens"], 7) << model;
  }
  json sent = json::parse(openai_.requests().at(0).body);
  EXPECT_EQ(sent["messages"][0], json({{"role", "system"}, {"content", "be brief"}}));
  EXPECT_EQ(sent["max_completion_tokens"], 64);
  EXPECT_EQ(json::parse(anthropic_.requests().at(0).body)["system"], "be brief");
}

TEST_F(MessagesEndpointTest, StreamedEventByEventFromEveryKindOfTarget) {
  for (const std::string model : {"m-openai", "m-claude", "m-gemini"}) {
    auto r = post_messages(message(model, true));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << model << ": " << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "text/event-stream");
    EXPECT_EQ(r->get_header_value("x-switchboard-target"), model);
    auto events = events_of(r->body);
    ASSERT_GE(events.size(), 6u) << r->body;
    EXPECT_EQ(events.front().name, "message_start");
    EXPECT_EQ(events.front().data["message"]["role"], "assistant");
    EXPECT_EQ(events[1].name, "content_block_start");
    EXPECT_EQ(events.back().name, "message_stop");
    const Event& delta = events[events.size() - 2];
    EXPECT_EQ(delta.name, "message_delta");
    EXPECT_EQ(delta.data["delta"]["stop_reason"], "end_turn");
    EXPECT_EQ(delta.data["usage"]["output_tokens"], 7) << model;
    EXPECT_EQ(delta.data["usage"]["input_tokens"], 11) << model;
    EXPECT_EQ(streamed_text(events), "echo: ping") << model;
    for (const auto& e : events) EXPECT_EQ(e.data["type"], e.name);
  }
}

TEST_F(MessagesEndpointTest, ToolUseThroughAnOpenAITarget) {
  json body = message("m-openai");
  body["tools"] = {{{"name", "get_weather"}, {"input_schema", {{"type", "object"}}}}};
  body["tool_choice"] = {{"type", "any"}};
  body["messages"] = json::array(
      {{{"role", "user"}, {"content", "weather?"}},
       {{"role", "assistant"}, {"content", {{{"type", "tool_use"}, {"id", "call_0"}, {"name", "get_weather"}, {"input", {{"city", "Oslo"}}}}}}},
       {{"role", "user"}, {"content", {{{"type", "tool_result"}, {"tool_use_id", "call_0"}, {"content", "12C"}}}}}});
  FakeOpenAIServer::Reply whole;
  whole.body = R"({"id":"c1","object":"chat.completion","created":1,"model":"m-openai","choices":[{"index":0,
    "message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
    "function":{"name":"get_weather","arguments":"{\"city\":\"Bergen\"}"}}]},"finish_reason":"tool_calls"}],
    "usage":{"prompt_tokens":30,"completion_tokens":9,"total_tokens":39}})";
  openai_.enqueue(whole);
  auto r = post_messages(body);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  json m = json::parse(r->body);
  EXPECT_EQ(m["stop_reason"], "tool_use");
  EXPECT_EQ(m["content"], json::array({{{"type", "tool_use"}, {"id", "call_1"}, {"name", "get_weather"},
                                        {"input", {{"city", "Bergen"}}}}}));
  json sent = json::parse(openai_.requests().at(0).body);
  EXPECT_EQ(sent["tool_choice"], "required");
  EXPECT_EQ(sent["tools"][0]["function"]["name"], "get_weather");
  EXPECT_EQ(sent["messages"][1]["tool_calls"][0]["function"]["arguments"], R"({"city":"Oslo"})");
  EXPECT_EQ(sent["messages"][2], json({{"role", "tool"}, {"content", "12C"}, {"tool_call_id", "call_0"}}));

  FakeOpenAIServer::Reply streamed;
  streamed.sse_events = {
      R"({"id":"c2","model":"m-openai","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_2","type":"function","function":{"name":"get_weather","arguments":""}}]}}]})",
      R"({"id":"c2","model":"m-openai","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}}]})",
      R"({"id":"c2","model":"m-openai","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Oslo\"}"}}]}}]})",
      R"({"id":"c2","model":"m-openai","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})"};
  openai_.enqueue(streamed);
  body["stream"] = true;
  r = post_messages(body);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto events = events_of(r->body);
  std::string partial_json;
  json block;
  for (const auto& e : events) {
    if (e.name == "content_block_start") block = e.data["content_block"];
    if (e.name == "content_block_delta") partial_json += e.data["delta"].value("partial_json", "");
  }
  EXPECT_EQ(block, json({{"type", "tool_use"}, {"id", "call_2"}, {"name", "get_weather"}, {"input", json::object()}}));
  EXPECT_EQ(json::parse(partial_json), json({{"city", "Oslo"}}));
  EXPECT_EQ(events[events.size() - 2].data["delta"]["stop_reason"], "tool_use");
  EXPECT_EQ(events.back().name, "message_stop");
}

TEST_F(MessagesEndpointTest, ErrorsComeInAnthropicShape) {
  expect_error(post_messages(message("auto"), {}), 401, "authentication_error");
  expect_error(post_messages(message("auto"), {{"x-api-key", "sk-wrong"}}), 401, "authentication_error");
  auto bad_json = gateway_->client().Post("/v1/messages", {{"x-api-key", kMessagesKey}}, "{nope", "application/json");
  expect_error(bad_json, 400, "invalid_request_error");
  json no_max = message("auto");
  no_max.erase("max_tokens");
  auto r = post_messages(no_max);
  expect_error(r, 400, "invalid_request_error");
  EXPECT_NE(r->body.find("max_tokens"), std::string::npos);
  expect_error(post_messages(message("no-such-model")), 404, "not_found_error");
  json big = message("auto");
  big["messages"][0]["content"] = std::string(30000, 'x');
  expect_error(post_messages(big), 413, "request_too_large");

  FakeOpenAIServer::Reply limited;
  limited.status = 429;
  limited.body = R"({"error":{"message":"slow down"}})";
  limited.headers = {{"Retry-After", "7"}};
  openai_.enqueue(limited);
  r = post_messages(message("m-openai"));
  expect_error(r, 429, "rate_limit_error");
  EXPECT_EQ(r->get_header_value("Retry-After"), "7");
  EXPECT_EQ(openai_.requests().size(), 1u) << "only the last request reached an upstream";
}

TEST_F(MessagesEndpointTest, PolicyErrorsKeepTheirContractType) {
  const httplib::Headers local_only = {{"x-api-key", kMessagesKey}, {"x-switchboard-privacy", "local_only"}};
  expect_error(post_messages(message("auto"), local_only), 503, "no_private_target");
  expect_error(post_messages(message("m-claude"), local_only), 403, "privacy_violation");
  json dear = message("m-claude");
  dear["max_tokens"] = 1'000'000;  // holds $2 against a $0.0001 budget
  expect_error(post_messages(dear, {{"x-api-key", kBrokeKey}}), 429, "budget_exceeded");
  EXPECT_TRUE(anthropic_.requests().empty());
  EXPECT_TRUE(openai_.requests().empty());
  // privacy_blocked needs a detector finding; the shape is decided by the error alone.
  const ApiError blocked(400, "privacy_blocked", "privacy_blocked", "EMAIL is blocked");
  EXPECT_EQ(anthropic_api::error_body(blocked)["error"]["type"], "privacy_blocked");
  const ApiError other(400, "invalid_request_error", "invalid_value", "bad");
  EXPECT_EQ(anthropic_api::error_body(other)["error"]["type"], "invalid_request_error");
}

TEST_F(MessagesEndpointTest, BearerKeysWorkToo) {
  auto r = post_messages(message("m-openai"), {{"Authorization", std::string("Bearer ") + kMessagesKey}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
}

TEST_F(MessagesEndpointTest, FallsBackBeforeTheFirstEventAndEndsACutStreamWithAnError) {
  FakeOpenAIServer::Reply down;
  down.status = 503;
  down.body = "{}";
  openai_.enqueue(down);
  auto r = post_messages(message("auto", true));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("x-switchboard-target"), "m-claude");
  EXPECT_EQ(events_of(r->body).back().name, "message_stop");

  FakeOpenAIServer::Reply cut;
  cut.sse_events = {R"({"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":"par"}}]})"};
  cut.reset_after_events = true;
  openai_.enqueue(cut);
  const size_t claude_calls = anthropic_.requests().size();
  r = post_messages(message("auto", true));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  auto events = events_of(r->body);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(streamed_text(events), "par");
  EXPECT_EQ(events.back().name, "error");
  EXPECT_EQ(events.back().data["error"]["type"], "api_error");
  for (const auto& e : events) EXPECT_NE(e.name, "message_stop") << "a cut answer must not finish cleanly";
  EXPECT_EQ(anthropic_.requests().size(), claude_calls) << "no fallback once the client has content";
}

// Issue 7.4: only configured hosts are contacted, whatever the request says.
TEST_F(MessagesEndpointTest, NoRequestFieldOrHeaderChoosesTheUpstream) {
  FakeOpenAIServer attacker;
  const std::string elsewhere = attacker.base_url();
  const json redirects = {{"api_base", elsewhere},  {"base_url", elsewhere},
                          {"api_key", "sk-client"}, {"extra_headers", {{"Host", "127.0.0.1"}}},
                          {"extra_body", {{"base_url", elsewhere}}}, {"headers", {{"x-upstream", elsewhere}}},
                          {"url", elsewhere + "/chat/completions"}};
  const httplib::Headers sneaky = {{"Authorization", std::string("Bearer ") + kMessagesKey},
                                   {"X-Forwarded-Host", "127.0.0.1:" + std::to_string(attacker.port())},
                                   {"X-Upstream-Base-Url", elsewhere},
                                   {"OpenAI-Organization", "org-client"}};
  json chat = {{"model", "m-openai"}, {"messages", {{{"role", "user"}, {"content", "ping"}}}}};
  json messages = message("m-openai");
  chat.update(redirects);
  messages.update(redirects);
  for (const auto& [path, body] : {std::pair{"/v1/chat/completions", chat}, std::pair{"/v1/messages", messages}}) {
    auto r = post(path, body, sneaky);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << path << ": " << r->body;
  }
  EXPECT_TRUE(attacker.requests().empty()) << "a host named by the client was contacted";
  auto received = openai_.requests();
  ASSERT_EQ(received.size(), 2u);
  for (const auto& req : received) {
    EXPECT_EQ(req.path, "/v1/chat/completions");
    EXPECT_EQ(req.header("Authorization"), "Bearer sk-configured-openai") << "the client's key never goes upstream";
    EXPECT_EQ(req.header("X-Forwarded-Host"), "");
    EXPECT_EQ(req.header("X-Upstream-Base-Url"), "");
    EXPECT_EQ(req.header("OpenAI-Organization"), "");
    json sent = json::parse(req.body);
    for (const auto& [key, value] : redirects.items()) EXPECT_FALSE(sent.contains(key)) << key << " was forwarded";
    EXPECT_EQ(req.body.find(elsewhere), std::string::npos);
  }
}

}  // namespace
}  // namespace sb::gateway
