#pragma once
// An in-process OpenAI-compatible upstream for tests: listens on 127.0.0.1 on an ephemeral
// port, records every request it receives byte for byte, and answers in the real wire format
// (chat.completion JSON, or chat.completion.chunk SSE ending in [DONE]). By default it
// echoes the last user message; enqueue() scripts the next answers (errors, cut streams...).
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

namespace sb::test {

class FakeOpenAIServer {
 public:
  struct Recorded {
    std::string method;
    std::string path;
    std::string body;
    std::multimap<std::string, std::string> headers;
  };

  struct Reply {
    int status = 200;
    std::string body;                          // sent as is when non-empty (JSON answers, error bodies)
    std::map<std::string, std::string> headers;
    std::vector<std::string> sse_events;       // raw `data:` payloads of a streamed answer
    bool cut_after_events = false;             // close the stream without [DONE]
  };

  FakeOpenAIServer();
  ~FakeOpenAIServer();
  FakeOpenAIServer(const FakeOpenAIServer&) = delete;
  FakeOpenAIServer& operator=(const FakeOpenAIServer&) = delete;

  int port() const { return port_; }
  std::string base_url() const;  // http://127.0.0.1:PORT/v1

  void enqueue(Reply reply);
  std::vector<Recorded> requests() const;

  // What the default echo answer says for a request body.
  static std::string echo_text(const std::string& request_body);

 private:
  void handle(const httplib::Request& req, httplib::Response& res);
  static void answer_echo(const httplib::Request& req, httplib::Response& res);

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::vector<Recorded> requests_;
  std::vector<Reply> replies_;  // served front first
};

}  // namespace sb::test
