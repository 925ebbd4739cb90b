#include "connectors/anthropic/anthropic_provider.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "connectors/provider_registry.h"
#include "tests/connectors/provider_calls.h"
#include "tests/support/chat_requests.h"
#include "tests/support/fake_anthropic_server.h"

namespace sb::connectors {
namespace {

using nlohmann::json;
using test::collect_text;
using test::error_of;
using test::FakeAnthropicServer;

config::ProviderConfig provider_config(const FakeAnthropicServer& fake) {
  config::ProviderConfig p;
  p.name = "claude";
  p.kind = config::ProviderKind::Anthropic;
  p.base_url = fake.base_url() + "/";  // a trailing slash must not double up
  p.api_key = "sk-ant-upstream";
  p.models = {"claude-haiku-4-5"};
  p.timeout_ms = 5000;
  return p;
}

ChatRequest hello_claude(bool stream) { return test::text_request("claude-haiku-4-5", "hello there", "be brief", stream); }

TEST(AnthropicProvider, CompletesAndSendsTheExactWireFormat) {
  FakeAnthropicServer fake;
  AnthropicProvider provider(provider_config(fake));
  ChatResponse r = provider.complete(hello_claude(false));
  EXPECT_EQ(r.choices.at(0).message.text(), "echo: hello there");
  EXPECT_EQ(r.choices[0].finish_reason, "stop");
  EXPECT_EQ(r.id, "msg_fake");
  EXPECT_GT(r.created, 0);
  ASSERT_TRUE(r.usage);
  EXPECT_EQ(r.usage->prompt_tokens, 11);
  EXPECT_EQ(r.usage->completion_tokens, 7);

  auto recorded = fake.requests();
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].method, "POST");
  EXPECT_EQ(recorded[0].path, "/v1/messages");
  EXPECT_EQ(recorded[0].header("x-api-key"), "sk-ant-upstream");
  EXPECT_EQ(recorded[0].header("anthropic-version"), "2023-06-01");
  EXPECT_EQ(recorded[0].header("content-type"), "application/json");
  EXPECT_EQ(recorded[0].header("authorization"), "") << "Anthropic takes no bearer token";
  EXPECT_EQ(json::parse(recorded[0].body), json::parse(R"({
    "model": "claude-haiku-4-5", "max_tokens": 4096, "system": "be brief",
    "messages": [{"role": "user", "content": [{"type": "text", "text": "hello there"}]}]})"));
}

TEST(AnthropicProvider, ABaseUrlEndingInV1IsAccepted) {
  FakeAnthropicServer fake;
  config::ProviderConfig p = provider_config(fake);
  p.base_url = fake.base_url() + "/v1";
  AnthropicProvider provider(p);
  provider.complete(hello_claude(false));
  EXPECT_EQ(fake.requests().at(0).path, "/v1/messages");
}

TEST(AnthropicProvider, ToolCallsRoundTrip) {
  FakeAnthropicServer fake;
  AnthropicProvider provider(provider_config(fake));
  FakeAnthropicServer::Reply reply;
  reply.text = "Checking.";
  reply.tool_uses = {{"toolu_01", "lookup", {{"q", "cat"}}}};
  reply.thinking = true;
  fake.enqueue(reply);

  ChatRequest request = hello_claude(false);
  request.tools = {{"lookup", "finds", json{{"type", "object"}}}};
  ChatResponse first = provider.complete(request);
  const Message& answer = first.choices.at(0).message;
  EXPECT_EQ(answer.text(), "Checking.") << "the thinking block is skipped";
  ASSERT_EQ(answer.tool_calls.size(), 1u);
  EXPECT_EQ(answer.tool_calls[0].id, "toolu_01");
  EXPECT_EQ(json::parse(answer.tool_calls[0].arguments), json({{"q", "cat"}}));
  EXPECT_EQ(first.choices[0].finish_reason, "tool_calls");

  request.messages.push_back(answer);
  Message result{Role::Tool, {{ContentPart::Kind::Text, "a cat", {}, {}}}, {}, {}, "toolu_01"};
  request.messages.push_back(result);
  provider.complete(request);
  json sent = json::parse(fake.requests().at(1).body);
  EXPECT_EQ(sent["messages"][1], json::parse(R"({"role": "assistant", "content": [
      {"type": "text", "text": "Checking."},
      {"type": "tool_use", "id": "toolu_01", "name": "lookup", "input": {"q": "cat"}}]})"));
  EXPECT_EQ(sent["messages"][2], json::parse(R"({"role": "user", "content": [
      {"type": "tool_result", "tool_use_id": "toolu_01", "content": "a cat"}]})"));
  EXPECT_EQ(sent["tools"][0]["input_schema"], json({{"type", "object"}}));
}

