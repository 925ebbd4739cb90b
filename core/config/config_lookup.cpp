#include <algorithm>

#include "core/config/config.h"

namespace sb::config {

namespace {

template <class T>
const T* find_named(const std::vector<T>& items, std::string T::*name, std::string_view wanted) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& item) { return item.*name == wanted; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

const RouteConfig* Config::find_route(std::string_view model) const {
  return find_named(routes, &RouteConfig::model, model);
}

std::optional<ModelRef> Config::find_model(std::string_view model) const {
  if (const LocalModelConfig* local = find_named(local_models, &LocalModelConfig::name, model))
    return ModelRef{ModelRef::Kind::Local, local, nullptr};
  for (const ProviderConfig& provider : providers)
    if (std::find(provider.models.begin(), provider.models.end(), model) != provider.models.end())
      return ModelRef{ModelRef::Kind::Remote, nullptr, &provider};
  return std::nullopt;
}

const ProviderConfig* Config::find_provider(std::string_view name) const {
  return find_named(providers, &ProviderConfig::name, name);
}

const TeamConfig* Config::find_team(std::string_view name) const { return find_named(teams, &TeamConfig::name, name); }

}  // namespace sb::config
