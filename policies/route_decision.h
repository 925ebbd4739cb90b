#pragma once
// The policy engine's output: where a request may go, in what order, and why. A value:
// logged, printed (/v1/route/explain, `switchboard route`) and tested; the gateway's
// dispatcher only executes it.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/api_error.h"
#include "core/config/config.h"
#include "policies/decision/cost_estimate.h"
#include "policies/decision/privacy_verdict.h"

namespace sb::policies {

struct Target {
  std::string model;     // concrete model name (a local model or a provider's model)
  std::string provider;  // provider name; empty for local models
  config::Locality locality = config::Locality::Remote;
  bool redacted = false;  // send with the findings replaced by placeholders (action redact)
  CostEstimate cost;
};

// Why the request must not be sent at all; the gateway answers with it.
struct Rejection {
  int status = 400;
  std::string type;  // error type, e.g. privacy_blocked, no_private_target
  std::string code;
  std::string message;
  std::string param;

  ApiError to_error() const { return ApiError(status, type, code, message, param); }
};

struct RouteDecision {
  std::string id;               // decision id, echoed in x-switchboard-decision
  std::string requested_model;  // what the client asked for
  std::string route;            // the route that chose the targets; empty for a concrete model
  std::vector<Target> targets;  // to be tried in order; empty when rejected
  PrivacyVerdict privacy;
  double difficulty = 0;        // in [0, 1]
  std::optional<Rejection> rejection;
  std::vector<std::string> reasons;  // one human-readable line per choice made

  bool via_route() const { return !route.empty(); }
  nlohmann::json to_json() const;
};

}  // namespace sb::policies
