#include "connectors/openai/openai_wire.h"

#include <gtest/gtest.h>

#include "connectors/provider.h"

namespace sb::connectors::openai {
namespace {

using nlohmann::json;

std::string param_of_error(const json& body) {
  try {
    parse_request(body);
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.type(), "invalid_request_error");
    return e.param();
  }
  return "<no error>";
}

TEST(OpenAIWire, ParsesAFullRequest) {
  json body = json::parse(R"({
    "model": "auto",
    "messages": [
      {"role": "developer", "content": "be brief"},
      {"role": "user", "content": [{"type": "text", "text": "look: "},
                                   {"type": "image_url", "image_url": {"url": "https://x/y.png", "detail": "low"}}]},
      {"role": "assistant", "content": null,
       "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{\"a\":1}"}}]},
      {"role": "tool", "tool_call_id": "call_1", "content": "42"}
    ],
    "temperature": 0.5, "top_p": 0.9, "max_completion_tokens": 64, "stop": ["\n\n", "END"],
    "seed": 7, "presence_penalty": 0.1, "frequency_penalty": -0.2, "logit_bias": {"50256": -100},
    "stream": true, "stream_options": {"include_usage": true},
    "tools": [{"type": "function", "function": {"name": "f", "description": "d", "parameters": {"type": "object"}}}],
    "tool_choice": "auto", "response_format": {"type": "json_object"}, "user": "u1",
    "api_base": "http://evil.example/v1"
  })");
  ChatRequest r = parse_request(body);
  EXPECT_EQ(r.model, "auto");
  ASSERT_EQ(r.messages.size(), 4u);
  EXPECT_EQ(r.messages[0].role, Role::System);
  ASSERT_EQ(r.messages[1].content.size(), 2u);
  EXPECT_EQ(r.messages[1].content[1].kind, ContentPart::Kind::ImageUrl);
  EXPECT_EQ(r.messages[1].content[1].detail, "low");
  EXPECT_EQ(r.messages[2].tool_calls.at(0).arguments, "{\"a\":1}");
  EXPECT_EQ(r.messages[3].tool_call_id, "call_1");
  EXPECT_EQ(r.max_tokens, 64);
  EXPECT_EQ(r.stop, (std::vector<std::string>{"\n\n", "END"}));
  EXPECT_EQ(r.logit_bias.at(50256), -100);
  EXPECT_TRUE(r.stream);
  EXPECT_TRUE(r.include_usage);
  EXPECT_EQ(r.tools.at(0).name, "f");
  EXPECT_EQ(r.tool_choice, "auto");
  EXPECT_EQ(r.response_format["type"], "json_object");

  json again = request_to_json(r, {});
  EXPECT_EQ(again["max_completion_tokens"], 64);
  EXPECT_FALSE(again.contains("api_base"));  // unknown fields never travel upstream
  EXPECT_EQ(again["messages"][2]["content"], nullptr);
  EXPECT_EQ(again["messages"][1]["content"][1]["image_url"]["url"], "https://x/y.png");
  EXPECT_EQ(again["logit_bias"]["50256"], -100);
  EXPECT_EQ(again["stream_options"]["include_usage"], true);
  EXPECT_EQ(request_to_json(r, {.max_completion_tokens = false})["max_tokens"], 64);
}

TEST(OpenAIWire, RejectsBadParametersNamingThem) {
  const json ok_msgs = json::array({{{"role", "user"}, {"content", "hi"}}});
  EXPECT_EQ(param_of_error(json::array()), "");
  EXPECT_EQ(param_of_error({{"messages", ok_msgs}}), "model");
  EXPECT_EQ(param_of_error({{"model", 3}, {"messages", ok_msgs}}), "model");
  EXPECT_EQ(param_of_error({{"model", "m"}}), "messages");
  EXPECT_EQ(param_of_error({{"model", "m"}, {"messages", json::array()}}), "messages");
  EXPECT_EQ(param_of_error({{"model", "m"}, {"messages", {{{"role", "wizard"}, {"content", "x"}}}}}), "messages[0].role");
  EXPECT_EQ(param_of_error({{"model", "m"}, {"messages", {{{"role", "user"}}}}}), "messages[0].content");
  EXPECT_EQ(param_of_error({{"model", "m"}, {"messages", {{{"role", "tool"}, {"content", "x"}}}}}), "messages[0].tool_call_id");
  EXPECT_EQ(param_of_error({{"model", "m"}, {"messages", ok_msgs}, {"temperature", 3}}), "temperature");
  EXPECT_EQ(param_of_error({{"model", "m"}, {"messages", ok_msgs}, {"temperature", "hot"}}), "temperature");
  EXPECT_EQ(param_of_error({{"model", "m"}, {"messages", ok_msgs}, {"max_tokens", 0}}), "max_tokens");
  EXPECT_EQ(param_of_error({{"model", "m"}, {"messages", ok_msgs}, {"max_tokens", 1.5}}), "max_tokens");
  EXPECT_EQ(param_of_error({{"model", "m"}, {"messages", ok_msgs}, {"stop", {"a", "b", "c", "d", "e"}}}), "stop");
  EXPECT_EQ(param_of_error({{"model", "m"}, {"messages", ok_msgs}, {"logit_bias", {{"abc", 1}}}}), "logit_bias");
  EXPECT_EQ(param_of_error({{"model", "m"}, {"messages", ok_msgs}, {"logit_bias", {{"5", 101}}}}), "logit_bias");
  EXPECT_EQ(param_of_error({{"model", "m"}, {"messages", ok_msgs}, {"stream", "yes"}}), "stream");
  EXPECT_EQ(param_of_error({{"model", "m"}, {"messages", ok_msgs}, {"tools", {{{"type", "retrieval"}}}}}), "tools[0]");
  EXPECT_EQ(param_of_error({{"model", "m"}, {"messages", ok_msgs}, {"n", 0}}), "n");
}

