#include "gateway/anthropic_api/messages_endpoint.h"

#include <memory>

#include "gateway/anthropic_api/messages_request.h"
#include "gateway/anthropic_api/messages_response.h"
#include "gateway/anthropic_api/messages_stream.h"
#include "gateway/http_util.h"
#include "gateway/ids.h"
#include "gateway/sse_responder.h"

namespace sb::gateway::anthropic_api {

void MessagesEndpoint::handle(const config::TeamConfig& team, const httplib::Request& req,
                              httplib::Response& res) const {
  auto call = std::make_shared<Call>(pipeline_.begin(team, parse_request(parse_json_body(req)), req, res));
  if (!call->request.stream) {
    Dispatcher::Completion completion = pipeline_.complete(*call);
    send_json(res, 200, message_to_json(completion.response, new_id("msg_")));
    RequestPipeline::set_answer_headers(res, *call, completion.target);
    return;
  }
  respond_with_stream(
      res, std::make_shared<MessagesStreamEncoder>(new_id("msg_"), call->request.model),
      [this, call](const auto& on_start, const auto& sink) { return pipeline_.stream(*call, on_start, sink).result; },
      [call](httplib::Response& r, const std::string& target) { RequestPipeline::set_answer_headers(r, *call, target); });
}

}  // namespace sb::gateway::anthropic_api
