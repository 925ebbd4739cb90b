#include "connectors/circuit_breaker.h"

namespace sb::connectors {

CircuitBreaker::CircuitBreaker(Settings settings, Now now) : settings_(settings), now_(std::move(now)) {}

bool CircuitBreaker::allow() {
  std::lock_guard lock(mutex_);
  const auto now = now_();
  switch (state_) {
    case State::Closed:
      return true;
    case State::Open:
      if (now < open_until_) return false;
      state_ = State::HalfOpen;
      probe_since_ = now;
      return true;  // this caller is the probe
    case State::HalfOpen:
      if (now - probe_since_ < settings_.cooldown) return false;  // the probe is still out
      probe_since_ = now;  // the probe never reported back: send another
      return true;
  }
  return false;
}

void CircuitBreaker::record_success() {
  std::lock_guard lock(mutex_);
  state_ = State::Closed;
  consecutive_failures_ = 0;
}

void CircuitBreaker::record_failure() {
  std::lock_guard lock(mutex_);
  ++consecutive_failures_;
  if (state_ == State::HalfOpen || consecutive_failures_ >= settings_.failure_threshold) {
    state_ = State::Open;
    open_until_ = now_() + settings_.cooldown;
  }
}

CircuitBreaker::State CircuitBreaker::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

CircuitBreaker& CircuitBreakers::of(const std::string& target) {
  std::lock_guard lock(mutex_);
  auto& slot = breakers_[target];
  if (!slot) slot = std::make_unique<CircuitBreaker>(settings_, now_);
  return *slot;
}

}  // namespace sb::connectors
