// The Anthropic Messages wire format served by the gateway: request parsing, the whole
// message, and the event stream, without HTTP.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "connectors/sse_parser.h"
#include "gateway/anthropic_api/anthropic_errors.h"
#include "gateway/anthropic_api/messages_request.h"
#include "gateway/anthropic_api/messages_response.h"
#include "gateway/anthropic_api/messages_stream.h"

namespace sb::gateway::anthropic_api {
namespace {

using nlohmann::json;

ApiError error_of(const json& body) {
  try {
    parse_request(body);
  } catch (const ApiError& e) {
    return e;
  }
  return ApiError(0, "", "", "no error");
}

json minimal() { return {{"model", "auto"}, {"max_tokens", 32}, {"messages", {{{"role", "user"}, {"content", "hi"}}}}}; }

TEST(MessagesRequest, MinimalRequest) {
  ChatRequest r = parse_request(minimal());
  EXPECT_EQ(r.model, "auto");
  EXPECT_EQ(r.max_tokens, 32);
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].role, Role::User);
  EXPECT_EQ(r.messages[0].text(), "hi");
  EXPECT_FALSE(r.stream);
}

TEST(MessagesRequest, SystemSamplingStopAndMetadata) {
  json body = minimal();
  body["system"] = json::array({{{"type", "text"}, {"text", "be "}}, {{"type", "text"}, {"text", "brief"}, {"cache_control", {{"type", "ephemeral"}}}}});
  body["temperature"] = 0.3;
  body["top_p"] = 0.9;
  body["top_k"] = 40;
  body["stop_sequences"] = {"END", "STOP"};
  body["stream"] = true;
  body["metadata"] = {{"user_id", "u-1"}};
  ChatRequest r = parse_request(body);
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0].role, Role::System);
  EXPECT_EQ(r.messages[0].text(), "be brief");
  EXPECT_EQ(r.temperature, 0.3);
  EXPECT_EQ(r.top_p, 0.9);
  EXPECT_EQ(r.stop, (std::vector<std::string>{"END", "STOP"}));
  EXPECT_TRUE(r.stream);
  EXPECT_EQ(r.user, "u-1");
}

TEST(MessagesRequest, ImagesToolUseAndToolResults) {
  json body = minimal();
  body["messages"] = json::array({
      {{"role", "user"},
       {"content",
        {{{"type", "text"}, {"text", "weather here?"}},
         {{"type", "image"}, {"source", {{"type", "base64"}, {"media_type", "image/png"}, {"data", "iVBO"}}}},
         {{"type", "image"}, {"source", {{"type", "url"}, {"url", "https://example.com/a.jpg"}}}}}}},
      {{"role", "assistant"},
       {"content",
        {{{"type", "thinking"}, {"thinking", "hmm"}, {"signature", "s"}},
         {{"type", "text"}, {"text", "Checking."}},
         {{"type", "tool_use"}, {"id", "toolu_1"}, {"name", "get_weather"}, {"input", {{"city", "Oslo"}}}}}}},
      {{"role", "user"},
       {"content",
        {{{"type", "tool_result"}, {"tool_use_id", "toolu_1"}, {"content", "12C"}},
         {{"type", "text"}, {"text", "and tomorrow?"}}}}},
  });
  body["tools"] = {{{"name", "get_weather"}, {"description", "Weather by city"},
                    {"input_schema", {{"type", "object"}, {"properties", {{"city", {{"type", "string"}}}}}}}}};
  body["tool_choice"] = {{"type", "tool"}, {"name", "get_weather"}};
  ChatRequest r = parse_request(body);
  ASSERT_EQ(r.messages.size(), 4u);
  const Message& user = r.messages[0];
  ASSERT_EQ(user.content.size(), 3u);
  EXPECT_EQ(user.content[1].kind, ContentPart::Kind::ImageUrl);
  EXPECT_EQ(user.content[1].image_url, "data:image/png;base64,iVBO");
  EXPECT_EQ(user.content[2].image_url, "https://example.com/a.jpg");
  const Message& assistant = r.messages[1];
  EXPECT_EQ(assistant.role, Role::Assistant);
  EXPECT_EQ(assistant.text(), "Checking.");  // the thinking block is dropped
  ASSERT_EQ(assistant.tool_calls.size(), 1u);
  EXPECT_EQ(assistant.tool_calls[0].id, "toolu_1");
  EXPECT_EQ(json::parse(assistant.tool_calls[0].arguments), json({{"city", "Oslo"}}));
  EXPECT_EQ(r.messages[2].role, Role::Tool);
  EXPECT_EQ(r.messages[2].tool_call_id, "toolu_1");
  EXPECT_EQ(r.messages[2].text(), "12C");
  EXPECT_EQ(r.messages[3].role, Role::User);
  EXPECT_EQ(r.messages[3].text(), "and tomorrow?");
  ASSERT_EQ(r.tools.size(), 1u);
  EXPECT_EQ(r.tools[0].name, "get_weather");
  EXPECT_EQ(r.tools[0].parameters["type"], "object");
  EXPECT_EQ(r.tool_choice, json({{"type", "function"}, {"function", {{"name", "get_weather"}}}}));
}