TEST(OpenAIWire, RejectsAMalformedToolChoice) {
  const json ok_msgs = {{{"role", "user"}, {"content", "x"}}};
  const json bad[] = {"sometimes", 3, json::array(), json::object(), {{"name", 5}},
                      {{"type", "function"}, {"function", "f"}}, {{"type", "function"}, {"function", {{"name", 5}}}}};
  for (const auto& choice : bad) {
    EXPECT_EQ(param_of_error({{"model", "m"}, {"messages", ok_msgs}, {"tool_choice", choice}}).rfind("tool_choice", 0), 0u)
        << choice.dump();
  }
  const json good[] = {"auto", "none", "required", {{"type", "function"}, {"function", {{"name", "f"}}}}};
  for (const auto& choice : good)
    EXPECT_EQ(parse_request({{"model", "m"}, {"messages", ok_msgs}, {"tool_choice", choice}}).tool_choice, choice);
}

TEST(OpenAIWire, RejectsMaxTokensAboveTheLimit) {
  const json ok_msgs = {{{"role", "user"}, {"content", "x"}}};
  for (const char* param : {"max_tokens", "max_completion_tokens"}) {
    EXPECT_EQ(param_of_error({{"model", "m"}, {"messages", ok_msgs}, {param, 1'000'001}}), param);
    EXPECT_EQ(param_of_error({{"model", "m"}, {"messages", ok_msgs}, {param, INT64_MAX}}), param);
    EXPECT_EQ(parse_request({{"model", "m"}, {"messages", ok_msgs}, {param, 1'000'000}}).max_tokens, 1'000'000);
  }
}

TEST(OpenAIWire, ResponsesAndChunksRoundTrip) {
  ChatResponse r;
  r.id = "chatcmpl-1";
  r.model = "gpt-4o-mini";
  r.created = 1700000000;
  Choice c;
  c.message.role = Role::Assistant;
  c.message.content.push_back({ContentPart::Kind::Text, "hello", {}, {}});
  c.finish_reason = "stop";
  r.choices.push_back(c);
  r.usage = Usage{10, 2, 4};
  json j = response_to_json(r);
  EXPECT_EQ(j["object"], "chat.completion");
  EXPECT_EQ(j["usage"]["total_tokens"], 12);
  EXPECT_EQ(j["usage"]["prompt_tokens_details"]["cached_tokens"], 4);
  ChatResponse back = parse_response(j);
  EXPECT_EQ(back.choices.at(0).message.text(), "hello");
  EXPECT_EQ(back.usage->cached_prompt_tokens, 4);

  ChatChunk chunk;
  chunk.id = "c";
  chunk.role = Role::Assistant;
  chunk.tool_calls.push_back({0, "call_9", "lookup", "{\"q\":"});
  json cj = chunk_to_json(chunk);
  EXPECT_EQ(cj["object"], "chat.completion.chunk");
  EXPECT_EQ(cj["choices"][0]["delta"]["tool_calls"][0]["function"]["name"], "lookup");
  EXPECT_EQ(cj["choices"][0]["finish_reason"], nullptr);
  ChatChunk cb = parse_chunk(cj);
  EXPECT_EQ(cb.tool_calls.at(0).id, "call_9");
  EXPECT_EQ(cb.tool_calls.at(0).arguments, "{\"q\":");

  ChatChunk usage_only;
  usage_only.usage = Usage{3, 4, 0};
  json uj = chunk_to_json(usage_only);
  EXPECT_TRUE(uj["choices"].empty());
  EXPECT_EQ(uj["usage"]["completion_tokens"], 4);
}

TEST(OpenAIWire, MalformedUpstreamAnswersAreRetriable502s) {
  try {
    parse_response(json{{"id", "x"}});
    FAIL() << "no error";
  } catch (const ProviderError& e) {
    EXPECT_EQ(e.status(), 502);
    EXPECT_TRUE(e.retriable());
    EXPECT_NE(std::string(e.what()).find("'choices' is missing"), std::string::npos);
  }
}

}  // namespace
}  // namespace sb::connectors::openai
