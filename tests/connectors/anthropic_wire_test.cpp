#include "connectors/anthropic/anthropic_wire.h"

#include <gtest/gtest.h>

#include "connectors/provider.h"
#include "tests/connectors/chat_builders.h"

namespace sb::connectors::anthropic {
namespace {

using nlohmann::json;
using test::message;
using test::text;
using test::tool_result;

ContentPart image(const std::string& url) { return {ContentPart::Kind::ImageUrl, {}, url, "high"}; }

ChatRequest conversation() {
  ChatRequest r;
  r.model = "claude-haiku-4-5";
  r.messages.push_back(message(Role::System, {text("be brief")}));
  r.messages.push_back(message(Role::System, {text("answer in French")}));
  r.messages.push_back(message(Role::User, {text("what is in "), image("data:image/png;base64,iVBORw0KGgo="),
                                            image("https://example.com/cat.jpg")}));
  Message call = message(Role::Assistant, {text("let me look")});
  call.tool_calls = {{"toolu_1", "lookup", R"({"q":"cat"})"}, {"toolu_2", "weather", ""}};
  r.messages.push_back(call);
  r.messages.push_back(tool_result("toolu_1", "a cat"));
  r.messages.push_back(tool_result("toolu_2", "sunny"));
  r.messages.push_back(message(Role::User, {text("thanks")}));
  r.tools = {{"lookup", "finds things", json{{"type", "object"}, {"properties", {{"q", {{"type", "string"}}}}}}},
             {"weather", "", json::object()}};
  r.tool_choice = "required";
  r.temperature = 1.5;
  r.top_p = 0.9;
  r.stop = {"END"};
  r.user = "team-a";
  r.seed = 3;  // no Anthropic equivalent
  return r;
}

TEST(AnthropicWire, TranslatesAWholeConversation) {
  json expected = json::parse(R"({
    "model": "claude-haiku-4-5",
    "max_tokens": 4096,
    "system": "be brief\n\nanswer in French",
    "messages": [
      {"role": "user", "content": [
        {"type": "text", "text": "what is in "},
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
        {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.jpg"}}]},
      {"role": "assistant", "content": [
        {"type": "text", "text": "let me look"},
        {"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": {"q": "cat"}},
        {"type": "tool_use", "id": "toolu_2", "name": "weather", "input": {}}]},
      {"role": "user", "content": [
        {"type": "tool_result", "tool_use_id": "toolu_1", "content": "a cat"},
        {"type": "tool_result", "tool_use_id": "toolu_2", "content": "sunny"},
        {"type": "text", "text": "thanks"}]}
    ],
    "temperature": 1.0,
    "top_p": 0.9,
    "stop_sequences": ["END"],
    "tools": [
      {"name": "lookup", "description": "finds things",
       "input_schema": {"type": "object", "properties": {"q": {"type": "string"}}}},
      {"name": "weather", "input_schema": {"type": "object", "properties": {}}}],
    "tool_choice": {"type": "any"},
    "metadata": {"user_id": "team-a"}
  })");
  EXPECT_EQ(request_to_json(conversation()), expected) << request_to_json(conversation()).dump(2);
}

TEST(AnthropicWire, ClientLimitsAndStreamFlagAreSent) {
  ChatRequest r = conversation();
  r.max_tokens = 77;
  r.stream = true;
  json body = request_to_json(r);
  EXPECT_EQ(body["max_tokens"], 77);
  EXPECT_EQ(body["stream"], true);
  r.max_tokens.reset();
  EXPECT_EQ(request_to_json(r, {.default_max_tokens = 1000})["max_tokens"], 1000);
}

TEST(AnthropicWire, MapsToolChoice) {
  ChatRequest r = conversation();
  const std::pair<json, json> cases[] = {
      {"auto", {{"type", "auto"}}},
      {"none", {{"type", "none"}}},
      {"required", {{"type", "any"}}},
      {{{"type", "function"}, {"function", {{"name", "lookup"}}}}, {{"type", "tool"}, {"name", "lookup"}}},
      // Malformed (parse_request refuses it from clients): never a json type_error here.
      {{{"type", "function"}, {"function", {{"name", 5}}}}, {{"type", "auto"}}}};
  for (const auto& [neutral, anthropic] : cases) {
    r.tool_choice = neutral;
    EXPECT_EQ(request_to_json(r)["tool_choice"], anthropic) << neutral.dump();
  }
  r.tools.clear();
  EXPECT_FALSE(request_to_json(r).contains("tool_choice")) << "tool_choice without tools is rejected upstream";
}

TEST(AnthropicWire, ToolResultWithAnImageKeepsBlocks) {
  ChatRequest r;
  r.model = "m";
  Message call = message(Role::Assistant, {});
  call.tool_calls = {{"toolu_9", "screenshot", "{}"}};
  r.messages = {message(Role::User, {text("shoot")}), call};
  Message result = tool_result("toolu_9", "here: ");
  result.content.push_back(image("data:image/jpeg;base64,/9j/"));
  r.messages.push_back(result);
  json content = request_to_json(r)["messages"][2]["content"][0]["content"];
  ASSERT_TRUE(content.is_array());
  EXPECT_EQ(content[1]["source"]["media_type"], "image/jpeg");
}

TEST(AnthropicWire, RefusesWhatAnthropicCannotDo) {
  ChatRequest r = conversation();
  r.n = 2;
  try {
    request_to_json(r);
    FAIL() << "n > 1 must be refused";
  } catch (const ProviderError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_TRUE(e.retriable()) << "another target may serve n > 1";
  }
  r.n = 1;
  r.messages[3].tool_calls[0].arguments = "[1, 2]";
  try {
    request_to_json(r);
    FAIL() << "arguments that are not an object must be refused";
  } catch (const ProviderError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.code(), "invalid_tool_arguments");
    EXPECT_FALSE(e.retriable());
  }
}

TEST(AnthropicWire, ParsesAMessageWithToolUseSkippingThinking) {
  json body = json::parse(R"({
    "id": "msg_01", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
    "content": [
      {"type": "thinking", "thinking": "hmm", "signature": "abc"},
      {"type": "text", "text": "Checking. "},
      {"type": "text", "text": "One moment."},
      {"type": "tool_use", "id": "toolu_7", "name": "lookup", "input": {"q": "cat", "n": 2}}],
    "stop_reason": "tool_use", "stop_sequence": null,
    "usage": {"input_tokens": 100, "output_tokens": 20, "cache_creation_input_tokens": 30,
              "cache_read_input_tokens": 400}
  })");
  ChatResponse r = parse_response(body);
  EXPECT_EQ(r.id, "msg_01");
  EXPECT_EQ(r.model, "claude-sonnet-4-5");
  ASSERT_EQ(r.choices.size(), 1u);
  EXPECT_EQ(r.choices[0].message.role, Role::Assistant);
  EXPECT_EQ(r.choices[0].message.text(), "Checking. One moment.");
  ASSERT_EQ(r.choices[0].message.tool_calls.size(), 1u);
  EXPECT_EQ(r.choices[0].message.tool_calls[0].id, "toolu_7");
  EXPECT_EQ(json::parse(r.choices[0].message.tool_calls[0].arguments), json({{"q", "cat"}, {"n", 2}}));
  EXPECT_EQ(r.choices[0].finish_reason, "tool_calls");
  ASSERT_TRUE(r.usage);
  EXPECT_EQ(r.usage->prompt_tokens, 530);
  EXPECT_EQ(r.usage->cached_prompt_tokens, 400);
  EXPECT_EQ(r.usage->cache_write_prompt_tokens, 30);
  EXPECT_EQ(r.usage->completion_tokens, 20);
}

TEST(AnthropicWire, MissingUsageStaysMissing) {
  ChatResponse r = parse_response(json::parse(R"({"id":"m","content":[{"type":"text","text":"x"}],"stop_reason":"end_turn"})"));
  EXPECT_FALSE(r.usage);
}

TEST(AnthropicWire, MalformedAnswersAreRetriable502) {
  for (const char* body : {R"([1])", R"({"id":"m"})", R"({"content":[{"type":"text","text":5}]})",
                           R"({"content":[],"usage":{"input_tokens":"many"}})"}) {
    try {
      parse_response(json::parse(body));
      ADD_FAILURE() << body;
    } catch (const ProviderError& e) {
      EXPECT_EQ(e.status(), 502) << body;
      EXPECT_EQ(e.code(), "bad_upstream_response");
      EXPECT_TRUE(e.retriable());
    }
  }
}

TEST(AnthropicWire, MapsStopReasonsAndErrorTypes) {
  EXPECT_EQ(finish_reason("end_turn"), "stop");
  EXPECT_EQ(finish_reason("stop_sequence"), "stop");
  EXPECT_EQ(finish_reason("max_tokens"), "length");
  EXPECT_EQ(finish_reason("tool_use"), "tool_calls");
  EXPECT_EQ(finish_reason("refusal"), "content_filter");
  EXPECT_EQ(finish_reason("pause_turn"), "stop");
  EXPECT_EQ(status_for_error_type("overloaded_error"), 529);
  EXPECT_EQ(status_for_error_type("rate_limit_error"), 429);
  EXPECT_EQ(status_for_error_type("authentication_error"), 401);
  EXPECT_EQ(status_for_error_type("invalid_request_error"), 400);
  EXPECT_EQ(status_for_error_type("api_error"), 500);
  EXPECT_EQ(status_for_error_type("something_new"), 500);
}

TEST(AnthropicWire, DecodesAStreamWithTextThinkingAndToolUse) {
  const char* events[] = {
      R"({"type":"message_start","message":{"id":"msg_s","type":"message","role":"assistant","model":"claude-x","content":[],
          "usage":{"input_tokens":50,"cache_read_input_tokens":10,"cache_creation_input_tokens":0,"output_tokens":1}}})",
      R"({"type":"ping"})",
      R"({"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}})",
      R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm"}})",
      R"({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"s"}})",
      R"({"type":"content_block_stop","index":0})",
      R"({"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}})",
      R"({"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hi"}})",
      R"({"type":"content_block_stop","index":1})",
      R"({"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_a","name":"f","input":{}}})",
      R"({"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":""}})",
      R"({"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"x\":"}})",
      R"({"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"1}"}})",
      R"({"type":"content_block_stop","index":2})",
      R"({"type":"content_block_start","index":3,"content_block":{"type":"tool_use","id":"toolu_b","name":"g","input":{}}})",
      R"({"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":42}})",
      R"({"type":"some_future_event"})",
      R"({"type":"message_stop"})"};
  StreamDecoder decoder;
  std::vector<ChatChunk> chunks;
  for (const char* e : events) {
    EXPECT_FALSE(decoder.finished());
    if (auto c = decoder.decode(json::parse(e))) chunks.push_back(*c);
  }
  EXPECT_TRUE(decoder.finished());
  ASSERT_EQ(chunks.size(), 7u);
  EXPECT_EQ(chunks[0].role, Role::Assistant);
  EXPECT_EQ(chunks[0].id, "msg_s");
  EXPECT_EQ(chunks[0].model, "claude-x");
  EXPECT_EQ(chunks[1].content, "Hi");
  ASSERT_EQ(chunks[2].tool_calls.size(), 1u);
  EXPECT_EQ(chunks[2].tool_calls[0].index, 0);
  EXPECT_EQ(chunks[2].tool_calls[0].id, "toolu_a");
  EXPECT_EQ(chunks[2].tool_calls[0].name, "f");
  EXPECT_EQ(chunks[3].tool_calls[0].arguments, "{\"x\":");
  EXPECT_EQ(chunks[4].tool_calls[0].arguments, "1}");
  EXPECT_TRUE(chunks[4].tool_calls[0].id.empty());
  EXPECT_EQ(chunks[5].tool_calls[0].index, 1) << "the second tool call, though it is block 3";
  EXPECT_EQ(chunks[5].tool_calls[0].id, "toolu_b");
  EXPECT_EQ(chunks[6].finish_reason, "tool_calls");
  EXPECT_EQ(decoder.finish_reason(), "tool_calls");
  ASSERT_TRUE(decoder.usage());
  EXPECT_EQ(decoder.usage()->prompt_tokens, 60);
  EXPECT_EQ(decoder.usage()->cached_prompt_tokens, 10);
  EXPECT_EQ(decoder.usage()->completion_tokens, 42) << "message_delta's cumulative count wins";
}