TEST(MessagesRequest, ToolChoiceKinds) {
  json body = minimal();
  body["tool_choice"] = {{"type", "any"}};
  EXPECT_EQ(parse_request(body).tool_choice, "required");
  body["tool_choice"] = {{"type", "auto"}, {"disable_parallel_tool_use", true}};
  EXPECT_EQ(parse_request(body).tool_choice, "auto");
  body["tool_choice"] = {{"type", "none"}};
  EXPECT_EQ(parse_request(body).tool_choice, "none");
}

TEST(MessagesRequest, InvalidRequestsNameTheField) {
  struct Case {
    std::function<void(json&)> change;
    std::string param;
  };
  const Case cases[] = {
      {[](json& b) { b.erase("max_tokens"); }, "max_tokens"},
      {[](json& b) { b["max_tokens"] = 0; }, "max_tokens"},
      {[](json& b) { b["max_tokens"] = 1'000'001; }, "max_tokens"},
      {[](json& b) { b["max_tokens"] = INT64_MAX; }, "max_tokens"},
      {[](json& b) { b["system"] = {{{"type", 1}, {"text", "x"}}}; }, "system.0.type"},
      {[](json& b) { b["system"] = {{{"type", "image"}, {"text", "x"}}}; }, "system.0.type"},
      {[](json& b) { b["system"] = {{{"type", "text"}, {"text", 1}}}; }, "system.0.text"},
      {[](json& b) { b["system"] = 5; }, "system"},
      {[](json& b) { b.erase("model"); }, "model"},
      {[](json& b) { b["messages"] = json::array(); }, "messages"},
      {[](json& b) { b["messages"][0]["role"] = "system"; }, "messages.0.role"},
      {[](json& b) { b["messages"][0]["content"] = {{{"type", "document"}}}; }, "messages.0.content.0.type"},
      {[](json& b) { b["temperature"] = 1.5; }, "temperature"},
      {[](json& b) { b["top_k"] = -1; }, "top_k"},
      {[](json& b) { b["stream"] = "yes"; }, "stream"},
      {[](json& b) { b["tools"] = {{{"type", "web_search_20250305"}, {"name", "web_search"}}}; }, "tools.0.type"},
      {[](json& b) { b["tools"] = {{{"name", "f"}}}; }, "tools.0.input_schema"},
      {[](json& b) { b["tool_choice"] = {{"type", "tool"}}; }, "tool_choice.name"},
      {[](json& b) { b["stop_sequences"] = {1}; }, "stop_sequences.0"},
  };
  for (const auto& c : cases) {
    json body = minimal();
    c.change(body);
    ApiError e = error_of(body);
    EXPECT_EQ(e.status(), 400) << c.param;
    EXPECT_EQ(e.type(), "invalid_request_error") << c.param;
    EXPECT_EQ(e.param(), c.param) << e.what();
  }
  EXPECT_EQ(error_of(json::array()).status(), 400);
  json at_limit = minimal();
  at_limit["max_tokens"] = 1'000'000;
  EXPECT_EQ(parse_request(at_limit).max_tokens, 1'000'000);
}

