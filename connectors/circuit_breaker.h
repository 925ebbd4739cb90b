#pragma once
// Per-target cooldown. After `failure_threshold` consecutive failures a target is skipped
// (open) for `cooldown`; then one probe call is let through (half-open): its success closes
// the breaker, its failure opens it for another cooldown. A probe that never reports back
// (its caller died) is replaced by a new one after a further cooldown, so a breaker cannot
// stay stuck. Thread-safe; the clock is injected so every transition can be tested.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace sb::connectors {

class CircuitBreaker {
 public:
  using Clock = std::chrono::steady_clock;
  using Now = std::function<Clock::time_point()>;
  struct Settings {
    int failure_threshold = 5;
    std::chrono::milliseconds cooldown{30000};
  };
  enum class State { Closed, Open, HalfOpen };

  explicit CircuitBreaker(Settings settings, Now now = Clock::now);

  // May a call go to the target now? In half-open state only the probe gets true.
  bool allow();
  void record_success();
  void record_failure();
  State state() const;

 private:
  const Settings settings_;
  const Now now_;
  mutable std::mutex mutex_;
  State state_ = State::Closed;
  int consecutive_failures_ = 0;
  Clock::time_point open_until_{};   // State::Open
  Clock::time_point probe_since_{};  // State::HalfOpen
};

// One breaker per target, created on first use; references stay valid for the lifetime of
// this object. Thread-safe.
class CircuitBreakers {
 public:
  explicit CircuitBreakers(CircuitBreaker::Settings settings, CircuitBreaker::Now now = CircuitBreaker::Clock::now)
      : settings_(settings), now_(std::move(now)) {}

  CircuitBreaker& of(const std::string& target);

 private:
  const CircuitBreaker::Settings settings_;
  const CircuitBreaker::Now now_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<CircuitBreaker>> breakers_;
};

}  // namespace sb::connectors
