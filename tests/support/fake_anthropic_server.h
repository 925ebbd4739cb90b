#pragma once
// An in-process Anthropic Messages API for tests: POST /v1/messages answered in the real wire
// format — a message JSON, or the SSE stream message_start, ping, content_block_start/delta/
// stop, message_delta, message_stop — and errors as {"type":"error","error":{type,message}}.
// Records every request. By default it echoes the last user text; enqueue() scripts the next
// answers: tool uses, thinking blocks, cache usage, and every fault in Faults.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/fake_upstream.h"

namespace sb::test {

class FakeAnthropicServer {
 public:
  using Recorded = RecordedRequest;

  struct ToolUse {
    std::string id;
    std::string name;
    nlohmann::json input;
  };

  struct Usage {
    int64_t input_tokens = 11;
    int64_t output_tokens = 7;
    int64_t cache_creation_input_tokens = 0;
    int64_t cache_read_input_tokens = 0;
  };

  struct Reply : Faults {
    std::string text;                // with no tool_uses either: echo the last user text
    std::vector<ToolUse> tool_uses;  // after the text
    bool thinking = false;           // open with a thinking block (clients must skip it)
    std::string stop_reason;         // "" -> tool_use when there are tool uses, else end_turn
    Usage usage;
    std::string error_type;          // "" -> the type Anthropic uses for `status` / an error event
    int event_interval_ms = 0;       // streams: pause between two SSE events
  };

  FakeAnthropicServer();

  int port() const { return upstream_.port(); }
  std::string base_url() const;  // http://127.0.0.1:PORT — the API root, like https://api.anthropic.com

  void enqueue(Reply reply);
  std::vector<Recorded> requests() const;

  // The text of the last user turn of a Messages request, prefixed "echo: ".
  static std::string echo_text(const std::string& request_body);

 private:
  static RawReply respond_with(const Recorded& request, Reply reply);

  ReplyQueue<Reply> replies_;
  FakeUpstream upstream_;  // last: stops serving before the queue goes away
};

}  // namespace sb::test
