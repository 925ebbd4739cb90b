#include "connectors/gemini/gemini_wire.h"

#include <gtest/gtest.h>

#include "connectors/provider.h"
#include "tests/connectors/chat_builders.h"

namespace sb::connectors::gemini {
namespace {

using nlohmann::json;
using test::message;
using test::text;
using test::tool_result;

ContentPart image(const std::string& url) { return {ContentPart::Kind::ImageUrl, {}, url, {}}; }

ChatRequest conversation() {
  ChatRequest r;
  r.model = "gemini-2.5-flash";
  r.messages.push_back(message(Role::System, {text("be brief")}));
  r.messages.push_back(message(Role::User, {text("describe "), image("data:image/webp;base64,UklGRg=="),
                                            image("https://example.com/a.png")}));
  Message call = message(Role::Assistant, {});
  call.tool_calls = {{"call_0", "lookup", R"({"q":"cat"})"}, {"call_1", "weather", ""}};
  r.messages.push_back(call);
  r.messages.push_back(tool_result("call_0", R"({"found": true})"));
  r.messages.push_back(tool_result("call_1", "sunny"));
  r.messages.push_back(message(Role::Assistant, {text("It is sunny.")}));
  r.messages.push_back(message(Role::User, {text("thanks")}));
  r.tools = {{"lookup", "finds things", json{{"type", "object"}, {"properties", {{"q", {{"type", "string"}}}}}}},
             {"weather", "", json::object()}};
  r.tool_choice = json{{"type", "function"}, {"function", {{"name", "lookup"}}}};
  r.temperature = 0.25;
  r.top_p = 0.5;
  r.max_tokens = 64;
  r.stop = {"END"};
  r.n = 2;
  r.seed = 7;
  r.presence_penalty = 0.5;
  r.frequency_penalty = -0.5;
  r.response_format = {{"type", "json_schema"}, {"json_schema", {{"name", "s"}, {"schema", {{"type", "object"}}}}}};
  return r;
}

TEST(GeminiWire, TranslatesAWholeConversation) {
  json expected = json::parse(R"({
    "systemInstruction": {"parts": [{"text": "be brief"}]},
    "contents": [
      {"role": "user", "parts": [
        {"text": "describe "},
        {"inlineData": {"mimeType": "image/webp", "data": "UklGRg=="}},
        {"fileData": {"fileUri": "https://example.com/a.png"}}]},
      {"role": "model", "parts": [
        {"functionCall": {"name": "lookup", "args": {"q": "cat"}}},
        {"functionCall": {"name": "weather", "args": {}}}]},
      {"role": "user", "parts": [
        {"functionResponse": {"name": "lookup", "response": {"found": true}}},
        {"functionResponse": {"name": "weather", "response": {"result": "sunny"}}}]},
      {"role": "model", "parts": [{"text": "It is sunny."}]},
      {"role": "user", "parts": [{"text": "thanks"}]}
    ],
    "generationConfig": {
      "temperature": 0.25, "topP": 0.5, "maxOutputTokens": 64, "stopSequences": ["END"],
      "candidateCount": 2, "seed": 7, "presencePenalty": 0.5, "frequencyPenalty": -0.5,
      "responseMimeType": "application/json", "responseJsonSchema": {"type": "object"}},
    "tools": [{"functionDeclarations": [
      {"name": "lookup", "description": "finds things",
       "parametersJsonSchema": {"type": "object", "properties": {"q": {"type": "string"}}}},
      {"name": "weather"}]}],
    "toolConfig": {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["lookup"]}}
  })");
  EXPECT_EQ(request_to_json(conversation()), expected) << request_to_json(conversation()).dump(2);
}

TEST(GeminiWire, MinimalRequestHasNoOptionalSections) {
  ChatRequest r;
  r.model = "g";
  r.messages = {message(Role::User, {text("hi")})};
  EXPECT_EQ(request_to_json(r), json::parse(R"({"contents":[{"role":"user","parts":[{"text":"hi"}]}]})"));
}

TEST(GeminiWire, MapsToolChoiceModes) {
  ChatRequest r = conversation();
  const std::pair<json, const char*> cases[] = {
      {"auto", "AUTO"}, {"none", "NONE"}, {"required", "ANY"},
      {{{"type", "function"}, {"function", {{"name", 5}}}}, "AUTO"}};  // malformed: no type_error
  for (const auto& [neutral, mode] : cases) {
    r.tool_choice = neutral;
    EXPECT_EQ(request_to_json(r)["toolConfig"], json({{"functionCallingConfig", {{"mode", mode}}}})) << mode;
  }
}

TEST(GeminiWire, AToolResultNobodyAskedForIsRefused) {
  ChatRequest r;
  r.model = "g";
  r.messages = {message(Role::User, {text("hi")}), tool_result("call_x", "42")};
  try {
    request_to_json(r);
    FAIL();
  } catch (const ProviderError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_FALSE(e.retriable());
    EXPECT_NE(std::string(e.what()).find("call_x"), std::string::npos);
  }
  r.messages[1].name = "lookup";  // a tool message may name its function itself
  EXPECT_EQ(request_to_json(r)["contents"][0]["parts"][1]["functionResponse"]["name"], "lookup");
}

