#include "connectors/gemini/gemini_provider.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "connectors/provider_registry.h"
#include "tests/connectors/provider_calls.h"
#include "tests/support/chat_requests.h"
#include "tests/support/fake_gemini_server.h"

namespace sb::connectors {
namespace {

using nlohmann::json;
using test::collect_text;
using test::error_of;
using test::FakeGeminiServer;

config::ProviderConfig provider_config(const FakeGeminiServer& fake) {
  config::ProviderConfig p;
  p.name = "gemini";
  p.kind = config::ProviderKind::Gemini;
  p.base_url = fake.base_url() + "/";
  p.api_key = "AIza-upstream";
  p.models = {"gemini-2.5-flash"};
  p.timeout_ms = 5000;
  return p;
}

ChatRequest hello_gemini(bool stream) { return test::text_request("gemini-2.5-flash", "hello there", "be brief", stream, 20); }

TEST(GeminiProvider, CompletesAndSendsTheExactWireFormat) {
  FakeGeminiServer fake;
  GeminiProvider provider(provider_config(fake));
  ChatResponse r = provider.complete(hello_gemini(false));
  EXPECT_EQ(r.choices.at(0).message.text(), "echo: hello there");
  EXPECT_EQ(r.choices[0].finish_reason, "stop");
  EXPECT_EQ(r.model, "gemini-2.5-flash");
  EXPECT_GT(r.created, 0);
  ASSERT_TRUE(r.usage);
  EXPECT_EQ(r.usage->prompt_tokens, 11);
  EXPECT_EQ(r.usage->completion_tokens, 7);

  auto recorded = fake.requests();
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].method, "POST");
  EXPECT_EQ(recorded[0].path, "/v1beta/models/gemini-2.5-flash:generateContent");
  EXPECT_TRUE(recorded[0].params.empty());
  EXPECT_EQ(recorded[0].header("x-goog-api-key"), "AIza-upstream");
  EXPECT_EQ(recorded[0].header("content-type"), "application/json");
  EXPECT_EQ(json::parse(recorded[0].body), json::parse(R"({
    "systemInstruction": {"parts": [{"text": "be brief"}]},
    "contents": [{"role": "user", "parts": [{"text": "hello there"}]}],
    "generationConfig": {"maxOutputTokens": 20}})"));
}

TEST(GeminiProvider, AcceptsBaseUrlWithVersionAndModelResourceNames) {
  FakeGeminiServer fake;
  config::ProviderConfig p = provider_config(fake);
  p.base_url = fake.base_url() + "/v1beta";
  GeminiProvider provider(p);
  ChatRequest request = hello_gemini(false);
  request.model = "models/gemini-2.5-flash";
  provider.complete(request);
  EXPECT_EQ(fake.requests().at(0).path, "/v1beta/models/gemini-2.5-flash:generateContent");
}

TEST(GeminiProvider, FunctionCallsRoundTrip) {
  FakeGeminiServer fake;
  GeminiProvider provider(provider_config(fake));
  FakeGeminiServer::Reply reply;
  reply.function_calls = {{"lookup", {{"q", "cat"}}}};
  fake.enqueue(reply);

  ChatRequest request = hello_gemini(false);
  request.tools = {{"lookup", "finds", json{{"type", "object"}}}};
  ChatResponse first = provider.complete(request);
  const Message& answer = first.choices.at(0).message;
  ASSERT_EQ(answer.tool_calls.size(), 1u);
  EXPECT_EQ(answer.tool_calls[0].name, "lookup");
  EXPECT_FALSE(answer.tool_calls[0].id.empty());
  EXPECT_EQ(json::parse(answer.tool_calls[0].arguments), json({{"q", "cat"}}));
  EXPECT_EQ(first.choices[0].finish_reason, "tool_calls");

  request.messages.push_back(answer);
  request.messages.push_back({Role::Tool, {{ContentPart::Kind::Text, "a cat", {}, {}}}, {}, {}, answer.tool_calls[0].id});
  provider.complete(request);
  json sent = json::parse(fake.requests().at(1).body);
  EXPECT_EQ(sent["contents"][1], json::parse(R"({"role": "model", "parts": [
      {"functionCall": {"name": "lookup", "args": {"q": "cat"}}}]})"));
  EXPECT_EQ(sent["contents"][2], json::parse(R"({"role": "user", "parts": [
      {"functionResponse": {"name": "lookup", "response": {"result": "a cat"}}}]})"));
  EXPECT_EQ(sent["tools"], json::parse(R"([{"functionDeclarations": [
      {"name": "lookup", "description": "finds", "parametersJsonSchema": {"type": "object"}}]}])"));
}

