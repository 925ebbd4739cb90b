#include "local_engine/decode_gate.h"

#include <stdexcept>
#include <string>

namespace sb::engine {

DecodeGate::DecodeGate(int permits) {
  if (permits < 1) throw std::invalid_argument("DecodeGate: permits must be >= 1, got " + std::to_string(permits));
  admitted_below_ = static_cast<uint64_t>(permits);
}

void DecodeGate::acquire() {
  std::unique_lock lock(mutex_);
  const uint64_t ticket = next_ticket_++;
  turn_.wait(lock, [&] { return ticket < admitted_below_; });
}

void DecodeGate::release() {
  std::lock_guard lock(mutex_);
  ++admitted_below_;
  turn_.notify_all();
}

}  // namespace sb::engine
