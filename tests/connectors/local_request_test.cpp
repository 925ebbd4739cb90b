#include "connectors/local/local_request.h"

#include <gtest/gtest.h>

#include "core/api_error.h"

namespace sb::connectors::local {
namespace {

const ModelLimits kLimits{"stories", 512, 512};

ChatRequest user(const std::string& text) {
  ChatRequest r;
  r.model = "stories";
  r.messages.push_back({Role::User, {{ContentPart::Kind::Text, text, {}, {}}}, {}, {}, {}});
  return r;
}

TEST(LocalRequest, DefaultsFollowOpenAIAndTheAnswerMayUseTheRestOfTheContext) {
  const engine::GenerateParams p = generate_params(user("hi"), 26, kLimits, {"</s>"}, 99);
  EXPECT_EQ(p.max_tokens, 512 - 26);
  EXPECT_FLOAT_EQ(p.sampling.temperature, 1.0f);
  EXPECT_FLOAT_EQ(p.sampling.top_p, 1.0f);
  EXPECT_EQ(p.sampling.seed, 99u);
  EXPECT_EQ(p.stop_strings, std::vector<std::string>{"</s>"});
  EXPECT_FALSE(p.json_constraint);
}

TEST(LocalRequest, RequestValuesAreCarriedOver) {
  ChatRequest r = user("hi");
  r.temperature = 0.0;
  r.top_p = 0.5;
  r.max_tokens = 10;
  r.seed = -1;
  r.presence_penalty = 0.5;
  r.frequency_penalty = -0.5;
  r.stop = {"END"};
  r.logit_bias = {{7, -100.0}, {9, 2.5}};
  const engine::GenerateParams p = generate_params(r, 26, kLimits, {"</s>"}, 99);
  EXPECT_EQ(p.max_tokens, 10);
  EXPECT_FLOAT_EQ(p.sampling.temperature, 0.0f);
  EXPECT_FLOAT_EQ(p.sampling.top_p, 0.5f);
  EXPECT_EQ(p.sampling.seed, static_cast<uint64_t>(-1));
  EXPECT_FLOAT_EQ(p.sampling.presence_penalty, 0.5f);
  EXPECT_FLOAT_EQ(p.sampling.frequency_penalty, -0.5f);
  EXPECT_EQ(p.stop_strings, (std::vector<std::string>{"END", "</s>"}));
  using Bias = std::vector<std::pair<int32_t, float>>;
  EXPECT_EQ(p.sampling.logit_bias, (Bias{{7, -100.0f}, {9, 2.5f}}));
}

TEST(LocalRequest, ContextLimitCountsPromptPlusMaxTokens) {
  ChatRequest r = user("hi");
  r.max_tokens = 486;
  EXPECT_EQ(generate_params(r, 26, kLimits, {}, 0).max_tokens, 486);  // exactly full
  r.max_tokens = 487;
  try {
    generate_params(r, 26, kLimits, {}, 0);
    ADD_FAILURE() << "expected context_length_exceeded";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "context_length_exceeded");
    EXPECT_NE(std::string(e.what()).find("513 tokens (26 in the messages, 487 in the completion)"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(generate_params(user("hi"), 512, kLimits, {}, 0), ApiError);  // no room at all
}

TEST(LocalRequest, TemplateMessagesKeepRolesAndText) {
  ChatRequest r = user("hello");
  r.messages.insert(r.messages.begin(), Message{Role::System, {{ContentPart::Kind::Text, "be nice", {}, {}}}, {}, {}, {}});
  const auto messages = template_messages(r);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].role, "system");
  EXPECT_EQ(messages[0].content, "be nice");
  EXPECT_EQ(messages[1].role, "user");
  EXPECT_EQ(messages[1].content, "hello");
}

TEST(LocalRequest, FinishReasons) {
  EXPECT_EQ(finish_reason(engine::StopReason::MaxTokens), "length");
  EXPECT_EQ(finish_reason(engine::StopReason::ContextFull), "length");
  EXPECT_EQ(finish_reason(engine::StopReason::EndOfGeneration), "stop");
  EXPECT_EQ(finish_reason(engine::StopReason::StopString), "stop");
}

}  // namespace
}  // namespace sb::connectors::local