TEST(MessagesRequest, FieldsThatWouldRedirectTheCallAreIgnored) {
  json body = minimal();
  body["base_url"] = "http://attacker.example";
  body["api_base"] = "http://attacker.example";
  body["extra_headers"] = {{"Host", "attacker.example"}};
  ChatRequest r = parse_request(body);
  EXPECT_EQ(r.model, "auto");  // parsed as usual; nothing of those fields is kept
}

ChatResponse answer(std::vector<ToolCall> calls, std::string finish) {
  ChatResponse r;
  r.model = "m-up";
  Choice c;
  c.message.role = Role::Assistant;
  c.message.content.push_back({ContentPart::Kind::Text, "Let me check.", {}, {}});
  c.message.tool_calls = std::move(calls);
  c.finish_reason = std::move(finish);
  r.choices.push_back(std::move(c));
  r.usage = Usage{100, 20, 30, 10};
  return r;
}

TEST(MessagesResponse, WholeMessage) {
  json m = message_to_json(answer({{"call_1", "get_weather", R"({"city":"Oslo"})"}}, "tool_calls"), "msg_1");
  EXPECT_EQ(m["id"], "msg_1");
  EXPECT_EQ(m["type"], "message");
  EXPECT_EQ(m["role"], "assistant");
  EXPECT_EQ(m["model"], "m-up");
  ASSERT_EQ(m["content"].size(), 2u);
  EXPECT_EQ(m["content"][0], json({{"type", "text"}, {"text", "Let me check."}}));
  EXPECT_EQ(m["content"][1], json({{"type", "tool_use"}, {"id", "call_1"}, {"name", "get_weather"}, {"input", {{"city", "Oslo"}}}}));
  EXPECT_EQ(m["stop_reason"], "tool_use");
  EXPECT_TRUE(m["stop_sequence"].is_null());
  EXPECT_EQ(m["usage"], json({{"input_tokens", 60}, {"output_tokens", 20},
                              {"cache_creation_input_tokens", 10}, {"cache_read_input_tokens", 30}}));
}

TEST(MessagesResponse, StopReasonsAndOddToolArguments) {
  EXPECT_EQ(stop_reason("stop"), "end_turn");
  EXPECT_EQ(stop_reason("length"), "max_tokens");
  EXPECT_EQ(stop_reason("tool_calls"), "tool_use");
  EXPECT_EQ(stop_reason("content_filter"), "refusal");
  EXPECT_EQ(stop_reason(""), "end_turn");
  EXPECT_EQ(tool_input(""), json::object());
  EXPECT_EQ(tool_input("[1,2"), json({{"_raw", "[1,2"}}));
}

TEST(AnthropicErrors, TypesByStatus) {
  const std::pair<int, const char*> cases[] = {
      {400, "invalid_request_error"}, {401, "authentication_error"}, {403, "permission_error"},
      {404, "not_found_error"},       {413, "request_too_large"},    {429, "rate_limit_error"},
      {500, "api_error"},             {502, "api_error"},            {503, "overloaded_error"},
      {529, "overloaded_error"},      {504, "api_error"},            {409, "invalid_request_error"}};
  for (const auto& [status, type] : cases) EXPECT_EQ(error_type(status), type) << status;
  json body = error_body(ApiError(429, "rate_limit_error", "budget_exceeded", "over budget"));
  EXPECT_EQ(body, json({{"type", "error"}, {"error", {{"type", "rate_limit_error"}, {"message", "over budget"}}}}));
}

// Events of an encoded stream as (name, data).
std::vector<std::pair<std::string, json>> events_of(const std::string& sse) {
  std::vector<std::pair<std::string, json>> out;
  connectors::SseParser parser([&](const connectors::SseEvent& e) {
    out.emplace_back(e.event, json::parse(e.data));
    return true;
  });
  parser.feed(sse);
  return out;
}

