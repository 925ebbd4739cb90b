#include "accounting/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sb::accounting {

namespace {

constexpr std::chrono::milliseconds kMinute = std::chrono::minutes(1);

std::optional<TokenBucket> bucket(const std::optional<int64_t>& per_minute, Timestamp now) {
  if (!per_minute) return std::nullopt;
  return TokenBucket(static_cast<double>(*per_minute), kMinute, now);
}

// The headers of one kind (requests or tokens) for the bucket with the least left.
void add_headers(const std::vector<const TokenBucket*>& buckets, const char* kind, Timestamp now,
                 std::vector<std::pair<std::string, std::string>>& headers) {
  const TokenBucket* tightest = nullptr;
  for (const auto* b : buckets) {
    if (!tightest || b->level(now) < tightest->level(now)) tightest = b;
  }
  if (!tightest) return;
  const auto whole = [](double v) { return std::to_string(static_cast<int64_t>(std::floor(v))); };
  headers.emplace_back(std::string("x-ratelimit-limit-") + kind, whole(tightest->capacity()));
  headers.emplace_back(std::string("x-ratelimit-remaining-") + kind,
                       whole(std::max(0.0, tightest->level(now))));
  headers.emplace_back(std::string("x-ratelimit-reset-") + kind,
                       format_reset(tightest->wait_until_full(now)));
}

}  // namespace

int64_t RateLimitVerdict::retry_after_seconds() const {
  return std::max<int64_t>(1, (retry_after.count() + 999) / 1000);
}

std::string format_reset(std::chrono::milliseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(d.count()) / 1000.0);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s + "s";
}

RateLimiter::Buckets& RateLimiter::buckets_for(const RateLimitSubject& subject, Timestamp now) {
  auto it = buckets_.find(subject.id);
  const bool stale = it != buckets_.end() && (it->second.limit.rpm != subject.limit.rpm ||
                                              it->second.limit.tpm != subject.limit.tpm);
  if (it == buckets_.end() || stale) {  // new subject, or its limits were reconfigured
    Buckets fresh{subject.limit, bucket(subject.limit.rpm, now), bucket(subject.limit.tpm, now)};
    it = buckets_.insert_or_assign(subject.id, std::move(fresh)).first;
  }
  return it->second;
}

RateLimitVerdict RateLimiter::acquire(const std::vector<RateLimitSubject>& subjects,
                                      int64_t tokens, Timestamp now) {
  std::lock_guard lock(mutex_);
  const auto amount = static_cast<double>(tokens);
  RateLimitVerdict verdict;
  std::vector<Buckets*> all;
  for (const auto& subject : subjects) {
    Buckets& b = buckets_for(subject, now);
    all.push_back(&b);
    constexpr std::chrono::milliseconds kNoWait{0};
    const auto wait = std::max(b.requests ? b.requests->wait_for(1, now) : kNoWait,
                               b.tokens ? b.tokens->wait_for(amount, now) : kNoWait);
    if (wait.count() > 0) {
      if (verdict.allowed) verdict.refused_by = subject.id;
      verdict.allowed = false;
      verdict.retry_after = std::max(verdict.retry_after, wait);
    }
  }
  std::vector<const TokenBucket*> requests, token_buckets;
  for (Buckets* b : all) {
    if (verdict.allowed) {
      if (b->requests) b->requests->take(1, now);
      if (b->tokens) b->tokens->take(amount, now);
    }
    if (b->requests) requests.push_back(&*b->requests);
    if (b->tokens) token_buckets.push_back(&*b->tokens);
  }
  add_headers(requests, "requests", now, verdict.headers);
  add_headers(token_buckets, "tokens", now, verdict.headers);
  return verdict;
}

void RateLimiter::adjust_tokens(const std::vector<RateLimitSubject>& subjects, int64_t delta,
                                Timestamp now) {
  std::lock_guard lock(mutex_);
  for (const auto& subject : subjects) {
    Buckets& b = buckets_for(subject, now);
    if (b.tokens) b.tokens->take(static_cast<double>(delta), now);
  }
}

}  // namespace sb::accounting
