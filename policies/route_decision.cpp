#include "policies/route_decision.h"

#include "core/api_error.h"

namespace sb::policies {
namespace {

// Adds `model` as a target when the configuration can serve it; says why not otherwise.
void add_target(const config::Config& config, const std::string& model, RouteDecision& d) {
  auto ref = config.find_model(model);
  if (!ref) return;  // validated configs never name unknown models
  if (ref->kind == config::ModelRef::Kind::Local) {
    d.targets.push_back({model, "", config::Locality::Device});
    return;
  }
  const config::ProviderConfig& p = *ref->provider;
  if (!p.enabled) {
    d.reasons.push_back("skipped " + model + ": provider '" + p.name + "' is disabled (" + p.disabled_reason + ")");
    return;
  }
  d.targets.push_back({model, p.name, p.locality});
}

}  // namespace

nlohmann::json RouteDecision::to_json() const {
  nlohmann::json targets_json = nlohmann::json::array();
  for (const auto& t : targets)
    targets_json.push_back({{"model", t.model},
                            {"provider", t.provider.empty() ? nlohmann::json(nullptr) : nlohmann::json(t.provider)},
                            {"locality", config::to_string(t.locality)}});
  return {{"id", id}, {"requested_model", requested_model}, {"via_route", via_route},
          {"targets", std::move(targets_json)}, {"reasons", reasons}};
}

RouteDecision decide(const ChatRequest& request, const config::TeamConfig& team,
                     const config::Config& config, std::string decision_id) {
  RouteDecision d;
  d.id = std::move(decision_id);
  d.requested_model = request.model;
  if (const auto* route = config.find_route(request.model)) {
    d.via_route = true;
    d.reasons.push_back("route '" + route->model + "' for team '" + team.name + "': local first, then cloud in order");
    for (const auto& m : route->local) add_target(config, m, d);
    for (const auto& m : route->cloud) add_target(config, m, d);
    return d;
  }
  if (!config.find_model(request.model))
    throw ApiError(404, "invalid_request_error", "model_not_found",
                   "The model '" + request.model + "' does not exist", "model");
  d.reasons.push_back("concrete model '" + request.model + "' requested");
  add_target(config, request.model, d);
  return d;
}

}  // namespace sb::policies
