#include "connectors/openai/openai_compatible_provider.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/chat_requests.h"
#include "tests/support/fake_openai_server.h"

namespace sb::connectors {
namespace {

using nlohmann::json;
using test::FakeOpenAIServer;

config::ProviderConfig provider_config(const FakeOpenAIServer& fake, config::ProviderKind kind) {
  config::ProviderConfig p;
  p.name = "fake";
  p.kind = kind;
  p.base_url = fake.base_url() + "/";  // a trailing slash must not double up
  p.api_key = "sk-upstream";
  p.models = {"m1"};
  p.timeout_ms = 5000;
  return p;
}

ChatRequest hello_m1(bool stream) { return test::text_request("m1", "hello there", "", stream, 20); }

TEST(OpenAICompatibleProvider, CompletesAndSendsTheRealWireFormat) {
  FakeOpenAIServer fake;
  OpenAICompatibleProvider provider(provider_config(fake, config::ProviderKind::OpenAI));
  ChatResponse r = provider.complete(hello_m1(false));
  EXPECT_EQ(r.choices.at(0).message.text(), "echo: hello there");
  EXPECT_EQ(r.usage->prompt_tokens, 11);
  EXPECT_EQ(r.usage->completion_tokens, 7);

  auto recorded = fake.requests();
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].path, "/v1/chat/completions");
  EXPECT_EQ(recorded[0].headers.find("Authorization")->second, "Bearer sk-upstream");
  json sent = json::parse(recorded[0].body);
  EXPECT_EQ(sent["model"], "m1");
  EXPECT_EQ(sent["max_completion_tokens"], 20);  // OpenAI's current name
  EXPECT_FALSE(sent.contains("stream"));
}

TEST(OpenAICompatibleProvider, CompatibleServersGetMaxTokens) {
  FakeOpenAIServer fake;
  OpenAICompatibleProvider provider(provider_config(fake, config::ProviderKind::OpenAICompatible));
  provider.complete(hello_m1(false));
  EXPECT_EQ(json::parse(fake.requests().at(0).body)["max_tokens"], 20);
}

TEST(OpenAICompatibleProvider, StreamsChunksInOrderAndReportsUsage) {
  FakeOpenAIServer fake;
  OpenAICompatibleProvider provider(provider_config(fake, config::ProviderKind::OpenAI));
  std::string text;
  int chunks = 0;
  StreamResult result = provider.stream(hello_m1(true), [&](const ChatChunk& c) {
    ++chunks;
    text += c.content;
    EXPECT_FALSE(c.usage) << "usage is reported in StreamResult, not forwarded";
    return true;
  });
  EXPECT_EQ(text, "echo: hello there");
  EXPECT_GT(chunks, 3);
  EXPECT_EQ(result.finish_reason, "stop");
  ASSERT_TRUE(result.usage);
  EXPECT_EQ(result.usage->completion_tokens, 7);
  json sent = json::parse(fake.requests().at(0).body);
  EXPECT_EQ(sent["stream"], true);
  EXPECT_EQ(sent["stream_options"]["include_usage"], true);  // asked even if the client did not
}

TEST(OpenAICompatibleProvider, StopsWhenTheClientIsGone) {
  FakeOpenAIServer fake;
  OpenAICompatibleProvider provider(provider_config(fake, config::ProviderKind::OpenAI));
  int chunks = 0;
  StreamResult result = provider.stream(hello_m1(true), [&](const ChatChunk&) { return ++chunks < 2; });
  EXPECT_TRUE(result.cancelled);
  EXPECT_EQ(chunks, 2);
}

TEST(OpenAICompatibleProvider, MapsUpstreamErrors) {
  FakeOpenAIServer fake;
  OpenAICompatibleProvider provider(provider_config(fake, config::ProviderKind::OpenAI));
  struct Case {
    int upstream_status;
    int client_status;
    bool retriable;
    std::string code;
  };
  const Case cases[] = {{429, 429, true, "upstream_rate_limited"},
                        {500, 502, true, "upstream_unavailable"},
                        {529, 502, true, "upstream_unavailable"},
                        {401, 502, true, "upstream_auth_failed"},
                        {400, 400, false, "upstream_rejected"}};
  for (const auto& c : cases) {
    FakeOpenAIServer::Reply reply;
    reply.status = c.upstream_status;
    reply.body = R"({"error":{"message":"boom )" + std::to_string(c.upstream_status) + R"(","type":"x"}})";
    if (c.upstream_status == 429) reply.headers["Retry-After"] = "3";
    fake.enqueue(reply);
    try {
      provider.complete(hello_m1(false));
      ADD_FAILURE() << "no error for " << c.upstream_status;
    } catch (const ProviderError& e) {
      EXPECT_EQ(e.status(), c.client_status) << c.upstream_status;
      EXPECT_EQ(e.retriable(), c.retriable) << c.upstream_status;
      EXPECT_EQ(e.code(), c.code);
      EXPECT_NE(std::string(e.what()).find("boom " + std::to_string(c.upstream_status)), std::string::npos) << e.what();
      if (c.upstream_status == 429) {
        EXPECT_EQ(e.retry_after_ms(), 3000);
      }
    }
  }
}

TEST(OpenAICompatibleProvider, ACutStreamIsAnErrorNotAFinish) {
  FakeOpenAIServer fake;
  OpenAICompatibleProvider provider(provider_config(fake, config::ProviderKind::OpenAI));
  FakeOpenAIServer::Reply reply;
  reply.sse_events = {R"({"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":"half"}}]})"};
  reply.cut_after_events = true;
  fake.enqueue(reply);
  std::string text;
  try {
    provider.stream(hello_m1(true), [&](const ChatChunk& c) {
      text += c.content;
      return true;
    });
    FAIL() << "a truncated stream must not end cleanly";
  } catch (const ProviderError& e) {
    EXPECT_EQ(e.code(), "upstream_stream_truncated");
  }
  EXPECT_EQ(text, "half");
}

TEST(OpenAICompatibleProvider, ErrorEventInsideAStream) {
  FakeOpenAIServer fake;
  OpenAICompatibleProvider provider(provider_config(fake, config::ProviderKind::OpenAI));
  FakeOpenAIServer::Reply reply;
  reply.sse_events = {R"({"error":{"message":"overloaded mid-stream","type":"server_error"}})"};
  fake.enqueue(reply);
  EXPECT_THROW(provider.stream(hello_m1(true), [](const ChatChunk&) { return true; }), ProviderError);
}

TEST(OpenAICompatibleProvider, UnreachableUpstreamIsRetriable) {
  config::ProviderConfig p;
  p.name = "nowhere";
  p.kind = config::ProviderKind::OpenAICompatible;
  p.base_url = "http://127.0.0.1:1/v1";  // nothing listens on port 1
  OpenAICompatibleProvider provider(p);
  try {
    provider.complete(hello_m1(false));
    FAIL();
  } catch (const ProviderError& e) {
    EXPECT_EQ(e.status(), 502);
    EXPECT_EQ(e.code(), "upstream_unreachable");
    EXPECT_TRUE(e.retriable());
  }
}

}  // namespace
}  // namespace sb::connectors
