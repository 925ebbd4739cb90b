#include "core/config/config_validate.h"

#include <algorithm>
#include <set>

#include "core/config/finding_types.h"

namespace sb::config {

namespace {

std::string at(SourceMark mark) { return std::to_string(mark.line) + ":" + std::to_string(mark.col); }

// Fails at the second use of any name; `what` is e.g. "local model".
template <class T>
void check_unique(const YamlReader& reader, std::string_view what, const std::vector<T>& items,
                  std::string T::*name, const std::vector<SourceMark>& marks) {
  std::map<std::string_view, SourceMark> first;
  for (size_t i = 0; i < items.size(); ++i) {
    auto [it, inserted] = first.emplace(items[i].*name, marks[i]);
    if (!inserted)
      reader.fail(marks[i], "duplicate " + std::string(what) + " '" + items[i].*name + "' (first at " + at(it->second) + ")");
  }
}

void check_models(const YamlReader& reader, const Config& config, const ConfigMarks& marks) {
  if (config.local_models.empty() && config.providers.empty())
    reader.fail(marks.root, "no models configured: add local_models or providers");
  check_unique(reader, "local model", config.local_models, &LocalModelConfig::name, marks.local_model_names);
  check_unique(reader, "provider", config.providers, &ProviderConfig::name, marks.provider_names);
  for (size_t p = 0; p < config.providers.size(); ++p) {
    const ProviderConfig& provider = config.providers[p];
    for (size_t m = 0; m < provider.models.size(); ++m) {
      const std::string& model = provider.models[m];
      const SourceMark mark = marks.provider_models[p][m];
      if (std::find(provider.models.begin(), provider.models.begin() + m, model) != provider.models.begin() + m)
        reader.fail(mark, "provider '" + provider.name + "' lists model '" + model + "' twice");
      if (auto ref = config.find_model(model); ref && ref->kind == ModelRef::Kind::Local)
        reader.fail(mark, "model '" + model + "' is already a local model");
      if (provider.locality == Locality::Remote && !config.prices.contains(model))
        reader.fail(mark, "model '" + model + "' of provider '" + provider.name +
                              "' has no price (add it under prices:, or mark the provider locality: device)");
    }
  }
  for (const auto& [model, mark] : marks.price_models)
    if (!config.find_model(model)) reader.fail(mark, "price for unknown model '" + model + "'");
}

// `local:` takes models that run on this device (local models, providers with locality:
// device); `cloud:` takes provider models.
void check_route_target(const YamlReader& reader, const Config& config, const RouteConfig& route,
                        const std::string& model, SourceMark mark, bool is_local_list) {
  const std::optional<ModelRef> ref = config.find_model(model);
  if (!ref) reader.fail(mark, "route '" + route.model + "' names unknown model '" + model + "'");
  if (is_local_list && ref->kind == ModelRef::Kind::Remote && ref->provider->locality == Locality::Remote)
    reader.fail(mark, "route '" + route.model + "' lists remote model '" + model + "' under local:");
  if (!is_local_list && ref->kind == ModelRef::Kind::Local)
    reader.fail(mark, "route '" + route.model + "' lists local model '" + model + "' under cloud:");
}

void check_routes(const YamlReader& reader, const Config& config, const ConfigMarks& marks) {
  check_unique(reader, "route", config.routes, &RouteConfig::model, marks.route_names);
  for (size_t r = 0; r < config.routes.size(); ++r) {
    const RouteConfig& route = config.routes[r];
    if (config.find_model(route.model))
      reader.fail(marks.route_names[r], "route '" + route.model + "' has the name of a model");
    std::set<std::string_view> seen;
    auto check_list = [&](const std::vector<std::string>& models, const std::vector<SourceMark>& list_marks,
                          bool is_local_list) {
      for (size_t i = 0; i < models.size(); ++i) {
        check_route_target(reader, config, route, models[i], list_marks[i], is_local_list);
        if (!seen.insert(models[i]).second)
          reader.fail(list_marks[i], "route '" + route.model + "' lists model '" + models[i] + "' twice");
      }
    };
    check_list(route.local, marks.route_local[r], true);
    check_list(route.cloud, marks.route_cloud[r], false);
  }
}

void check_action_types(const YamlReader& reader, const std::set<std::string_view>& known,
                        const std::map<std::string, SourceMark>& type_marks) {
  for (const auto& [type, mark] : type_marks)
    if (!known.contains(type))
      reader.fail(mark, "unknown finding type '" + type + "' (expected a built-in type or a privacy.custom name)");
}

void check_privacy(const YamlReader& reader, const Config& config, const ConfigMarks& marks) {
  std::set<std::string_view> known(kBuiltinFindingTypes.begin(), kBuiltinFindingTypes.end());
  for (size_t i = 0; i < config.privacy.custom.size(); ++i)
    if (known.contains(config.privacy.custom[i].name))
      reader.fail(marks.detector_names[i],
                  "custom detector '" + config.privacy.custom[i].name + "' has the name of a built-in finding type");
  check_unique(reader, "custom detector", config.privacy.custom, &CustomDetectorConfig::name, marks.detector_names);
  for (const auto& detector : config.privacy.custom) known.insert(detector.name);
  check_action_types(reader, known, marks.action_types);
  for (const auto& team_marks : marks.team_action_types) check_action_types(reader, known, team_marks);
}

void check_teams(const YamlReader& reader, const Config& config, const ConfigMarks& marks) {
  check_unique(reader, "team", config.teams, &TeamConfig::name, marks.team_names);
  std::map<KeyHash, const TeamConfig*> owner;
  for (size_t t = 0; t < config.teams.size(); ++t)
    for (size_t k = 0; k < config.teams[t].key_hashes.size(); ++k) {
      auto [it, inserted] = owner.emplace(config.teams[t].key_hashes[k], &config.teams[t]);
      if (!inserted) reader.fail(marks.team_keys[t][k], "key already used by team '" + it->second->name + "'");
    }
}

}  // namespace

void validate_config(const YamlReader& reader, const Config& config, const ConfigMarks& marks) {
  check_models(reader, config, marks);
  check_routes(reader, config, marks);
  check_privacy(reader, config, marks);
  check_teams(reader, config, marks);
}

}  // namespace sb::config
