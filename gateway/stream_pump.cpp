#include "gateway/stream_pump.h"

namespace sb::gateway {

void StreamPump::start(const std::string& target) {
  std::lock_guard lock(mutex_);
  target_ = target;
  started_ = true;
  changed_.notify_all();
}

bool StreamPump::push(std::string bytes) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return cancelled_ || queue_.size() < capacity_; });
  if (cancelled_) return false;
  queue_.push_back(std::move(bytes));
  changed_.notify_all();
  return true;
}

void StreamPump::fail(const ApiError& error) {
  std::lock_guard lock(mutex_);
  error_ = error;
  closed_ = true;
  changed_.notify_all();
}

void StreamPump::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  changed_.notify_all();
}

std::optional<ApiError> StreamPump::wait_for_start() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return started_ || closed_; });
  if (started_) return std::nullopt;
  if (error_) return error_;
  return ApiError(502, "upstream_error", "empty_stream", "the target ended the stream without an answer");
}

std::string StreamPump::target() const {
  std::lock_guard lock(mutex_);
  return target_;
}

std::optional<std::string> StreamPump::pop() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !queue_.empty() || closed_ || cancelled_; });
  if (queue_.empty()) return std::nullopt;
  std::string bytes = std::move(queue_.front());
  queue_.pop_front();
  changed_.notify_all();
  return bytes;
}

void StreamPump::cancel() {
  std::lock_guard lock(mutex_);
  cancelled_ = true;
  changed_.notify_all();
}

}  // namespace sb::gateway
