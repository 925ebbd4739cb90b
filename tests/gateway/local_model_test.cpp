// The gateway serving a local GGUF model: /v1/chat/completions whole and streamed, real
// usage, /v1/models, and 503 + Retry-After when the model is busy.
#include <gtest/gtest.h>

#include <future>

#include <nlohmann/json.hpp>

#include "tests/support/paths.h"
#include "tests/support/sse_payloads.h"
#include "tests/support/test_gateway.h"

namespace sb::gateway {
namespace {

using nlohmann::json;

constexpr const char* kLocalKey = "sk-local-test-key";

class LocalModelGatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string yaml = R"(
server:
  listen: 127.0.0.1:8080
local_models:
  - name: stories
    path: )" + (test::shared_dir() / "models" / "stories260K.gguf").string() + R"(
    context: 256
    parallel: 1
    threads: 1
    chat_template: llama2
routes:
  - model: auto
    local: [stories]
teams:
  - name: dev
    keys: [)" + std::string(kLocalKey) + R"(]
)";
    test::TestGatewayOptions options;
    options.local.max_queued = 0;  // with one slot: a second request at once is refused
    gateway_ = std::make_unique<test::TestGateway>(yaml, options);
  }

  httplib::Result post_chat(const json& body) { return gateway_->post("/v1/chat/completions", body, kLocalKey); }
  static json story(const std::string& model, int max_tokens) {
    return {{"model", model}, {"messages", {{{"role", "user"}, {"content", "Tell me a story."}}}},
            {"max_tokens", max_tokens}, {"temperature", 0}};
  }

  std::unique_ptr<test::TestGateway> gateway_;
};

TEST_F(LocalModelGatewayTest, TheDecisionCountsLocalInputWithTheModelsTokenizer) {
  auto explained = gateway_->post("/v1/route/explain", story("auto", 5), kLocalKey);
  ASSERT_TRUE(explained);
  ASSERT_EQ(explained->status, 200) << explained->body;
  const json cost = json::parse(explained->body)["targets"][0]["cost"];
  EXPECT_EQ(cost["input_tokens_exact"], true) << cost;
  auto res = post_chat(story("auto", 5));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(cost["input_tokens"], json::parse(res->body)["usage"]["prompt_tokens"]);
}

TEST_F(LocalModelGatewayTest, AnswersWholeWithRealUsage) {
  EXPECT_TRUE(gateway_->providers().local("stories")->host().loaded());  // loaded at start-up
  auto res = post_chat(story("stories", 20));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("x-switchboard-target"), "stories");
  const json body = json::parse(res->body);
  EXPECT_EQ(body["model"], "stories");
  EXPECT_EQ(body["choices"][0]["finish_reason"], "length");
  EXPECT_FALSE(body["choices"][0]["message"]["content"].get<std::string>().empty());
  EXPECT_EQ(body["usage"]["prompt_tokens"], 26);
  EXPECT_EQ(body["usage"]["completion_tokens"], 20);
  EXPECT_EQ(body["usage"]["total_tokens"], 46);
}

TEST_F(LocalModelGatewayTest, StreamsTheSameTextThroughARoute) {
  const std::string whole = json::parse(post_chat(story("stories", 20))->body)["choices"][0]["message"]["content"];
  json request = story("auto", 20);
  request["stream"] = true;
  request["stream_options"] = {{"include_usage", true}};
  auto res = post_chat(request);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("x-switchboard-target"), "stories");
  const auto payloads = test::sse_json(res->body);
  ASSERT_GE(payloads.size(), 4u);
  EXPECT_EQ(payloads.front()["choices"][0]["delta"]["role"], "assistant");
  std::string text;
  for (const auto& p : payloads)
    if (!p["choices"].empty()) text += p["choices"][0]["delta"].value("content", "");
  EXPECT_EQ(text, whole);
  EXPECT_EQ(payloads[payloads.size() - 2]["choices"][0]["finish_reason"], "length");
  EXPECT_EQ(payloads.back()["usage"]["completion_tokens"], 20);
  EXPECT_EQ(payloads.back()["usage"]["prompt_tokens"], 26);
  EXPECT_NE(res->body.find("data: [DONE]"), std::string::npos);
}

TEST_F(LocalModelGatewayTest, BusyModelAnswers503WithRetryAfter) {
  std::promise<void> holding;
  std::promise<void> release;
  auto released = release.get_future().share();
  auto holder = std::async(std::launch::async, [&] {  // takes the only slot and keeps it
    connectors::LocalProvider& provider = *gateway_->providers().local("stories");
    ChatRequest request;
    request.model = "stories";
    request.messages.push_back({Role::User, {{ContentPart::Kind::Text, "hi", {}, {}}}, {}, {}, {}});
    request.max_tokens = 4;
    bool told = false;
    return provider.stream(request, [&](const ChatChunk&) {
      if (!told) {
        holding.set_value();
        told = true;
      }
      released.wait();
      return true;
    });
  });
  holding.get_future().wait();
  auto res = post_chat(story("stories", 8));
  release.set_value();
  holder.get();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503) << res->body;
  EXPECT_EQ(res->get_header_value("Retry-After"), "1");
  EXPECT_EQ(json::parse(res->body)["error"]["code"], "local_model_busy");
}

TEST_F(LocalModelGatewayTest, ContextLengthExceededIsA400WithTheNumbers) {
  auto res = post_chat(story("stories", 1000));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body;
  const json error = json::parse(res->body)["error"];
  EXPECT_EQ(error["code"], "context_length_exceeded");
  EXPECT_EQ(error["param"], "messages");
  EXPECT_NE(error["message"].get<std::string>().find("1026 tokens (26 in the messages, 1000 in the completion)"),
            std::string::npos)
      << error;
}

TEST_F(LocalModelGatewayTest, ModelsListNamesTheLocalModel) {
  auto res = gateway_->get("/v1/models", kLocalKey);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  std::vector<std::string> ids;
  const json body = json::parse(res->body);
  for (const auto& m : body["data"]) ids.push_back(m["id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"auto", "stories"}));
}

}  // namespace
}  // namespace sb::gateway
