#include "connectors/retry_policy.h"

#include <gtest/gtest.h>

namespace sb::connectors {
namespace {

using std::chrono::milliseconds;

TEST(RetryPolicy, BackoffDoublesWithHalfOfEachStepJittered) {
  const RetryPolicy policy;  // base 250 ms, cap 8 s
  EXPECT_EQ(policy.delay_before_retry(1, std::nullopt, 0.0), milliseconds(125));
  EXPECT_EQ(policy.delay_before_retry(1, std::nullopt, 0.5), milliseconds(187));
  EXPECT_EQ(policy.delay_before_retry(1, std::nullopt, 0.999), milliseconds(249));
  EXPECT_EQ(policy.delay_before_retry(2, std::nullopt, 0.0), milliseconds(250));
  EXPECT_EQ(policy.delay_before_retry(3, std::nullopt, 0.0), milliseconds(500));
  EXPECT_EQ(policy.delay_before_retry(3, std::nullopt, 1.0), milliseconds(1000));
}

TEST(RetryPolicy, StepIsCappedEvenForAbsurdRetryCounts) {
  RetryPolicy policy;
  policy.max_delay = milliseconds(1000);
  EXPECT_EQ(policy.delay_before_retry(6, std::nullopt, 1.0), milliseconds(1000));
  EXPECT_EQ(policy.delay_before_retry(1000, std::nullopt, 0.0), milliseconds(500));
  EXPECT_EQ(policy.delay_before_retry(0, std::nullopt, 0.0), milliseconds(125));  // treated as the first
}

TEST(RetryPolicy, RetryAfterIsAFloorNotACeiling) {
  const RetryPolicy policy;
  EXPECT_EQ(policy.delay_before_retry(1, 2000, 0.5), milliseconds(2000));
  EXPECT_EQ(policy.delay_before_retry(4, 100, 0.0), milliseconds(1000));  // backoff already longer
  EXPECT_EQ(policy.delay_before_retry(1, 0, 0.0), milliseconds(125));
}

TEST(RetryPolicy, TooLongRetryAfterMeansMoveOn) {
  const RetryPolicy policy;  // max_retry_after 30 s
  EXPECT_EQ(policy.delay_before_retry(1, 30000, 0.0), milliseconds(30000));
  EXPECT_FALSE(policy.delay_before_retry(1, 30001, 0.0).has_value());
}

}  // namespace
}  // namespace sb::connectors
