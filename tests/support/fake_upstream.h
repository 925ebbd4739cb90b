#pragma once
// The HTTP half every fake provider server shares: listens on 127.0.0.1 on an ephemeral port,
// records every request byte for byte, and sends whatever RawReply the owner's responder
// returns — including the faults real upstreams show: a slow first byte, a stream cut off
// cleanly, a connection dropped mid-stream. Protocol knowledge lives in the fakes that own
// one (FakeOpenAIServer, FakeAnthropicServer, FakeGeminiServer).
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

namespace sb::test {

struct RecordedRequest {
  std::string method;
  std::string path;  // without the query string
  std::string body;
  std::multimap<std::string, std::string> headers;
  std::multimap<std::string, std::string> params;  // query parameters

  // The value of header `name` (any case), "" when it was not sent.
  std::string header(const std::string& name) const;
};

struct RawReply {
  int status = 200;
  std::map<std::string, std::string> headers;
  std::string content_type = "application/json";
  std::string body;                 // non-streamed answers
  std::vector<std::string> stream;  // streamed answers: written one piece at a time (chunked)
  bool drop_connection = false;     // after `stream`, close the socket without ending the response
  int first_byte_delay_ms = 0;      // wait this long before answering at all
  int piece_interval_ms = 0;        // pause between two pieces of `stream`
};

class FakeUpstream {
 public:
  // Runs on server threads for each request. An owner that captures itself must declare its
  // FakeUpstream last, so the server stops before the owner's other members go away.
  using Responder = std::function<RawReply(const RecordedRequest&)>;

  explicit FakeUpstream(Responder responder);
  ~FakeUpstream();
  FakeUpstream(const FakeUpstream&) = delete;
  FakeUpstream& operator=(const FakeUpstream&) = delete;

  int port() const { return port_; }
  std::string root_url() const;  // http://127.0.0.1:PORT
  std::vector<RecordedRequest> requests() const;

 private:
  void handle(const httplib::Request& req, httplib::Response& res);
  // Sleeps `ms`, cut short when the server stops; false once it is stopping.
  bool wait_unless_stopping(int ms);

  Responder responder_;
  mutable std::mutex mutex_;
  std::condition_variable stopping_cv_;
  bool stopping_ = false;
  std::vector<RecordedRequest> requests_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

// The faults a scripted reply of a fake provider server can inject.
struct Faults {
  int status = 200;                            // non-2xx: answer with the provider's error body
  std::map<std::string, std::string> headers;  // added to the answer, e.g. {"Retry-After", "3"}
  std::string error_message = "injected failure";
  int first_byte_delay_ms = 0;
  bool omit_usage = false;         // no usage anywhere in the answer
  bool truncate_stream = false;    // streams: end cleanly after the first content event
  bool drop_connection = false;    // streams: drop the connection after the first content event
  bool mid_stream_error = false;   // streams: an error event after the first content event
};

// A streamed answer (text/event-stream) with the stream faults applied: `events` are whole
// SSE events, `first_content` the position of the first content event; a truncation, drop
// or `error_event` comes right after it.
RawReply sse_reply(std::vector<std::string> events, size_t first_content, const Faults& faults,
                   const std::string& error_event);

// A whole (non-streamed) answer: faults.status, headers and delay, with `body`.
RawReply json_reply(const Faults& faults, std::string body);

// Scripted replies, served first in first out; thread-safe.
template <class Reply>
class ReplyQueue {
 public:
  void push(Reply reply) {
    std::lock_guard lock(mutex_);
    replies_.push_back(std::move(reply));
  }
  std::optional<Reply> pop() {
    std::lock_guard lock(mutex_);
    if (replies_.empty()) return std::nullopt;
    Reply reply = std::move(replies_.front());
    replies_.pop_front();
    return reply;
  }

 private:
  std::mutex mutex_;
  std::deque<Reply> replies_;
};

}  // namespace sb::test
