#pragma once
// A token bucket over an injected clock: holds up to `capacity`, refills continuously at
// capacity per `period`, starts full. A take larger than the capacity is allowed once the
// bucket is full and leaves it in debt, so a request bigger than a whole minute's allowance
// waits for a full bucket instead of being refused forever.
#include <chrono>

#include "accounting/time_window.h"

namespace sb::accounting {

class TokenBucket {
 public:
  TokenBucket(double capacity, std::chrono::milliseconds period, Timestamp now);

  double capacity() const { return capacity_; }
  double level(Timestamp now) const;  // may be negative (debt)
  bool can_take(double amount, Timestamp now) const;
  void take(double amount, Timestamp now);  // unconditional; a negative amount gives back
  std::chrono::milliseconds wait_for(double amount, Timestamp now) const;  // zero when can_take
  std::chrono::milliseconds wait_until_full(Timestamp now) const;

 private:
  double needed(double amount) const;  // amount, capped at the capacity
  std::chrono::milliseconds wait_for_level(double target, Timestamp now) const;

  double capacity_;
  double per_ms_;
  double level_;
  Timestamp updated_;
};

}  // namespace sb::accounting
