#pragma once
// An in-process OpenAI-compatible upstream for tests: listens on 127.0.0.1 on an ephemeral
// port, records every request it receives byte for byte, and answers in the real wire format
// (chat.completion JSON, or chat.completion.chunk SSE ending in [DONE]). By default it
// echoes the last user message; enqueue() scripts the next answers (errors, cut streams...).
#include <map>
#include <string>
#include <vector>

#include "tests/support/fake_upstream.h"

namespace sb::test {

class FakeOpenAIServer {
 public:
  using Recorded = RecordedRequest;

  struct Reply {
    int status = 200;
    std::string body;                          // sent as is when non-empty (JSON answers, error bodies)
    std::map<std::string, std::string> headers;
    std::vector<std::string> sse_events;       // raw `data:` payloads of a streamed answer
    bool cut_after_events = false;             // close the stream without [DONE]
    int delay_ms = 0;                          // wait this long before answering at all
    int event_interval_ms = 0;                 // pause between two sse_events
    bool reset_after_events = false;           // drop the connection mid-body after sse_events
  };

  FakeOpenAIServer();
  FakeOpenAIServer(const FakeOpenAIServer&) = delete;
  FakeOpenAIServer& operator=(const FakeOpenAIServer&) = delete;

  int port() const { return upstream_.port(); }
  std::string base_url() const;  // http://127.0.0.1:PORT/v1

  void enqueue(Reply reply);
  std::vector<Recorded> requests() const;

  // What the default echo answer says for a request body.
  static std::string echo_text(const std::string& request_body);

 private:
  RawReply respond(const Recorded& request);
  static RawReply answer_echo(const Recorded& request);

  ReplyQueue<Reply> replies_;
  FakeUpstream upstream_;  // last: stops serving before the queue goes away
};

}  // namespace sb::test
