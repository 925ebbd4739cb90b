#pragma once
// POST /v1/chat/completions: parse (OpenAI format) -> decide -> dispatch -> answer, whole
// or as Server-Sent Events.
#include <httplib.h>

#include "core/config/config.h"
#include "gateway/dispatcher.h"

namespace sb::gateway {

class ChatCompletions {
 public:
  ChatCompletions(const config::Config& config, const Dispatcher& dispatcher)
      : config_(config), dispatcher_(dispatcher) {}

  void handle(const config::TeamConfig& team, const httplib::Request& req, httplib::Response& res) const;

 private:
  // decide_us: time spent before dispatch; with post-processing it is the reported
  // x-switchboard-overhead-us (everything but the target's own time).
  void answer_whole(const policies::RouteDecision& decision, const ChatRequest& request, int64_t decide_us,
                    httplib::Response& res) const;
  void answer_stream(const policies::RouteDecision& decision, const ChatRequest& request, int64_t decide_us,
                     httplib::Response& res) const;

  const config::Config& config_;
  const Dispatcher& dispatcher_;
};

}  // namespace sb::gateway
