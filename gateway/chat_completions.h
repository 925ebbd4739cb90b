#pragma once
// POST /v1/chat/completions: the OpenAI wire format around the shared request pipeline,
// answered whole or as Server-Sent Events.
#include <httplib.h>

#include "core/config/config.h"
#include "gateway/request_pipeline.h"

namespace sb::gateway {

class ChatCompletions {
 public:
  explicit ChatCompletions(const RequestPipeline& pipeline) : pipeline_(pipeline) {}

  void handle(const config::TeamConfig& team, const httplib::Request& req, httplib::Response& res) const;

 private:
  const RequestPipeline& pipeline_;
};

}  // namespace sb::gateway
