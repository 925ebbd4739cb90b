#include "gateway/models_list.h"

namespace sb::gateway {

nlohmann::json models_list(const config::Config& config) {
  nlohmann::json data = nlohmann::json::array();
  auto add = [&](const std::string& id, const std::string& owner, const char* kind) {
    data.push_back({{"id", id}, {"object", "model"}, {"created", 0}, {"owned_by", owner}, {"switchboard_kind", kind}});
  };
  for (const auto& r : config.routes) add(r.model, "switchboard", "route");
  for (const auto& m : config.local_models) add(m.name, "local", "local");
  for (const auto& p : config.providers)
    if (p.enabled)
      for (const auto& m : p.models) add(m, p.name, "remote");
  return {{"object", "list"}, {"data", std::move(data)}};
}

}  // namespace sb::gateway