TEST(GeminiProvider, SendsImagesInline) {
  FakeGeminiServer fake;
  GeminiProvider provider(provider_config(fake));
  ChatRequest request = hello_gemini(false);
  request.messages[1].content.push_back({ContentPart::Kind::ImageUrl, {}, "data:image/png;base64,iVBOR", ""});
  provider.complete(request);
  json part = json::parse(fake.requests().at(0).body)["contents"][0]["parts"][1];
  EXPECT_EQ(part, json::parse(R"({"inlineData":{"mimeType":"image/png","data":"iVBOR"}})"));
}

TEST(GeminiProvider, StreamsTextAndReportsCachedUsage) {
  FakeGeminiServer fake;
  GeminiProvider provider(provider_config(fake));
  FakeGeminiServer::Reply reply;
  reply.text = "streamed words";
  reply.usage = {200, 9, 150, 3};
  fake.enqueue(reply);
  int chunks = 0;
  std::string text;
  std::optional<Role> first_role;
  StreamResult result = provider.stream(hello_gemini(true), [&](const ChatChunk& c) {
    if (chunks++ == 0) first_role = c.role;
    text += c.content;
    EXPECT_FALSE(c.usage);
    return true;
  });
  EXPECT_EQ(text, "streamed words");
  EXPECT_EQ(first_role, Role::Assistant);
  EXPECT_GT(chunks, 3);
  EXPECT_EQ(result.finish_reason, "stop");
  ASSERT_TRUE(result.usage);
  EXPECT_EQ(result.usage->prompt_tokens, 200);
  EXPECT_EQ(result.usage->cached_prompt_tokens, 150);
  EXPECT_EQ(result.usage->completion_tokens, 12);

  const auto recorded = fake.requests().at(0);
  EXPECT_EQ(recorded.path, "/v1beta/models/gemini-2.5-flash:streamGenerateContent");
  ASSERT_EQ(recorded.params.count("alt"), 1u);
  EXPECT_EQ(recorded.params.find("alt")->second, "sse");
  EXPECT_EQ(recorded.header("x-goog-api-key"), "AIza-upstream");
  EXPECT_FALSE(json::parse(recorded.body).contains("stream")) << "streaming is chosen by the URL, not the body";
}

TEST(GeminiProvider, StreamsFunctionCalls) {
  FakeGeminiServer fake;
  GeminiProvider provider(provider_config(fake));
  FakeGeminiServer::Reply reply;
  reply.text = "Sure.";
  reply.function_calls = {{"lookup", {{"q", "x"}}}, {"weather", {{"city", "Oslo"}}}};
  fake.enqueue(reply);
  std::vector<ToolCallDelta> deltas;
  StreamResult result = provider.stream(hello_gemini(true), [&](const ChatChunk& c) {
    deltas.insert(deltas.end(), c.tool_calls.begin(), c.tool_calls.end());
    return true;
  });
  ASSERT_EQ(deltas.size(), 2u);
  EXPECT_EQ(deltas[0].index, 0);
  EXPECT_EQ(deltas[0].name, "lookup");
  EXPECT_EQ(json::parse(deltas[0].arguments), json({{"q", "x"}}));
  EXPECT_EQ(deltas[1].index, 1);
  EXPECT_NE(deltas[0].id, deltas[1].id);
  EXPECT_EQ(result.finish_reason, "tool_calls");
}

TEST(GeminiProvider, StopsWhenTheClientIsGone) {
  FakeGeminiServer fake;
  GeminiProvider provider(provider_config(fake));
  int chunks = 0;
  StreamResult result = provider.stream(hello_gemini(true), [&](const ChatChunk&) { return ++chunks < 2; });
  EXPECT_TRUE(result.cancelled);
  EXPECT_EQ(chunks, 2);
}

TEST(GeminiProvider, MapsHttpErrors) {
  FakeGeminiServer fake;
  GeminiProvider provider(provider_config(fake));
  struct Case {
    int upstream_status;
    int client_status;
    std::string code;
    bool retriable;
  };
  const Case cases[] = {{429, 429, "upstream_rate_limited", true},
                        {500, 502, "upstream_unavailable", true},
                        {503, 502, "upstream_unavailable", true},
                        {403, 502, "upstream_auth_failed", true},
                        {404, 502, "upstream_model_not_found", true},
                        {400, 400, "upstream_rejected", false}};
  for (const auto& c : cases) {
    for (bool stream : {false, true}) {
      FakeGeminiServer::Reply reply;
      reply.status = c.upstream_status;
      reply.error_message = "boom " + std::to_string(c.upstream_status);
      if (c.upstream_status == 429) reply.headers["Retry-After"] = "3";
      fake.enqueue(reply);
      ProviderError e = error_of([&] {
        if (stream)
          collect_text(provider, hello_gemini(true));
        else
          provider.complete(hello_gemini(false));
      });
      EXPECT_EQ(e.status(), c.client_status) << c.upstream_status;
      EXPECT_EQ(e.code(), c.code) << c.upstream_status;
      EXPECT_EQ(e.retriable(), c.retriable) << c.upstream_status;
      EXPECT_NE(std::string(e.what()).find("boom " + std::to_string(c.upstream_status)), std::string::npos) << e.what();
      EXPECT_EQ(e.retry_after_ms(), c.upstream_status == 429 ? std::optional<int64_t>(3000) : std::nullopt);
    }
  }
}

