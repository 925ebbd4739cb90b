#pragma once
// The policy engine's output: where a request may go, in what order, and why. A value:
// logged, printed (/v1/route/explain) and tested; the gateway's dispatcher only executes it.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/chat.h"
#include "core/config/config.h"

namespace sb::policies {

struct Target {
  std::string model;     // concrete model name (a local model or a provider's model)
  std::string provider;  // provider name; empty for local models
  config::Locality locality = config::Locality::Remote;
};

struct RouteDecision {
  std::string id;               // decision id, echoed in x-switchboard-decision
  std::string requested_model;  // what the client asked for
  bool via_route = false;       // requested_model named a route, not a concrete model
  std::vector<Target> targets;  // to be tried in order
  std::vector<std::string> reasons;  // one human-readable line per choice made

  nlohmann::json to_json() const;
};

// Pure: same inputs, same decision. Throws ApiError 404 model_not_found for an unknown model.
RouteDecision decide(const ChatRequest& request, const config::TeamConfig& team,
                     const config::Config& config, std::string decision_id);

}  // namespace sb::policies
