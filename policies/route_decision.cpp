#include "policies/route_decision.h"

namespace sb::policies {

nlohmann::json RouteDecision::to_json() const {
  using nlohmann::json;
  json targets_json = json::array();
  for (const auto& t : targets)
    targets_json.push_back({{"model", t.model},
                            {"provider", t.provider.empty() ? json(nullptr) : json(t.provider)},
                            {"locality", config::to_string(t.locality)},
                            {"redacted", t.redacted},
                            {"cost", t.cost.to_json()}});
  json out = {{"id", id},
              {"requested_model", requested_model},
              {"route", route.empty() ? json(nullptr) : json(route)},
              {"targets", std::move(targets_json)},
              {"privacy", privacy.to_json()},
              {"difficulty", difficulty},
              {"rejection", nullptr},
              {"reasons", reasons}};
  if (rejection)
    out["rejection"] = {{"status", rejection->status}, {"type", rejection->type}, {"code", rejection->code},
                        {"message", rejection->message}};
  return out;
}

}  // namespace sb::policies
