#pragma once
// One request's way through the gateway, whichever API it came in by (OpenAI chat
// completions, Anthropic messages): decide -> admit (rate limits, budget reservation) ->
// (redact) -> dispatch -> (restore) -> settle the reservation (gateway/metering.h).
// Served APIs only parse their wire format into a ChatRequest and encode the answer.
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <httplib.h>

#include "core/chat.h"
#include "core/config/config.h"
#include "gateway/dispatcher.h"
#include "gateway/metering.h"
#include "policies/policy_engine.h"
#include "policies/route_decision.h"

namespace sb::gateway {

// The state of one call; light, owned by the handler for the request's lifetime.
struct Call {
  using Clock = std::chrono::steady_clock;
  Clock::time_point received;
  const config::TeamConfig* team = nullptr;
  ChatRequest request;
  policies::RouteDecision decision;
  int64_t overhead_us = 0;  // gateway time so far (decision, redaction); not the target's
  std::optional<policies::RedactedRequest> redacted;  // what remote targets get when the action is redact
  std::shared_ptr<Booking> booking;  // the budget reservation; released if never settled
};

class RequestPipeline {
 public:
  RequestPipeline(const policies::PolicyEngine& policy, const Dispatcher& dispatcher, Metering& metering)
      : policy_(policy), dispatcher_(dispatcher), metering_(metering) {}

  // Decides where the request goes and admits it (rate limits, budget reservation). Throws
  // the decision's rejection or the admission's 429 as ApiError (and ApiError 400 for a
  // malformed x-switchboard-privacy header). The decision id is set on `res` either way.
  Call begin(const config::TeamConfig& team, ChatRequest request, const httplib::Request& req,
             httplib::Response& res) const;

  // The decision begin() would make, rejection included, without throwing or calling anything.
  policies::RouteDecision explain(const config::TeamConfig& team, const ChatRequest& request,
                                  const httplib::Request& req) const;

  // Runs the decision and settles the call's reservation: to the answer's usage, to what was
  // generated when a stream is cut or its client leaves, released when no target answered.
  // Throws ApiError / ProviderError when no target answers.
  Dispatcher::Completion complete(Call& call) const;
  Dispatcher::StreamOutcome stream(Call& call, const std::function<void(const std::string& target)>& on_start,
                                   const connectors::ChunkSink& sink) const;

  // The x-switchboard-* headers of an answer.
  static void set_answer_headers(httplib::Response& res, const Call& call, const std::string& target);

  const policies::PolicyEngine& policy() const { return policy_; }

 private:
  const policies::PolicyEngine& policy_;
  const Dispatcher& dispatcher_;
  Metering& metering_;
};

// x-switchboard-privacy: "local_only" (or any action name) tightens; throws ApiError 400 for
// an unknown value.
std::optional<config::PrivacyAction> privacy_header(const httplib::Request& req);

}  // namespace sb::gateway
