#pragma once
// Owns one Provider per configured remote target and finds it by provider name.
// Built once at start-up from the immutable Config; lookups are read-only afterwards, so
// any number of request threads may use it at once.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "connectors/provider.h"
#include "core/config/config.h"

namespace sb::connectors {

class ProviderRegistry {
 public:
  // Remote providers that are enabled and whose kind is implemented get an instance;
  // the others are listed in warnings().
  explicit ProviderRegistry(const config::Config& config);

  // The provider serving `provider_name` (remote) — nullptr when it has none.
  Provider* remote(const std::string& provider_name) const;

  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  std::map<std::string, std::unique_ptr<Provider>> remote_;
  std::vector<std::string> warnings_;
};

}  // namespace sb::connectors
