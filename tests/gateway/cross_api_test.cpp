// Every provider kind round-trips chat, streaming and tool calls through both served APIs
// (/v1/chat/completions and /v1/messages), each against its fake upstream speaking the real
// wire format; the upstream receives tools and tool results in its own format.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/fake_anthropic_server.h"
#include "tests/support/fake_gemini_server.h"
#include "tests/support/fake_openai_server.h"
#include "tests/support/sse_payloads.h"
#include "tests/support/test_gateway.h"

namespace sb::gateway {
namespace {

using nlohmann::json;

constexpr const char* kCrossApiKey = "sk-dev-cross-api";
const std::vector<std::string> kModels = {"m-openai", "m-claude", "m-gemini"};

// (event name, data) of an SSE body; OpenAI's data-only events have an empty name.
std::vector<std::pair<std::string, json>> events_of(const std::string& body) {
  std::vector<std::pair<std::string, json>> out;
  for (const auto& e : test::sse_events(body))
    if (e.data != "[DONE]") out.emplace_back(e.event, json::parse(e.data));
  return out;
}

class CrossApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string yaml = R"(
providers:
  - {name: openai-up, kind: openai, base_url: ")" + openai_.base_url() + R"(", api_key: k1, models: [m-openai], max_retries: 0}
  - {name: anthropic-up, kind: anthropic, base_url: ")" + anthropic_.base_url() + R"(", api_key: k2, models: [m-claude], max_retries: 0}
  - {name: gemini-up, kind: gemini, base_url: ")" + gemini_.base_url() + R"(", api_key: k3, models: [m-gemini], max_retries: 0}
prices:
  m-openai: {input: 1, output: 2}
  m-claude: {input: 1, output: 2}
  m-gemini: {input: 1, output: 2}
teams:
  - {name: dev, keys: [)" + std::string(kCrossApiKey) + R"(]}
)";
    gateway_ = std::make_unique<test::TestGateway>(yaml);
  }

  httplib::Result post(const std::string& path, const json& body) { return gateway_->post(path, body, kCrossApiKey); }

  // The next answer of `model`'s upstream is a call of get_weather({"city": "Bergen"}).
  void enqueue_tool_call(const std::string& model, bool stream) {
    if (model == "m-claude") {
      test::FakeAnthropicServer::Reply r;
      r.tool_uses = {{"toolu_1", "get_weather", {{"city", "Bergen"}}}};
      anthropic_.enqueue(r);
    } else if (model == "m-gemini") {
      test::FakeGeminiServer::Reply r;
      r.function_calls = {{"get_weather", {{"city", "Bergen"}}}};
      gemini_.enqueue(r);
    } else {
      test::FakeOpenAIServer::Reply r;
      const json call = {{"id", "call_1"}, {"type", "function"},
                         {"function", {{"name", "get_weather"}, {"arguments", R"({"city":"Bergen"})"}}}};
      if (!stream) {
        r.body = json({{"id", "c1"}, {"object", "chat.completion"}, {"created", 1}, {"model", model},
                       {"choices", {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", nullptr}, {"tool_calls", {call}}}},
                                     {"finish_reason", "tool_calls"}}}},
                       {"usage", {{"prompt_tokens", 30}, {"completion_tokens", 9}, {"total_tokens", 39}}}})
                     .dump();
      } else {
        json delta_call = call;
        delta_call["index"] = 0;
        auto chunk = [&](json delta, json finish) {
          return json({{"id", "c1"}, {"object", "chat.completion.chunk"}, {"created", 1}, {"model", model},
                       {"choices", {{{"index", 0}, {"delta", delta}, {"finish_reason", finish}}}}})
              .dump();
        };
        r.sse_events = {chunk({{"role", "assistant"}, {"tool_calls", {delta_call}}}, nullptr), chunk(json::object(), "tool_calls")};
      }
      openai_.enqueue(r);
    }
  }

  // What `model`'s upstream received last.
  std::string last_upstream_body(const std::string& model) const {
    if (model == "m-claude") return anthropic_.requests().back().body;
    if (model == "m-gemini") return gemini_.requests().back().body;
    return openai_.requests().back().body;
  }

  test::FakeOpenAIServer openai_;
  test::FakeAnthropicServer anthropic_;
  test::FakeGeminiServer gemini_;
  std::unique_ptr<test::TestGateway> gateway_;
};

