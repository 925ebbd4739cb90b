#include "connectors/provider_registry.h"

#include "connectors/openai/openai_compatible_provider.h"

namespace sb::connectors {

ProviderRegistry::ProviderRegistry(const config::Config& config) {
  for (const auto& p : config.providers) {
    if (!p.enabled) continue;
    switch (p.kind) {
      case config::ProviderKind::OpenAI:
      case config::ProviderKind::OpenAICompatible:
        remote_[p.name] = std::make_unique<OpenAICompatibleProvider>(p);
        break;
      case config::ProviderKind::Anthropic:
      case config::ProviderKind::Gemini:
        warnings_.push_back("provider '" + p.name + "' disabled: kind '" + config::to_string(p.kind) +
                            "' is not supported by this build yet");
        break;
    }
  }
}

Provider* ProviderRegistry::remote(const std::string& provider_name) const {
  auto it = remote_.find(provider_name);
  return it == remote_.end() ? nullptr : it->second.get();
}

}  // namespace sb::connectors
