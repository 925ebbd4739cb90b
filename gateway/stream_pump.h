#pragma once
// Hands a streamed answer from the thread that calls the provider to the HTTP thread that
// writes it. The HTTP thread first waits for start() or fail(): only then does it know
// whether to answer 200 + text/event-stream (and which target answered) or an error
// status. Bounded, so a slow client slows the upstream read instead of growing memory.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include "core/api_error.h"

namespace sb::gateway {

class StreamPump {
 public:
  explicit StreamPump(size_t capacity = 256) : capacity_(capacity) {}

  // Producer side.
  void start(const std::string& target);
  bool push(std::string bytes);  // blocks while full; false once the consumer cancelled
  void fail(const ApiError& error);  // before start(): the HTTP answer becomes this error
  void close();

  // Consumer side.
  // Blocks until start(), fail() or close(); returns the failure, or nullopt when started.
  std::optional<ApiError> wait_for_start();
  std::string target() const;
  std::optional<std::string> pop();  // blocks; nullopt once closed and drained
  void cancel();                     // the client is gone

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  size_t capacity_;
  std::deque<std::string> queue_;
  std::string target_;
  std::optional<ApiError> error_;
  bool started_ = false;
  bool closed_ = false;
  bool cancelled_ = false;
};

}  // namespace sb::gateway