TEST(AnthropicProvider, SendsImages) {
  FakeAnthropicServer fake;
  AnthropicProvider provider(provider_config(fake));
  ChatRequest request = hello_claude(false);
  request.messages[1].content.push_back({ContentPart::Kind::ImageUrl, {}, "data:image/gif;base64,R0lGOD", "low"});
  provider.complete(request);
  json block = json::parse(fake.requests().at(0).body)["messages"][0]["content"][1];
  EXPECT_EQ(block, json::parse(R"({"type":"image","source":{"type":"base64","media_type":"image/gif","data":"R0lGOD"}})"));
}

TEST(AnthropicProvider, StreamsTextWithPingsAndReportsCacheUsage) {
  FakeAnthropicServer fake;
  AnthropicProvider provider(provider_config(fake));
  FakeAnthropicServer::Reply reply;
  reply.text = "a fairly long answer";
  reply.usage = {5, 9, 20, 300};
  fake.enqueue(reply);
  int chunks = 0;
  std::string text;
  std::optional<Role> first_role;
  StreamResult result = provider.stream(hello_claude(true), [&](const ChatChunk& c) {
    if (chunks++ == 0) first_role = c.role;
    text += c.content;
    EXPECT_FALSE(c.usage);
    EXPECT_EQ(c.id, "msg_fake");
    return true;
  });
  EXPECT_EQ(text, "a fairly long answer");
  EXPECT_EQ(first_role, Role::Assistant);
  EXPECT_GT(chunks, 5);
  EXPECT_EQ(result.finish_reason, "stop");
  ASSERT_TRUE(result.usage);
  EXPECT_EQ(result.usage->prompt_tokens, 325);
  EXPECT_EQ(result.usage->cached_prompt_tokens, 300);
  EXPECT_EQ(result.usage->cache_write_prompt_tokens, 20);
  EXPECT_EQ(result.usage->completion_tokens, 9);

  const auto recorded = fake.requests().at(0);
  EXPECT_EQ(json::parse(recorded.body)["stream"], true);
  EXPECT_EQ(recorded.header("accept"), "text/event-stream");
}

TEST(AnthropicProvider, StreamsToolCallDeltas) {
  FakeAnthropicServer fake;
  AnthropicProvider provider(provider_config(fake));
  FakeAnthropicServer::Reply reply;
  reply.text = "On it.";
  reply.tool_uses = {{"toolu_a", "lookup", {{"q", "a long query"}}}, {"toolu_b", "weather", {{"city", "Paris"}}}};
  reply.thinking = true;
  fake.enqueue(reply);
  std::map<int, ToolCall> calls;
  std::string text;
  StreamResult result = provider.stream(hello_claude(true), [&](const ChatChunk& c) {
    text += c.content;
    for (const auto& d : c.tool_calls) {
      ToolCall& call = calls[d.index];
      if (!d.id.empty()) call.id = d.id;
      if (!d.name.empty()) call.name = d.name;
      call.arguments += d.arguments;
    }
    return true;
  });
  EXPECT_EQ(text, "On it.");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].id, "toolu_a");
  EXPECT_EQ(calls[0].name, "lookup");
  EXPECT_EQ(json::parse(calls[0].arguments), json({{"q", "a long query"}}));
  EXPECT_EQ(calls[1].id, "toolu_b");
  EXPECT_EQ(json::parse(calls[1].arguments), json({{"city", "Paris"}}));
  EXPECT_EQ(result.finish_reason, "tool_calls");
}

TEST(AnthropicProvider, StopsWhenTheClientIsGone) {
  FakeAnthropicServer fake;
  AnthropicProvider provider(provider_config(fake));
  int chunks = 0;
  StreamResult result = provider.stream(hello_claude(true), [&](const ChatChunk&) { return ++chunks < 2; });
  EXPECT_TRUE(result.cancelled);
  EXPECT_EQ(chunks, 2);
}

TEST(AnthropicProvider, MapsHttpErrors) {
  FakeAnthropicServer fake;
  AnthropicProvider provider(provider_config(fake));
  struct Case {
    int upstream_status;
    int client_status;
    std::string type;
    std::string code;
    bool retriable;
  };
  const Case cases[] = {{429, 429, "rate_limit_error", "upstream_rate_limited", true},
                        {500, 502, "upstream_error", "upstream_unavailable", true},
                        {529, 502, "upstream_error", "upstream_unavailable", true},
                        {401, 502, "upstream_error", "upstream_auth_failed", true},
                        {403, 502, "upstream_error", "upstream_auth_failed", true},
                        {404, 502, "upstream_error", "upstream_model_not_found", true},
                        {400, 400, "invalid_request_error", "upstream_rejected", false}};
  for (const auto& c : cases) {
    for (bool stream : {false, true}) {
      FakeAnthropicServer::Reply reply;
      reply.status = c.upstream_status;
      reply.error_message = "boom " + std::to_string(c.upstream_status);
      if (c.upstream_status == 429) reply.headers["retry-after"] = "3";
      fake.enqueue(reply);
      ProviderError e = error_of([&] {
        if (stream)
          collect_text(provider, hello_claude(true));
        else
          provider.complete(hello_claude(false));
      });
      EXPECT_EQ(e.status(), c.client_status) << c.upstream_status;
      EXPECT_EQ(e.type(), c.type) << c.upstream_status;
      EXPECT_EQ(e.code(), c.code) << c.upstream_status;
      EXPECT_EQ(e.retriable(), c.retriable) << c.upstream_status;
      EXPECT_NE(std::string(e.what()).find("boom " + std::to_string(c.upstream_status)), std::string::npos) << e.what();
      EXPECT_EQ(e.retry_after_ms(), c.upstream_status == 429 ? std::optional<int64_t>(3000) : std::nullopt);
    }
  }
}

