// local_models:, providers: and prices: sections.
#include "core/config/config_sections.h"

namespace sb::config {

namespace {

constexpr int64_t kMaxParallel = 1024;  // sequences decoded together
constexpr int64_t kMaxThreads = 1024;

LocalModelConfig parse_local_model(const YamlReader& reader, const Field& item, ConfigMarks& marks) {
  const MapReader map(reader, item,
                      {"name", "path", "context", "parallel", "threads", "chat_template", "keep_alive_s", "lazy_load"});
  LocalModelConfig model;
  const Field name = map.require("name");
  model.name = reader.string(name);
  marks.local_model_names.push_back(mark_of(name.value));
  model.path = reader.string(map.require("path"));
  if (auto f = map.get("context")) model.context = reader.integer(*f, 1);
  if (auto f = map.get("parallel")) model.parallel = static_cast<int>(reader.integer(*f, 1, kMaxParallel));
  if (auto f = map.get("threads")) model.threads = static_cast<int>(reader.integer(*f, 0, kMaxThreads));
  if (auto f = map.get("chat_template")) model.chat_template = reader.string(*f);
  if (auto f = map.get("keep_alive_s")) model.keep_alive_s = reader.integer(*f, 0);
  if (auto f = map.get("lazy_load")) model.lazy_load = reader.boolean(*f);
  return model;
}

// "A is not set" / "A, B are not set".
std::string not_set_reason(const UnsetVariables& names) {
  std::string joined;
  for (const auto& name : names) joined += (joined.empty() ? "" : ", ") + name;
  return joined + (names.size() == 1 ? " is not set" : " are not set");
}

ProviderConfig parse_provider(const YamlReader& reader, const Field& item, ConfigMarks& marks,
                              std::vector<std::string>& warnings) {
  const MapReader map(reader, item,
                      {"name", "kind", "base_url", "api_key", "models", "timeout_ms", "connect_timeout_ms",
                       "first_byte_timeout_ms", "idle_timeout_ms", "max_retries", "locality"});
  ProviderConfig provider;
  UnsetVariables unset;  // an unset variable disables the provider instead of failing
  const Field name = map.require("name");
  provider.name = reader.string(name);
  marks.provider_names.push_back(mark_of(name.value));
  provider.kind = reader.choice(map.require("kind"), kProviderKindNames);
  const Field base_url = map.require("base_url");
  provider.base_url = reader.string(base_url, Empty::Rejected, &unset);
  if (auto f = map.get("api_key")) provider.api_key = reader.string(*f, Empty::Allowed, &unset);
  const Field models = map.require("models");
  marks.provider_models.emplace_back();
  for (const Field& model : reader.items(models)) {
    provider.models.push_back(reader.string(model, Empty::Rejected, &unset));
    marks.provider_models.back().push_back(mark_of(model.value));
  }
  if (provider.models.empty()) reader.fail(models, models.path + ": must list at least one model");
  if (auto f = map.get("timeout_ms")) provider.timeout_ms = reader.integer(*f, 1);
  if (auto f = map.get("connect_timeout_ms")) provider.connect_timeout_ms = reader.integer(*f, 1);
  if (auto f = map.get("first_byte_timeout_ms")) provider.first_byte_timeout_ms = reader.integer(*f, 1);
  if (auto f = map.get("idle_timeout_ms")) provider.idle_timeout_ms = reader.integer(*f, 1);
  if (auto f = map.get("max_retries")) provider.max_retries = static_cast<int>(reader.integer(*f, 0, 100));
  if (auto f = map.get("locality")) provider.locality = reader.choice(*f, kLocalityNames);

  if (!unset.empty()) {
    provider.enabled = false;
    provider.disabled_reason = not_set_reason(unset);
    warnings.push_back("provider '" + provider.name + "' disabled: " + provider.disabled_reason);
  } else if (!provider.base_url.starts_with("http://") && !provider.base_url.starts_with("https://")) {
    reader.fail(base_url, base_url.path + ": expected an http:// or https:// URL, got '" + provider.base_url + "'");
  }
  return provider;
}

Price parse_price(const YamlReader& reader, const Field& entry) {
  const MapReader map(reader, entry, {"input", "output", "cached_input"});
  Price price;
  price.input = reader.number(map.require("input"), 0);
  price.output = reader.number(map.require("output"), 0);
  if (auto f = map.get("cached_input")) price.cached_input = reader.number(*f, 0);
  return price;
}

}  // namespace

std::vector<LocalModelConfig> parse_local_models(const YamlReader& reader, const Field& section, ConfigMarks& marks) {
  std::vector<LocalModelConfig> models;
  for (const Field& item : reader.items(section)) models.push_back(parse_local_model(reader, item, marks));
  return models;
}

std::vector<ProviderConfig> parse_providers(const YamlReader& reader, const Field& section, ConfigMarks& marks,
                                            std::vector<std::string>& warnings) {
  std::vector<ProviderConfig> providers;
  for (const Field& item : reader.items(section)) providers.push_back(parse_provider(reader, item, marks, warnings));
  return providers;
}

std::map<std::string, Price> parse_prices(const YamlReader& reader, const Field& section, ConfigMarks& marks) {
  std::map<std::string, Price> prices;
  const MapReader map = MapReader::any_keys(reader, section);
  for (const auto& [model, field] : map.entries()) {
    prices[model] = parse_price(reader, field);
    marks.price_models[model] = field.key;
  }
  return prices;
}

}  // namespace sb::config
