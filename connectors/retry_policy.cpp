#include "connectors/retry_policy.h"

#include <algorithm>

namespace sb::connectors {

std::optional<std::chrono::milliseconds> RetryPolicy::delay_before_retry(int retry,
                                                                         std::optional<int64_t> retry_after_ms,
                                                                         double unit_random) const {
  using std::chrono::milliseconds;
  if (retry_after_ms && milliseconds(*retry_after_ms) > max_retry_after) return std::nullopt;
  // Doubling stops at the cap; the shift is bounded so it cannot overflow for any `retry`.
  const int doublings = std::clamp(retry - 1, 0, 30);
  const int64_t step = std::min<int64_t>(max_delay.count(), base_delay.count() << doublings);
  const double jitter = std::clamp(unit_random, 0.0, 1.0);
  milliseconds wait(step / 2 + static_cast<int64_t>(jitter * static_cast<double>(step - step / 2)));
  if (retry_after_ms) wait = std::max(wait, milliseconds(*retry_after_ms));
  return wait;
}

}  // namespace sb::connectors