json openai_tool_request(const std::string& model, bool stream) {
  return {{"model", model},
          {"stream", stream},
          {"max_tokens", 64},
          {"tools", {{{"type", "function"},
                      {"function", {{"name", "get_weather"}, {"parameters", {{"type", "object"}, {"properties", {{"city", {{"type", "string"}}}}}}}}}}}},
          {"messages", json::array({{{"role", "user"}, {"content", "weather in Oslo?"}},
                                    {{"role", "assistant"}, {"content", nullptr},
                                     {"tool_calls", {{{"id", "call_0"}, {"type", "function"},
                                                      {"function", {{"name", "get_weather"}, {"arguments", R"({"city":"Oslo"})"}}}}}}},
                                    {{"role", "tool"}, {"tool_call_id", "call_0"}, {"content", "12C"}},
                                    {{"role", "user"}, {"content", "and Bergen?"}}})}};
}

json anthropic_tool_request(const std::string& model, bool stream) {
  return {{"model", model},
          {"stream", stream},
          {"max_tokens", 64},
          {"tools", {{{"name", "get_weather"}, {"input_schema", {{"type", "object"}, {"properties", {{"city", {{"type", "string"}}}}}}}}}},
          {"messages", json::array({{{"role", "user"}, {"content", "weather in Oslo?"}},
                                    {{"role", "assistant"}, {"content", {{{"type", "tool_use"}, {"id", "call_0"}, {"name", "get_weather"},
                                                                         {"input", {{"city", "Oslo"}}}}}}},
                                    {{"role", "user"}, {"content", {{{"type", "tool_result"}, {"tool_use_id", "call_0"}, {"content", "12C"}},
                                                                    {{"type", "text"}, {"text", "and Bergen?"}}}}}})}};
}

// The upstream got the tool definition and the earlier call's result in its own format.
void expect_tools_translated(const std::string& model, const std::string& upstream) {
  const json sent = json::parse(upstream);
  if (model == "m-claude") {
    EXPECT_EQ(sent["tools"][0]["name"], "get_weather") << upstream;
    EXPECT_NE(upstream.find("\"tool_result\""), std::string::npos) << upstream;
    EXPECT_NE(upstream.find("\"tool_use\""), std::string::npos) << upstream;
  } else if (model == "m-gemini") {
    EXPECT_EQ(sent["tools"][0]["functionDeclarations"][0]["name"], "get_weather") << upstream;
    EXPECT_NE(upstream.find("\"functionResponse\""), std::string::npos) << upstream;
    EXPECT_NE(upstream.find("\"functionCall\""), std::string::npos) << upstream;
  } else {
    EXPECT_EQ(sent["tools"][0]["function"]["name"], "get_weather") << upstream;
    EXPECT_NE(upstream.find("\"tool_call_id\""), std::string::npos) << upstream;
  }
  EXPECT_NE(upstream.find("12C"), std::string::npos) << upstream;
}

TEST_F(CrossApiTest, ChatCompletionsReachEveryKindOfTargetWholeAndStreamed) {
  for (const auto& model : kModels) {
    SCOPED_TRACE(model);
    const json body = {{"model", model}, {"messages", {{{"role", "user"}, {"content", "ping"}}}},
                       {"stream_options", {{"include_usage", true}}}};
    auto whole = post("/v1/chat/completions", body);
    ASSERT_TRUE(whole);
    ASSERT_EQ(whole->status, 200) << whole->body;
    const json answer = json::parse(whole->body);
    EXPECT_EQ(answer["choices"][0]["message"]["content"], "echo: ping");
    EXPECT_EQ(answer["usage"]["prompt_tokens"], 11);
    EXPECT_EQ(answer["usage"]["completion_tokens"], 7);
    json streaming = body;
    streaming["stream"] = true;
    auto streamed = post("/v1/chat/completions", streaming);
    ASSERT_TRUE(streamed);
    ASSERT_EQ(streamed->status, 200) << streamed->body;
    std::string text;
    json usage;
    for (const auto& [name, chunk] : events_of(streamed->body)) {
      if (!chunk["choices"].empty()) text += chunk["choices"][0]["delta"].value("content", "");
      if (chunk.contains("usage") && !chunk["usage"].is_null()) usage = chunk["usage"];
    }
    EXPECT_EQ(text, "echo: ping");
    EXPECT_EQ(usage["completion_tokens"], 7) << streamed->body;
    EXPECT_NE(streamed->body.find("data: [DONE]"), std::string::npos);
  }
}

