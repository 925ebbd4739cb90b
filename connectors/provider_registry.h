#pragma once
// Owns one Provider per configured remote target and finds it by provider name.
// Built once at start-up from the immutable Config; lookups are read-only afterwards, so
// any number of request threads may use it at once.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "connectors/local/local_provider.h"
#include "connectors/provider.h"
#include "core/config/config.h"

namespace sb::connectors {

class ProviderRegistry {
 public:
  // Remote providers that are enabled and whose kind is implemented get an instance;
  // the others are listed in warnings().
  // Local models get a LocalProvider each and, unless lazy_load, are loaded here (progress
  // on local_options.log); one that cannot load is listed in warnings() and tried again
  // on its first request.
  explicit ProviderRegistry(const config::Config& config, const LocalProviderOptions& local_options = {});

  // The provider serving `provider_name` (remote) — nullptr when it has none.
  Provider* remote(const std::string& provider_name) const;
  // The provider serving the local model `model_name` — nullptr when none is configured.
  LocalProvider* local(const std::string& model_name) const;

  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  std::map<std::string, std::unique_ptr<Provider>> remote_;
  std::map<std::string, std::unique_ptr<LocalProvider>> local_;
  std::vector<std::string> warnings_;
};

}  // namespace sb::connectors
