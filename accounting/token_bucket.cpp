#include "accounting/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace sb::accounting {

TokenBucket::TokenBucket(double capacity, std::chrono::milliseconds period, Timestamp now)
    : capacity_(capacity),
      per_ms_(capacity / static_cast<double>(std::max<int64_t>(period.count(), 1))),
      level_(capacity),
      updated_(now) {}

double TokenBucket::level(Timestamp now) const {
  const auto elapsed = std::max<int64_t>((now - updated_).count(), 0);
  return std::min(capacity_, level_ + static_cast<double>(elapsed) * per_ms_);
}

double TokenBucket::needed(double amount) const { return std::min(amount, capacity_); }

bool TokenBucket::can_take(double amount, Timestamp now) const {
  return level(now) >= needed(amount);
}

void TokenBucket::take(double amount, Timestamp now) {
  level_ = std::min(capacity_, level(now) - amount);
  updated_ = std::max(updated_, now);
}

std::chrono::milliseconds TokenBucket::wait_for_level(double target, Timestamp now) const {
  const double missing = target - level(now);
  if (missing <= 0 || per_ms_ <= 0) return std::chrono::milliseconds{0};
  return std::chrono::milliseconds{static_cast<int64_t>(std::ceil(missing / per_ms_))};
}

std::chrono::milliseconds TokenBucket::wait_for(double amount, Timestamp now) const {
  return wait_for_level(needed(amount), now);
}

std::chrono::milliseconds TokenBucket::wait_until_full(Timestamp now) const {
  return wait_for_level(capacity_, now);
}

}  // namespace sb::accounting
