#include <cstdlib>

#include "core/config/config.h"

namespace sb::config {

// The only place the configuration reads the process environment.
EnvLookup process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (!value) return std::nullopt;
    return std::string(value);
  };
}

}  // namespace sb::config
