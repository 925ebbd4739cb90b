#include "gateway/request_pipeline.h"

#include "core/config/config_enums.h"
#include "gateway/ids.h"

namespace sb::gateway {
namespace {

int64_t micros_since(Call::Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Call::Clock::now() - t).count();
}

}  // namespace

std::optional<config::PrivacyAction> privacy_header(const httplib::Request& req) {
  if (!req.has_header("x-switchboard-privacy")) return std::nullopt;
  const std::string value = req.get_header_value("x-switchboard-privacy");
  if (auto action = config::parse_enum(config::kPrivacyActionNames, value)) return action;
  throw ApiError(400, "invalid_request_error", "invalid_value",
                 "Invalid x-switchboard-privacy header '" + value + "': expected one of " +
                     config::enum_names(config::kPrivacyActionNames) + ".");
}

Call RequestPipeline::begin(const config::TeamConfig& team, ChatRequest request, const httplib::Request& req,
                            httplib::Response& res) const {
  Call call;
  call.received = Call::Clock::now();
  call.team = &team;
  call.request = std::move(request);
  call.decision = policy_.decide({call.request, team, new_id("dec_"), privacy_header(req), std::nullopt});
  res.set_header("x-switchboard-decision", call.decision.id);
  if (call.decision.rejection) throw call.decision.rejection->to_error();
  call.overhead_us = micros_since(call.received);
  return call;
}

policies::RouteDecision RequestPipeline::explain(const config::TeamConfig& team, const ChatRequest& request,
                                                 const httplib::Request& req) const {
  return policy_.decide({request, team, new_id("dec_"), privacy_header(req), std::nullopt});
}

Dispatcher::Completion RequestPipeline::complete(Call& call) const {
  return dispatcher_.complete(call.decision, call.request);
}

Dispatcher::StreamOutcome RequestPipeline::stream(Call& call,
                                                  const std::function<void(const std::string& target)>& on_start,
                                                  const connectors::ChunkSink& sink) const {
  return dispatcher_.stream(call.decision, call.request, on_start, sink);
}

void RequestPipeline::set_answer_headers(httplib::Response& res, const Call& call, const std::string& target) {
  res.set_header("x-switchboard-target", target);
  res.set_header("x-switchboard-overhead-us", std::to_string(call.overhead_us));
}

}  // namespace sb::gateway
