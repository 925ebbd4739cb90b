// Privacy through the whole gateway (../shared/CONFIG.md semantics): what a remote upstream
// receives for each action, restoration of redacted values in whole and streamed answers,
// and fail-closed routing — no device-only request's content ever reaches the fake cloud,
// whatever the local model does.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/fake_openai_server.h"
#include "tests/support/paths.h"
#include "tests/support/sse_payloads.h"
#include "tests/support/test_gateway.h"

namespace sb::gateway {
namespace {

using nlohmann::json;

constexpr const char* kDevKey = "sk-dev-privacy-test";
constexpr const char* kClinicKey = "sk-clinic-privacy-test";
const std::string kRoutingSsn = "123-45-6789";
const std::string kRoutingEmail = "ann.lee@example.com";

class PrivacyRoutingTest : public ::testing::Test {
 protected:
  void SetUp() override { gateway_ = std::make_unique<test::TestGateway>(config_yaml(true)); }

  std::string config_yaml(bool with_local_model) const {
    const std::string local = with_local_model ? "[stories]" : "[]";
    return R"(
local_models:
  - name: stories
    path: )" + (test::shared_dir() / "models" / "stories260K.gguf").string() + R"(
    context: 256
    chat_template: llama2
providers:
  - name: cloud
    kind: openai_compatible
    base_url: )" + fake_.base_url() + R"(
    models: [gpt-fake]
    max_retries: 0
prices:
  gpt-fake: {input: 1.0, output: 2.0}
routes:
  - model: auto
    local: )" + local + R"(
    cloud: [gpt-fake]
teams:
  - name: dev
    keys: [)" + kDevKey + R"(]
  - name: clinic
    keys: [)" + kClinicKey + R"(]
    privacy: {default: local_only}
)";
  }

  httplib::Result post(const std::string& path, const json& body, const std::string& key = kDevKey,
                       httplib::Headers extra = {}) {
    return gateway_->post(path, body, key, std::move(extra));
  }
  static json chat(const std::string& text, bool stream = false) {
    return {{"model", "auto"}, {"messages", {{{"role", "user"}, {"content", text}}}}, {"max_tokens", 16},
            {"temperature", 0}, {"stream", stream}};
  }
  // Everything the fake cloud received, concatenated.
  std::string cloud_saw() const {
    std::string all;
    for (const auto& r : fake_.requests()) all += r.body;
    return all;
  }

