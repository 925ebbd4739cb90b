#pragma once
// Requests-per-minute and tokens-per-minute limits per API key and per team, as token buckets
// (token_bucket.h): a minute's allowance may be spent in a burst and refills continuously.
// A request is admitted only when every subject it belongs to (its key, its team) has room;
// then it is counted against all of them at once.
//
// The limiter lives in the process: with several gateway replicas each one enforces the full
// limit on its own traffic, so configure rpm/tpm as the per-replica share (limit / replicas)
// when a hard global limit is needed. Budgets, unlike rate limits, are global (LedgerStore).
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "accounting/time_window.h"
#include "accounting/token_bucket.h"
#include "core/config/config.h"

namespace sb::accounting {

struct RateLimitSubject {
  std::string id;  // unique per subject, e.g. "key:<key id>" or "team:<name>"
  config::RateLimit limit;
};

struct RateLimitVerdict {
  bool allowed = true;
  std::string refused_by;                // the subject id that had no room, when refused
  std::chrono::milliseconds retry_after{0};  // until every subject has room again
  // x-ratelimit-{limit,remaining,reset}-{requests,tokens}, OpenAI's names, for the tightest
  // subject; reset is a duration such as "1.5s". Empty when no subject has limits.
  std::vector<std::pair<std::string, std::string>> headers;
  int64_t retry_after_seconds() const;  // for the Retry-After header: ceil, at least 1
};

class RateLimiter {
 public:
  // tokens: what the request is expected to use (estimated prompt + max output tokens).
  RateLimitVerdict acquire(const std::vector<RateLimitSubject>& subjects, int64_t tokens,
                           Timestamp now);
  // After the call: counts the difference between the real and the expected tokens
  // (negative gives back).
  void adjust_tokens(const std::vector<RateLimitSubject>& subjects, int64_t delta, Timestamp now);

 private:
  struct Buckets {
    config::RateLimit limit;
    std::optional<TokenBucket> requests;
    std::optional<TokenBucket> tokens;
  };
  Buckets& buckets_for(const RateLimitSubject& subject, Timestamp now);  // needs mutex_

  std::mutex mutex_;
  std::map<std::string, Buckets> buckets_;
};

// "0.5s", "60s": the reset durations of the x-ratelimit-reset-* headers.
std::string format_reset(std::chrono::milliseconds d);

}  // namespace sb::accounting
