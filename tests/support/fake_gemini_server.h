#pragma once
// An in-process Gemini API for tests: POST /v1beta/models/{model}:generateContent answered
// with a GenerateContentResponse, and :streamGenerateContent?alt=sse with a stream of them
// (CRLF-framed, as Google sends them; the last carries finishReason and usageMetadata);
// errors as {"error":{code,message,status}}, with a google.rpc.RetryInfo when asked.
// Records every request. By default it echoes the last user text; enqueue() scripts the next
// answers: function calls, cached-token usage, and every fault in Faults.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/fake_upstream.h"

namespace sb::test {

class FakeGeminiServer {
 public:
  using Recorded = RecordedRequest;

  struct FunctionCall {
    std::string name;
    nlohmann::json args;
  };

  struct UsageMetadata {
    int64_t prompt_token_count = 11;
    int64_t candidates_token_count = 7;
    int64_t cached_content_token_count = 0;
    int64_t thoughts_token_count = 0;
  };

  struct Reply : Faults {
    std::string text;                         // with no function calls either: echo the last user text
    std::vector<FunctionCall> function_calls; // after the text, in one part each
    std::string finish_reason = "STOP";
    UsageMetadata usage;
    std::string retry_delay;                  // error answers: add a RetryInfo with this retryDelay ("37s")
  };

  FakeGeminiServer();

  int port() const { return upstream_.port(); }
  std::string base_url() const;  // http://127.0.0.1:PORT — the API root

  void enqueue(Reply reply);
  std::vector<Recorded> requests() const;

  // The text of the last user turn of a generateContent request, prefixed "echo: ".
  static std::string echo_text(const std::string& request_body);

 private:
  static RawReply respond_with(const Recorded& request, Reply reply);

  ReplyQueue<Reply> replies_;
  FakeUpstream upstream_;  // last: stops serving before the queue goes away
};

}  // namespace sb::test