TEST(AnthropicWire, StreamWithoutUsageHasNone) {
  StreamDecoder decoder;
  decoder.decode(json::parse(R"({"type":"message_start","message":{"id":"m","model":"c","content":[]}})"));
  decoder.decode(json::parse(R"({"type":"message_delta","delta":{"stop_reason":"end_turn"}})"));
  decoder.decode(json::parse(R"({"type":"message_stop"})"));
  EXPECT_TRUE(decoder.finished());
  EXPECT_FALSE(decoder.usage());
  EXPECT_EQ(decoder.finish_reason(), "stop");
}

TEST(AnthropicWire, StreamErrorEventIsKept) {
  StreamDecoder decoder;
  json error = json::parse(R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
  EXPECT_FALSE(decoder.decode(error));
  ASSERT_TRUE(decoder.error());
  EXPECT_EQ(*decoder.error(), error);
  EXPECT_FALSE(decoder.finished());
}

TEST(AnthropicWire, JsonDeltaForAnUnknownBlockIsMalformed) {
  StreamDecoder decoder;
  EXPECT_THROW(decoder.decode(json::parse(
                   R"({"type":"content_block_delta","index":4,"delta":{"type":"input_json_delta","partial_json":"{"}})")),
               ProviderError);
}

}  // namespace
}  // namespace sb::connectors::anthropic
