#pragma once
// Helpers shared by the configuration tests: an injected environment, the CONFIG.md
// example, and "what did parsing throw".
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "core/config/config.h"
#include "tests/support/paths.h"

namespace sb::config::test {

inline EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// The environment the CONFIG.md example needs.
inline std::map<std::string, std::string> config_md_env() {
  return {{"SWITCHBOARD_ADMIN_TOKEN", "admin-secret"}, {"OPENAI_API_KEY", "sk-openai"},
          {"ANTHROPIC_API_KEY", "sk-ant"},               {"GEMINI_API_KEY", "gm-key"},
          {"CLINIC_KEY", "clinic-key-1"},                {"GROWTH_KEY", "growth-key-1"}};
}

// The ```yaml block of ../shared/CONFIG.md, exactly as written there.
inline std::string config_md_example() {
  std::ifstream in(sb::test::shared_dir() / "CONFIG.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const std::string open = "```yaml\n";
  const size_t start = doc.find(open);
  const size_t end = doc.find("\n```", start + open.size());
  if (start == std::string::npos || end == std::string::npos) return "";
  return doc.substr(start + open.size(), end + 1 - start - open.size());
}

// what() of the ConfigError parsing throws, or "no error".
inline std::string error_of(const std::string& yaml, const EnvLookup& env, const std::string& file = "policies.yaml") {
  try {
    parse_config(yaml, file, env);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace sb::config::test
