#pragma once
// Limits how many sequences run model steps at once (the `threads` of a local model)
// and hands the permits out first come, first served, so a sequence that gives its
// permit back between two tokens cannot take it again ahead of one already waiting.
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace sb::engine {

class DecodeGate {
 public:
  // Throws std::invalid_argument when permits < 1.
  explicit DecodeGate(int permits);

  void acquire();  // blocks until this caller's turn
  void release();  // gives one permit back; call once per acquire()

 private:
  std::mutex mutex_;
  std::condition_variable turn_;
  uint64_t next_ticket_ = 0;  // handed to the next acquire()
  uint64_t admitted_below_;   // tickets below this may run: permits + releases so far
};

// Holds a permit for its lifetime, with a way to step out around a blocking call.
class DecodePermit {
 public:
  explicit DecodePermit(DecodeGate& gate) : gate_(gate) { gate_.acquire(); }
  ~DecodePermit() {
    if (held_) gate_.release();
  }
  DecodePermit(const DecodePermit&) = delete;
  DecodePermit& operator=(const DecodePermit&) = delete;

  // Runs `call` without the permit (others may decode meanwhile), then waits for it again.
  template <typename Call>
  auto released_during(Call&& call) {
    gate_.release();
    held_ = false;
    struct Reacquire {
      DecodePermit& permit;
      ~Reacquire() {
        permit.gate_.acquire();
        permit.held_ = true;
      }
    } reacquire{*this};
    return call();
  }

 private:
  DecodeGate& gate_;
  bool held_ = true;
};

}  // namespace sb::engine