TEST_F(CrossApiTest, ToolCallsRoundTripThroughChatCompletions) {
  for (const auto& model : kModels)
    for (bool stream : {false, true}) {
      SCOPED_TRACE(model + (stream ? " streamed" : " whole"));
      enqueue_tool_call(model, stream);
      auto res = post("/v1/chat/completions", openai_tool_request(model, stream));
      ASSERT_TRUE(res);
      ASSERT_EQ(res->status, 200) << res->body;
      expect_tools_translated(model, last_upstream_body(model));
      std::string name, arguments, finish;
      if (!stream) {
        const json choice = json::parse(res->body)["choices"][0];
        name = choice["message"]["tool_calls"][0]["function"]["name"];
        arguments = choice["message"]["tool_calls"][0]["function"]["arguments"];
        finish = choice["finish_reason"];
      } else {
        for (const auto& [event, chunk] : events_of(res->body)) {
          if (chunk["choices"].empty()) continue;
          const json& choice = chunk["choices"][0];
          if (choice.contains("delta") && choice["delta"].contains("tool_calls"))
            for (const auto& d : choice["delta"]["tool_calls"]) {
              if (d.contains("function") && d["function"].contains("name")) name += d["function"]["name"].get<std::string>();
              if (d.contains("function") && d["function"].contains("arguments"))
                arguments += d["function"]["arguments"].get<std::string>();
            }
          if (!choice["finish_reason"].is_null()) finish = choice["finish_reason"];
        }
      }
      EXPECT_EQ(name, "get_weather") << res->body;
      EXPECT_EQ(json::parse(arguments), json({{"city", "Bergen"}})) << res->body;
      EXPECT_EQ(finish, "tool_calls") << res->body;
    }
}

TEST_F(CrossApiTest, ToolUseRoundTripsThroughMessages) {
  for (const auto& model : kModels)
    for (bool stream : {false, true}) {
      SCOPED_TRACE(model + (stream ? " streamed" : " whole"));
      enqueue_tool_call(model, stream);
      auto res = post("/v1/messages", anthropic_tool_request(model, stream));
      ASSERT_TRUE(res);
      ASSERT_EQ(res->status, 200) << res->body;
      expect_tools_translated(model, last_upstream_body(model));
      std::string name, input_json, stop_reason;
      if (!stream) {
        const json m = json::parse(res->body);
        for (const auto& block : m["content"])
          if (block["type"] == "tool_use") {
            name = block["name"];
            input_json = block["input"].dump();
          }
        stop_reason = m["stop_reason"];
      } else {
        for (const auto& [event, data] : events_of(res->body)) {
          if (event == "content_block_start" && data["content_block"]["type"] == "tool_use")
            name = data["content_block"]["name"];
          if (event == "content_block_delta" && data["delta"]["type"] == "input_json_delta")
            input_json += data["delta"]["partial_json"].get<std::string>();
          if (event == "message_delta") stop_reason = data["delta"]["stop_reason"];
        }
      }
      EXPECT_EQ(name, "get_weather") << res->body;
      EXPECT_EQ(json::parse(input_json), json({{"city", "Bergen"}})) << res->body;
      EXPECT_EQ(stop_reason, "tool_use") << res->body;
    }
}

}  // namespace
}  // namespace sb::gateway
