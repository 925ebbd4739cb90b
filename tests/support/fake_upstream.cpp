#include "tests/support/fake_upstream.h"

#include <chrono>
#include <stdexcept>
#include <strings.h>

namespace sb::test {

std::string RecordedRequest::header(const std::string& name) const {
  for (const auto& [k, v] : headers)
    if (strcasecmp(k.c_str(), name.c_str()) == 0) return v;
  return {};
}

FakeUpstream::FakeUpstream(Responder responder) : responder_(std::move(responder)) {
  auto handler = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
  server_.Post(".*", handler);
  server_.Get(".*", handler);
  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("fake upstream: cannot bind");
  // Bound already: connections wait in the listen backlog until the thread accepts them.
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  // httplib's stop() is only heard once the accept loop runs: a fixture destroyed right
  // after construction would otherwise hang in the destructor's join.
  while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FakeUpstream::~FakeUpstream() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stopping_cv_.notify_all();  // cuts short any slow-first-byte wait
  server_.stop();
  thread_.join();
}

std::string FakeUpstream::root_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::vector<RecordedRequest> FakeUpstream::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

bool FakeUpstream::wait_unless_stopping(int ms) {
  std::unique_lock lock(mutex_);
  return !stopping_cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

void FakeUpstream::handle(const httplib::Request& req, httplib::Response& res) {
  RecordedRequest recorded{req.method, req.path, req.body, {req.headers.begin(), req.headers.end()},
                           {req.params.begin(), req.params.end()}};
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(recorded);
  }
  RawReply reply = responder_(recorded);
  if (reply.first_byte_delay_ms > 0) wait_unless_stopping(reply.first_byte_delay_ms);
  res.status = reply.status;
  for (const auto& [k, v] : reply.headers) res.set_header(k, v);
  if (reply.stream.empty() && !reply.drop_connection) {
    res.set_content(reply.body, reply.content_type);
    return;
  }
  res.set_chunked_content_provider(
      reply.content_type, [this, pieces = std::move(reply.stream), drop = reply.drop_connection,
                           interval = reply.piece_interval_ms](size_t, httplib::DataSink& sink) {
        for (size_t i = 0; i < pieces.size(); ++i) {
          if (i > 0 && interval > 0 && !wait_unless_stopping(interval)) return false;
          if (!sink.write(pieces[i].data(), pieces[i].size())) return false;
        }
        if (drop) return false;  // httplib then closes the socket without the last chunk
        sink.done();
        return true;
      });
}

RawReply sse_reply(std::vector<std::string> events, size_t first_content, const Faults& faults,
                   const std::string& error_event) {
  RawReply reply;
  reply.headers = faults.headers;
  reply.content_type = "text/event-stream";
  reply.first_byte_delay_ms = faults.first_byte_delay_ms;
  bool cut = faults.truncate_stream || faults.drop_connection || faults.mid_stream_error;
  if (cut && first_content + 1 < events.size()) events.resize(first_content + 1);
  if (faults.mid_stream_error) events.push_back(error_event);
  reply.drop_connection = faults.drop_connection;
  reply.stream = std::move(events);
  return reply;
}

RawReply json_reply(const Faults& faults, std::string body) {
  RawReply reply;
  reply.status = faults.status;
  reply.headers = faults.headers;
  reply.body = std::move(body);
  reply.first_byte_delay_ms = faults.first_byte_delay_ms;
  return reply;
}

}  // namespace sb::test