std::vector<std::string> names_of(const std::vector<std::pair<std::string, json>>& events) {
  std::vector<std::string> names;
  for (const auto& [name, data] : events) {
    EXPECT_EQ(data["type"], name) << "the data's type repeats the event name";
    names.push_back(name);
  }
  return names;
}

ChatChunk text_chunk(std::string text) {
  ChatChunk c;
  c.model = "m-up";
  c.content = std::move(text);
  return c;
}

ChatChunk tool_chunk(int index, std::string id, std::string name, std::string args) {
  ChatChunk c;
  c.tool_calls.push_back({index, std::move(id), std::move(name), std::move(args)});
  return c;
}

TEST(MessagesStream, TextThenToolCallsThenFinish) {
  MessagesStreamEncoder encoder("msg_9", "auto");
  ChatChunk role;
  role.role = Role::Assistant;
  role.model = "m-up";
  std::string sse = encoder.chunk(role);
  sse += encoder.chunk(text_chunk("Hel"));
  sse += encoder.chunk(text_chunk("lo"));
  sse += encoder.chunk(tool_chunk(0, "call_a", "f", "{\"x\":"));
  sse += encoder.chunk(tool_chunk(0, "", "", "1}"));
  sse += encoder.chunk(tool_chunk(1, "call_b", "g", ""));
  ChatChunk finish;
  finish.finish_reason = "tool_calls";
  sse += encoder.chunk(finish);
  connectors::StreamResult result;
  result.usage = Usage{50, 9, 0, 0};
  sse += encoder.finish(result);

  auto events = events_of(sse);
  EXPECT_EQ(names_of(events),
            (std::vector<std::string>{"message_start", "content_block_start", "content_block_delta",
                                      "content_block_delta", "content_block_stop", "content_block_start",
                                      "content_block_delta", "content_block_delta", "content_block_stop",
                                      "content_block_start", "content_block_stop", "message_delta", "message_stop"}));
  const json& start = events[0].second["message"];
  EXPECT_EQ(start["id"], "msg_9");
  EXPECT_EQ(start["model"], "m-up");
  EXPECT_EQ(start["role"], "assistant");
  EXPECT_EQ(start["content"], json::array());
  EXPECT_EQ(events[1].second["content_block"], json({{"type", "text"}, {"text", ""}}));
  EXPECT_EQ(events[2].second["delta"], json({{"type", "text_delta"}, {"text", "Hel"}}));
  EXPECT_EQ(events[4].second["index"], 0);
  EXPECT_EQ(events[5].second["index"], 1);
  EXPECT_EQ(events[5].second["content_block"],
            json({{"type", "tool_use"}, {"id", "call_a"}, {"name", "f"}, {"input", json::object()}}));
  EXPECT_EQ(events[6].second["delta"], json({{"type", "input_json_delta"}, {"partial_json", "{\"x\":"}}));
  EXPECT_EQ(events[7].second["delta"]["partial_json"], "1}");
  EXPECT_EQ(events[9].second["index"], 2);
  EXPECT_EQ(events[9].second["content_block"]["id"], "call_b");
  EXPECT_EQ(events[11].second["delta"]["stop_reason"], "tool_use");
  EXPECT_EQ(events[11].second["usage"]["output_tokens"], 9);
  EXPECT_EQ(events[11].second["usage"]["input_tokens"], 50);
}

TEST(MessagesStream, AFailureAfterTheStartIsAnErrorEventAndNoMessageStop) {
  MessagesStreamEncoder encoder("msg_9", "auto");
  std::string sse = encoder.chunk(text_chunk("par"));
  sse += encoder.error(ApiError(502, "upstream_error", "upstream_stream_truncated", "cut"));
  auto events = events_of(sse);
  EXPECT_EQ(names_of(events),
            (std::vector<std::string>{"message_start", "content_block_start", "content_block_delta", "error"}));
  EXPECT_EQ(events.back().second["error"], json({{"type", "api_error"}, {"message", "cut"}}));
}

}  // namespace
}  // namespace sb::gateway::anthropic_api
