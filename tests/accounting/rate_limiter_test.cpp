#include "accounting/rate_limiter.h"

#include <gtest/gtest.h>

namespace sb::accounting {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const Timestamp kT0 = parse_iso8601("2025-03-15T12:00:00Z").value();

std::string header(const RateLimitVerdict& v, const std::string& name) {
  for (const auto& [k, value] : v.headers) {
    if (k == name) return value;
  }
  return "(absent)";
}

TEST(TokenBucketTest, StartsFullRefillsContinuouslyAndCapsAtCapacity) {
  TokenBucket b(60, std::chrono::minutes(1), kT0);  // 1 per second
  EXPECT_TRUE(b.can_take(60, kT0));
  b.take(60, kT0);
  EXPECT_FALSE(b.can_take(1, kT0));
  EXPECT_EQ(b.wait_for(1, kT0), milliseconds(1000));
  EXPECT_DOUBLE_EQ(b.level(kT0 + seconds(30)), 30);
  EXPECT_DOUBLE_EQ(b.level(kT0 + seconds(600)), 60);
  EXPECT_EQ(b.wait_until_full(kT0 + seconds(30)), milliseconds(30000));
}

TEST(TokenBucketTest, ATakeLargerThanTheCapacityWaitsForAFullBucketAndLeavesDebt) {
  TokenBucket b(100, std::chrono::minutes(1), kT0);
  EXPECT_TRUE(b.can_take(250, kT0));
  b.take(250, kT0);
  EXPECT_DOUBLE_EQ(b.level(kT0), -150);
  EXPECT_EQ(b.wait_for(250, kT0), milliseconds(150000));  // back to full: 250 tokens at 100/min
}

TEST(RateLimiterTest, RequestsPerMinuteRefuseWithRetryAfterAndHeaders) {
  RateLimiter limiter;
  const std::vector<RateLimitSubject> key{{"key:a", {3, std::nullopt}}};
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.acquire(key, 0, kT0).allowed) << i;
  const auto refused = limiter.acquire(key, 0, kT0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.refused_by, "key:a");
  EXPECT_EQ(refused.retry_after, milliseconds(20000));  // 3 per minute: one every 20 s
  EXPECT_EQ(refused.retry_after_seconds(), 20);
  EXPECT_EQ(header(refused, "x-ratelimit-limit-requests"), "3");
  EXPECT_EQ(header(refused, "x-ratelimit-remaining-requests"), "0");
  EXPECT_EQ(header(refused, "x-ratelimit-reset-requests"), "60s");
  EXPECT_EQ(header(refused, "x-ratelimit-limit-tokens"), "(absent)");
  EXPECT_TRUE(limiter.acquire(key, 0, kT0 + seconds(20)).allowed);
}

TEST(RateLimiterTest, TokensPerMinuteCountTheExpectedTokensAndTheCorrection) {
  RateLimiter limiter;
  const std::vector<RateLimitSubject> key{{"key:a", {std::nullopt, 1000}}};
  const auto first = limiter.acquire(key, 600, kT0);
  EXPECT_TRUE(first.allowed);
  EXPECT_EQ(header(first, "x-ratelimit-remaining-tokens"), "400");
  EXPECT_EQ(header(first, "x-ratelimit-reset-tokens"), "36s");
  EXPECT_FALSE(limiter.acquire(key, 500, kT0).allowed);
  limiter.adjust_tokens(key, -300, kT0);  // it used 300, not 600
  EXPECT_TRUE(limiter.acquire(key, 500, kT0).allowed);
}

TEST(RateLimiterTest, ARequestNeedsRoomInItsKeyAndItsTeam) {
  RateLimiter limiter;
  const RateLimitSubject team{"team:eng", {2, std::nullopt}};
  const std::vector<RateLimitSubject> key_a{{"key:a", {10, std::nullopt}}, team};
  const std::vector<RateLimitSubject> key_b{{"key:b", {10, std::nullopt}}, team};
  EXPECT_TRUE(limiter.acquire(key_a, 0, kT0).allowed);
  EXPECT_TRUE(limiter.acquire(key_b, 0, kT0).allowed);
  const auto refused = limiter.acquire(key_a, 0, kT0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.refused_by, "team:eng");
  EXPECT_EQ(header(refused, "x-ratelimit-limit-requests"), "2");  // the tightest subject
  // A refused request is not counted: key a still has 9 of its 10 left.
  const std::vector<RateLimitSubject> key_a_only{{"key:a", {10, std::nullopt}}};
  EXPECT_EQ(header(limiter.acquire(key_a_only, 0, kT0), "x-ratelimit-remaining-requests"), "8");
}

TEST(RateLimiterTest, SubjectsWithoutLimitsAlwaysPass) {
  RateLimiter limiter;
  const std::vector<RateLimitSubject> free{{"team:free", {}}};
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.acquire(free, 1'000'000, kT0).allowed);
  EXPECT_TRUE(limiter.acquire(free, 0, kT0).headers.empty());
}

TEST(RateLimiterTest, NewLimitsTakeEffectForAReconfiguredSubject) {
  RateLimiter limiter;
  EXPECT_TRUE(limiter.acquire({{"key:a", {1, std::nullopt}}}, 0, kT0).allowed);
  EXPECT_FALSE(limiter.acquire({{"key:a", {1, std::nullopt}}}, 0, kT0).allowed);
  EXPECT_TRUE(limiter.acquire({{"key:a", {5, std::nullopt}}}, 0, kT0).allowed);
}

TEST(RateLimiterTest, ResetDurationsAreFormattedInSeconds) {
  EXPECT_EQ(format_reset(milliseconds(0)), "0s");
  EXPECT_EQ(format_reset(milliseconds(1500)), "1.5s");
  EXPECT_EQ(format_reset(milliseconds(60000)), "60s");
  EXPECT_EQ(format_reset(milliseconds(1)), "0.001s");
}

}  // namespace
}  // namespace sb::accounting