TEST(AnthropicProvider, OverloadedErrorEventMidStream) {
  FakeAnthropicServer fake;
  AnthropicProvider provider(provider_config(fake));
  FakeAnthropicServer::Reply reply;
  reply.text = "partial answer";
  reply.mid_stream_error = true;
  reply.error_message = "Overloaded";
  fake.enqueue(reply);
  std::string text;
  ProviderError e = error_of([&] { text = collect_text(provider, hello_claude(true)); });
  EXPECT_EQ(e.status(), 502);
  EXPECT_EQ(e.code(), "upstream_unavailable");
  EXPECT_TRUE(e.retriable());
  EXPECT_NE(std::string(e.what()).find("HTTP 529: Overloaded"), std::string::npos) << e.what();
}

TEST(AnthropicProvider, RateLimitErrorEventMidStream) {
  FakeAnthropicServer fake;
  AnthropicProvider provider(provider_config(fake));
  FakeAnthropicServer::Reply reply;
  reply.mid_stream_error = true;
  reply.error_type = "rate_limit_error";
  fake.enqueue(reply);
  ProviderError e = error_of([&] { collect_text(provider, hello_claude(true)); });
  EXPECT_EQ(e.status(), 429);
  EXPECT_EQ(e.code(), "upstream_rate_limited");
}

TEST(AnthropicProvider, AStreamCutBeforeMessageStopIsTruncated) {
  FakeAnthropicServer fake;
  AnthropicProvider provider(provider_config(fake));
  FakeAnthropicServer::Reply reply;
  reply.text = "half of it";
  reply.truncate_stream = true;
  fake.enqueue(reply);
  std::string text;
  ProviderError e = error_of([&] {
    provider.stream(hello_claude(true), [&](const ChatChunk& c) {
      text += c.content;
      return true;
    });
  });
  EXPECT_EQ(e.code(), "upstream_stream_truncated");
  EXPECT_EQ(e.status(), 502);
  EXPECT_TRUE(e.retriable());
  EXPECT_EQ(text, "half") << "what came before the cut was delivered";
}

TEST(AnthropicProvider, AConnectionResetMidStreamIsRetriable) {
  FakeAnthropicServer fake;
  AnthropicProvider provider(provider_config(fake));
  FakeAnthropicServer::Reply reply;
  reply.text = "half of it";
  reply.drop_connection = true;
  fake.enqueue(reply);
  ProviderError e = error_of([&] { collect_text(provider, hello_claude(true)); });
  EXPECT_EQ(e.status(), 502);
  EXPECT_TRUE(e.retriable());
  EXPECT_EQ(e.code(), "upstream_unreachable") << "a transport failure, not a clean end: " << e.what();
}

TEST(AnthropicProvider, ASlowFirstByteTimesOut) {
  FakeAnthropicServer fake;
  config::ProviderConfig p = provider_config(fake);
  p.timeout_ms = 300;
  AnthropicProvider provider(p);
  FakeAnthropicServer::Reply reply;
  reply.first_byte_delay_ms = 5000;  // cut short when the fake stops
  fake.enqueue(reply);
  ProviderError e = error_of([&] { provider.complete(hello_claude(false)); });
  EXPECT_EQ(e.status(), 504);
  EXPECT_EQ(e.code(), "upstream_timeout");
  EXPECT_TRUE(e.retriable());
}

TEST(AnthropicProvider, MissingUsageIsReportedAsNone) {
  FakeAnthropicServer fake;
  AnthropicProvider provider(provider_config(fake));
  FakeAnthropicServer::Reply reply;
  reply.omit_usage = true;
  fake.enqueue(reply);
  fake.enqueue(reply);
  EXPECT_FALSE(provider.complete(hello_claude(false)).usage);
  StreamResult result;
  EXPECT_EQ(collect_text(provider, hello_claude(true), &result), "echo: hello there");
  EXPECT_FALSE(result.usage);
  EXPECT_EQ(result.finish_reason, "stop");
}

TEST(AnthropicProvider, TheRegistryBuildsIt) {
  FakeAnthropicServer fake;
  config::Config config;
  config.providers.push_back(provider_config(fake));
  ProviderRegistry registry(config);
  EXPECT_TRUE(registry.warnings().empty());
  Provider* provider = registry.remote("claude");
  ASSERT_NE(provider, nullptr);
  EXPECT_EQ(provider->complete(hello_claude(false)).choices.at(0).message.text(), "echo: hello there");
}

}  // namespace
}  // namespace sb::connectors
