#include "accounting/usage_estimate.h"

#include <gtest/gtest.h>

namespace sb::accounting {
namespace {

ChatRequest request_with(std::initializer_list<std::string> texts) {
  ChatRequest r;
  for (const auto& t : texts) {
    Message m;
    m.content.push_back(ContentPart{ContentPart::Kind::Text, t, {}, {}});
    r.messages.push_back(m);
  }
  return r;
}

TEST(UsageEstimateTest, AboutFourBytesPerToken) {
  EXPECT_EQ(estimate_tokens(""), 0);
  EXPECT_EQ(estimate_tokens("abc"), 1);
  EXPECT_EQ(estimate_tokens("abcd"), 1);
  EXPECT_EQ(estimate_tokens("abcde"), 2);
  EXPECT_EQ(estimate_tokens(std::string(400, 'x')), 100);
}

TEST(UsageEstimateTest, PromptEstimateCountsEveryMessagePlusFraming) {
  // 3 (reply) + 2 * 4 (messages) + 100 + 25 tokens of text
  EXPECT_EQ(estimate_prompt_tokens(request_with({std::string(400, 'a'), std::string(100, 'b')})),
            136);
}

TEST(UsageEstimateTest, ReportedUsageWinsOverTheEstimate) {
  const auto request = request_with({"hello there"});
  const auto reported = resolve_usage(Usage{7, 9, 2}, request, "whatever");
  EXPECT_FALSE(reported.estimated);
  EXPECT_EQ(reported.usage.prompt_tokens, 7);
  EXPECT_EQ(reported.usage.completion_tokens, 9);
  EXPECT_EQ(reported.usage.cached_prompt_tokens, 2);
}

TEST(UsageEstimateTest, MissingUsageIsEstimatedAndFlagged) {
  const auto request = request_with({std::string(40, 'a')});
  const auto resolved = resolve_usage(std::nullopt, request, std::string(80, 'z'));
  EXPECT_TRUE(resolved.estimated);
  EXPECT_EQ(resolved.usage.prompt_tokens, 3 + 4 + 10);
  EXPECT_EQ(resolved.usage.completion_tokens, 20);
  EXPECT_EQ(resolved.usage.cached_prompt_tokens, 0);
}

}  // namespace
}  // namespace sb::accounting