TEST(GeminiProvider, RetryDelayComesFromRetryInfoWithoutAHeader) {
  FakeGeminiServer fake;
  GeminiProvider provider(provider_config(fake));
  FakeGeminiServer::Reply reply;
  reply.status = 429;
  reply.retry_delay = "37s";
  fake.enqueue(reply);
  ProviderError e = error_of([&] { provider.complete(hello_gemini(false)); });
  EXPECT_EQ(e.status(), 429);
  EXPECT_EQ(e.retry_after_ms(), 37000);
}

TEST(GeminiProvider, ErrorEventMidStream) {
  FakeGeminiServer fake;
  GeminiProvider provider(provider_config(fake));
  FakeGeminiServer::Reply reply;
  reply.text = "partial answer";
  reply.mid_stream_error = true;
  reply.error_message = "model overloaded";
  fake.enqueue(reply);
  ProviderError e = error_of([&] { collect_text(provider, hello_gemini(true)); });
  EXPECT_EQ(e.status(), 502);
  EXPECT_EQ(e.code(), "upstream_unavailable");
  EXPECT_TRUE(e.retriable());
  EXPECT_NE(std::string(e.what()).find("model overloaded"), std::string::npos) << e.what();
}

TEST(GeminiProvider, AStreamWithoutAFinishReasonIsTruncated) {
  FakeGeminiServer fake;
  GeminiProvider provider(provider_config(fake));
  FakeGeminiServer::Reply reply;
  reply.text = "half of it";
  reply.truncate_stream = true;
  fake.enqueue(reply);
  std::string text;
  ProviderError e = error_of([&] {
    provider.stream(hello_gemini(true), [&](const ChatChunk& c) {
      text += c.content;
      return true;
    });
  });
  EXPECT_EQ(e.code(), "upstream_stream_truncated");
  EXPECT_TRUE(e.retriable());
  EXPECT_EQ(text, "half");
}

TEST(GeminiProvider, AConnectionResetMidStreamIsRetriable) {
  FakeGeminiServer fake;
  GeminiProvider provider(provider_config(fake));
  FakeGeminiServer::Reply reply;
  reply.text = "half of it";
  reply.drop_connection = true;
  fake.enqueue(reply);
  ProviderError e = error_of([&] { collect_text(provider, hello_gemini(true)); });
  EXPECT_EQ(e.status(), 502);
  EXPECT_TRUE(e.retriable());
  EXPECT_EQ(e.code(), "upstream_unreachable") << "a transport failure, not a clean end: " << e.what();
}

TEST(GeminiProvider, ASlowFirstByteTimesOut) {
  FakeGeminiServer fake;
  config::ProviderConfig p = provider_config(fake);
  p.timeout_ms = 300;
  GeminiProvider provider(p);
  FakeGeminiServer::Reply reply;
  reply.first_byte_delay_ms = 5000;  // cut short when the fake stops
  fake.enqueue(reply);
  ProviderError e = error_of([&] { collect_text(provider, hello_gemini(true)); });
  EXPECT_EQ(e.status(), 504);
  EXPECT_EQ(e.code(), "upstream_timeout");
  EXPECT_TRUE(e.retriable());
}

TEST(GeminiProvider, MissingUsageIsReportedAsNone) {
  FakeGeminiServer fake;
  GeminiProvider provider(provider_config(fake));
  FakeGeminiServer::Reply reply;
  reply.omit_usage = true;
  fake.enqueue(reply);
  fake.enqueue(reply);
  EXPECT_FALSE(provider.complete(hello_gemini(false)).usage);
  StreamResult result;
  EXPECT_EQ(collect_text(provider, hello_gemini(true), &result), "echo: hello there");
  EXPECT_FALSE(result.usage);
  EXPECT_EQ(result.finish_reason, "stop");
}

TEST(GeminiProvider, TheRegistryBuildsIt) {
  FakeGeminiServer fake;
  config::Config config;
  config.providers.push_back(provider_config(fake));
  ProviderRegistry registry(config);
  EXPECT_TRUE(registry.warnings().empty());
  Provider* provider = registry.remote("gemini");
  ASSERT_NE(provider, nullptr);
  EXPECT_EQ(provider->complete(hello_gemini(false)).choices.at(0).message.text(), "echo: hello there");
}

}  // namespace
}  // namespace sb::connectors