TEST(GeminiWire, ParsesCandidatesWithFunctionCallsAndUsage) {
  json body = json::parse(R"({
    "candidates": [
      {"content": {"role": "model", "parts": [
         {"text": "thinking...", "thought": true},
         {"text": "Let me check. "},
         {"functionCall": {"name": "lookup", "args": {"q": "cat"}}},
         {"functionCall": {"id": "fc-9", "name": "weather", "args": {}}}]},
       "finishReason": "STOP", "index": 0},
      {"content": {"role": "model", "parts": [{"text": "Too long"}]}, "finishReason": "MAX_TOKENS", "index": 1}],
    "usageMetadata": {"promptTokenCount": 120, "candidatesTokenCount": 30, "thoughtsTokenCount": 12,
                      "cachedContentTokenCount": 100, "totalTokenCount": 162},
    "modelVersion": "gemini-2.5-flash", "responseId": "resp-1"
  })");
  ChatResponse r = parse_response(body);
  EXPECT_EQ(r.id, "resp-1");
  EXPECT_EQ(r.model, "gemini-2.5-flash");
  ASSERT_EQ(r.choices.size(), 2u);
  EXPECT_EQ(r.choices[0].message.text(), "Let me check. ");
  ASSERT_EQ(r.choices[0].message.tool_calls.size(), 2u);
  EXPECT_EQ(r.choices[0].message.tool_calls[0].id, "call_0");
  EXPECT_EQ(r.choices[0].message.tool_calls[0].name, "lookup");
  EXPECT_EQ(json::parse(r.choices[0].message.tool_calls[0].arguments), json({{"q", "cat"}}));
  EXPECT_EQ(r.choices[0].message.tool_calls[1].id, "fc-9") << "Gemini's own id is kept";
  EXPECT_EQ(r.choices[0].finish_reason, "tool_calls");
  EXPECT_EQ(r.choices[1].index, 1);
  EXPECT_EQ(r.choices[1].finish_reason, "length");
  ASSERT_TRUE(r.usage);
  EXPECT_EQ(r.usage->prompt_tokens, 120);
  EXPECT_EQ(r.usage->completion_tokens, 42);
  EXPECT_EQ(r.usage->cached_prompt_tokens, 100);
}

TEST(GeminiWire, ABlockedPromptIsAContentFilterFinish) {
  ChatResponse r = parse_response(json::parse(R"({"promptFeedback":{"blockReason":"SAFETY"},
      "usageMetadata":{"promptTokenCount":5,"totalTokenCount":5}})"));
  ASSERT_EQ(r.choices.size(), 1u);
  EXPECT_EQ(r.choices[0].finish_reason, "content_filter");
  EXPECT_TRUE(r.choices[0].message.content.empty());
}

TEST(GeminiWire, MapsFinishReasons) {
  EXPECT_EQ(finish_reason("STOP", false), "stop");
  EXPECT_EQ(finish_reason("STOP", true), "tool_calls");
  EXPECT_EQ(finish_reason("MAX_TOKENS", true), "length");
  for (const char* r : {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY"})
    EXPECT_EQ(finish_reason(r, false), "content_filter") << r;
  EXPECT_EQ(finish_reason("OTHER", false), "stop");
}

TEST(GeminiWire, MalformedAnswersAreRetriable502) {
  for (const char* body : {R"("x")", R"({})", R"({"candidates":{}})", R"({"candidates":[{"content":{"parts":[{"text":1}]}}]})",
                           R"({"candidates":[],"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":[]})"}) {
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

TEST(GeminiWire, DecodesAStream) {
  const char* events[] = {
      R"({"candidates":[{"content":{"role":"model","parts":[{"text":"Hel"}]},"index":0}],
          "usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":1},"modelVersion":"gemini-x","responseId":"r1"})",
      R"({"candidates":[{"content":{"role":"model","parts":[{"text":"lo"}]},"index":0}],"modelVersion":"gemini-x"})",
      R"({"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"f","args":{"a":1}}},
                                                            {"functionCall":{"name":"g","args":{}}}]},"index":0}]})",
      R"({"candidates":[{"content":{"role":"model","parts":[{"text":""}]},"finishReason":"STOP","index":0}],
          "usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":5,"cachedContentTokenCount":4}})"};
  StreamDecoder decoder;
  std::vector<ChatChunk> chunks;
  for (const char* e : events) {
    EXPECT_FALSE(decoder.finished());
    for (auto& c : decoder.decode(json::parse(e))) chunks.push_back(std::move(c));
  }
  EXPECT_TRUE(decoder.finished());
  ASSERT_EQ(chunks.size(), 4u);
  EXPECT_EQ(chunks[0].role, Role::Assistant);
  EXPECT_EQ(chunks[0].id, "r1");
  EXPECT_EQ(chunks[0].content, "Hel");
  EXPECT_FALSE(chunks[1].role) << "the role comes once";
  EXPECT_EQ(chunks[1].content, "lo");
  ASSERT_EQ(chunks[2].tool_calls.size(), 2u);
  EXPECT_EQ(chunks[2].tool_calls[0].index, 0);
  EXPECT_EQ(chunks[2].tool_calls[0].id, "call_0");
  EXPECT_EQ(chunks[2].tool_calls[0].arguments, R"({"a":1})");
  EXPECT_EQ(chunks[2].tool_calls[1].index, 1);
  EXPECT_EQ(chunks[2].tool_calls[1].name, "g");
  EXPECT_EQ(chunks[3].finish_reason, "tool_calls");
  ASSERT_TRUE(decoder.usage());
  EXPECT_EQ(decoder.usage()->completion_tokens, 5) << "the last usageMetadata wins";
  EXPECT_EQ(decoder.usage()->cached_prompt_tokens, 4);
}

TEST(GeminiWire, StreamErrorEventIsKept) {
  StreamDecoder decoder;
  json error = json::parse(R"({"error":{"code":503,"message":"overloaded","status":"UNAVAILABLE"}})");
  EXPECT_TRUE(decoder.decode(error).empty());
  ASSERT_TRUE(decoder.error());
  EXPECT_EQ((*decoder.error())["error"]["code"], 503);
  EXPECT_FALSE(decoder.finished());
  EXPECT_FALSE(decoder.usage());
}

}  // namespace
}  // namespace sb::connectors::gemini
