#pragma once
// How long to wait before trying the same target again after a retriable failure:
// exponential backoff with "equal jitter" (half the step fixed, half random, so concurrent
// clients spread out yet never hammer back at once), capped, and never shorter than the
// upstream's Retry-After. Pure: the random draw is an argument, so every delay is testable.
#include <chrono>
#include <cstdint>
#include <optional>

namespace sb::connectors {

struct RetryPolicy {
  std::chrono::milliseconds base_delay{250};         // the step before the first retry
  std::chrono::milliseconds max_delay{8000};         // cap of the exponential step
  std::chrono::milliseconds max_retry_after{30000};  // a longer Retry-After is not waited for

  // The wait before retry number `retry` (1 = the first retry) with `unit_random` in [0, 1):
  // step = min(max_delay, base_delay * 2^(retry-1)), wait = step/2 + unit_random * step/2,
  // raised to retry_after_ms when the upstream asked for longer. nullopt when it asked for
  // more than max_retry_after: better to move on to the next target than to hold the client.
  std::optional<std::chrono::milliseconds> delay_before_retry(int retry, std::optional<int64_t> retry_after_ms,
                                                              double unit_random) const;
};

}  // namespace sb::connectors