  test::FakeOpenAIServer fake_;
  std::unique_ptr<test::TestGateway> gateway_;
};

TEST_F(PrivacyRoutingTest, CleanRequestGoesToTheCloudFirst) {
  auto res = post("/v1/chat/completions", chat("hello there"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("x-switchboard-target"), "gpt-fake");
  EXPECT_EQ(json::parse(res->body)["choices"][0]["message"]["content"], "echo: hello there");
}

TEST_F(PrivacyRoutingTest, RedactedValueNeverReachesTheCloudAndComesBackInTheAnswer) {
  auto res = post("/v1/chat/completions", chat("write to " + kRoutingEmail + " today"));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(cloud_saw().find(kRoutingEmail), std::string::npos);
  EXPECT_NE(cloud_saw().find("<EMAIL_1>"), std::string::npos);
  EXPECT_EQ(json::parse(res->body)["choices"][0]["message"]["content"], "echo: write to " + kRoutingEmail + " today");
}

TEST_F(PrivacyRoutingTest, PlaceholderSplitAcrossStreamedChunksIsRestored) {
  auto chunk = [](const std::string& content, const std::string& finish = "") {
    json c = {{"id", "chatcmpl-1"}, {"object", "chat.completion.chunk"}, {"created", 1}, {"model", "gpt-fake"},
              {"choices", {{{"index", 0}, {"delta", {{"content", content}}},
                            {"finish_reason", finish.empty() ? json(nullptr) : json(finish)}}}}};
    return c.dump();
  };
  test::FakeOpenAIServer::Reply reply;
  reply.sse_events = {chunk("Sending to <EM"), chunk("AIL"), chunk("_1> now"), chunk("", "stop")};
  fake_.enqueue(reply);
  auto res = post("/v1/chat/completions", chat("mail " + kRoutingEmail, true));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  std::string text;
  for (const json& c : test::sse_json(res->body))
    if (!c["choices"].empty()) text += c["choices"][0]["delta"].value("content", "");
  EXPECT_EQ(text, "Sending to " + kRoutingEmail + " now");
  EXPECT_EQ(res->body.find("EMAIL_1"), std::string::npos);
  EXPECT_EQ(cloud_saw().find(kRoutingEmail), std::string::npos);
}

TEST_F(PrivacyRoutingTest, LocalOnlyFindingIsServedOnDevice) {
  auto res = post("/v1/chat/completions", chat("my SSN is " + kRoutingSsn));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("x-switchboard-target"), "stories");
  EXPECT_TRUE(fake_.requests().empty());
}

TEST_F(PrivacyRoutingTest, SecretIsBlockedWithoutEchoingIt) {
  const std::string key = "ghp_U3g7MD5PUN1vu35mCdaMxE3vPIDViRTA1pbE";
  auto res = post("/v1/chat/completions", chat("token " + key));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  const json error = json::parse(res->body)["error"];
  EXPECT_EQ(error["type"], "privacy_blocked");
  EXPECT_NE(error["message"].get<std::string>().find("SECRET"), std::string::npos);
  EXPECT_EQ(res->body.find(key), std::string::npos);
  EXPECT_FALSE(res->get_header_value("x-switchboard-decision").empty());
  EXPECT_TRUE(fake_.requests().empty());
}

TEST_F(PrivacyRoutingTest, TeamDefaultAndHeaderKeepRequestsOnDevice) {
  for (bool stream : {false, true}) {
    auto clinic = post("/v1/chat/completions", chat("plain question", stream), kClinicKey);
    ASSERT_TRUE(clinic);
    EXPECT_EQ(clinic->status, 200) << clinic->body;
    EXPECT_EQ(clinic->get_header_value("x-switchboard-target"), "stories");
    auto header = post("/v1/chat/completions", chat("plain question", stream), kDevKey,
                       {{"x-switchboard-privacy", "local_only"}});
    ASSERT_TRUE(header);
    EXPECT_EQ(header->get_header_value("x-switchboard-target"), "stories");
  }
  // The header cannot loosen the team's default.
  auto loosen = post("/v1/chat/completions", chat("plain question"), kClinicKey, {{"x-switchboard-privacy", "allow"}});
  ASSERT_TRUE(loosen);
  EXPECT_EQ(loosen->get_header_value("x-switchboard-target"), "stories");
  EXPECT_TRUE(fake_.requests().empty());

  auto bad = post("/v1/chat/completions", chat("x"), kDevKey, {{"x-switchboard-privacy", "public"}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

TEST_F(PrivacyRoutingTest, NoDeviceTargetFailsClosed) {
  gateway_->restart(config_yaml(false));
  for (bool stream : {false, true}) {
    auto res = post("/v1/chat/completions", chat("my SSN is " + kRoutingSsn, stream));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 503);
    EXPECT_EQ(json::parse(res->body)["error"]["type"], "no_private_target");
  }
  // The concrete remote model is refused too.
  json concrete = chat("my SSN is " + kRoutingSsn);
  concrete["model"] = "gpt-fake";
  auto res = post("/v1/chat/completions", concrete);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(json::parse(res->body)["error"]["type"], "privacy_violation");
  EXPECT_TRUE(fake_.requests().empty());
}

TEST_F(PrivacyRoutingTest, ExplainReturnsTheDecisionAndCallsNothing) {
  auto res = post("/v1/route/explain", chat("write to " + kRoutingEmail));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json d = json::parse(res->body);
  EXPECT_EQ(d["privacy"]["action"], "redact");
  EXPECT_EQ(d["targets"][0]["model"], "gpt-fake");
  EXPECT_EQ(d["targets"][0]["redacted"], true);
  EXPECT_EQ(d["targets"][1]["model"], "stories");
  EXPECT_EQ(res->body.find(kRoutingEmail), std::string::npos);
  auto blocked = post("/v1/route/explain", chat("ghp_U3g7MD5PUN1vu35mCdaMxE3vPIDViRTA1pbE"));
  ASSERT_TRUE(blocked);
  EXPECT_EQ(blocked->status, 200);
  EXPECT_EQ(json::parse(blocked->body)["rejection"]["type"], "privacy_blocked");
  EXPECT_TRUE(fake_.requests().empty());
  auto unauthenticated = gateway_->post("/v1/route/explain", chat("x"), "");
  ASSERT_TRUE(unauthenticated);
  EXPECT_EQ(unauthenticated->status, 401);
}

}  // namespace
}  // namespace sb::gateway
