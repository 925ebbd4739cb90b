#include "gateway/request_pipeline.h"

#include <algorithm>

#include "core/config/config_enums.h"
#include "gateway/auth.h"
#include "gateway/ids.h"

namespace sb::gateway {
namespace {

int64_t micros_since(Call::Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Call::Clock::now() - t).count();
}

const policies::RedactedRequest* redacted_or_null(const Call& call) {
  return call.redacted ? &*call.redacted : nullptr;
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
  call.decision = policy_.decide(
      {call.request, team, new_id("dec_"), privacy_header(req), metering_.budget_headroom_usd(team)});
  res.set_header("x-switchboard-decision", call.decision.id);
  if (const auto& rejection = call.decision.rejection) {
    if (rejection->code == "budget_exceeded") throw metering_.budget_error(team);
    throw rejection->to_error();
  }
  if (std::any_of(call.decision.targets.begin(), call.decision.targets.end(),
                  [](const policies::Target& t) { return t.redacted; }))
    call.redacted = policies::redact_request(call.request, call.decision.privacy);
  call.booking = metering_.admit(team, key_id(presented_api_key(req)), call.decision, res);
  call.overhead_us = micros_since(call.received);
  return call;
}

policies::RouteDecision RequestPipeline::explain(const config::TeamConfig& team, const ChatRequest& request,
                                                 const httplib::Request& req) const {
  return policy_.decide({request, team, new_id("dec_"), privacy_header(req), std::nullopt});
}

Dispatcher::Completion RequestPipeline::complete(Call& call) const {
  try {
    Dispatcher::Completion completion = dispatcher_.complete(call.decision, call.request, redacted_or_null(call));
    call.booking->settle(completion.target, completion.response);
    return completion;
  } catch (...) {
    call.booking->release();
    throw;
  }
}

Dispatcher::StreamOutcome RequestPipeline::stream(Call& call,
                                                  const std::function<void(const std::string& target)>& on_start,
                                                  const connectors::ChunkSink& sink) const {
  std::string target;  // set once a target starts answering
  try {
    Dispatcher::StreamOutcome outcome = dispatcher_.stream(
        call.decision, call.request,
        [&](const std::string& started) {
          target = started;
          on_start(started);
        },
        [&](const ChatChunk& chunk) {
          call.booking->add_generated(target, chunk);  // generated, whether the client still reads or not
          return sink(chunk);
        },
        redacted_or_null(call));
    call.booking->settle(outcome.target, outcome.result.usage, outcome.result.cancelled);
    return outcome;
  } catch (...) {
    if (target.empty()) {
      call.booking->release();
    } else {
      call.booking->settle(target, std::nullopt, true);  // failed mid-stream: book what was generated
    }
    throw;
  }
}

void RequestPipeline::set_answer_headers(httplib::Response& res, const Call& call, const std::string& target) {
  res.set_header("x-switchboard-target", target);
  res.set_header("x-switchboard-overhead-us", std::to_string(call.overhead_us));
}

}  // namespace sb::gateway
