#pragma once
// POST /v1/messages: the Anthropic Messages wire format around the shared request pipeline,
// answered whole or as the Anthropic event stream. Errors it throws are answered in
// Anthropic's shape by the server (anthropic_errors.h).
#include <httplib.h>

#include "core/config/config.h"
#include "gateway/request_pipeline.h"

namespace sb::gateway::anthropic_api {

class MessagesEndpoint {
 public:
  explicit MessagesEndpoint(const RequestPipeline& pipeline) : pipeline_(pipeline) {}

  void handle(const config::TeamConfig& team, const httplib::Request& req, httplib::Response& res) const;

 private:
  const RequestPipeline& pipeline_;
};

}  // namespace sb::gateway::anthropic_api
